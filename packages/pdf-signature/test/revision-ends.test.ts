import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PdfDocument } from '../src/index.js';
import { CORPUS } from './support/corpus.js';

/**
 * Revision ends are found with Node's native substring search when Buffer exists, and with a
 * native byte search elsewhere (browsers): both must give the same boundaries.
 */
const FILES = [
  'node-signpdf/signed-twice.pdf',
  'dss/pades-5-signatures-and-1-document-timestamp.pdf',
  'dss/pdf-with-eof-cr.pdf',
  'pyhanko/minimal-signed-twice-both-created.pdf',
];

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('revision ends', () => {
  it('are the same with and without Node Buffer', async () => {
    vi.stubGlobal('Buffer', undefined);
    vi.resetModules();
    const browserLike = (await import('../src/reader/document.js')).PdfDocument;
    vi.unstubAllGlobals();
    for (const f of FILES) {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, f)));
      const withBuffer = PdfDocument.load(bytes).revisionEnds;
      expect(withBuffer.length, f).toBeGreaterThan(1);
      expect(browserLike.load(bytes).revisionEnds, f).toEqual(withBuffer);
    }
  });
});
