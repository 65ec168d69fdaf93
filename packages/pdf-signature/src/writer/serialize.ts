import { PdfError } from '../errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../reader/objects.js';

/**
 * PDF objects to bytes (ISO 32000-2 §7.3): names with `#xx` escapes, strings literal or hex,
 * real numbers without an exponent, streams with their `/Length`. The writer's only encoder: what
 * it writes, kyso's reader reads back as the same value.
 */

/** A stream to write: its dictionary and its data, already encoded as its /Filter says. */
export class PdfRawStream {
  constructor(
    readonly dict: PdfDict,
    readonly data: Uint8Array,
  ) {}
}

/** What an indirect object may hold when written. */
export type PdfWritable = PdfValue | PdfRawStream;

/** A dictionary built in memory (it has no offsets in any file). Undefined values are left out. */
export function pdfDict(entries: Record<string, PdfValue | undefined>): PdfDict {
  const map = new Map<string, PdfValue>();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) map.set(k, v);
  return new PdfDict(map, -1, -1);
}

/** A copy of `dict` with `changes` applied; a key set to `undefined` is removed. */
export function withEntries(dict: PdfDict, changes: Record<string, PdfValue | undefined>): PdfDict {
  const map = new Map(dict.map);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) map.delete(k);
    else map.set(k, v);
  }
  return new PdfDict(map, -1, -1);
}

/** A string object of raw bytes, written in hex. */
export function pdfHexString(bytes: Uint8Array): PdfString {
  return new PdfString(bytes, true, -1, -1);
}

/**
 * A text string (ISO 32000-2 §7.9.2.2): printable ASCII as it is, anything else (Vietnamese) as
 * UTF-16BE with a byte order mark, which every PDF version reads.
 */
export function pdfTextString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) {
    return new PdfString(
      Uint8Array.from(text, (c) => c.charCodeAt(0)),
      false,
      -1,
      -1,
    );
  }
  const units = [0xfe, 0xff];
  for (let i = 0; i < text.length; i += 1) {
    const u = text.charCodeAt(i);
    units.push(u >> 8, u & 0xff);
  }
  return new PdfString(Uint8Array.from(units), false, -1, -1);
}

const te = new TextEncoder();

/** Bytes of an ASCII (or Latin-1) string. */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i += 1) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

/** Collects pieces of output and joins them once. */
export class ByteWriter {
  private readonly parts: Uint8Array[] = [];
  /** Bytes written so far. */
  length = 0;

  /** Appends ASCII text or bytes. */
  push(piece: string | Uint8Array): void {
    const bytes = typeof piece === 'string' ? latin1Bytes(piece) : piece;
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** Everything written, as one array. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Delimiters and white space end a name, and `#` starts an escape: all are written `#xx`. */
const NAME_SPECIAL = new Set([...'()<>[]{}/%#'].map((c) => c.charCodeAt(0)));

/**
 * A name's bytes: its characters as bytes when they all fit in one (the reader's decoding), else
 * UTF-8 (§7.3.5 recommends it).
 */
function nameBytes(name: string): Uint8Array {
  return [...name].some((c) => c.charCodeAt(0) > 0xff) ? te.encode(name) : latin1Bytes(name);
}

/** `/Name`, with every byte outside `!`..`~` and every delimiter written as `#xx`. */
export function serializeName(name: string): string {
  let s = '/';
  for (const b of nameBytes(name)) {
    if (b === 0) throw writeError('a name cannot contain a null byte', 'tên PDF không được chứa byte 0');
    s +=
      b < 0x21 || b > 0x7e || NAME_SPECIAL.has(b)
        ? `#${b.toString(16).toUpperCase().padStart(2, '0')}`
        : String.fromCharCode(b);
  }
  return s;
}

/**
 * A number as PDF writes it: integers as they are; reals in fixed notation, never with an exponent
 * (PDF has none, §7.3.3), with the shortest digits that read back as the same number, so a value
 * copied from the original (a /MediaBox, a /Rect) is written unchanged. Magnitudes below 1e-20
 * become 0.
 */
export function serializeNumber(n: number): string {
  if (!Number.isFinite(n)) throw writeError(`${n} is not a PDF number`, `${n} không phải là số PDF`);
  if (Number.isInteger(n)) {
    if (!Number.isSafeInteger(n))
      throw writeError(`${n} is too large for a PDF number`, `${n} quá lớn cho một số PDF`);
    return String(n);
  }
  let s = String(n);
  if (/e/i.test(s)) s = n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/**
 * A string: hex when it was read as hex (or built so), else literal, with `(`, `)` and `\`
 * escaped and end-of-line and other control bytes written as escapes (a raw CR or LF would be
 * read back as LF, §7.3.4.2).
 */
export function serializeString(s: PdfString): string {
  if (s.hex) {
    let out = '<';
    for (const b of s.bytes) out += b.toString(16).padStart(2, '0');
    return `${out}>`;
  }
  let out = '(';
  for (const b of s.bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b === 0x0a) out += '\\n';
    else if (b === 0x0d) out += '\\r';
    else if (b < 0x20 || b === 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out})`;
}

/** How deep arrays and dictionaries may nest in what kyso writes (the reader's own limit is far above). */
const MAX_DEPTH = 64;

function writeValue(out: string[], value: PdfValue, depth: number): void {
  if (depth > MAX_DEPTH) throw writeError('objects nest too deeply to write', 'đối tượng lồng quá sâu');
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'number') out.push(serializeNumber(value));
  else if (value instanceof PdfName) out.push(serializeName(value.name));
  else if (value instanceof PdfString) out.push(serializeString(value));
  else if (value instanceof PdfRef) out.push(`${value.num} ${value.gen} R`);
  else if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i > 0) out.push(' ');
      writeValue(out, v, depth + 1);
    });
    out.push(']');
  } else if (value instanceof PdfDict) {
    out.push('<<');
    for (const [k, v] of value.map) {
      out.push(' ', serializeName(k), ' ');
      writeValue(out, v, depth + 1);
    }
    out.push(value.map.size > 0 ? ' >>' : '>>');
  } else if (value instanceof PdfStream) {
    throw writeError(
      'a stream read from a file cannot be written directly: copy its data into a PdfRawStream',
      'không thể ghi trực tiếp luồng đọc từ tệp: hãy chép dữ liệu của nó vào PdfRawStream',
    );
  } else throw writeError('not a PDF value', 'không phải giá trị PDF');
}

/** A direct value's bytes (a stream is only ever an indirect object: see {@link serializeIndirectObject}). */
export function serializeValue(value: PdfValue): Uint8Array {
  const out: string[] = [];
  writeValue(out, value, 0);
  return latin1Bytes(out.join(''));
}

/**
 * `num gen obj … endobj`, with a newline before `endobj`. A stream's `/Length` is set to its
 * data's length, whatever its dictionary said.
 */
export function serializeIndirectObject(ref: PdfRef, value: PdfWritable): Uint8Array {
  const w = new ByteWriter();
  w.push(`${ref.num} ${ref.gen} obj\n`);
  if (value instanceof PdfRawStream) {
    w.push(serializeValue(withEntries(value.dict, { Length: value.data.length })));
    w.push('\nstream\n');
    w.push(value.data);
    w.push('\nendstream');
  } else {
    w.push(serializeValue(value));
  }
  w.push('\nendobj\n');
  return w.toBytes();
}

function writeError(en: string, vi: string): PdfError {
  return new PdfError('PDF_WRITE_INVALID_VALUE', `cannot write: ${en}`, {
    messageVi: `không ghi được: ${vi}`,
  });
}
