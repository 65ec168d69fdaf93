import { appendFileSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '@kyso/core';
import { createNssSigner, createTestPki, type NssSigner, scannedPdf, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ByteSource, findSignatures, PdfDocument, PdfError, verifyPdf } from '../src/index.js';
import { createPrefixSharingDigest, FileSource, nodeDigest, verifyPdfFile } from '../src/node.js';
import { CORPUS, corpusPdfs } from './support/corpus.js';

/**
 * The reader asks its source for windows and grows them when an object runs past one; the
 * verifier streams the signed ranges. A source whose first window is one byte, whose every read
 * is a copy and whose pieces are an odd size makes every object be cut, read again and grown:
 * the reports must be exactly those from the bytes in memory.
 */
class ChoppySource implements ByteSource {
  readonly window = 1;
  largestRead = 0;
  bytesRead = 0;
  bytesStreamed = 0;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly piece = 4093,
  ) {}
  get length(): number {
    return this.bytes.length;
  }
  read(start: number, end: number): Uint8Array {
    const out = this.bytes.slice(Math.max(0, start), Math.min(this.bytes.length, end));
    this.largestRead = Math.max(this.largestRead, out.length);
    this.bytesRead += out.length;
    return out;
  }
  async *chunks(start: number, end: number): AsyncIterable<Uint8Array> {
    for (let at = start; at < Math.min(end, this.bytes.length); at += this.piece) {
      const piece = this.bytes.slice(at, Math.min(end, at + this.piece));
      this.bytesStreamed += piece.length;
      yield piece;
    }
  }
}

type Outcome = { report: unknown } | { error: string };

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { report: await run() };
  } catch (error) {
    if (error instanceof PdfError) return { error: error.code };
    throw error;
  }
}

const dir = join(tmpdir(), `kyso-byte-source-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading through a windowed source', () => {
  const files = corpusPdfs();

  it.each(
    files.map((f) => [f.slice(CORPUS.length + 1), f]),
  )('gives the same report from one-byte windows as from memory: %s', async (_name, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const options = { trustAnchors: [], revocation: 'none' as const, at: new Date('2026-11-30T00:00:00Z') };
    const fromMemory = await outcome(() => verifyPdf(bytes, options));
    const choppy = new ChoppySource(bytes);
    const fromWindows = await outcome(() => verifyPdf(choppy, { ...options, digest: nodeDigest }));
    expect(fromWindows).toEqual(fromMemory);
  });

  it('finds each revision end from the bytes before it, as the whole-file scan does', () => {
    let checked = 0;
    for (const file of files) {
      let doc: PdfDocument;
      try {
        doc = PdfDocument.load(new Uint8Array(readFileSync(file)));
      } catch {
        continue; // refused files are covered by the reader tests
      }
      const ends = doc.revisionEnds;
      expect(doc.lastRevisionEnd(), file).toBe(ends.at(-1) ?? 0);
      for (const end of ends) {
        expect(doc.isRevisionEnd(end), `${file} @${end}`).toBe(true);
        for (const near of [end - 1, end + 1, end + 2])
          if (!ends.includes(near)) expect(doc.isRevisionEnd(near), `${file} @${near}`).toBe(false);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(600);
  });
});

describe('a 24 MiB scanned letter signed twice, read from disk', () => {
  let pki: TestPki;
  let nss: NssSigner;
  let file: string;
  let signed: Uint8Array;

  beforeAll(async () => {
    pki = await createTestPki();
    nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
    signed = await nss.sign(
      await nss.sign(scannedPdf(24 * 1024 * 1024), pki.leaves.personal, 'ChuKyLanhDao'),
      pki.leaves.organisation,
      'ChuKyCoQuan',
    );
    file = join(dir, 'scan.pdf');
    writeFileSync(file, signed);
  }, 120_000);
  afterAll(() => {
    nss?.cleanup();
    pki?.cleanup();
  });

  // One validation time, so that reports from the file and from memory can be compared whole.
  const at = new Date();
  const options = () => ({
    trustAnchors: [parseCertificate(pki.root.certificate.pem)],
    revocation: 'none' as const,
    at,
  });

  it('verifies from the file, reading only windows and streaming the signed bytes once', async () => {
    const fromFile = await verifyPdfFile(file, options());
    expect(fromFile.indication).toBe('TOTAL_PASSED');
    expect(fromFile.signatures.map((s) => [s.fieldName, s.indication, s.modifiedAfter])).toEqual([
      ['ChuKyLanhDao', 'TOTAL_PASSED', 'allowed'],
      ['ChuKyCoQuan', 'TOTAL_PASSED', 'none'],
    ]);
    expect(fromFile).toEqual(await verifyPdf(signed, options()));

    // The same verification through a counting source: the structure costs kilobytes, and the
    // signed bytes are streamed: each signature's, or with the prefix-sharing digest, the
    // document once (the first signature's first range is the second's prefix).
    const [first, second] = findSignatures(PdfDocument.load(signed)).map((f) => f.byteRange!);
    const each = new ChoppySource(signed, 1 << 20);
    expect((await verifyPdf(each, { ...options(), digest: nodeDigest })).indication).toBe('TOTAL_PASSED');
    // The largest read is the largest object: pdfsig reserves 256 KiB for each /Contents.
    expect(each.largestRead).toBeLessThan(512 * 1024);
    expect(each.bytesRead).toBeLessThan(8 * 1024 * 1024);
    expect(each.bytesStreamed).toBe(first![1]! + first![3]! + second![1]! + second![3]!);
    const once = new ChoppySource(signed, 1 << 20);
    const shared = createPrefixSharingDigest();
    expect((await verifyPdf(once, { ...options(), digest: shared })).indication).toBe('TOTAL_PASSED');
    expect(once.bytesStreamed).toBe(first![3]! + second![1]! + second![3]!);
    expect(once.bytesStreamed).toBeLessThan(signed.length);
    console.log(
      `24 MiB scan: largest read ${each.largestRead} B, ${each.bytesRead} B read for structure, ${each.bytesStreamed} B streamed (${once.bytesStreamed} with the shared prefix)`,
    );
  });

  it('notices a file that changes or shrinks while it is open', async () => {
    const copy = join(dir, 'changing.pdf');
    writeFileSync(copy, signed);
    const source = FileSource.open(copy);
    expect((await verifyPdf(source, options())).indication).toBe('TOTAL_PASSED');
    appendFileSync(copy, '\n% appended by another program\n');
    expect(() => source.close()).toThrowError(expect.objectContaining({ code: 'PDF_CHANGED_WHILE_READING' }));

    writeFileSync(copy, signed);
    const shrinking = FileSource.open(copy);
    truncateSync(copy, 1000);
    expect(() => shrinking.read(2_000_000, 2_000_100)).toThrowError(
      expect.objectContaining({ code: 'PDF_TRUNCATED' }),
    );
    const pieces = async () => {
      for await (const _ of shrinking.chunks(0, 5_000_000)) {
        // drain
      }
    };
    await expect(pieces()).rejects.toMatchObject({ code: 'PDF_TRUNCATED' });
    expect(() => shrinking.close()).toThrowError(
      expect.objectContaining({ code: 'PDF_CHANGED_WHILE_READING' }),
    );
  });

  it('refuses what is not a readable file with a typed error', async () => {
    await expect(verifyPdfFile(join(dir, 'missing.pdf'), options())).rejects.toMatchObject({
      code: 'PDF_FILE_UNREADABLE',
    });
    await expect(verifyPdfFile(dir, options())).rejects.toMatchObject({ code: 'PDF_FILE_UNREADABLE' });
  });
});
