import { PdfError } from '../errors.js';
import { decodeStream } from './filters.js';
import { isWhitespace, Lexer, latin1 } from './lexer.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';

/**
 * A read-only view of a PDF, revision by revision: the cross-reference sections (classic tables,
 * streams, hybrid files), the byte boundary of every revision (`%%EOF`), and objects resolved on
 * demand, including those inside object streams. It never writes and never guesses: a broken
 * cross-reference chain is an error, not a reconstruction.
 */

/** Where an object lives: at an offset, or inside an object stream. */
type XrefEntry =
  | { type: 1; offset: number; gen: number }
  | { type: 2; stream: number; index: number }
  | { type: 0 };

/** One cross-reference section and its trailer. */
export interface XrefSection {
  offset: number;
  kind: 'table' | 'stream';
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
}

/** Bounds on reading hostile files. */
export const READER_LIMITS = { maxXrefSections: 1000, maxResolveDepth: 64, maxObjects: 10_000_000 } as const;

export class PdfDocument {
  /** Cross-reference sections, newest first (as the /Prev chain runs). */
  readonly sections: XrefSection[] = [];
  /** Byte offsets where revisions may end (just past each `%%EOF`, and past its end-of-line), ascending. */
  readonly revisionEnds: number[];
  private readonly merged = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfValue>();
  private readonly objectStreams = new Map<
    number,
    { data: Uint8Array; offsets: Map<number, number>; first: number }
  >();
  private resolving = 0;
  /** Whether the `%PDF-` header is where it belongs (the first 1024 bytes). */
  headerFound = true;

  private constructor(readonly bytes: Uint8Array) {
    this.revisionEnds = findEofs(bytes);
  }

  /** Reads a PDF's structure; objects are parsed lazily. */
  static load(bytes: Uint8Array): PdfDocument {
    const doc = new PdfDocument(bytes);
    // A missing %PDF- header alone does not stop reading (viewers accept such files); the
    // structure must still be sound.
    doc.headerFound = latin1(bytes, 0, Math.min(bytes.length, 1024)).includes('%PDF-');
    doc.readXrefChain(doc.startXref());
    if (doc.trailer.get('Encrypt') !== undefined) {
      throw new PdfError('PDF_ENCRYPTED', 'the PDF is encrypted; kyso verifies unencrypted documents', {
        messageVi: 'tệp PDF được mã hóa; kyso chỉ kiểm tra tệp không mã hóa',
      });
    }
    return doc;
  }

  /** The newest trailer. */
  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  private startXref(): number {
    const b = this.bytes;
    const tail = latin1(b, Math.max(0, b.length - 4096), b.length);
    const at = tail.lastIndexOf('startxref');
    if (at < 0) {
      throw new PdfError('PDF_XREF_BROKEN', 'no startxref near the end of the file (truncated?)', {
        offset: b.length,
        messageVi: 'không thấy startxref ở cuối tệp (tệp bị cắt cụt?)',
      });
    }
    const m = /startxref\s+(\d+)/.exec(tail.slice(at));
    if (!m)
      throw new PdfError('PDF_XREF_BROKEN', 'startxref has no offset', {
        offset: b.length,
        messageVi: 'startxref không có vị trí',
      });
    return Number(m[1]);
  }

  private readXrefChain(first: number): void {
    const seen = new Set<number>();
    let offset: number | undefined = first;
    const older: XrefSection[] = [];
    while (offset !== undefined) {
      if (seen.has(offset))
        throw new PdfError('PDF_XREF_LOOP', `the cross-reference chain loops back to byte ${offset}`, {
          offset,
          messageVi: `chuỗi bảng tham chiếu chéo quay vòng về byte ${offset}`,
        });
      if (seen.size >= READER_LIMITS.maxXrefSections)
        throw new PdfError('PDF_BUDGET_EXCEEDED', 'too many cross-reference sections', {
          offset,
          messageVi: 'quá nhiều bảng tham chiếu chéo',
        });
      seen.add(offset);
      const section = this.readSection(offset);
      older.push(section);
      // Hybrid files: a table's /XRefStm names a stream with the entries of compressed objects.
      const xrefStm = section.trailer.get('XRefStm');
      if (section.kind === 'table' && typeof xrefStm === 'number' && !seen.has(xrefStm)) {
        const extra = this.readSection(xrefStm);
        for (const [num, entry] of extra.entries)
          if (!section.entries.has(num)) section.entries.set(num, entry);
      }
      const prev = section.trailer.get('Prev');
      // `/Prev 0` is a common producer bug meaning "none": byte 0 holds the header, never an xref.
      offset = typeof prev === 'number' && prev > 0 ? prev : undefined;
    }
    this.sections.push(...older);
    for (const section of [...older].reverse())
      for (const [num, entry] of section.entries) this.merged.set(num, entry);
  }

  private readSection(offset: number): XrefSection {
    if (offset < 0 || offset >= this.bytes.length) {
      throw new PdfError('PDF_XREF_BROKEN', `a cross-reference offset (${offset}) points outside the file`, {
        offset,
        messageVi: `vị trí bảng tham chiếu chéo (${offset}) nằm ngoài tệp`,
      });
    }
    const lexer = new Lexer(this.bytes, offset);
    lexer.skip();
    const word = lexer.peekKeyword();
    try {
      if (word === 'xref') return this.readTable(lexer, offset);
      if (word !== undefined && /^\d+$/.test(word)) return this.readXrefStream(lexer.pos, offset);
    } catch (error) {
      if (error instanceof PdfError && error.code !== 'PDF_MALFORMED' && error.code !== 'PDF_TRUNCATED')
        throw error;
      throw new PdfError(
        'PDF_XREF_BROKEN',
        `the cross-reference section at byte ${offset} is damaged: ${error instanceof Error ? error.message : error}`,
        { offset, cause: error, messageVi: `bảng tham chiếu chéo tại byte ${offset} bị hỏng` },
      );
    }
    throw new PdfError('PDF_XREF_BROKEN', `no cross-reference section at byte ${offset}`, {
      offset,
      messageVi: `không có bảng tham chiếu chéo tại byte ${offset}`,
    });
  }

  private readTable(lexer: Lexer, offset: number): XrefSection {
    lexer.expect('xref');
    const entries = new Map<number, XrefEntry>();
    const b = this.bytes;
    for (;;) {
      const word = lexer.peekKeyword();
      if (word === 'trailer') break;
      const start = Number(lexer.keyword());
      const count = Number(lexer.keyword());
      if (
        !Number.isInteger(start) ||
        !Number.isInteger(count) ||
        count < 0 ||
        count > READER_LIMITS.maxObjects
      )
        throw lexer.error('bad xref subsection header');
      for (let i = 0; i < count; i += 1) {
        lexer.skip();
        const line = latin1(b, lexer.pos, Math.min(b.length, lexer.pos + 20));
        const m = /^(\d{1,10})\s+(\d{1,5})\s+([nf])/.exec(line);
        if (!m) throw lexer.error('bad xref entry');
        lexer.pos += m[0].length;
        if (!entries.has(start + i))
          entries.set(
            start + i,
            m[3] === 'n' ? { type: 1, offset: Number(m[1]), gen: Number(m[2]) } : { type: 0 },
          );
      }
    }
    lexer.expect('trailer');
    const trailer = lexer.value();
    if (!(trailer instanceof PdfDict)) throw lexer.error('trailer is not a dictionary');
    return { offset, kind: 'table', trailer, entries };
  }

  private readXrefStream(at: number, offset: number): XrefSection {
    const { value } = this.parseIndirect(at);
    if (!(value instanceof PdfStream) || value.dict.name('Type') !== 'XRef')
      throw new PdfError('PDF_MALFORMED', 'not an xref stream', { offset: at });
    const dict = value.dict;
    const data = decodeStream(dict, this.bytes.subarray(value.dataStart, value.dataEnd));
    const w = (dict.get('W') as number[] | undefined) ?? [];
    if (w.length !== 3 || w.some((x) => typeof x !== 'number' || x < 0 || x > 8))
      throw new PdfError('PDF_MALFORMED', 'bad /W in xref stream', { offset: at });
    const size = dict.get('Size') as number;
    const index = (dict.get('Index') as number[] | undefined) ?? [0, size];
    const entries = new Map<number, XrefEntry>();
    const rowLength = w[0]! + w[1]! + w[2]!;
    let pos = 0;
    const field = (len: number, dflt: number) => {
      if (len === 0) return dflt;
      let v = 0;
      for (let i = 0; i < len; i += 1) v = v * 256 + data[pos++]!;
      return v;
    };
    for (let k = 0; k + 1 < index.length; k += 2) {
      const start = index[k]!;
      const count = index[k + 1]!;
      if (count > READER_LIMITS.maxObjects)
        throw new PdfError('PDF_MALFORMED', 'xref stream too large', { offset: at });
      for (let i = 0; i < count; i += 1) {
        if (pos + rowLength > data.length) break;
        const type = field(w[0]!, 1);
        const f2 = field(w[1]!, 0);
        const f3 = field(w[2]!, 0);
        if (entries.has(start + i)) continue;
        if (type === 1) entries.set(start + i, { type: 1, offset: f2, gen: f3 });
        else if (type === 2) entries.set(start + i, { type: 2, stream: f2, index: f3 });
        else entries.set(start + i, { type: 0 });
      }
    }
    return { offset, kind: 'stream', trailer: dict, entries };
  }

  /** Parses `n g obj … endobj` at `at`; a dictionary followed by `stream` becomes a PdfStream. */
  private parseIndirect(at: number): { num: number; gen: number; value: PdfValue } {
    const lexer = new Lexer(this.bytes, at);
    const num = Number(lexer.keyword());
    const gen = Number(lexer.keyword());
    lexer.expect('obj');
    let value = lexer.value();
    if (value instanceof PdfDict && lexer.peekKeyword() === 'stream') {
      lexer.skip();
      lexer.pos += 'stream'.length;
      if (this.bytes[lexer.pos] === 0x0d) lexer.pos += 1;
      if (this.bytes[lexer.pos] === 0x0a) lexer.pos += 1;
      const dataStart = lexer.pos;
      const declared = this.lengthOf(value);
      let dataEnd = declared !== undefined ? dataStart + declared : -1;
      if (dataEnd < dataStart || dataEnd > this.bytes.length || !this.endstreamAt(dataEnd)) {
        // A wrong /Length is common in real files: find `endstream` instead.
        dataEnd = this.findEndstream(dataStart);
      }
      value = new PdfStream(value, dataStart, dataEnd);
    }
    if (!Number.isInteger(num) || !Number.isInteger(gen))
      throw new PdfError('PDF_MALFORMED', `bad object header at byte ${at}`, { offset: at });
    return { num, gen, value };
  }

  private lengthOf(dict: PdfDict): number | undefined {
    const len = dict.get('Length');
    if (typeof len === 'number') return len;
    if (len instanceof PdfRef && this.resolving < 4) {
      try {
        const v = this.resolve(len);
        return typeof v === 'number' ? v : undefined;
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  private endstreamAt(pos: number): boolean {
    let p = pos;
    while (isWhitespace(this.bytes[p])) p += 1;
    return latin1(this.bytes, p, p + 9) === 'endstream';
  }

  private findEndstream(from: number): number {
    const needle = [0x65, 0x6e, 0x64, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d];
    const b = this.bytes;
    outer: for (let i = from; i + needle.length <= b.length; i += 1) {
      for (let k = 0; k < needle.length; k += 1) if (b[i + k] !== needle[k]) continue outer;
      let end = i;
      if (b[end - 1] === 0x0a) end -= 1;
      if (b[end - 1] === 0x0d) end -= 1;
      return end;
    }
    throw new PdfError('PDF_TRUNCATED', `a stream starting at byte ${from} has no endstream`, {
      offset: from,
      messageVi: `luồng bắt đầu tại byte ${from} không có endstream`,
    });
  }

  /** The object a reference points to in the newest revision (`null` for a free or missing one). */
  resolve(ref: PdfRef): PdfValue {
    const hit = this.cache.get(ref.num);
    if (hit !== undefined) return hit;
    if (this.resolving >= READER_LIMITS.maxResolveDepth) {
      throw new PdfError('PDF_REFERENCE_LOOP', `references nest too deeply resolving ${ref}`, {
        messageVi: `tham chiếu lồng nhau quá sâu khi đọc ${ref}`,
      });
    }
    this.resolving += 1;
    try {
      const entry = this.merged.get(ref.num);
      let value: PdfValue = null;
      if (entry?.type === 1) value = this.parseIndirect(entry.offset).value;
      else if (entry?.type === 2) value = this.fromObjectStream(entry.stream, entry.index, ref.num);
      this.cache.set(ref.num, value);
      return value;
    } finally {
      this.resolving -= 1;
    }
  }

  /** Follows references until a direct value. */
  deref(value: PdfValue | undefined): PdfValue | undefined {
    let v = value;
    for (let i = 0; v instanceof PdfRef; i += 1) {
      if (i > 32)
        throw new PdfError('PDF_REFERENCE_LOOP', 'a reference points to a reference in a loop', {
          messageVi: 'tham chiếu vòng tròn',
        });
      v = this.resolve(v);
    }
    return v;
  }

  /** Where object `num` is defined in the newest revision, for modification analysis. */
  offsetOf(num: number): number | undefined {
    const entry = this.merged.get(num);
    return entry?.type === 1 ? entry.offset : undefined;
  }

  private fromObjectStream(streamNum: number, index: number, num: number): PdfValue {
    let os = this.objectStreams.get(streamNum);
    if (!os) {
      const stream = this.resolve(new PdfRef(streamNum, 0));
      if (!(stream instanceof PdfStream))
        throw new PdfError('PDF_MALFORMED', `object stream ${streamNum} is not a stream`);
      const data = decodeStream(stream.dict, this.bytes.subarray(stream.dataStart, stream.dataEnd));
      const n = stream.dict.get('N') as number;
      const first = stream.dict.get('First') as number;
      const lexer = new Lexer(data, 0);
      const offsets = new Map<number, number>();
      for (let i = 0; i < n; i += 1) {
        const objNum = Number(lexer.keyword());
        const off = Number(lexer.keyword());
        offsets.set(objNum, off);
      }
      os = { data, offsets, first };
      this.objectStreams.set(streamNum, os);
    }
    const off = os.offsets.get(num);
    if (off === undefined) return null;
    void index;
    return new Lexer(os.data, os.first + off).value();
  }

  /**
   * The document as it was when the revision ending at byte `end` was written: only the
   * cross-reference sections before `end` count. For comparing what changed after a signature.
   */
  asOf(end: number): PdfDocument {
    const view = new PdfDocument(this.bytes.subarray(0, end));
    view.headerFound = this.headerFound;
    const kept = this.sections.filter((s) => s.offset < end);
    if (kept.length === 0) {
      throw new PdfError('PDF_MALFORMED', `no cross-reference section lies before byte ${end}`, {
        offset: end,
        messageVi: `không có bảng tham chiếu chéo nào trước byte ${end}`,
      });
    }
    view.sections.push(...kept);
    for (const section of [...kept].reverse())
      for (const [num, entry] of section.entries) view.merged.set(num, entry);
    return view;
  }

  /** Object numbers defined (not freed) by the sections at or after byte `from`. */
  objectsDefinedFrom(from: number): Set<number> {
    const out = new Set<number>();
    for (const s of this.sections) {
      if (s.offset < from) continue;
      for (const [num, entry] of s.entries) if (entry.type !== 0) out.add(num);
    }
    return out;
  }

  /** Object numbers freed by the sections at or after byte `from`. */
  objectsFreedFrom(from: number): Set<number> {
    const out = new Set<number>();
    for (const s of this.sections) {
      if (s.offset < from) continue;
      for (const [num, entry] of s.entries) if (entry.type === 0 && num !== 0) out.add(num);
    }
    return out;
  }

  /** The numbers of every object in use. */
  objectNumbers(): number[] {
    return [...this.merged.entries()].filter(([, e]) => e.type !== 0).map(([n]) => n);
  }

  /** Whether object `num` exists (in use) in this view. */
  has(num: number): boolean {
    const e = this.merged.get(num);
    return e !== undefined && e.type !== 0;
  }

  /** The document catalog. */
  catalog(): PdfDict {
    const root = this.deref(this.trailer.get('Root'));
    if (!(root instanceof PdfDict))
      throw new PdfError('PDF_MALFORMED', 'the trailer has no /Root catalog', {
        messageVi: 'phần trailer không có /Root',
      });
    return root;
  }
}

/** Node's Buffer, when present: its substring search is native (memmem-like), five times faster. */
const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(b: ArrayBufferLike, offset: number, length: number): { indexOf(s: string, from: number): number };
    };
  }
).Buffer;

/** The next `%%EOF` at or after `from`, or -1. */
function nextEof(b: Uint8Array, from: number, view?: { indexOf(s: string, from: number): number }): number {
  if (view) return view.indexOf('%%EOF', from);
  // Elsewhere indexOf on a byte is still native: no byte loop in JavaScript over a 200 MB scan.
  for (let i = b.indexOf(0x25, from); i >= 0 && i + 5 <= b.length; i = b.indexOf(0x25, i + 1))
    if (b[i + 1] === 0x25 && b[i + 2] === 0x45 && b[i + 3] === 0x4f && b[i + 4] === 0x46) return i;
  return -1;
}

/** Ends of `%%EOF` markers (past their end-of-line), ascending. */
function findEofs(b: Uint8Array): number[] {
  const out: number[] = [];
  const view = NodeBuffer?.from(b.buffer, b.byteOffset, b.length);
  for (let i = nextEof(b, 0, view); i >= 0; i = nextEof(b, i + 5, view)) {
    // A revision may end right after the marker or after its end-of-line: signers differ.
    let end = i + 5;
    out.push(end);
    if (b[end] === 0x0d) end += 1;
    if (b[end] === 0x0a) end += 1;
    if (end !== i + 5) out.push(end);
  }
  return out;
}

export { PdfDict, PdfName, PdfRef, PdfStream, PdfString };
