import type { PdfDocument } from '../reader/document.js';
import type { PdfSignatureField } from '../reader/signatures.js';
import type { ByteSpan } from '../reader/source.js';

/** The outcome of {@link checkByteRange}: the revision end the signature covers, or why it is unusable. */
export type ByteRangeCheck =
  | { ok: true; end: number; spans: ByteSpan[] }
  | { ok: false; why: string; end: number };

/** ByteRange sanity (ISO 32000-2 §12.8.1): from 0, one hole that is exactly /Contents, to a revision end. */
export function checkByteRange(sig: PdfSignatureField, doc: PdfDocument): ByteRangeCheck {
  const br = sig.byteRange;
  if (!br || br.length !== 4 || br.some((n) => !Number.isInteger(n) || n < 0))
    return { ok: false, why: 'the ByteRange is not four non-negative integers', end: 0 };
  const [a, b, c, d] = br as [number, number, number, number];
  const end = c + d;
  if (a !== 0) return { ok: false, why: 'the ByteRange does not start at byte 0', end };
  if (b > c) return { ok: false, why: 'the two ranges of the ByteRange overlap', end };
  if (end > doc.length) return { ok: false, why: 'the ByteRange points past the end of the file', end };
  if (sig.contentsStart !== b || sig.contentsEnd !== c)
    return { ok: false, why: 'the hole in the ByteRange is not exactly the /Contents string', end };
  if (!doc.isRevisionEnd(end) && end !== doc.length)
    return { ok: false, why: 'the ByteRange does not end where a revision ends', end };
  return {
    ok: true,
    end,
    spans: [
      { start: a, end: a + b },
      { start: c, end: c + d },
    ],
  };
}
