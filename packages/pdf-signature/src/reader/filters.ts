import { Inflate } from 'fflate';
import { PdfError } from '../errors.js';
import { PdfDict, PdfName, type PdfValue } from './objects.js';

/** The most bytes one stream may inflate to: a compressed stream that would decompress to gigabytes stops here. */
export const MAX_DECODED_BYTES = 256 * 1024 * 1024;

/** The most a deflate stream can expand: 258 bytes from about 2 bits. */
const MAX_DEFLATE_RATIO = 1032;

/** Inflates zlib (FlateDecode) data, refusing to produce more than `limit` bytes. */
export function inflate(data: Uint8Array, limit = MAX_DECODED_BYTES): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let failed: unknown;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > limit)
      throw new PdfError('PDF_STREAM_TOO_LARGE', `a compressed stream inflates to more than ${limit} bytes`, {
        messageVi: `một luồng nén giải nén ra hơn ${limit} byte`,
      });
    chunks.push(chunk);
  });
  try {
    // zlib header (2 bytes) is expected; fflate's Inflate wants raw deflate.
    const raw =
      data.length > 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0
        ? data.subarray(2)
        : data;
    // Deflate expands at most about 1032:1: pieces that small overshoot a low limit by little
    // before it is noticed (a 64 KiB piece of a bomb inflates to 64 MiB).
    const piece = Math.min(65536, Math.max(1024, Math.floor(limit / MAX_DEFLATE_RATIO)));
    for (let i = 0; i < raw.length; i += piece)
      inflater.push(raw.subarray(i, Math.min(raw.length, i + piece)), i + piece >= raw.length);
  } catch (error) {
    if (error instanceof PdfError) throw error;
    failed = error;
  }
  if (failed !== undefined && total === 0) {
    throw new PdfError('PDF_MALFORMED', 'a FlateDecode stream cannot be inflated', {
      cause: failed,
      messageVi: 'không giải nén được luồng FlateDecode',
    });
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** Undoes a PNG predictor (§7.4.4.4), as xref and object streams use. */
function unpredict(data: Uint8Array, params: PdfDict | undefined): Uint8Array {
  const predictor = (params?.get('Predictor') as number | undefined) ?? 1;
  if (predictor < 10) return data;
  const colors = (params?.get('Colors') as number | undefined) ?? 1;
  const bpc = (params?.get('BitsPerComponent') as number | undefined) ?? 8;
  const columns = (params?.get('Columns') as number | undefined) ?? 1;
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLength = Math.ceil((colors * bpc * columns) / 8);
  const rows = Math.floor(data.length / (rowLength + 1));
  const out = new Uint8Array(rows * rowLength);
  let prev = new Uint8Array(rowLength);
  for (let r = 0; r < rows; r += 1) {
    const type = data[r * (rowLength + 1)]!;
    const row = data.subarray(r * (rowLength + 1) + 1, (r + 1) * (rowLength + 1));
    const cur = new Uint8Array(rowLength);
    for (let i = 0; i < rowLength; i += 1) {
      const left = i >= bpp ? cur[i - bpp]! : 0;
      const up = prev[i]!;
      const upLeft = i >= bpp ? prev[i - bpp]! : 0;
      let v = row[i]!;
      if (type === 1) v += left;
      else if (type === 2) v += up;
      else if (type === 3) v += (left + up) >> 1;
      else if (type === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        v += pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      cur[i] = v & 0xff;
    }
    out.set(cur, r * rowLength);
    prev = cur;
  }
  return out;
}

/**
 * Decodes a stream's data through its /Filter chain (FlateDecode with predictors; others refused),
 * refusing more than `limit` decoded bytes (`PDF_STREAM_TOO_LARGE`).
 */
export function decodeStream(dict: PdfDict, data: Uint8Array, limit = MAX_DECODED_BYTES): Uint8Array {
  const filter = dict.get('Filter');
  const filters = filter === undefined ? [] : Array.isArray(filter) ? filter : [filter];
  const parms = dict.get('DecodeParms');
  const parmsList = Array.isArray(parms) ? parms : [parms];
  let out = data;
  filters.forEach((f: PdfValue, i: number) => {
    const name = f instanceof PdfName ? f.name : '';
    const p = parmsList[i] instanceof PdfDict ? (parmsList[i] as PdfDict) : undefined;
    if (name === 'FlateDecode' || name === 'Fl') out = unpredict(inflate(out, limit), p);
    // A crypt filter (§7.4.10) was applied when the document's reader decrypted the data.
    else if (name === 'Crypt') return;
    else
      throw new PdfError('PDF_MALFORMED', `stream filter ${name} is not supported here`, {
        messageVi: `không hỗ trợ bộ lọc luồng ${name}`,
      });
  });
  if (out.length > limit)
    throw new PdfError('PDF_STREAM_TOO_LARGE', `a stream is larger than ${limit} bytes`, {
      messageVi: `một luồng lớn hơn ${limit} byte`,
    });
  return out;
}
