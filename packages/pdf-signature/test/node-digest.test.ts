import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ByteSpan, MemorySource, verifyPdf } from '../src/index.js';
import { createPrefixSharingDigest, nodeDigest, verifyPdfFile } from '../src/node.js';
import { CORPUS, corpusPdfs } from './support/corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'kyso-node-digest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('prefix-sharing digest', () => {
  it('gives the digests nodeDigest gives, for nested, shorter, other-algorithm and foreign ranges', async () => {
    const bytes = new Uint8Array(randomBytes(1 << 20));
    const source = new MemorySource(bytes);
    const other = new MemorySource(new Uint8Array(bytes)); // same content, another source
    const shared = createPrefixSharingDigest();
    const span = (start: number, end = bytes.length): ByteSpan => ({ start, end });
    const cases: ['SHA-256' | 'SHA-1' | 'SHA-512', ByteSpan[], MemorySource][] = [
      ['SHA-256', [span(0, 1000), span(2000, 5000)], source],
      ['SHA-256', [span(0, 600_000), span(700_000)], source],
      ['SHA-256', [span(0, 300_000), span(400_000, 500_000)], source], // shorter than the last
      ['SHA-512', [span(0, 800_000), span(900_000)], source],
      ['SHA-1', [span(0, 800_000)], source],
      ['SHA-256', [span(10, 900_000), span(950_000)], source], // another start
      ['SHA-256', [span(0, 900_000), span(950_000)], other],
      ['SHA-256', [span(0, 1_048_576)], source],
    ];
    for (const [hash, spans, from] of cases) {
      const joined = Buffer.concat(spans.map((s) => bytes.subarray(s.start, s.end)));
      const expected = createHash(hash.replace('-', '').toLowerCase()).update(joined).digest('hex');
      expect(Buffer.from(await shared(hash, spans, from)).toString('hex')).toBe(expected);
      expect(Buffer.from(await nodeDigest(hash, spans, from)).toString('hex')).toBe(expected);
    }
  });

  it('verifyPdfFile agrees with verifyPdf (WebCrypto) on every corpus file with several signatures', async () => {
    let compared = 0;
    for (const file of corpusPdfs()) {
      const bytes = new Uint8Array(readFileSync(file));
      let expected: Awaited<ReturnType<typeof verifyPdf>>;
      try {
        expected = await verifyPdf(bytes, { trustAnchors: [], revocation: 'none' });
      } catch {
        continue; // refused files are covered by the reader tests
      }
      if (expected.signatures.length < 2) continue;
      const actual = await verifyPdfFile(file, { trustAnchors: [], revocation: 'none' });
      expect(
        actual.signatures.map((s) => [s.subIndication, s.modifiedAfter]),
        file.slice(CORPUS.length),
      ).toEqual(expected.signatures.map((s) => [s.subIndication, s.modifiedAfter]));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('fails every signature when a byte of the shared prefix changes', async () => {
    const bytes = new Uint8Array(readFileSync(join(CORPUS, 'node-signpdf/signed-twice.pdf')));
    const before = await verifyPdfFile(join(CORPUS, 'node-signpdf/signed-twice.pdf'), {
      trustAnchors: [],
      revocation: 'none',
    });
    expect(before.signatures.map((s) => s.subIndication)).not.toContain('HASH_FAILURE');
    // Byte 12 is in the header's binary comment (`%` and four high bytes): the file still reads.
    expect(bytes[9]).toBe(0x25);
    const tampered = new Uint8Array(bytes);
    tampered[12] = tampered[12]! ^ 0x01;
    const path = join(dir, 'tampered.pdf');
    writeFileSync(path, tampered);
    const r = await verifyPdfFile(path, { trustAnchors: [], revocation: 'none' });
    expect(r.signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
  });
});
