import type { PdfDocument } from '../reader/document.js';
import type { PdfSignatureField } from '../reader/signatures.js';
import type { ByteSpan } from '../reader/source.js';

/** The outcome of {@link checkByteRange}: the revision end the signature covers, or why it is unusable. */
export type ByteRangeCheck =
  | { ok: true; end: number; spans: ByteSpan[] }
  | {
      ok: false;
      /** Why the ByteRange is unusable, in English. */
      why: string;
      /** The same in Vietnamese. */
      whyVi: string;
      end: number;
    };

/** ByteRange sanity (ISO 32000-2 §12.8.1): from 0, one hole that is exactly /Contents, to a revision end. */
export function checkByteRange(sig: PdfSignatureField, doc: PdfDocument): ByteRangeCheck {
  const br = sig.byteRange;
  if (!br || br.length !== 4 || br.some((n) => !Number.isInteger(n) || n < 0))
    return {
      ok: false,
      why: 'the ByteRange is not four non-negative integers',
      whyVi: 'ByteRange không phải là bốn số nguyên không âm',
      end: 0,
    };
  const [a, b, c, d] = br as [number, number, number, number];
  const end = c + d;
  if (a !== 0)
    return {
      ok: false,
      why: 'the ByteRange does not start at byte 0',
      whyVi: 'ByteRange không bắt đầu từ byte 0',
      end,
    };
  if (b > c)
    return {
      ok: false,
      why: 'the two ranges of the ByteRange overlap',
      whyVi: 'hai khoảng của ByteRange chồng lên nhau',
      end,
    };
  if (end > doc.length)
    return {
      ok: false,
      why: 'the ByteRange points past the end of the file',
      whyVi: 'ByteRange trỏ ra ngoài cuối tệp',
      end,
    };
  if (sig.contentsStart !== b || sig.contentsEnd !== c)
    return {
      ok: false,
      why: 'the hole in the ByteRange is not exactly the /Contents string',
      whyVi: 'khoảng trống giữa hai khoảng của ByteRange không đúng bằng chuỗi /Contents',
      end,
    };
  if (!doc.isRevisionEnd(end) && end !== doc.length)
    return {
      ok: false,
      why: 'the ByteRange does not end where a revision ends',
      whyVi: 'ByteRange không kết thúc đúng chỗ kết thúc của một phiên bản',
      end,
    };
  return {
    ok: true,
    end,
    spans: [
      { start: a, end: a + b },
      { start: c, end: c + d },
    ],
  };
}
