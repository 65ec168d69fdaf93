/**
 * Real decrees and portal documents signed with the national public-service PKI
 * (`../shared/conformance/pdf/vn-real/`): what kyso says of them with the `vn-gov` profile.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { trustProfile } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { verifyPdf } from '../src/index.js';
import { CORPUS } from './support/corpus.js';

const DIR = join(CORPUS, 'vn-real');
const files = readdirSync(DIR).filter((f) => f.endsWith('.pdf'));
const read = (f: string) => new Uint8Array(readFileSync(join(DIR, f)));
/** A fixed validation time, so that the answer does not move with the clock. */
const at = new Date('2026-11-30T00:00:00Z');
/** Signed in 2016 under the G1 hierarchy with SHA-1; its signer's and its TSA's certificates have expired. */
const G1 = 'Phambanam99__doc_abc89244-d8ef-43cc-910a-24fa33739ed3.pdf';

describe('real documents signed with the national PKI', () => {
  it('has the files the corpus lists', () => {
    expect(files).toHaveLength(6);
  });

  it.each(
    files.filter((f) => f !== G1),
  )('%s: every signature passes with revocation off; earlier ones are followed only by allowed changes', async (file) => {
    const r = await verifyPdf(read(file), { trustAnchors: trustProfile('vn-gov'), revocation: 'none', at });
    expect(r.indication).toBe('TOTAL_PASSED');
    const signatures = r.signatures.filter((s) => s.kind === 'signature');
    expect(signatures.length).toBeGreaterThan(0);
    for (const s of signatures) {
      expect(s.indication, `${s.fieldName}: ${s.subIndication}`).toBe('TOTAL_PASSED');
      expect(s.modifiedAfter).toBe(s === signatures.at(-1) ? 'none' : 'allowed');
      // The time shown is the timestamp's: the signing tool's own claims are only reported.
      if (s.timestampTime) expect(s.signingTime).toBe(s.timestampTime);
      expect(s.signer.issuer).toMatch(/Chính phủ|Chinh phu/);
    }
  });

  it.each(
    files,
  )('%s: offline with hard-fail, no signature passes: TRY_LATER, not a failure', async (file) => {
    const r = await verifyPdf(read(file), {
      trustAnchors: trustProfile('vn-gov'),
      revocation: 'hard-fail',
      at,
    });
    expect(r.indication).toBe('INDETERMINATE');
    for (const s of r.signatures) expect(['TRY_LATER', 'OUT_OF_BOUNDS_NO_POE']).toContain(s.subIndication);
    if (file !== G1) expect(r.signatures.every((s) => s.subIndication === 'TRY_LATER')).toBe(true);
  });

  it('the 2016 document needs a proof of existence: its certificates have expired since', async () => {
    const options = { trustAnchors: trustProfile('vn-gov'), revocation: 'none' as const, at };
    const bare = await verifyPdf(read(G1), options);
    expect(bare.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
    });
    // A portal's record that it held the file in 2017 proves its signature timestamp of 2016,
    // which proves the signature while the certificate was valid.
    const kept = await verifyPdf(read(G1), {
      ...options,
      proofOfExistence: { time: new Date('2017-06-01T00:00:00Z'), source: 'lưu trữ của cổng thông tin' },
    });
    expect(kept.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
    expect(kept.signatures[0]!.proofOfExistence!.time).toBe(kept.signatures[0]!.timestampTime);
  });

  it('the national tool’s signing-time, local time labelled UTC, is named and never shown', async () => {
    const r = await verifyPdf(read('diepxuan__49-2026-ND-CP.pdf'), {
      trustAnchors: trustProfile('vn-gov'),
      revocation: 'none',
      at,
    });
    const s = r.signatures[0]!;
    // CMS 260131223218Z, /M D:20260131223218+07'00', timestamp 15:32:29Z.
    expect(s.signingTime).toBe('2026-01-31T15:32:29.000Z');
    expect(s.signingTimeProven).toBe(true);
    expect(s.checks.find((c) => c.id === 'claimed-time')!.message.en).toMatch(
      /CMS signing-time claims 2026-01-31T22:32:18.000Z.*Vietnam local time written as UTC/,
    );
  });
});
