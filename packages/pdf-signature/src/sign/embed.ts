import { PdfError } from '../errors.js';
import { PdfDocument } from '../reader/document.js';
import { findSignatures } from '../reader/signatures.js';
import { type ByteSource, type ByteSpan, toByteSource } from '../reader/source.js';
import { createDefaultDigest, type DigestFunction, type DigestName } from '../verify/digest.js';

/**
 * The last step of signing, from the prepared bytes alone (never from a state that could have
 * been tampered with, H2): find the placeholder of the newest revision and check it is one — a
 * signature dictionary that revision defines, `/ByteRange [0 a b c]` whose hole is exactly its
 * `/Contents` hex string, still all zeros, reaching this revision's end, which is the file's end;
 * hash the covered ranges; put the DER CMS (or timestamp token) into the hole, hex, zero-padded.
 */

/** The placeholder found in prepared bytes. */
export interface PlaceholderLocation {
  /** `[0, a, b, c]` as written. */
  byteRange: [number, number, number, number];
  /** The covered spans: `[0, a)` and `[b, b + c)`. */
  spans: [ByteSpan, ByteSpan];
  /** Offsets of the `/Contents` string: its `<` and just past its `>`. */
  contentsStart: number;
  contentsEnd: number;
  /** How many DER bytes the hole holds. */
  capacity: number;
  /** The field's fully qualified name. */
  fieldName: string;
  /** A signature (`/Sig`) or a document timestamp (`/DocTimeStamp`). */
  kind: 'signature' | 'timestamp';
}

function noPlaceholder(en: string, vi: string): PdfError {
  return new PdfError(
    'PDF_SIGN_NO_PLACEHOLDER',
    `the prepared PDF holds no usable signature placeholder: ${en}`,
    {
      messageVi: `tệp PDF đã chuẩn bị không có chỗ dành cho chữ ký dùng được: ${vi}`,
    },
  );
}

/**
 * Finds and checks the placeholder of the prepared document's last revision.
 *
 * @throws PdfError `PDF_SIGN_NO_PLACEHOLDER` when there is none, more than one, or one that is
 * already filled, misplaced or not exactly covered; the reader's codes for unreadable bytes.
 */
export function locateSignaturePlaceholder(prepared: Uint8Array | ByteSource): PlaceholderLocation {
  const doc = PdfDocument.load(prepared);
  const newest = doc.sections[0]!;
  const candidates = findSignatures(doc).filter(
    (s) =>
      s.type !== 'usage-rights' && s.objectNumber !== null && newest.entries.get(s.objectNumber)?.type === 1,
  );
  if (candidates.length !== 1)
    throw noPlaceholder(
      `${candidates.length} signature dictionaries are defined in the last revision, not one`,
      `có ${candidates.length} từ điển chữ ký trong lần cập nhật cuối, không phải một`,
    );
  const sig = candidates[0]!;
  const br = sig.byteRange;
  const length = doc.length;
  if (
    !br ||
    br.length !== 4 ||
    !br.every((n) => Number.isSafeInteger(n) && n >= 0) ||
    sig.contentsStart === null ||
    sig.contentsEnd === null
  )
    throw noPlaceholder('its /ByteRange or /Contents is missing', 'thiếu /ByteRange hoặc /Contents');
  const [a, b, c, d] = br as [number, number, number, number];
  if (a !== 0 || b !== sig.contentsStart || c !== sig.contentsEnd || c + d !== length)
    throw noPlaceholder(
      `the /ByteRange [${br.join(' ')}] does not leave out exactly /Contents up to the end of the file`,
      `/ByteRange [${br.join(' ')}] không chừa đúng /Contents đến hết tệp`,
    );
  if (!doc.isRevisionEnd(length))
    throw noPlaceholder('the file does not end with %%EOF', 'tệp không kết thúc bằng %%EOF');
  const hole = doc.source.read(b, c);
  if (hole[0] !== 0x3c || hole[hole.length - 1] !== 0x3e)
    throw noPlaceholder('/Contents is not a hex string', '/Contents không phải chuỗi hex');
  for (let i = 1; i < hole.length - 1; i += 1)
    if (hole[i] !== 0x30) throw noPlaceholder('/Contents is already filled', '/Contents đã được điền');
  return {
    byteRange: [a, b, c, d],
    spans: [
      { start: 0, end: b },
      { start: c, end: c + d },
    ],
    contentsStart: b,
    contentsEnd: c,
    capacity: Math.floor((c - b - 2) / 2),
    fieldName: sig.fieldName,
    kind: sig.type === 'timestamp' ? 'timestamp' : 'signature',
  };
}

/** Options of {@link digestSignedRanges}. */
export interface DigestSignedRangesOptions {
  /**
   * Hashes the spans (default: WebCrypto over a copy of them). In Node, `nodeDigest` from
   * `@kyso/pdf-signature/node` streams them instead.
   */
  digest?: DigestFunction;
}

/**
 * Re-derives the placeholder from `prepared` and hashes the bytes its ByteRange covers: the
 * message digest the CMS signs (or the imprint a document timestamp carries).
 */
export async function digestSignedRanges(
  prepared: Uint8Array | ByteSource,
  hash: DigestName,
  options: DigestSignedRangesOptions = {},
): Promise<{ digest: Uint8Array; placeholder: PlaceholderLocation }> {
  const source = toByteSource(prepared);
  const placeholder = locateSignaturePlaceholder(source);
  const digest = options.digest
    ? await options.digest(hash, placeholder.spans, source)
    : await createDefaultDigest()(hash, placeholder.spans, source);
  return { digest, placeholder };
}

/** The length of the DER element at the start of `der` (tag, length, content), or -1. */
function derLength(der: Uint8Array): number {
  if (der.length < 2) return -1;
  const first = der[1]!;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || der.length < 2 + n) return -1;
  let len = 0;
  for (let i = 0; i < n; i += 1) len = len * 256 + der[2 + i]!;
  return 2 + n + len;
}

/**
 * Puts the DER `cms` (a CMS SignedData, or a timestamp token for a document timestamp) into the
 * placeholder re-derived from `prepared`: hex, zero-padded to the hole's size. Returns new bytes;
 * `prepared` is not modified.
 *
 * @throws PdfError `PDF_SIGN_CONTENTS_TOO_LARGE` when it does not fit (nothing is written),
 * `PDF_SIGN_INVALID_OPTION` when it is not one DER SEQUENCE, `PDF_SIGN_NO_PLACEHOLDER`.
 */
export function embedSignatureContents(prepared: Uint8Array, cms: Uint8Array): Uint8Array {
  const placeholder = locateSignaturePlaceholder(prepared);
  if (cms[0] !== 0x30 || derLength(cms) !== cms.length)
    throw new PdfError('PDF_SIGN_INVALID_OPTION', 'the signature to embed is not one DER SEQUENCE', {
      messageVi: 'chữ ký cần nhúng không phải một DER SEQUENCE',
    });
  if (cms.length > placeholder.capacity)
    throw new PdfError(
      'PDF_SIGN_CONTENTS_TOO_LARGE',
      `the signature is ${cms.length} bytes and the placeholder holds ${placeholder.capacity}: prepare again with a larger contentsSize`,
      {
        messageVi: `chữ ký dài ${cms.length} byte mà chỗ dành sẵn chỉ chứa ${placeholder.capacity}: hãy chuẩn bị lại với contentsSize lớn hơn`,
      },
    );
  const out = new Uint8Array(prepared);
  const hex = '0123456789ABCDEF';
  let at = placeholder.contentsStart + 1;
  for (const byte of cms) {
    out[at] = hex.charCodeAt(byte >> 4);
    out[at + 1] = hex.charCodeAt(byte & 0x0f);
    at += 2;
  }
  return out;
}
