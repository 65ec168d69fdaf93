import { PdfError } from '../errors.js';
import type { PdfDocument } from './document.js';
import { decodeStream } from './filters.js';
import { PdfStream } from './objects.js';

/**
 * The PDF/A part a document claims (ISO 19005-1 §6.7.11): `pdfaid:part` in the XMP of the
 * catalog's `/Metadata`, written as an element (`<pdfaid:part>1</pdfaid:part>`) or as an attribute
 * (`pdfaid:part="1"`), under whatever prefix is bound, where it is used, to the PDF/A
 * identification namespace. A claim, not a conformance check: it tells kyso what its own
 * additions must respect (in PDF/A-1, no soft mask).
 *
 * The packet is read with a bounded cost whatever its content: it is decoded to at most
 * {@link MAX_XMP_BYTES} (a larger packet is not read at all, reason `too-large`), then scanned
 * once, left to right, by hand: no regular expression runs over it. Comments, CDATA sections,
 * processing instructions and declarations are skipped; a prefix counts only where a namespace
 * declaration in scope binds it to the PDF/A identification namespace (`pdfaid` bound to another
 * namespace, or to none, claims nothing); at most {@link MAX_PDFA_PREFIXES} distinct prefixes are
 * taken as bound to it. Markup the scanner cannot read (a tag or a quoted value left open) ends
 * the scan. Every limit fails closed: the document is then taken to claim no part (so no PDF/A-1),
 * the reason is named in {@link pdfaClaim}'s result, and a caller who knows better says so
 * (`pdfA1: true` in the official flow's options).
 */

const PDFA_ID_NS = 'http://www.aiim.org/pdfa/ns/id/';
/** Decoded XMP read at most: a packet is a few kilobytes (tens with a thumbnail); a larger one is not read. */
export const MAX_XMP_BYTES = 4 * 1024 * 1024;
/** Distinct prefixes taken as bound to the PDF/A identification namespace (a packet binds one). */
export const MAX_PDFA_PREFIXES = 8;

/**
 * Why no part was read: `no-metadata` (no `/Metadata` stream), `undecodable` (a filter kyso does
 * not decode for XMP, or broken data), `too-large` (more than the byte limit decoded), `malformed`
 * (markup the scanner cannot read came before any claim), `too-many-prefixes` (no claim under the
 * prefixes taken, and more were bound than the limit), `no-claim` (read to the end, no claim).
 */
export type PdfaUnread =
  | 'no-metadata'
  | 'undecodable'
  | 'too-large'
  | 'malformed'
  | 'too-many-prefixes'
  | 'no-claim';

/** The limits {@link pdfaClaim} reads with; tests pass smaller ones. */
export interface PdfaLimits {
  xmpBytes: number;
  prefixes: number;
}

/** The work one scan did, to show it is bounded. */
export interface XmpScanStats {
  /** Characters of the packet examined (each at most once or twice: the scan is linear). */
  scanned: number;
  /** Start tags read. */
  tags: number;
  /** Distinct prefixes taken as bound to the PDF/A identification namespace. */
  prefixes: number;
  /** Declarations binding a further prefix to it, ignored past the limit. */
  ignoredPrefixes: number;
}

/** What the XMP claims, and when it claims nothing, why. */
export interface PdfaClaim {
  part: number | undefined;
  /** Set when `part` is undefined. */
  reason?: PdfaUnread;
  /** Bytes of XMP decoded (at most the limit). */
  xmpBytes: number;
  stats: XmpScanStats;
}

const NO_STATS: XmpScanStats = { scanned: 0, tags: 0, prefixes: 0, ignoredPrefixes: 0 };

/** The PDF/A part the document's XMP declares (1, 2, 3, 4), or undefined when it declares none or cannot be read. */
export function pdfaPart(doc: PdfDocument): number | undefined {
  return pdfaClaim(doc).part;
}

/** Whether the document claims PDF/A-1 (whose images may carry no `/SMask`, ISO 19005-1 §6.4). */
export function isPdfA1(doc: PdfDocument): boolean {
  return pdfaPart(doc) === 1;
}

/** The part the catalog's XMP claims, with the reason when it claims none and the work the scan did. */
export function pdfaClaim(
  doc: PdfDocument,
  limits: PdfaLimits = { xmpBytes: MAX_XMP_BYTES, prefixes: MAX_PDFA_PREFIXES },
): PdfaClaim {
  let bytes: Uint8Array;
  try {
    const stream = doc.deref(doc.catalog().get('Metadata'));
    if (!(stream instanceof PdfStream))
      return { part: undefined, reason: 'no-metadata', xmpBytes: 0, stats: NO_STATS };
    bytes = decodeStream(stream.dict, doc.streamData(stream), limits.xmpBytes);
  } catch (error) {
    // Metadata kyso cannot decode, or will not decode this far, claims nothing it can act on.
    const reason =
      error instanceof PdfError && error.code === 'PDF_STREAM_TOO_LARGE' ? 'too-large' : 'undecodable';
    return { part: undefined, reason, xmpBytes: 0, stats: NO_STATS };
  }
  return { ...scanXmp(decodeXmp(bytes), limits.prefixes), xmpBytes: bytes.length };
}

/** XMP is UTF-8 unless a byte-order mark says UTF-16 (XMP Specification Part 1, §7.3.2). */
function decodeXmp(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Markup skipped whole, by its opening and closing (first match wins): comments, CDATA, processing instructions, declarations, end tags. */
const SKIPPED: readonly (readonly [string, string])[] = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
  ['<!', '>'],
  ['</', '>'],
];

/** A binding past the prefix limit: a namespace no claim is in. */
const IGNORED_NS = '\u0000ignored';

/**
 * The part an XMP packet claims, read in one left-to-right pass: every step moves forward, and
 * each `indexOf` starts where the scan is and ends where it goes on (or ends the scan), so the work
 * is linear in the packet's length, whatever it holds. Namespace scopes follow start and end tags
 * (a map from prefix to its stack of bindings: a lookup costs the same at any depth).
 */
export function scanXmp(xmp: string, maxPrefixes = MAX_PDFA_PREFIXES): Omit<PdfaClaim, 'xmpBytes'> {
  const stats: XmpScanStats = { scanned: 0, tags: 0, prefixes: 0, ignoredPrefixes: 0 };
  const scope = new Map<string, string[]>();
  /** The prefixes each open element declared, to unbind at its end tag. */
  const open: string[][] = [];
  const pdfaPrefixes = new Set<string>();
  const n = xmp.length;
  const done = (part: number | undefined, reason?: PdfaUnread) => {
    if (part !== undefined) return { part, stats };
    return {
      part,
      reason: reason ?? (stats.ignoredPrefixes > 0 ? 'too-many-prefixes' : 'no-claim'),
      stats,
    } satisfies Omit<PdfaClaim, 'xmpBytes'>;
  };
  /** From `from`, the index of `s` (the span looked at counted), or -1 when the packet ends first. */
  const find = (s: string, from: number) => {
    const at = xmp.indexOf(s, from);
    stats.scanned += (at < 0 ? n : at + s.length) - from;
    return at;
  };
  const resolve = (prefix: string) => scope.get(prefix)?.at(-1);
  let i = 0;
  while (i < n) {
    const lt = find('<', i);
    if (lt < 0) break;
    i = lt;
    // Markup that holds no element: skipped whole; left open, it runs to the end.
    const skip = SKIPPED.find(([opener]) => xmp.startsWith(opener, i));
    if (skip) {
      const [opener, closer] = skip;
      const end = find(closer, i + opener.length);
      if (end < 0) return done(undefined, 'malformed');
      if (opener === '</') for (const prefix of open.pop() ?? []) scope.get(prefix)!.pop();
      i = end + closer.length;
      continue;
    }
    const tag = readTag(xmp, i + 1, stats);
    if (!tag) return done(undefined, 'malformed');
    stats.tags += 1;
    const declared: string[] = [];
    for (const [name, value] of tag.attributes) {
      const prefix = name === 'xmlns' ? '' : name.startsWith('xmlns:') ? name.slice(6) : undefined;
      if (prefix === undefined) continue;
      let uri = value.trim();
      if (uri === PDFA_ID_NS && !pdfaPrefixes.has(prefix)) {
        if (pdfaPrefixes.size >= maxPrefixes) {
          stats.ignoredPrefixes += 1;
          uri = IGNORED_NS;
        } else pdfaPrefixes.add(prefix);
        stats.prefixes = pdfaPrefixes.size;
      }
      const stack = scope.get(prefix);
      if (stack) stack.push(uri);
      else scope.set(prefix, [uri]);
      declared.push(prefix);
    }
    // The attribute form: `prefix:part="1"` (an attribute without a prefix is in no namespace).
    for (const [name, value] of tag.attributes) {
      const colon = name.indexOf(':');
      if (colon > 0 && name.slice(colon + 1) === 'part' && resolve(name.slice(0, colon)) === PDFA_ID_NS) {
        const part = digits(value);
        if (part !== undefined) return done(part);
      }
    }
    i = tag.end;
    if (tag.empty) {
      for (const prefix of declared) scope.get(prefix)!.pop();
      continue;
    }
    open.push(declared);
    // The element form: `<prefix:part>1</prefix:part>`, its text up to the next markup.
    const colon = tag.name.indexOf(':');
    const [prefix, local] =
      colon < 0 ? ['', tag.name] : [tag.name.slice(0, colon), tag.name.slice(colon + 1)];
    if (local === 'part' && resolve(prefix) === PDFA_ID_NS) {
      const next = find('<', i);
      if (next < 0) break;
      const closes =
        xmp.startsWith(`</${tag.name}`, next) && !NAME_CHAR(xmp.charCodeAt(next + 2 + tag.name.length));
      const part = closes ? digits(xmp.slice(i, next)) : undefined;
      if (part !== undefined) return done(part);
      i = next;
    }
  }
  return done(undefined);
}

/**
 * The start tag whose name begins at `from` (just past `<`): its name, its attributes, whether it
 * is empty (`/>`) and the index past its `>`; undefined when it is not a tag this scanner reads.
 */
function readTag(
  xmp: string,
  from: number,
  stats: XmpScanStats,
): { name: string; attributes: [string, string][]; empty: boolean; end: number } | undefined {
  const n = xmp.length;
  let j = from;
  const name = (): string => {
    const start = j;
    while (j < n && NAME_CHAR(xmp.charCodeAt(j))) j += 1;
    stats.scanned += j - start;
    return xmp.slice(start, j);
  };
  const space = () => {
    const start = j;
    while (j < n && SPACE(xmp.charCodeAt(j))) j += 1;
    stats.scanned += j - start;
  };
  const tagName = name();
  if (!tagName) return undefined;
  const attributes: [string, string][] = [];
  for (;;) {
    space();
    stats.scanned += 1;
    if (xmp.startsWith('/>', j)) return { name: tagName, attributes, empty: true, end: j + 2 };
    if (xmp[j] === '>') return { name: tagName, attributes, empty: false, end: j + 1 };
    const attribute = name();
    if (!attribute) return undefined;
    space();
    stats.scanned += 1;
    if (xmp[j] !== '=') return undefined;
    j += 1;
    space();
    const quote = xmp[j];
    if (quote !== '"' && quote !== "'") return undefined;
    const close = xmp.indexOf(quote, j + 1);
    stats.scanned += (close < 0 ? n : close + 1) - j;
    if (close < 0) return undefined;
    attributes.push([attribute, xmp.slice(j + 1, close)]);
    j = close + 1;
  }
}

/** XML white space (§2.3 S). */
const SPACE = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
/** What a name may hold here: anything but white space and `<>/='"` (XML's rules are wider than needed). */
const NAME_CHAR = (c: number) =>
  !SPACE(c) && c !== 0x3c && c !== 0x3e && c !== 0x2f && c !== 0x3d && c !== 0x22 && c !== 0x27;

/** A part number: decimal digits, white space around; undefined otherwise. */
function digits(text: string): number | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > 9) return undefined;
  for (let k = 0; k < t.length; k += 1) {
    const c = t.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(t);
}
