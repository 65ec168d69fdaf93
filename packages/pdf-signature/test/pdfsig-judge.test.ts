import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isKysoError } from '@kyso/core';
import { pdfsigVerdicts } from '@kyso/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../src/index.js';
import { corpusPdfs } from './support/corpus.js';

/**
 * poppler's pdfsig as a judge over the corpus, from the verdicts it printed on these files (the
 * corpus's attacks/pdfsig.tsv and dss/index.tsv): wherever pdfsig finds a signature whose signed
 * bytes or value are broken, kyso must find at least as many. kyso may be stricter, never laxer.
 */
const C = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'conformance', 'pdf');

function rows(file: string, verdictColumn: number, prefix: string): [string, string[]][] {
  return readFileSync(join(C, file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((c) => c[0]!.toLowerCase().endsWith('.pdf'))
    .map((c) => [prefix + c[0]!, (c[verdictColumn] ?? '').split(/;| \| /).filter((v) => v.trim() !== '')]);
}

const cases = [...rows('attacks/pdfsig.tsv', 4, 'attacks/'), ...rows('dss/index.tsv', 6, 'dss/')];
const table: string[] = [];
const BROKEN = /Digest Mismatch|Signature is Invalid/;

/** pdfsig run now, on the files the recorded tables do not cover (pyHanko's and @signpdf's). */
const livePdfsig = (file: string) => pdfsigVerdicts(join(C, file));

const recorded = new Set(cases.map(([f]) => f));
const liveFiles = corpusPdfs()
  .map((f) => relative(C, f))
  .filter((f) => !recorded.has(f) && !f.startsWith('attacks/') && !f.startsWith('dss/'));

describe('kyso beside pdfsig on the corpus', () => {
  it.each(liveFiles)('%s (pdfsig run now)', async (file) => {
    await judge(file, await livePdfsig(file));
  });

  it('runs pdfsig live on every file the recorded tables leave out', () => {
    expect(liveFiles.length).toBeGreaterThanOrEqual(39);
    expect(cases.length + liveFiles.length).toBe(corpusPdfs().length);
  });

  it.each(cases)('%s', async (file, pdfsig) => {
    await judge(file, pdfsig);
  });

  async function judge(file: string, pdfsig: string[]): Promise<void> {
    const pdfsigBroken = pdfsig.filter((v) => BROKEN.test(v)).length;
    let kysoBroken = 0;
    let summary: string;
    try {
      const r = await verifyPdf(new Uint8Array(readFileSync(join(C, file))), {
        trustAnchors: [],
        revocation: 'none',
      });
      kysoBroken = r.signatures.filter(
        (s) =>
          ['HASH_FAILURE', 'FORMAT_FAILURE', 'SIG_CRYPTO_FAILURE'].includes(s.subIndication ?? '') ||
          s.modifiedAfter === 'disallowed',
      ).length;
      summary =
        r.signatures.map((s) => `${s.subIndication ?? s.indication}/${s.modifiedAfter}`).join(', ') ||
        'no signature';
    } catch (error) {
      if (!isKysoError(error)) throw error;
      // An unreadable file is rejected as a whole: stricter than any per-signature verdict.
      kysoBroken = Number.POSITIVE_INFINITY;
      summary = (error as { code: string }).code;
    }
    table.push(`${file.padEnd(70)} pdfsig: ${pdfsig.join(' | ') || '—'}  ‖ kyso: ${summary}`);
    expect(
      kysoBroken,
      `pdfsig finds ${pdfsigBroken} broken signature(s); kyso ${kysoBroken}`,
    ).toBeGreaterThanOrEqual(pdfsigBroken);
  }

  afterAll(() => {
    console.log(`kyso beside pdfsig (${cases.length + liveFiles.length} files):\n${table.sort().join('\n')}`);
  });
});
