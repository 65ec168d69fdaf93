import { PdfError } from '../errors.js';
import { PdfDocument } from '../reader/document.js';
import { PdfName, PdfRef, PdfString, type PdfValue } from '../reader/objects.js';
import type { ByteSource } from '../reader/source.js';
import {
  ByteWriter,
  PdfRawStream,
  type PdfWritable,
  pdfDict,
  pdfHexString,
  serializeIndirectObject,
  serializeValue,
} from './serialize.js';

/**
 * One revision appended to a PDF (ISO 32000-2 §7.5.6), never a byte of the original changed or
 * re-serialised: the objects written (new ones, and rewritten ones such as the catalog, a page or
 * the AcroForm, always uncompressed even when they came from an object stream), then a
 * cross-reference section of the file's own kind — a classic table after a table (hybrid files
 * included: the new table's /Prev is the last table, never its /XRefStm), an xref stream that lists
 * itself after a stream — then `startxref` and `%%EOF` with its end-of-line.
 *
 * The trailer keeps /Root and /Info, sets /Prev to the last `startxref`, /Size to the highest object
 * number over all sections plus one (free numbers are never reused), keeps /ID[0] and makes a new
 * /ID[1] (a new pair when the file had none). Encrypted files are refused.
 */

/** Options of {@link IncrementalUpdate.finish}. */
export interface IncrementalUpdateOptions {
  /** The new second /ID element (default: 16 random bytes from WebCrypto). */
  documentId?: Uint8Array;
}

/** What {@link IncrementalUpdate.finish} returns. */
export interface IncrementalUpdateResult {
  /** The original bytes followed by the new revision. */
  bytes: Uint8Array;
  /** Where each object written in this revision starts (its `num gen obj`). */
  offsets: Map<number, number>;
  /** The offset of the new cross-reference section (the new `startxref`). */
  xrefOffset: number;
  /** Where the new revision starts (after the end-of-line added to a final `%%EOF` lacking one). */
  revisionStart: number;
}

/** What {@link IncrementalUpdate.finishIncrement} returns: the new revision alone. */
export interface IncrementResult {
  /** The bytes to append to the original (an end-of-line first when its `%%EOF` lacks one). */
  increment: Uint8Array;
  /** The original's length: where `increment` goes. */
  base: number;
  /** Where each object written starts, in the whole file. */
  offsets: Map<number, number>;
  /** The offset of the new cross-reference section in the whole file. */
  xrefOffset: number;
  /** Where the new revision starts in the whole file. */
  revisionStart: number;
}

/** An incremental update being built over an original PDF. */
export class IncrementalUpdate {
  /** The document as it is before this update. */
  readonly document: PdfDocument;
  private nextNumber: number;
  private readonly written = new Map<number, { ref: PdfRef; value: PdfWritable }>();
  private finished = false;

  /**
   * Starts an update of `original`. Pass `document` when it was already loaded from exactly these
   * bytes; otherwise they are read here.
   *
   * @throws PdfError `PDF_ENCRYPTED` for an encrypted file; the reader's codes for one it cannot read.
   */
  constructor(
    readonly original: Uint8Array | ByteSource,
    document?: PdfDocument,
  ) {
    this.document = document ?? PdfDocument.load(original);
    if (this.document.length !== original.length)
      throw new PdfError('PDF_MALFORMED', 'the document given was not read from these bytes', {
        messageVi: 'tài liệu đã cho không được đọc từ các byte này',
      });
    if (this.document.reconstruction)
      throw new PdfError(
        'PDF_XREF_BROKEN',
        `the file's cross-reference data is damaged (${this.document.reconstruction.reason}); kyso appends only to a sound file, since a new revision must chain to the one before it`,
        {
          messageVi:
            'bảng tham chiếu chéo của tệp bị hỏng; kyso chỉ ghi thêm vào tệp nguyên vẹn, vì phiên bản mới phải nối tiếp phiên bản trước',
        },
      );
    if (this.document.trailer.get('Encrypt') !== undefined && this.document.trailer.get('Encrypt') !== null)
      throw new PdfError('PDF_ENCRYPTED', 'the PDF is encrypted; kyso signs unencrypted documents', {
        messageVi: 'tệp PDF được mã hóa; kyso chỉ ký tệp không mã hóa',
      });
    this.nextNumber = highestObjectNumber(this.document) + 1;
  }

  /** A new object number (never one an earlier section used, even as a free entry). */
  allocate(): PdfRef {
    const ref = new PdfRef(this.nextNumber, 0);
    this.nextNumber += 1;
    return ref;
  }

  /** Writes `value` as object `ref` in this revision (a new object, or a new version of an existing one). */
  set(ref: PdfRef, value: PdfWritable): void {
    if (ref.num < 1 || !Number.isInteger(ref.num))
      throw new PdfError('PDF_WRITE_INVALID_VALUE', `object number ${ref.num} cannot be written`, {
        messageVi: `không thể ghi đối tượng số ${ref.num}`,
      });
    this.written.set(ref.num, { ref, value });
  }

  /** The value object `ref` has in this update: what was set here, else the document's. */
  resolve(ref: PdfRef): PdfWritable {
    const own = this.written.get(ref.num);
    return own ? own.value : this.document.resolve(ref);
  }

  /** Follows references (through this update's objects first) to a direct value. */
  deref(value: PdfValue | undefined): PdfWritable | undefined {
    let v: PdfWritable | undefined = value;
    for (let i = 0; v instanceof PdfRef; i += 1) {
      if (i > 32)
        throw new PdfError('PDF_REFERENCE_LOOP', 'a reference points to a reference in a loop', {
          messageVi: 'tham chiếu vòng tròn',
        });
      v = this.resolve(v);
    }
    return v;
  }

  /** Whether object `num` is written in this update. */
  writes(num: number): boolean {
    return this.written.has(num);
  }

  /**
   * Appends the revision: the original bytes, then the objects, the xref section and the trailer.
   * Once. Needs the original in memory; for a file, use {@link IncrementalUpdate.finishIncrement}.
   */
  finish(options: IncrementalUpdateOptions = {}): IncrementalUpdateResult {
    if (!(this.original instanceof Uint8Array))
      throw new PdfError(
        'PDF_WRITE_INVALID_VALUE',
        'finish() needs the original in memory: use finishIncrement()',
        {
          messageVi: 'finish() cần bản gốc trong bộ nhớ: hãy dùng finishIncrement()',
        },
      );
    const r = this.finishIncrement(options);
    const bytes = new Uint8Array(r.base + r.increment.length);
    bytes.set(this.original, 0);
    bytes.set(r.increment, r.base);
    return { bytes, offsets: r.offsets, xrefOffset: r.xrefOffset, revisionStart: r.revisionStart };
  }

  /**
   * The revision alone, with offsets in the whole file: what a streaming writer appends to a copy
   * of the original. Once (either this or {@link IncrementalUpdate.finish}).
   */
  finishIncrement(options: IncrementalUpdateOptions = {}): IncrementResult {
    if (this.finished)
      throw new PdfError('PDF_WRITE_INVALID_VALUE', 'this update was already written', {
        messageVi: 'bản cập nhật này đã được ghi',
      });
    this.finished = true;
    const doc = this.document;
    const base = this.original.length;
    const w = new ByteWriter();
    const lastByte =
      this.original instanceof Uint8Array ? this.original[base - 1] : this.original.read(base - 1, base)[0];
    if (lastByte !== 0x0a && lastByte !== 0x0d) w.push('\n');
    const at = () => base + w.length;
    const revisionStart = at();
    const offsets = new Map<number, number>();
    const refs = new Map<number, PdfRef>();
    for (const [num, { ref, value }] of [...this.written].sort((a, b) => a[0] - b[0])) {
      offsets.set(num, at());
      refs.set(num, ref);
      w.push(serializeIndirectObject(ref, value));
    }
    const newest = doc.sections[0]!;
    const prev = newest.offset;
    const trailer = newest.trailer;
    const id = newId(trailer.get('ID'), options.documentId);
    const kept = { Root: trailer.get('Root'), Info: trailer.get('Info'), ID: id };
    const xrefOffset = at();
    if (newest.kind === 'stream') {
      const self = this.allocate();
      offsets.set(self.num, xrefOffset);
      refs.set(self.num, self);
      const size = self.num + 1;
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      const offsetWidth = Math.max(4, bytesFor(xrefOffset));
      const rowLength = 1 + offsetWidth + 2;
      const data = new Uint8Array(nums.length * rowLength);
      nums.forEach((num, i) => {
        const row = i * rowLength;
        data[row] = 1;
        putUint(data, row + 1, offsetWidth, offsets.get(num)!);
        putUint(data, row + 1 + offsetWidth, 2, refs.get(num)!.gen);
      });
      const dict = pdfDict({
        Type: new PdfName('XRef'),
        Size: size,
        Index: subsections(nums).flat(),
        W: [1, offsetWidth, 2],
        Prev: prev,
        ...kept,
      });
      w.push(serializeIndirectObject(self, new PdfRawStream(dict, data)));
    } else {
      const nums = [...offsets.keys()].sort((a, b) => a - b);
      w.push('xref\n');
      for (const [start, count] of subsections(nums)) {
        w.push(`${start} ${count}\n`);
        for (let n = start; n < start + count; n += 1) {
          const gen = refs.get(n)!.gen;
          w.push(`${String(offsets.get(n)!).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`);
        }
      }
      w.push('trailer\n');
      w.push(serializeValue(pdfDict({ Size: this.nextNumber, Prev: prev, ...kept })));
      w.push('\n');
    }
    w.push(`startxref\n${xrefOffset}\n%%EOF\n`);
    return { increment: w.toBytes(), base, offsets, xrefOffset, revisionStart };
  }
}

/** The highest object number any section (or trailer /Size) of the document knows. */
function highestObjectNumber(doc: PdfDocument): number {
  let highest = 0;
  for (const section of doc.sections) {
    const size = section.trailer.get('Size');
    if (typeof size === 'number' && Number.isInteger(size)) highest = Math.max(highest, size - 1);
    for (const num of section.entries.keys()) highest = Math.max(highest, num);
  }
  return highest;
}

/** /ID with the first element kept and a new second one, or a new pair. */
function newId(old: PdfValue | undefined, given: Uint8Array | undefined): PdfValue[] {
  const fresh = given ?? globalThis.crypto.getRandomValues(new Uint8Array(16));
  const first = Array.isArray(old) && old[0] instanceof PdfString ? old[0] : undefined;
  return [first ? pdfHexString(first.bytes) : pdfHexString(fresh), pdfHexString(fresh)];
}

/** Runs of consecutive numbers, as `[start, count]`. */
function subsections(sorted: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of sorted) {
    const run = out[out.length - 1];
    if (run && run[0] + run[1] === n) run[1] += 1;
    else out.push([n, 1]);
  }
  return out;
}

function bytesFor(n: number): number {
  let b = 1;
  while (n >= 256 ** b) b += 1;
  return b;
}

function putUint(out: Uint8Array, at: number, width: number, value: number): void {
  let v = value;
  for (let i = width - 1; i >= 0; i -= 1) {
    out[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}
