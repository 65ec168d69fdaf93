import { KysoError } from '../errors.js';

/**
 * A strict, bounded DER reader. Certificates and CRLs are signed over their exact bytes, so kyso
 * reads them as DER (definite lengths, minimal length encoding) and keeps a view of every element's
 * bytes. Nesting depth and element count are bounded so that hostile input cannot exhaust the stack.
 */

/** ASN.1 universal tags kyso reads. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  VIDEOTEX_STRING: 0x15,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
} as const;

/** One DER element: its tag byte, the bytes of its value, and the bytes of the whole element. */
export interface DerElement {
  /** The identifier octet (class, constructed bit and tag number < 31). */
  readonly tag: number;
  /** The content octets. */
  readonly value: Uint8Array;
  /** Tag, length and content: what a signature covers. */
  readonly raw: Uint8Array;
  /** Offset of `raw` within the top-level input. */
  readonly offset: number;
}

/** Limits on what one {@link readDer} call accepts. */
export const DER_LIMITS = { maxDepth: 64, maxLength: 64 * 1024 * 1024 } as const;

function malformed(what: string, message: string, offset: number): KysoError {
  return new KysoError('ASN1_MALFORMED', `${what}: ${message} at byte ${offset}`, {
    messageVi: `${what}: dữ liệu ASN.1 không hợp lệ (${message}) tại byte ${offset}`,
  });
}

/** ASN1_TOO_LARGE: an element longer than {@link DER_LIMITS}.maxLength (a limit, not a syntax error). */
function tooLarge(what: string, len: number, offset: number): KysoError {
  return new KysoError(
    'ASN1_TOO_LARGE',
    `${what}: an element of ${len} bytes is larger than the ${DER_LIMITS.maxLength} bytes kyso reads, at byte ${offset}`,
    {
      messageVi: `${what}: phần tử ${len} byte vượt quá giới hạn ${DER_LIMITS.maxLength} byte, tại byte ${offset}`,
    },
  );
}

/** Reads one element at `pos` of `bytes`; `base` is the absolute offset of `bytes`. */
export function readElement(bytes: Uint8Array, pos: number, what: string, base = 0): DerElement {
  if (pos + 2 > bytes.length) throw malformed(what, 'truncated header', base + pos);
  const tag = bytes[pos]!;
  if ((tag & 0x1f) === 0x1f) throw malformed(what, 'high tag numbers are not used here', base + pos);
  let len = bytes[pos + 1]!;
  let header = 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    if (count === 0) throw malformed(what, 'indefinite length is not DER', base + pos);
    if (count > 4) throw malformed(what, 'length too large', base + pos);
    if (pos + 2 + count > bytes.length) throw malformed(what, 'truncated length', base + pos);
    len = 0;
    for (let i = 0; i < count; i += 1) len = len * 256 + bytes[pos + 2 + i]!;
    if (bytes[pos + 2] === 0 || len < 0x80) throw malformed(what, 'length not minimally encoded', base + pos);
    header += count;
  }
  if (len > DER_LIMITS.maxLength) throw tooLarge(what, len, base + pos);
  const end = pos + header + len;
  if (end > bytes.length) throw malformed(what, 'length runs past the end', base + pos);
  return {
    tag,
    value: bytes.subarray(pos + header, end),
    raw: bytes.subarray(pos, end),
    offset: base + pos,
  };
}

/** Reads exactly one element filling all of `bytes`, and checks the nesting depth of all of it. */
export function readDer(bytes: Uint8Array, what: string): DerElement {
  const element = readElement(bytes, 0, what);
  if (element.raw.length !== bytes.length)
    throw malformed(what, 'trailing bytes after the element', element.raw.length);
  checkDepth(element, what);
  return element;
}

/**
 * Scans every TLV header once, without allocating, and rejects nesting deeper than the limit.
 * kyso's readers follow fixed schemas, so this guards the one place structure is unbounded: input.
 */
function checkDepth(root: DerElement, what: string): void {
  const bytes = root.raw;
  const ends: number[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    while (ends.length > 0 && pos >= ends[ends.length - 1]!) ends.pop();
    const tag = bytes[pos]!;
    let len = bytes[pos + 1]!;
    let header = 2;
    if (len & 0x80) {
      const count = len & 0x7f;
      len = 0;
      for (let i = 0; i < count; i += 1) len = len * 256 + bytes[pos + 2 + i]!;
      header += count;
    }
    if (tag & 0x20) {
      if (ends.length >= DER_LIMITS.maxDepth) {
        throw new KysoError(
          'ASN1_TOO_DEEP',
          `${what}: ASN.1 nesting deeper than ${DER_LIMITS.maxDepth} at byte ${pos}`,
          {
            messageVi: `${what}: cấu trúc ASN.1 lồng quá ${DER_LIMITS.maxDepth} cấp tại byte ${pos}`,
          },
        );
      }
      // Validate the child's header against its parent before descending.
      readElement(bytes, pos, what);
      ends.push(pos + header + len);
      pos += header;
    } else {
      pos += header + len;
    }
  }
}

/** The elements inside a constructed element. */
export function children(el: DerElement, what: string): DerElement[] {
  const out: DerElement[] = [];
  let pos = 0;
  const base = el.offset + (el.raw.length - el.value.length);
  while (pos < el.value.length) {
    const child = readElement(el.value, pos, what, base);
    out.push(child);
    pos += child.raw.length;
  }
  return out;
}

/** Children of `el`, which must have `tag`. */
export function expectChildren(el: DerElement, tag: number, what: string): DerElement[] {
  expectTag(el, tag, what);
  return children(el, what);
}

/** Throws unless `el` has `tag`. */
export function expectTag(el: DerElement | undefined, tag: number, what: string): DerElement {
  if (!el) throw malformed(what, `missing element (expected tag 0x${tag.toString(16)})`, 0);
  if (el.tag !== tag) {
    throw malformed(what, `expected tag 0x${tag.toString(16)}, found 0x${el.tag.toString(16)}`, el.offset);
  }
  return el;
}

/** An OBJECT IDENTIFIER in dotted form. */
export function readOid(el: DerElement, what: string): string {
  expectTag(el, TAG.OID, what);
  const v = el.value;
  if (v.length === 0) throw malformed(what, 'empty OID', el.offset);
  const arcs: number[] = [];
  let acc = 0;
  let started = false;
  for (let i = 0; i < v.length; i += 1) {
    const b = v[i]!;
    if (!started && b === 0x80) throw malformed(what, 'OID arc not minimally encoded', el.offset);
    started = true;
    acc = acc * 128 + (b & 0x7f);
    if (acc > Number.MAX_SAFE_INTEGER / 256) throw malformed(what, 'OID arc too large', el.offset);
    if ((b & 0x80) === 0) {
      arcs.push(acc);
      acc = 0;
      started = false;
    }
  }
  if (started) throw malformed(what, 'truncated OID', el.offset);
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/** A non-negative or negative INTEGER as a bigint. */
export function readBigInt(el: DerElement, what: string, tag: number = TAG.INTEGER): bigint {
  expectTag(el, tag, what);
  const v = el.value;
  if (v.length === 0) throw malformed(what, 'empty INTEGER', el.offset);
  let n = 0n;
  for (const b of v) n = (n << 8n) | BigInt(b);
  if (v[0]! & 0x80) n -= 1n << BigInt(v.length * 8);
  return n;
}

/** An INTEGER that must fit a safe JavaScript number. */
export function readSmallInt(el: DerElement, what: string, tag: number = TAG.INTEGER): number {
  const n = readBigInt(el, what, tag);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw malformed(what, 'INTEGER too large', el.offset);
  }
  return Number(n);
}

/** A BOOLEAN. */
export function readBoolean(el: DerElement, what: string): boolean {
  expectTag(el, TAG.BOOLEAN, what);
  if (el.value.length !== 1) throw malformed(what, 'BOOLEAN of wrong length', el.offset);
  return el.value[0] !== 0;
}

/** A BIT STRING: its bytes and the number of unused bits in the last one. */
export function readBitString(el: DerElement, what: string): { bytes: Uint8Array; unusedBits: number } {
  expectTag(el, TAG.BIT_STRING, what);
  if (el.value.length === 0) throw malformed(what, 'empty BIT STRING', el.offset);
  const unusedBits = el.value[0]!;
  if (unusedBits > 7 || (unusedBits > 0 && el.value.length === 1))
    throw malformed(what, 'bad BIT STRING padding', el.offset);
  return { bytes: el.value.subarray(1), unusedBits };
}

/** Whether bit `n` (0 = most significant of the first byte) of a BIT STRING is set. */
export function bitSet(bits: Uint8Array, n: number): boolean {
  const byte = bits[n >> 3];
  return byte !== undefined && (byte & (0x80 >> (n & 7))) !== 0;
}

/** Context-specific tag number of `el`, or -1 for other classes. */
export function contextTag(el: DerElement): number {
  return (el.tag & 0xc0) === 0x80 ? el.tag & 0x1f : -1;
}

/** Reads a UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5 forms: seconds present, `Z`). */
export function readTime(el: DerElement, what: string): Date {
  const text = latin1(el.value);
  let m: RegExpExecArray | null;
  let year: number;
  if (el.tag === TAG.UTC_TIME) {
    m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
    if (!m) throw malformed(what, `bad UTCTime "${text}"`, el.offset);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (el.tag === TAG.GENERALIZED_TIME) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d*[1-9])?Z$/.exec(text);
    if (!m) throw malformed(what, `bad GeneralizedTime "${text}"`, el.offset);
    year = Number(m[1]);
  } else {
    throw malformed(what, 'expected a time', el.offset);
  }
  const [mo, d, h, mi, s] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    throw malformed(what, `impossible date "${text}"`, el.offset);
  }
  return date;
}

/** Bytes as Latin-1 text. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** What {@link berToDer} did, for callers (and tests) that bound its work by a counter. */
export interface BerToDerStats {
  /** BER elements read. */
  elements: number;
  /** Bytes written to the output: each output byte is written exactly once. */
  bytesWritten: number;
}

/** A parsed BER element on its way to DER: a definite element kept as is, or one to re-encode. */
type BerNode =
  | { kind: 'raw'; bytes: Uint8Array; size: number }
  | { kind: 'constructed'; tag: number; children: BerNode[]; contentLength: number; size: number }
  | { kind: 'octets'; parts: Uint8Array[]; contentLength: number; size: number };

/** The size of a DER length field for `len`. */
function lengthFieldSize(len: number): number {
  if (len < 0x80) return 1;
  let n = 1;
  for (let v = len; v > 0; v = Math.floor(v / 256)) n += 1;
  return n;
}

/**
 * Re-encodes BER as DER where it matters for reading: indefinite lengths become definite ones and a
 * chunked (constructed) OCTET STRING becomes one primitive string. CMS SignedData may be BER
 * (RFC 5652 §2); kyso reads it through this, keeping every definite-length element (certificates,
 * signed attributes) byte for byte. Only the first element is read, so PDF zero padding after it
 * is ignored. Depth and size are bounded like `readDer`.
 *
 * Linear in the input: the element tree is read once (primitive contents are views, not copies),
 * lengths are computed bottom-up, and every output byte is written once into one buffer. Nothing
 * spreads an input-sized array into a call, so a 10 MB streamed CMS cannot exhaust the stack.
 */
export function berToDer(bytes: Uint8Array, what: string, stats?: BerToDerStats): Uint8Array {
  const counters: BerToDerStats = stats ?? { elements: 0, bytesWritten: 0 };
  const tooDeep = () =>
    new KysoError('ASN1_TOO_DEEP', `${what}: ASN.1 nesting deeper than ${DER_LIMITS.maxDepth}`, {
      messageVi: `${what}: cấu trúc ASN.1 lồng quá ${DER_LIMITS.maxDepth} cấp`,
    });

  // Reads the element at `pos` (depth-bounded recursion: at most maxDepth frames).
  const walk = (pos: number, depth: number): [end: number, node: BerNode] => {
    if (depth > DER_LIMITS.maxDepth) throw tooDeep();
    if (pos + 2 > bytes.length) throw malformed(what, 'truncated header', pos);
    counters.elements += 1;
    const tag = bytes[pos]!;
    const indefinite = bytes[pos + 1] === 0x80;
    let contentStart: number;
    let contentEnd: number | undefined;
    if (!indefinite) {
      const el = readElement(bytes, pos, what);
      if ((tag & 0x20) === 0)
        return [pos + el.raw.length, { kind: 'raw', bytes: el.raw, size: el.raw.length }];
      contentStart = pos + (el.raw.length - el.value.length);
      contentEnd = pos + el.raw.length;
    } else {
      if ((tag & 0x20) === 0) throw malformed(what, 'indefinite length on a primitive element', pos);
      contentStart = pos + 2;
    }
    const kids: BerNode[] = [];
    let p = contentStart;
    for (;;) {
      if (contentEnd !== undefined) {
        if (p >= contentEnd) break;
      } else {
        if (p + 2 > bytes.length) throw malformed(what, 'indefinite length without end-of-contents', p);
        if (bytes[p] === 0 && bytes[p + 1] === 0) {
          p += 2;
          break;
        }
      }
      const [next, node] = walk(p, depth + 1);
      kids.push(node);
      p = next;
    }
    if (contentEnd !== undefined) p = contentEnd;
    // DER has no constructed OCTET STRING: a chunked one (BER, tag 0x24) becomes one primitive string.
    if (tag === 0x24) {
      const parts: Uint8Array[] = [];
      let contentLength = 0;
      const collect = (node: BerNode): void => {
        if (node.kind === 'octets') {
          for (const part of node.parts) parts.push(part);
          contentLength += node.contentLength;
          return;
        }
        if (node.kind !== 'raw' || node.bytes[0] !== TAG.OCTET_STRING)
          throw malformed(what, 'a chunked OCTET STRING holds something else than OCTET STRINGs', pos);
        const chunk = readElement(node.bytes, 0, what);
        parts.push(chunk.value);
        contentLength += chunk.value.length;
      };
      for (const kid of kids) collect(kid);
      if (contentLength > DER_LIMITS.maxLength) throw tooLarge(what, contentLength, pos);
      return [
        p,
        { kind: 'octets', parts, contentLength, size: 1 + lengthFieldSize(contentLength) + contentLength },
      ];
    }
    let contentLength = 0;
    for (const kid of kids) contentLength += kid.size;
    if (contentLength > DER_LIMITS.maxLength) throw tooLarge(what, contentLength, pos);
    return [
      p,
      {
        kind: 'constructed',
        tag,
        children: kids,
        contentLength,
        size: 1 + lengthFieldSize(contentLength) + contentLength,
      },
    ];
  };

  const [, root] = walk(0, 0);
  const out = new Uint8Array(root.size);
  let at = 0;
  const writeHeader = (tag: number, len: number): void => {
    out[at++] = tag;
    if (len < 0x80) {
      out[at++] = len;
    } else {
      const count = lengthFieldSize(len) - 1;
      out[at++] = 0x80 | count;
      for (let k = count - 1; k >= 0; k -= 1) out[at++] = Math.floor(len / 256 ** k) & 0xff;
    }
  };
  const write = (node: BerNode): void => {
    if (node.kind === 'raw') {
      out.set(node.bytes, at);
      at += node.bytes.length;
    } else if (node.kind === 'octets') {
      writeHeader(TAG.OCTET_STRING, node.contentLength);
      for (const part of node.parts) {
        out.set(part, at);
        at += part.length;
      }
    } else {
      writeHeader(node.tag, node.contentLength);
      for (const kid of node.children) write(kid);
    }
  };
  write(root);
  counters.bytesWritten += at;
  return out;
}
