import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isKysoError } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { findSignatures, PdfDocument } from '../src/index.js';
import { CORPUS, corpusPdfs } from './support/corpus.js';

const files = corpusPdfs();

/**
 * Files kyso cannot read, and the error it must give for each (a clear, stable code): the trailer
 * of the last update names no readable catalog. (`dss/encrypted.pdf`, RC4 128-bit with an empty
 * user password, was refused as `PDF_ENCRYPTED` until issue 15: `PdfDocument.open` reads it.)
 */
const EXPECTED_ERRORS: Record<string, string> = {
  'attacks/itext/pdfinsecurity/isa-3.pdf': 'PDF_MALFORMED',
};
/** Encrypted files, read with the empty user password. */
const ENCRYPTED = new Set(['dss/encrypted.pdf']);
/**
 * Files whose cross-reference data is broken on purpose (the chain points outside the file or
 * into the middle of a table): read by a scan after their last intact revision, and said so.
 * Every other file must read from its own cross-reference data.
 */
const RECONSTRUCTED = new Set([
  'dss/pades_infinite_loop.pdf',
  'dss/pades_opposite_infinite_loop.pdf',
  'dss/pdf-signed-corrupted.pdf',
]);
const tally = { read: 0, signatures: 0, holes: 0, errors: [] as string[] };

describe('reading every PDF of the conformance corpus', () => {
  it.each(files.map((f) => [relative(CORPUS, f), f] as const))('%s', async (name, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const expectedError = EXPECTED_ERRORS[name];
    if (expectedError) {
      await expect(PdfDocument.open(bytes).then(findSignatures)).rejects.toMatchObject({
        code: expectedError,
      });
      tally.read += 1;
      return;
    }
    try {
      const doc = await PdfDocument.open(bytes);
      expect(doc.encryption !== undefined, name).toBe(ENCRYPTED.has(name));
      expect(doc.reconstruction !== undefined, String(doc.reconstruction?.reason)).toBe(
        RECONSTRUCTED.has(name),
      );
      const sigs = findSignatures(doc);
      tally.read += 1;
      tally.signatures += sigs.length;
      expect(doc.revisionEnds.length).toBeGreaterThan(0);
      for (const s of sigs) {
        const br = s.byteRange;
        if (br && br.length === 4 && s.contentsStart !== null) {
          const holeMatches = br[0] === 0 && br[1] === s.contentsStart && br[2] === s.contentsEnd;
          if (holeMatches) tally.holes += 1;
          // Files made by @signpdf are ordinary: there the hole is exactly the /Contents string.
          if (name.startsWith('node-signpdf/')) expect(holeMatches, `${s.fieldName}: ${br}`).toBe(true);
        }
      }
    } catch (error) {
      tally.errors.push(`${relative(CORPUS, file)}: ${(error as Error).message}`);
      expect(isKysoError(error), String(error)).toBe(true);
      throw error;
    }
  });

  it('prints the tally', () => {
    console.log(
      `PDF corpus: ${tally.read}/${files.length} read, ${tally.signatures} signature fields found, ${tally.holes} whose ByteRange hole is exactly /Contents`,
    );
    if (tally.errors.length > 0) console.log(`not read:\n  ${tally.errors.join('\n  ')}`);
  });
});
