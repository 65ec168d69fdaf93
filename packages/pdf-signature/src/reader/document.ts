import { PdfError } from '../errors.js';
import {
  type DecryptionOptions,
  type EncryptionInfo,
  StandardSecurityHandler,
} from './encryption/standard-handler.js';
import { decodeStream } from './filters.js';
import { isWhitespace, Lexer, latin1 } from './lexer.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';
import { type ByteSource, lastIndexOfAscii, PrefixSource, scanAscii, toByteSource } from './source.js';

/**
 * A read-only view of a PDF, revision by revision: the cross-reference sections (classic tables,
 * streams, hybrid files), the byte boundary of every revision (`%%EOF`), and objects resolved on
 * demand, including those inside object streams. It never writes. It reads through a
 * {@link ByteSource} a window at a time, so the document may stay on disk. An encrypted document
 * (Standard security handler) is opened with {@link PdfDocument.open}, which authenticates a
 * password and then decrypts strings and streams as they are read.
 */

/** Where an object lives: at an offset, or inside an object stream (type 0: free). */
export type XrefEntry =
  | { type: 1; offset: number; gen: number }
  | { type: 2; stream: number; index: number }
  | { type: 0 };

/**
 * One cross-reference section and its trailer. A `reconstructed` section is not in the file: kyso
 * made it by scanning the bytes after the last intact revision for objects (see
 * {@link PdfDocument.reconstruction}); its offset is where that damaged tail starts.
 */
export interface XrefSection {
  offset: number;
  kind: 'table' | 'stream' | 'reconstructed';
  trailer: PdfDict;
  entries: Map<number, XrefEntry>;
}

/**
 * How a document whose cross-reference data is broken was read anyway. Viewers repair such files
 * and show what they find, so kyso reads them too, by one stated algorithm: the newest revision
 * whose own `startxref` chain reads is intact; every `n g obj` header after it is found by a scan,
 * the last definition of a number winning, and the last trailer found there (or the intact one's)
 * is the trailer. Nothing read this way can make a change after a signature acceptable.
 */
export interface Reconstruction {
  /** The end of the newest revision whose cross-reference chain reads (0: none did). */
  intactEnd: number;
  /** Why the file's own cross-reference data could not be used (English). */
  reason: string;
  /** The same in Vietnamese. */
  reasonVi: string;
  /** How many object definitions the scan found after `intactEnd`. */
  objectsFound: number;
}

/**
 * A classic cross-reference entry in its standard form, ten digits, a space, five digits, a space
 * and `n` or `f` (ISO 32000-2 §7.5.4), or undefined for anything else (read then by a pattern).
 */
function fixedXrefEntry(b: Uint8Array, at: number): XrefEntry | undefined {
  if (at + 18 > b.length || b[at + 10] !== 0x20 || b[at + 16] !== 0x20) return undefined;
  const kind = b[at + 17];
  if (kind !== 0x6e && kind !== 0x66) return undefined;
  let offset = 0;
  for (let k = 0; k < 10; k += 1) {
    const d = b[at + k]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    offset = offset * 10 + d;
  }
  let gen = 0;
  for (let k = 11; k < 16; k += 1) {
    const d = b[at + k]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    gen = gen * 10 + d;
  }
  // The byte after must end the entry (EOL, space): a longer token is not this form.
  const after = b[at + 18];
  if (after !== undefined && after !== 0x20 && after !== 0x0d && after !== 0x0a) return undefined;
  return kind === 0x6e ? { type: 1, offset, gen } : { type: 0 };
}

/** Errors of the cross-reference data after which the document is read by a scan instead. */
const REPAIRABLE = new Set(['PDF_XREF_BROKEN', 'PDF_XREF_LOOP', 'PDF_MALFORMED', 'PDF_TRUNCATED']);

/** Bounds on reading hostile files. */
export const READER_LIMITS = { maxXrefSections: 1000, maxResolveDepth: 64, maxObjects: 10_000_000 } as const;

/** How far past a stream's declared end `endstream` is looked for: white space before it is a few bytes in practice; 64 is generous. */
const ENDSTREAM_LOOKAHEAD = 64 + 9;

export class PdfDocument {
  /** Cross-reference sections, newest first (as the /Prev chain runs). */
  readonly sections: XrefSection[] = [];
  private eofs: number[] | undefined;
  private merged = new Map<number, XrefEntry>();
  private readonly cache = new Map<number, PdfValue>();
  private readonly objectStreams = new Map<
    number,
    { data: Uint8Array; entries: [number, number][]; first: number }
  >();
  private resolving = 0;
  /** Whether the `%PDF-` header is where it belongs (the first 1024 bytes). */
  headerFound = true;
  /** Set when the file's cross-reference data is broken and the document was read by a scan. */
  reconstruction: Reconstruction | undefined;

  private constructor(
    readonly source: ByteSource,
    /**
     * Objects parsed at each offset, shared with the revisions `revisionAt` reads: a signed revision's
     * objects are the final file's, and a 256 KiB /Contents is parsed once, not once per view.
     * `end` is the furthest byte the parse looked at: a view shorter than that parses again.
     */
    private readonly parsed = new Map<number, { num: number; gen: number; value: PdfValue; end: number }>(),
    /** Cross-reference sections read at each offset, shared with the revisions `revisionAt` reads. */
    private readonly sectionCache = new Map<number, XrefSection>(),
    /** Decrypts strings and streams of an encrypted document, shared with its revisions. */
    private security: StandardSecurityHandler | undefined = undefined,
  ) {}

  /**
   * Reads a PDF's structure, from bytes in memory or a {@link ByteSource}; objects are parsed
   * lazily. Synchronous, for unencrypted documents: an encrypted one is opened with
   * {@link PdfDocument.open}.
   *
   * @throws PdfError `PDF_ENCRYPTED` for an encrypted document; the reader's codes for a file it
   *   cannot read.
   */
  static load(input: Uint8Array | ByteSource): PdfDocument {
    const doc = PdfDocument.read(input);
    if (doc.trailer.get('Encrypt') !== undefined && doc.trailer.get('Encrypt') !== null) {
      throw new PdfError(
        'PDF_ENCRYPTED',
        'the PDF is encrypted: open it with PdfDocument.open (verifyPdf does), which decrypts it for reading',
        {
          messageVi:
            'tệp PDF được mã hóa: mở bằng PdfDocument.open (verifyPdf dùng cách này) để giải mã khi đọc',
        },
      );
    }
    return doc;
  }

  /**
   * Reads a PDF's structure like {@link PdfDocument.load}, and an encrypted one too: the Standard
   * security handler (ISO 32000-2 §7.6.4: RC4 40 and 128 bits, AES-128, AES-256 of revisions 5
   * and 6) authenticates the password (the empty user password when none is given; an owner
   * password opens it too), then strings and streams are decrypted as objects are read.
   * Asynchronous because the AES-256 key derivation hashes through WebCrypto; reading stays
   * synchronous after it.
   *
   * @throws PdfError `PDF_PASSWORD_REQUIRED` when the document needs a password and none was
   *   given; `PDF_PASSWORD_INCORRECT` when the given one does not open it; `PDF_ENCRYPTED` for a
   *   security handler kyso does not read (certificates, a vendor's); the reader's codes for a
   *   file it cannot read.
   */
  static async open(input: Uint8Array | ByteSource, options: DecryptionOptions = {}): Promise<PdfDocument> {
    const doc = PdfDocument.read(input);
    const ref = doc.trailer.get('Encrypt');
    if (ref === undefined || ref === null) return doc;
    const encrypt = doc.deref(ref);
    if (!(encrypt instanceof PdfDict))
      throw new PdfError('PDF_MALFORMED', 'the trailer names an /Encrypt that is not a dictionary', {
        messageVi: 'trailer nêu /Encrypt không phải là từ điển',
      });
    const ids = doc.deref(doc.trailer.get('ID'));
    const first = Array.isArray(ids) ? doc.deref(ids[0]) : undefined;
    doc.security = await StandardSecurityHandler.open(
      encrypt,
      first instanceof PdfString ? first.bytes : new Uint8Array(0),
      ref instanceof PdfRef ? ref.num : undefined,
      options,
    );
    // Nothing read before the key was known stays: it would be the encrypted form.
    doc.cache.clear();
    doc.objectStreams.clear();
    return doc;
  }

  /** How the document is encrypted and which password opened it (undefined: not encrypted). */
  get encryption(): EncryptionInfo | undefined {
    return this.security?.info;
  }

  private static read(input: Uint8Array | ByteSource): PdfDocument {
    const doc = new PdfDocument(toByteSource(input));
    // A missing %PDF- header alone does not stop reading (viewers accept such files); the
    // structure must still be sound.
    const head = doc.source.read(0, 1024);
    doc.headerFound = latin1(head, 0, head.length).includes('%PDF-');
    try {
      doc.useChain(doc.readXrefChain(doc.startXrefBefore(doc.source.length)));
    } catch (error) {
      if (!(error instanceof PdfError) || !REPAIRABLE.has(error.code)) throw error;
      doc.reconstruct(error);
    }
    return doc;
  }

  /** The newest trailer. */
  get trailer(): PdfDict {
    return this.sections[0]!.trailer;
  }

  /** The size of the document in bytes. */
  get length(): number {
    return this.source.length;
  }

  /**
   * Byte offsets where revisions may end (just past each `%%EOF`, and past its end-of-line),
   * ascending. Found by scanning the whole file once, on first use: verification itself asks
   * {@link isRevisionEnd} and {@link lastRevisionEnd}, which read only a few bytes.
   */
  get revisionEnds(): number[] {
    this.eofs ??= [...scanAscii(this.source, '%%EOF')].flatMap((i) => this.endsOfEofAt(i));
    return this.eofs;
  }

  /** A revision may end right after `%%EOF` or after its end-of-line: signers differ. */
  private endsOfEofAt(i: number): number[] {
    const after = this.source.read(i + 5, i + 7);
    let eol = 0;
    if (after[0] === 0x0d) eol += 1;
    if (after[eol] === 0x0a) eol += 1;
    return eol ? [i + 5, i + 5 + eol] : [i + 5];
  }

  /** Whether a revision ends at byte `end` (one of {@link revisionEnds}), reading only the bytes before it. */
  isRevisionEnd(end: number): boolean {
    for (const back of [5, 6, 7]) {
      const at = end - back;
      if (at < 0 || latin1(this.source.read(at, at + 5), 0, 5) !== '%%EOF') continue;
      if (this.endsOfEofAt(at).includes(end)) return true;
    }
    return false;
  }

  /** The last of {@link revisionEnds}, found from the end of the file (0 when there is none). */
  lastRevisionEnd(): number {
    const at = lastIndexOfAscii(this.source, '%%EOF');
    return at < 0 ? 0 : Math.max(...this.endsOfEofAt(at));
  }

  /** The data of a stream, decrypted when the document is encrypted, still encoded by its filters. */
  streamData(stream: PdfStream): Uint8Array {
    const raw = this.source.read(stream.dataStart, stream.dataEnd);
    return this.security ? this.security.streamData(stream, raw) : raw;
  }

  /**
   * Runs a parse over a window of the file starting at `at`. When the parse ran into the window's
   * end before the file's (a token may have been cut there), it runs again over a window four
   * times larger: a large object is read in a few rounds, each costing at most the object's size.
   */
  private parseAt<T>(at: number, parse: (lexer: Lexer) => T): T {
    const size = this.source.length;
    for (let window = Number.isFinite(this.source.window) ? this.source.window : size; ; window *= 4) {
      const end = Math.min(size, at + window);
      const lexer = new Lexer(this.source.read(at, end), 0, at);
      const whole = end === size;
      try {
        const out = parse(lexer);
        if (whole || lexer.reach < lexer.bytes.length) return out;
      } catch (error) {
        const cut =
          lexer.reach >= lexer.bytes.length || (error instanceof PdfError && error.code === 'PDF_TRUNCATED');
        if (whole || !cut) throw error;
      }
    }
  }

  /** The offset the last `startxref` before byte `end` names (the revision ending there). */
  private startXrefBefore(end: number): number {
    const size = end;
    const tailStart = Math.max(0, size - 4096);
    const tail = latin1(this.source.read(tailStart, size), 0, size - tailStart);
    const at = tail.lastIndexOf('startxref');
    if (at < 0) {
      throw new PdfError('PDF_XREF_BROKEN', 'no startxref near the end of the file (truncated?)', {
        offset: size,
        messageVi: 'không thấy startxref ở cuối tệp (tệp bị cắt cụt?)',
      });
    }
    const m = /startxref\s+(\d+)/.exec(tail.slice(at));
    if (!m)
      throw new PdfError('PDF_XREF_BROKEN', 'startxref has no offset', {
        offset: size,
        messageVi: 'startxref không có vị trí',
      });
    return Number(m[1]);
  }

  /** Reads the cross-reference chain that starts at `first`, newest section first. */
  private readXrefChain(first: number): XrefSection[] {
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
      const section = this.cachedSection(offset, seen);
      older.push(section);
      const prev = section.trailer.get('Prev');
      // `/Prev 0` is a common producer bug meaning "none": byte 0 holds the header, never an xref.
      offset = typeof prev === 'number' && prev > 0 ? prev : undefined;
    }
    return older;
  }

  /** A section, with a hybrid table's /XRefStm entries merged in, read once per file. */
  private cachedSection(offset: number, seen: Set<number>): XrefSection {
    const hit = this.sectionCache.get(offset);
    if (hit && offset < this.source.length) return hit;
    const section = this.readSection(offset);
    // Hybrid files: a table's /XRefStm names a stream with the entries of compressed objects.
    const xrefStm = section.trailer.get('XRefStm');
    if (section.kind === 'table' && typeof xrefStm === 'number' && !seen.has(xrefStm)) {
      const extra = this.readSection(xrefStm);
      for (const [num, entry] of extra.entries)
        if (!section.entries.has(num)) section.entries.set(num, entry);
    }
    this.sectionCache.set(offset, section);
    return section;
  }

  /** Makes `chain` (newest first) this document's sections. */
  private useChain(chain: XrefSection[]): void {
    this.sections.push(...chain);
    // The oldest section is usually the largest: copy it whole (natively), then lay the newer on it.
    const oldest = chain.at(-1);
    this.merged = new Map(oldest?.entries);
    for (let i = chain.length - 2; i >= 0; i -= 1)
      for (const [num, entry] of chain[i]!.entries) this.merged.set(num, entry);
  }

  /**
   * Reads a file whose last cross-reference data is broken (see {@link Reconstruction}): the
   * newest revision whose own chain reads, then a scan of the bytes after it for objects.
   */
  private reconstruct(cause: PdfError): void {
    let intact: XrefSection[] = [];
    let intactEnd = 0;
    const ends = [...scanAscii(this.source, '%%EOF')].map((i) => Math.max(...this.endsOfEofAt(i)));
    for (const end of ends.reverse()) {
      if (end >= this.source.length) continue;
      try {
        const view = new PdfDocument(new PrefixSource(this.source, end), this.parsed, this.sectionCache);
        intact = view.readXrefChain(view.startXrefBefore(end));
        intactEnd = end;
        break;
      } catch {
        // an older revision may still read
      }
    }
    const found = new Map<number, XrefEntry>();
    let trailer: PdfDict | undefined;
    for (const at of scanAscii(this.source, 'obj', intactEnd)) {
      // `n g obj`: the numbers end just before `obj`, which a delimiter follows.
      const from = Math.max(intactEnd, at - 40);
      const window = this.source.read(from, at + 4);
      const after = window[at + 3 - from];
      if (after !== undefined && /[A-Za-z0-9]/.test(String.fromCharCode(after))) continue;
      const m = /(\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+$/.exec(latin1(window, 0, at - from));
      if (!m || (m.index === 0 && from > intactEnd)) continue;
      found.set(Number(m[1]), { type: 1, offset: from + m.index, gen: Number(m[2]) });
      if (found.size > READER_LIMITS.maxObjects)
        throw new PdfError('PDF_BUDGET_EXCEEDED', 'too many objects to reconstruct the file', {
          messageVi: 'quá nhiều đối tượng để dựng lại tệp',
        });
    }
    for (const at of scanAscii(this.source, 'trailer', intactEnd)) {
      try {
        const t = this.parseAt(at + 'trailer'.length, (lexer) => lexer.value());
        if (t instanceof PdfDict && t.get('Root') !== undefined) trailer = t;
      } catch {
        // a damaged trailer is no trailer
      }
    }
    if (!trailer) {
      // An xref stream's dictionary is a trailer too.
      for (const [, entry] of found) {
        if (entry.type !== 1) continue;
        try {
          const v = this.parseIndirect(entry.offset).value;
          if (v instanceof PdfStream && v.dict.name('Type') === 'XRef' && v.dict.get('Root') !== undefined)
            trailer = v.dict;
        } catch {
          // not readable: not a trailer
        }
      }
    }
    trailer ??= intact[0]?.trailer;
    if (!trailer || (found.size === 0 && intact.length === 0)) {
      if (this.headerFound) throw cause;
      throw new PdfError('PDF_NOT_PDF', 'this is not a PDF: no %PDF- header and no PDF objects', {
        cause,
        messageVi: 'đây không phải tệp PDF: không có phần đầu %PDF- và không có đối tượng PDF nào',
      });
    }
    this.useChain([{ offset: intactEnd, kind: 'reconstructed', trailer, entries: found }, ...intact]);
    this.reconstruction = {
      intactEnd,
      reason: cause.message,
      reasonVi: cause.messageVi,
      objectsFound: found.size,
    };
  }

  private readSection(offset: number): XrefSection {
    if (offset < 0 || offset >= this.source.length) {
      throw new PdfError('PDF_XREF_BROKEN', `a cross-reference offset (${offset}) points outside the file`, {
        offset,
        messageVi: `vị trí bảng tham chiếu chéo (${offset}) nằm ngoài tệp`,
      });
    }
    try {
      const section = this.parseAt(offset, (lexer) => {
        lexer.skip();
        const word = lexer.peekKeyword();
        if (word === 'xref') return this.readTable(lexer, offset);
        if (word !== undefined && /^\d+$/.test(word)) return lexer.offset;
        return undefined;
      });
      if (typeof section === 'number') return this.readXrefStream(section, offset);
      if (section) return section;
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
    const b = lexer.bytes;
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
        throw lexer.error('bad xref subsection header', 'phần đầu mục con của bảng tham chiếu chéo bị hỏng');
      for (let i = 0; i < count; i += 1) {
        lexer.skip();
        // The standard 20-byte entry (`nnnnnnnnnn ggggg n`), read without a string; others by pattern.
        const fixed = fixedXrefEntry(b, lexer.pos);
        if (fixed) {
          lexer.pos += 18;
          if (!entries.has(start + i)) entries.set(start + i, fixed);
          continue;
        }
        const line = latin1(b, lexer.pos, Math.min(b.length, lexer.pos + 20));
        const m = /^(\d{1,10})\s+(\d{1,5})\s+([nf])/.exec(line);
        if (!m) {
          // An entry cut by the end of the window is read again from a larger one.
          if (lexer.pos + 20 > b.length)
            throw lexer.error('xref entry cut short', 'mục bảng tham chiếu chéo bị cắt cụt', 'PDF_TRUNCATED');
          throw lexer.error('bad xref entry', 'mục bảng tham chiếu chéo bị hỏng');
        }
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
    if (!(trailer instanceof PdfDict))
      throw lexer.error('trailer is not a dictionary', 'phần trailer không phải là từ điển');
    return { offset, kind: 'table', trailer, entries };
  }

  private readXrefStream(at: number, offset: number): XrefSection {
    const { value } = this.parseIndirect(at);
    if (!(value instanceof PdfStream) || value.dict.name('Type') !== 'XRef')
      throw new PdfError('PDF_MALFORMED', 'not an xref stream', {
        offset: at,
        messageVi: 'không phải luồng tham chiếu chéo (xref stream)',
      });
    const dict = value.dict;
    const data = decodeStream(dict, this.streamData(value));
    const w = (dict.get('W') as number[] | undefined) ?? [];
    if (w.length !== 3 || w.some((x) => typeof x !== 'number' || x < 0 || x > 8))
      throw new PdfError('PDF_MALFORMED', 'bad /W in xref stream', {
        offset: at,
        messageVi: '/W của luồng tham chiếu chéo không hợp lệ',
      });
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
        throw new PdfError('PDF_MALFORMED', 'xref stream too large', {
          offset: at,
          messageVi: 'luồng tham chiếu chéo quá lớn',
        });
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
    const hit = this.parsed.get(at);
    if (hit && hit.end <= this.source.length) return hit;
    const { num, gen, value, dataStart, end } = this.parseAt(at, (lexer) => {
      const num = Number(lexer.keyword());
      const gen = Number(lexer.keyword());
      lexer.expect('obj');
      const value = lexer.value();
      if (!(value instanceof PdfDict) || lexer.peekKeyword() !== 'stream')
        return { num, gen, value, dataStart: undefined, end: lexer.base + lexer.reach };
      lexer.skip();
      lexer.pos += 'stream'.length;
      // The end-of-line after `stream` must be in the window to be skipped.
      lexer.reach = Math.max(lexer.reach, Math.min(lexer.bytes.length, lexer.pos + 2));
      if (lexer.bytes[lexer.pos] === 0x0d) lexer.pos += 1;
      if (lexer.bytes[lexer.pos] === 0x0a) lexer.pos += 1;
      return { num, gen, value, dataStart: lexer.offset, end: lexer.base + lexer.reach };
    });
    if (!Number.isInteger(num) || !Number.isInteger(gen))
      throw new PdfError('PDF_MALFORMED', `bad object header at byte ${at}`, {
        offset: at,
        messageVi: `phần đầu đối tượng tại byte ${at} không hợp lệ`,
      });
    if (dataStart === undefined || !(value instanceof PdfDict)) {
      this.parsed.set(at, { num, gen, value, end });
      return { num, gen, value };
    }
    const declared = this.lengthOf(value);
    let dataEnd = declared !== undefined ? dataStart + declared : -1;
    if (dataEnd < dataStart || dataEnd > this.source.length || !this.endstreamAt(dataEnd)) {
      // A wrong /Length is common in real files: find `endstream` instead.
      dataEnd = this.findEndstream(dataStart);
    } else if (typeof value.get('Length') === 'number') {
      // Shared only when the length is the stream's own: an indirect /Length may differ by revision.
      const stream = new PdfStream(value, dataStart, dataEnd);
      this.parsed.set(at, { num, gen, value: stream, end: Math.max(end, dataEnd + ENDSTREAM_LOOKAHEAD) });
      return { num, gen, value: stream };
    }
    return { num, gen, value: new PdfStream(value, dataStart, dataEnd) };
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
    const b = this.source.read(pos, pos + ENDSTREAM_LOOKAHEAD);
    let p = 0;
    while (p < 64 && isWhitespace(b[p])) p += 1;
    return latin1(b, p, Math.min(b.length, p + 9)) === 'endstream';
  }

  private findEndstream(from: number): number {
    for (const i of scanAscii(this.source, 'endstream', from)) {
      // The end-of-line before `endstream` is not data; it never reaches back before the data.
      const before = this.source.read(Math.max(from, i - 2), i);
      let k = before.length;
      if (before[k - 1] === 0x0a) k -= 1;
      if (before[k - 1] === 0x0d) k -= 1;
      return i - (before.length - k);
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
      if (entry?.type === 1) {
        const parsed = this.parseIndirect(entry.offset);
        value = this.security ? this.security.decryptObject(parsed.value, ref.num, parsed.gen) : parsed.value;
      } else if (entry?.type === 2) value = this.fromObjectStream(entry.stream, entry.index, ref.num);
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

  /** The generation the newest revision gives object `num` (0 when compressed or absent). */
  generationOf(num: number): number {
    const entry = this.merged.get(num);
    return entry?.type === 1 ? entry.gen : 0;
  }

  /**
   * Whether the bytes the cross-reference names for object `num` define that object, with its
   * number and generation (a viewer that finds another object there rebuilds the file its own
   * way). Compressed objects are checked by index when read; absent ones define nothing.
   */
  definesItself(num: number): boolean {
    const entry = this.merged.get(num);
    if (entry?.type !== 1) return true;
    try {
      const parsed = this.parseIndirect(entry.offset);
      return parsed.num === num && parsed.gen === entry.gen;
    } catch {
      return false;
    }
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
        throw new PdfError('PDF_MALFORMED', `object stream ${streamNum} is not a stream`, {
          messageVi: `luồng đối tượng ${streamNum} không phải là luồng`,
        });
      const data = decodeStream(stream.dict, this.streamData(stream));
      const n = stream.dict.get('N') as number;
      const first = stream.dict.get('First') as number;
      const lexer = new Lexer(data, 0);
      const entries: [number, number][] = [];
      const seen = new Set<number>();
      for (let i = 0; i < n; i += 1) {
        const objNum = Number(lexer.keyword());
        const off = Number(lexer.keyword());
        // Viewers pick an object by its index here, kyso too: a number twice would let each read
        // a different object (one for the verifier, another for the viewer).
        if (seen.has(objNum))
          throw new PdfError('PDF_MALFORMED', `object stream ${streamNum} holds object ${objNum} twice`, {
            messageVi: `luồng đối tượng ${streamNum} chứa đối tượng ${objNum} hai lần`,
          });
        seen.add(objNum);
        entries.push([objNum, off]);
      }
      os = { data, entries, first };
      this.objectStreams.set(streamNum, os);
    }
    const at = os.entries[index];
    // An index that names another object: viewers differ (some read that object, some nothing).
    if (at === undefined || at[0] !== num)
      throw new PdfError(
        'PDF_MALFORMED',
        `the cross-reference places object ${num} at index ${index} of object stream ${streamNum}, which holds ${at === undefined ? 'no object there' : `object ${at[0]}`}`,
        {
          messageVi: `bảng tham chiếu chéo đặt đối tượng ${num} ở vị trí ${index} của luồng đối tượng ${streamNum}, nhưng ở đó ${at === undefined ? 'không có đối tượng nào' : `là đối tượng ${at[0]}`}`,
        },
      );
    return new Lexer(os.data, os.first + at[1]).value();
  }

  /**
   * The document as the revision ending at byte `end` defined it: the cross-reference chain that
   * revision's own `startxref` names, read over the bytes before `end` alone. This is what a
   * signature whose ByteRange ends there signed — never the sections that merely lie before `end`,
   * which a later update could skip with its `/Prev` (a rollback).
   */
  revisionAt(end: number): PdfDocument {
    const view = new PdfDocument(
      new PrefixSource(this.source, end),
      this.parsed,
      this.sectionCache,
      this.security,
    );
    view.headerFound = this.headerFound;
    try {
      view.useChain(view.readXrefChain(view.startXrefBefore(end)));
    } catch (error) {
      throw new PdfError(
        'PDF_XREF_BROKEN',
        `the revision ending at byte ${end} has no readable cross-reference chain of its own: ${error instanceof Error ? error.message : error}`,
        {
          offset: end,
          cause: error,
          messageVi: `phiên bản kết thúc tại byte ${end} không có bảng tham chiếu chéo đọc được`,
        },
      );
    }
    return view;
  }

  /**
   * What differs between an earlier revision (from {@link revisionAt}) and this document, judged by
   * where each object is defined, not by which sections lie where: `changed` holds the objects in
   * use now whose definition is not the earlier one (new, moved, or inside an object stream that
   * was itself redefined), `freed` those in use then and not now.
   */
  differencesFrom(earlier: PdfDocument): { changed: Set<number>; freed: Set<number> } {
    const changed = new Set<number>();
    const freed = new Set<number>();
    const sameEntry = (a: XrefEntry | undefined, b: XrefEntry | undefined) =>
      a !== undefined &&
      b !== undefined &&
      a.type === b.type &&
      (a.type !== 1 || (b.type === 1 && a.offset === b.offset)) &&
      (a.type !== 2 || (b.type === 2 && a.stream === b.stream && a.index === b.index));
    for (const [num, entry] of this.merged) {
      if (entry.type === 0) continue;
      const was = earlier.merged.get(num);
      // Both read the same cached sections: an unchanged object has the very same entry.
      if (was !== entry && !sameEntry(entry, was)) changed.add(num);
    }
    // An object inside an object stream that was redefined reads from the new stream.
    for (const [num, entry] of this.merged)
      if (entry.type === 2 && changed.has(entry.stream)) changed.add(num);
    for (const [num, entry] of earlier.merged) {
      if (entry.type === 0 || num === 0) continue;
      const now = this.merged.get(num);
      if (now === undefined || now.type === 0) freed.add(num);
    }
    return { changed, freed };
  }

  /** How many objects this revision has in use (bounded by the cross-reference data read). */
  get objectCount(): number {
    let n = 0;
    for (const entry of this.merged.values()) if (entry.type !== 0) n += 1;
    return n;
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

export type { DecryptionOptions, EncryptionInfo };
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString };
