/**
 * Where a PDF's bytes come from. The reader only ever asks for small windows (an object, a
 * cross-reference section, the file's tail), and the verifier streams the signed byte ranges
 * through a hash, so a document need not be in memory: under Node, `@kyso/pdf-signature/node`
 * reads a file on demand (`FileSource.open`), and a 200 MB scan is verified in a few megabytes.
 */

/** A span of a document's bytes, `[start, end)`. */
export interface ByteSpan {
  start: number;
  end: number;
}

/** Random access to the bytes of a document. */
export interface ByteSource {
  /** The size in bytes. */
  readonly length: number;
  /**
   * Bytes `[start, end)`, clamped to the source. The result may share memory with the source or
   * a cache: read it, never modify it.
   */
  read(start: number, end: number): Uint8Array;
  /** The bytes `[start, end)` in order, in pieces of any size: for hashing without holding them. */
  chunks(start: number, end: number): AsyncIterable<Uint8Array>;
  /**
   * How many bytes the reader should ask for at a time when it does not know how long an object
   * is (it asks for more when an object runs past the window). `Infinity` for bytes in memory.
   */
  readonly window: number;
}

/** A document held in memory: reads are views, never copies. */
export class MemorySource implements ByteSource {
  readonly window = Number.POSITIVE_INFINITY;
  constructor(readonly bytes: Uint8Array) {}
  get length(): number {
    return this.bytes.length;
  }
  read(start: number, end: number): Uint8Array {
    return this.bytes.subarray(Math.max(0, start), Math.min(this.bytes.length, end));
  }
  async *chunks(start: number, end: number): AsyncIterable<Uint8Array> {
    yield this.read(start, end);
  }
}

/** The first `length` bytes of another source (a document as of an earlier revision). */
export class PrefixSource implements ByteSource {
  readonly length: number;
  constructor(
    readonly base: ByteSource,
    length: number,
  ) {
    this.length = Math.min(length, base.length);
  }
  get window(): number {
    return this.base.window;
  }
  read(start: number, end: number): Uint8Array {
    return this.base.read(start, Math.min(end, this.length));
  }
  chunks(start: number, end: number): AsyncIterable<Uint8Array> {
    return this.base.chunks(start, Math.min(end, this.length));
  }
}

/** Wraps bytes in a {@link MemorySource}; a source is returned as it is. */
export function toByteSource(input: Uint8Array | ByteSource): ByteSource {
  return input instanceof Uint8Array ? new MemorySource(input) : input;
}

/** Node's Buffer, when present: its substring search is native (memmem-like), five times faster. */
const NodeBuffer = (
  globalThis as {
    Buffer?: {
      from(b: ArrayBufferLike, offset: number, length: number): { indexOf(s: string, from: number): number };
    };
  }
).Buffer;

/** The first occurrence of the ASCII `needle` in `b` at or after `from`, or -1. */
export function indexOfAscii(b: Uint8Array, needle: string, from = 0): number {
  if (NodeBuffer) return NodeBuffer.from(b.buffer, b.byteOffset, b.length).indexOf(needle, from);
  // Elsewhere indexOf on a byte is still native: no byte loop in JavaScript over a 200 MB scan.
  const first = needle.charCodeAt(0);
  for (let i = b.indexOf(first, from); i >= 0 && i + needle.length <= b.length; i = b.indexOf(first, i + 1)) {
    let k = 1;
    while (k < needle.length && b[i + k] === needle.charCodeAt(k)) k += 1;
    if (k === needle.length) return i;
  }
  return -1;
}

/** A scan reads 4 KiB first (what it seeks is usually near), then twice as much each time, up to 1 MiB. */
const FIRST_SCAN = 4096;
const MAX_SCAN = 1 << 20;

/**
 * Every occurrence of the ASCII `needle` in `[from, to)` of a source, in order, read a chunk at a
 * time (chunks overlap by one byte less than the needle, so a match is found in exactly one).
 */
export function* scanAscii(
  source: ByteSource,
  needle: string,
  from = 0,
  to = source.length,
): Generator<number> {
  let chunk = Math.max(FIRST_SCAN, needle.length * 2);
  for (let start = from; start + needle.length <= to; ) {
    const end = Math.min(to, start + chunk);
    const bytes = source.read(start, end);
    for (let i = indexOfAscii(bytes, needle); i >= 0; i = indexOfAscii(bytes, needle, i + 1)) yield start + i;
    if (end === to) return;
    start = end - needle.length + 1;
    chunk = Math.min(chunk * 2, MAX_SCAN);
  }
}

/** The last occurrence of the ASCII `needle` in the source, searching back from the end, or -1. */
export function lastIndexOfAscii(source: ByteSource, needle: string): number {
  let chunk = Math.max(FIRST_SCAN, needle.length * 2);
  for (let end = source.length; end >= needle.length; ) {
    const start = Math.max(0, end - chunk);
    const bytes = source.read(start, end);
    let last = -1;
    for (let i = indexOfAscii(bytes, needle); i >= 0; i = indexOfAscii(bytes, needle, i + 1)) last = i;
    if (last >= 0) return start + last;
    if (start === 0) break;
    end = start + needle.length - 1;
    chunk = Math.min(chunk * 2, MAX_SCAN);
  }
  return -1;
}
