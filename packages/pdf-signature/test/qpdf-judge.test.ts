import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { qpdfVerdict } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../src/index.js';
import { CORPUS, corpusPdfs } from './support/corpus.js';

/**
 * qpdf as an independent judge of structure over the whole conformance corpus: `qpdf --check`
 * says whether a file is damaged (its cross-reference data had to be reconstructed). kyso never
 * reconstructs, so a file qpdf finds damaged must never pass, and a file kyso refuses for its
 * structure must be one qpdf finds damaged too (or encrypted, which kyso does not verify).
 */

interface QpdfFinding {
  exitCode: number;
  damaged: boolean;
  encrypted: boolean;
}

async function qpdfCheck(file: string): Promise<QpdfFinding> {
  const { exitCode, output } = await qpdfVerdict(file);
  return {
    exitCode,
    damaged: /file is damaged/.test(output),
    encrypted: /^R = \d/m.test(output) && !/File is not encrypted/.test(output),
  };
}

type KysoVerdict = { refused: string } | { indication: string };

async function kysoVerdict(file: string): Promise<KysoVerdict> {
  try {
    const r = await verifyPdf(new Uint8Array(readFileSync(file)), { trustAnchors: [], revocation: 'none' });
    return { indication: r.indication };
  } catch (error) {
    return { refused: (error as { code?: string }).code ?? String(error) };
  }
}

describe('qpdf --check over the whole corpus', () => {
  it('agrees on structure: nothing qpdf finds damaged passes kyso, nothing kyso refuses is sound to qpdf', async () => {
    const rows: { name: string; qpdf: QpdfFinding; kyso: KysoVerdict }[] = [];
    for (const file of corpusPdfs()) {
      rows.push({ name: relative(CORPUS, file), qpdf: await qpdfCheck(file), kyso: await kysoVerdict(file) });
    }
    expect(rows.length).toBeGreaterThan(270);
    const damaged = rows.filter((r) => r.qpdf.damaged);
    // Counted when this was written: 8 files qpdf has to reconstruct.
    expect(damaged.map((r) => r.name)).toHaveLength(8);
    for (const r of damaged) {
      expect('indication' in r.kyso ? r.kyso.indication : 'refused', r.name).not.toBe('TOTAL_PASSED');
    }
    for (const r of rows.filter((x) => 'refused' in x.kyso)) {
      expect(r.qpdf.damaged || r.qpdf.encrypted, `${r.name}: kyso ${JSON.stringify(r.kyso)}`).toBe(true);
    }
    // qpdf's own exit status: 0 clean, 3 warnings only; no corpus file is beyond repair for it.
    expect(rows.filter((r) => r.qpdf.exitCode !== 0 && r.qpdf.exitCode !== 3).map((r) => r.name)).toEqual([]);
    // Found by this judge: pdf-spoofing-attack.pdf has `/Encrypt null`, which is no entry (ISO
    // 32000-2 §7.3.7); kyso once refused it as encrypted, and now reports its broken signature.
    expect(rows.filter((r) => r.qpdf.encrypted).map((r) => r.name)).toEqual(['dss/encrypted.pdf']);
    expect(rows.find((r) => r.name === 'dss/pdf-spoofing-attack.pdf')!.kyso).toEqual({
      indication: 'TOTAL_FAILED',
    });
    expect(rows.find((r) => r.name === 'dss/modified_after_signature.pdf')!.kyso).toEqual({
      indication: 'TOTAL_FAILED',
    });
  }, 120_000);
});
