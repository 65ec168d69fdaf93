/**
 * Whether a widget annotation shows something on its page: what the modification analysis asks of
 * an unsigned signature widget (the Sneaky Signature attack paints through one), and what the
 * verifier asks of a broken later signature. When kyso cannot tell, the answer is that it shows.
 */
import type { PdfDocument } from '../reader/document.js';
import { decodeStream } from '../reader/filters.js';
import { PdfDict, PdfStream, type PdfValue } from '../reader/objects.js';

/** Annotation flags that keep a widget from being drawn: Hidden (2) and NoView (32). */
const NOT_DRAWN = 2 | 32;
/** An appearance larger than this, encoded or decoded, is taken to draw something. */
const MAX_EMPTY_APPEARANCE = 4096;

/**
 * Whether the widget `dict` shows something: it has an area on the page, it is not hidden, and a
 * viewer draws it — from an appearance that is not empty, from its `/MK` background or border, or
 * because the form tells viewers to redraw fields (`needAppearances`).
 */
export function widgetShows(doc: PdfDocument, dict: PdfDict, needAppearances: boolean): boolean {
  if (!hasArea(doc, dict.get('Rect'))) return false;
  const flags = doc.deref(dict.get('F'));
  if (typeof flags === 'number' && (flags & NOT_DRAWN) !== 0) return false;
  const mk = doc.deref(dict.get('MK'));
  if (mk instanceof PdfDict && (mk.get('BG') !== undefined || mk.get('BC') !== undefined)) return true;
  if (needAppearances) return true;
  const ap = dict.get('AP');
  return ap !== undefined && !drawsNothing(doc, ap);
}

/** Whether a /Rect has an area; one kyso cannot read has (it fails closed). */
export function hasArea(doc: PdfDocument, value: PdfValue | undefined): boolean {
  const rect = doc.deref(value);
  if (rect === undefined) return false;
  if (!Array.isArray(rect) || rect.length !== 4) return true;
  const n = rect.map((v) => doc.deref(v));
  if (!n.every((v): v is number => typeof v === 'number' && Number.isFinite(v))) return true;
  return n[0] !== n[2] && n[1] !== n[3];
}

/**
 * Whether an appearance dictionary draws nothing: each of its appearances is a form XObject whose
 * content, decoded, is only white space. (Appearance states, or anything unreadable, draw.)
 */
export function drawsNothing(doc: PdfDocument, ap: PdfValue | undefined): boolean {
  const dict = doc.deref(ap);
  if (!(dict instanceof PdfDict) || dict.map.size === 0) return false;
  for (const value of dict.map.values()) {
    const stream = doc.deref(value);
    if (
      !(stream instanceof PdfStream) ||
      stream.dict.name('Subtype') !== 'Form' ||
      stream.dataEnd - stream.dataStart > MAX_EMPTY_APPEARANCE
    )
      return false;
    let data: Uint8Array;
    try {
      data = decodeStream(stream.dict, doc.streamData(stream));
    } catch {
      return false;
    }
    if (data.length > MAX_EMPTY_APPEARANCE || !data.every(isWhiteSpace)) return false;
  }
  return true;
}

/** PDF white space (ISO 32000-1 §7.2.2). */
const isWhiteSpace = (b: number): boolean =>
  b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;
