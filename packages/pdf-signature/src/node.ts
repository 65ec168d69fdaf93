/**
 * `@kyso/pdf-signature/node`: Node-only helpers: documents read from disk on demand, and
 * node:crypto hashing that streams the signed byte ranges.
 *
 * @packageDocumentation
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, read, readSync, type Stats } from 'node:fs';
import { PdfError } from './errors.js';
import type { ByteSource, ByteSpan } from './reader/source.js';
import { createDefaultDigest } from './verify/digest.js';
import {
  type DigestFunction,
  type DigestName,
  type PdfVerificationReport,
  type VerifyPdfOptions,
  verifyPdf,
} from './verify/verify-pdf.js';

const algorithm = (hash: DigestName) => hash.replace('-', '').toLowerCase();

/** Reads are served from aligned blocks of this size, the last few kept. */
const BLOCK = 64 * 1024;
const CACHED_BLOCKS = 64;
/** Hashing reads this much at a time, the next piece while the current one is hashed. */
const STREAM_CHUNK = 1024 * 1024;

/**
 * A PDF file read on demand: the reader's windows through a small block cache, the signed ranges
 * streamed in 1 MiB pieces. The whole file is never in memory, so a 200 MB scan is verified in a
 * few megabytes. The file must not change while it is open: {@link FileSource.close} reports it
 * if it did. Close it when done (or use {@link verifyPdfFile}).
 */
export class FileSource implements ByteSource {
  /** The reader's first window: most objects are far smaller. */
  readonly window = 16 * 1024;
  private readonly blocks = new Map<number, Uint8Array>();
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly opened: Stats,
  ) {}

  /** Opens `path` for reading. */
  static open(path: string): FileSource {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      throw new PdfError('PDF_FILE_UNREADABLE', `${path} cannot be opened (${reason})`, {
        cause: error,
        messageVi: `không mở được ${path} (${reason})`,
      });
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) {
        throw new PdfError('PDF_FILE_UNREADABLE', `${path} is not a regular file`, {
          messageVi: `${path} không phải là một tệp thông thường`,
        });
      }
      return new FileSource(path, fd, stats);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  get length(): number {
    return this.opened.size;
  }

  read(start: number, end: number): Uint8Array {
    const from = Math.max(0, start);
    const to = Math.min(this.length, end);
    if (to <= from) return new Uint8Array(0);
    const block = Math.floor(from / BLOCK);
    if (Math.floor((to - 1) / BLOCK) === block) {
      const data = this.block(block);
      return data.subarray(from - block * BLOCK, to - block * BLOCK);
    }
    return this.readExactly(from, to);
  }

  private block(index: number): Uint8Array {
    let data = this.blocks.get(index);
    if (data) {
      // Most recently used last: Map keeps insertion order.
      this.blocks.delete(index);
    } else {
      data = this.readExactly(index * BLOCK, Math.min(this.length, (index + 1) * BLOCK));
      if (this.blocks.size >= CACHED_BLOCKS) this.blocks.delete(this.blocks.keys().next().value!);
    }
    this.blocks.set(index, data);
    return data;
  }

  private readExactly(from: number, to: number): Uint8Array {
    const out = new Uint8Array(to - from);
    for (let done = 0; done < out.length; ) {
      const n = readSync(this.fd, out, done, out.length - done, from + done);
      if (n === 0) throw this.shrank(from + done);
      done += n;
    }
    return out;
  }

  private shrank(at: number): PdfError {
    return new PdfError('PDF_TRUNCATED', `${this.path} ended at byte ${at} while it was being read`, {
      offset: at,
      messageVi: `${this.path} kết thúc ở byte ${at} trong lúc đang đọc`,
    });
  }

  /** The bytes in 1 MiB pieces; each piece is valid until the next one is asked for. */
  async *chunks(start: number, end: number): AsyncIterable<Uint8Array> {
    const to = Math.min(this.length, end);
    const buffers = [new Uint8Array(STREAM_CHUNK), new Uint8Array(STREAM_CHUNK)];
    const readInto = (buffer: Uint8Array, at: number) =>
      new Promise<number>((resolve, reject) =>
        read(this.fd, buffer, 0, Math.min(buffer.length, to - at), at, (error, n) =>
          error ? reject(error) : resolve(n),
        ),
      );
    let at = Math.max(0, start);
    let current = 0;
    // The next piece is read (on libuv's thread pool) while the caller hashes this one.
    let pending = at < to ? readInto(buffers[current]!, at) : undefined;
    while (pending) {
      const n = await pending;
      if (n === 0) throw this.shrank(at);
      const piece = buffers[current]!.subarray(0, n);
      at += n;
      current ^= 1;
      pending = at < to ? readInto(buffers[current]!, at) : undefined;
      yield piece;
    }
  }

  /**
   * Closes the file. Throws `PDF_CHANGED_WHILE_READING` if it was modified or replaced while open
   * (a report built from it would mix two documents).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const now = fstatSync(this.fd);
    closeSync(this.fd);
    this.blocks.clear();
    if (now.size !== this.opened.size || now.mtimeMs !== this.opened.mtimeMs || now.ino !== this.opened.ino)
      throw new PdfError(
        'PDF_CHANGED_WHILE_READING',
        `${this.path} was modified while it was being verified`,
        {
          messageVi: `${this.path} bị sửa đổi trong lúc đang kiểm tra`,
        },
      );
  }
}

/** Hashes byte spans of a source incrementally with node:crypto, a piece at a time. */
export async function nodeDigest(
  hash: DigestName,
  spans: readonly ByteSpan[],
  source: ByteSource,
): Promise<Uint8Array> {
  const h = createHash(algorithm(hash));
  await update(h, spans, source);
  return new Uint8Array(h.digest());
}

async function update(h: Hash, spans: readonly ByteSpan[], source: ByteSource): Promise<void> {
  for (const span of spans) for await (const piece of source.chunks(span.start, span.end)) h.update(piece);
}

/**
 * A {@link nodeDigest} for one document that hashes each signature's first span only past what
 * an earlier signature already hashed: every ByteRange starts at byte 0, so a later signature's
 * first span extends an earlier one's, and the hash state at the shared prefix is copied instead
 * of recomputed. With several signatures over a large scan, the scan is read and hashed once.
 */
export function createPrefixSharingDigest(): DigestFunction {
  // The same digest verifyPdf uses by default under Node: node:crypto, a shared prefix hashed once.
  return createDefaultDigest();
}

/**
 * Verifies a PDF file without loading it: the structure is read a window at a time and the signed
 * ranges are streamed through node:crypto once, however many signatures share them.
 * @example
 * ```ts
 * import { verifyPdfFile } from '@kyso/pdf-signature/node';
 * const report = await verifyPdfFile('cong-van-den.pdf', { trustAnchors: trustProfile('vn-gov') });
 * ```
 * @throws {PdfError} `PDF_FILE_UNREADABLE`, `PDF_CHANGED_WHILE_READING`, and what `verifyPdf` throws.
 */
export async function verifyPdfFile(path: string, options: VerifyPdfOptions): Promise<PdfVerificationReport> {
  const file = FileSource.open(path);
  let report: PdfVerificationReport;
  try {
    report = await verifyPdf(file, { digest: createPrefixSharingDigest(), ...options });
  } catch (error) {
    try {
      file.close();
    } catch {
      // the reading error says more than the change does
    }
    throw error;
  }
  file.close();
  return report;
}

export type { AnchorMatch, FindAnchorsOptions, SignatureAnchors } from './appearance/anchors.js';
export { findSignatureAnchors } from './appearance/anchors.js';
export { DEFAULT_FONT_FILE, defaultFontBytes, loadDefaultFont } from './appearance/default-font.js';
export type { SignPdfFileResult } from './sign/sign-file.js';
export { assertOutputIsNotInput, signPdfFile } from './sign/sign-file.js';
