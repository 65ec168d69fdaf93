import type { PdfDocument } from './document.js';
import { decodeStream } from './filters.js';
import { PdfStream } from './objects.js';

/**
 * The PDF/A part a document claims (ISO 19005-1 §6.7.11): `pdfaid:part` in the XMP of the
 * catalog's `/Metadata`, written as an element (`<pdfaid:part>1</pdfaid:part>`) or as an attribute
 * of `rdf:Description` (`pdfaid:part="1"`), under whatever prefix the packet binds to the PDF/A
 * identification namespace. A claim, not a conformance check: it tells kyso what its own
 * additions must respect (in PDF/A-1, no soft mask).
 */

const PDFA_ID_NS = 'http://www.aiim.org/pdfa/ns/id/';
/** XMP packets are small; a larger metadata stream is read this far. */
const MAX_XMP_BYTES = 4 * 1024 * 1024;

/** The PDF/A part the document's XMP declares (1, 2, 3, 4), or undefined when it declares none or cannot be read. */
export function pdfaPart(doc: PdfDocument): number | undefined {
  let xmp: string;
  try {
    const stream = doc.deref(doc.catalog().get('Metadata'));
    if (!(stream instanceof PdfStream)) return undefined;
    const bytes = decodeStream(stream.dict, doc.streamData(stream)).subarray(0, MAX_XMP_BYTES);
    xmp = decodeXmp(bytes);
  } catch {
    // Metadata kyso cannot decode claims nothing it can act on.
    return undefined;
  }
  const prefixes = new Set(['pdfaid']);
  for (const m of xmp.matchAll(/xmlns:([\w.-]+)\s*=\s*["']([^"']*)["']/g))
    if (m[2]!.trim() === PDFA_ID_NS) prefixes.add(m[1]!);
  for (const prefix of prefixes) {
    const p = prefix.replace(/[.]/g, '\\.');
    const found =
      new RegExp(`<${p}:part(?:\\s[^>]*)?>\\s*(\\d+)\\s*</${p}:part>`).exec(xmp) ??
      new RegExp(`\\s${p}:part\\s*=\\s*["']\\s*(\\d+)\\s*["']`).exec(xmp);
    if (found) return Number(found[1]);
  }
  return undefined;
}

/** Whether the document claims PDF/A-1 (whose images may carry no `/SMask`, ISO 19005-1 §6.4). */
export function isPdfA1(doc: PdfDocument): boolean {
  return pdfaPart(doc) === 1;
}

/** XMP is UTF-8 unless a byte-order mark says UTF-16 (XMP Specification Part 1, §7.3.2). */
function decodeXmp(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}
