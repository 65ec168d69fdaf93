import { minimalPdf, pdfAttacks } from '@kyso/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../src/index.js';
import { useTestPki } from './support/pki.js';

/**
 * Every known attack class on PDF signatures, built by testkit from a letter it signs itself
 * (official, then organisation), each next to the honest document it was made from.
 */
const env = useTestPki((pki) => [pki.leaves.personal, pki.leaves.organisation]);
let honest: Uint8Array;
let honestShadow: Uint8Array;

const verify = (bytes: Uint8Array) => verifyPdf(bytes, env.validation);

async function signTwice(base: Uint8Array): Promise<Uint8Array> {
  return env.nss.sign(
    await env.nss.sign(base, env.pki.leaves.personal, 'ChuKyLanhDao'),
    env.pki.leaves.organisation,
    'ChuKyCoQuan',
  );
}

beforeAll(async () => {
  honest = await signTwice(minimalPdf());
  // The Shadow attacks need a document prepared before signing: a hidden line under an overlay.
  honestShadow = await signTwice(minimalPdf(undefined, { shadow: true }));
});

describe('the honest documents the attacks start from', () => {
  it('pass', async () => {
    for (const doc of [honest, honestShadow]) {
      const r = await verify(doc);
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures.map((s) => s.modifiedAfter)).toEqual(['allowed', 'none']);
    }
  });
});

describe('attacks (each must not pass, for its reason)', () => {
  const cases: [string, () => Uint8Array, (r: Awaited<ReturnType<typeof verify>>) => void][] = [
    [
      'Incremental Saving Attack (new xref)',
      () => pdfAttacks.incrementalSavingAttack(honest),
      (r) => expect(r.signatures.every((s) => s.modifiedAfter === 'disallowed')).toBe(true),
    ],
    [
      'Incremental Saving Attack (no xref, for repairing viewers)',
      () => pdfAttacks.incrementalSavingAttack(honest, { withoutXref: true }),
      (r) => expect(r.signatures.every((s) => s.modifiedAfter === 'disallowed')).toBe(true),
    ],
    [
      'Universal Signature Forgery (invisible)',
      () => pdfAttacks.universalSignatureForgery(honest),
      (r) => {
        // The forged signature fails, and with it the document; it shows nothing, so what the
        // earlier signatures signed is still theirs.
        expect(r.signatures.at(-1)!.subIndication).toBe('FORMAT_FAILURE');
        expect(r.indication).toBe('TOTAL_FAILED');
        expect(r.signatures.slice(0, -1).every((s) => s.modifiedAfter === 'allowed')).toBe(true);
      },
    ],
    [
      'Universal Signature Forgery (visible appearance over the page)',
      () => pdfAttacks.universalSignatureForgery(honest, { visible: true }),
      (r) => {
        expect(r.signatures.at(-1)!.subIndication).toBe('FORMAT_FAILURE');
        expect(r.signatures.slice(0, -1).every((s) => s.modifiedAfter === 'disallowed')).toBe(true);
        expect(
          r.signatures[0]!.checks.find((c) => c.id === 'modifications' && c.status === 'failed')!.message.en,
        ).toMatch(/signature \d+ is not valid/);
      },
    ],
    [
      'Signature Wrapping',
      () => pdfAttacks.signatureWrapping(honest),
      (r) => expect(r.signatures.at(-1)!.subIndication).toBe('FORMAT_FAILURE'),
    ],
    [
      'Shadow hide',
      () => pdfAttacks.shadowHide(honestShadow),
      (r) =>
        expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(/object 6/),
    ],
    [
      'Shadow replace',
      () => pdfAttacks.shadowReplace(honestShadow),
      (r) =>
        expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(/object 5/),
    ],
    [
      'Shadow hide-and-replace',
      () => pdfAttacks.shadowHideAndReplace(honestShadow),
      (r) =>
        expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
          /page object 3 changed in Contents/,
        ),
    ],
    [
      'Evil Annotation',
      () => pdfAttacks.evilAnnotation(honest),
      (r) =>
        expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
          /not a signature (widget|field)/,
        ),
    ],
    [
      'Sneaky Signature',
      () => pdfAttacks.sneakySignature(honest),
      (r) =>
        expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
          /shows something but carries no new signature.*\(rule: unsigned-signature-field\)/,
        ),
    ],
  ];
  it.each(cases)('%s', async (_name, make, why) => {
    const r = await verify(make());
    expect(r.indication).not.toBe('TOTAL_PASSED');
    why(r);
  });

  it.each(
    cases,
  )('%s: the Vietnamese message names the same changes and rules, in Vietnamese', async (_n, make) => {
    const r = await verify(make());
    for (const s of r.signatures) {
      for (const c of s.checks.filter((x) => x.id === 'modifications')) {
        const rulesEn = [...c.message.en.matchAll(/\(rule: ([a-z-]+)\)/g)].map((m) => m[1]);
        const rulesVi = [...c.message.vi.matchAll(/\(quy tắc: '([a-z-]+)'\)/g)].map((m) => m[1]);
        expect(rulesVi).toEqual(rulesEn);
        expect(c.message.vi.replace(/'[a-z-]+'/g, '')).not.toMatch(
          /\(rule:|\b(?:was|were|the|of|added|changed|object)\b/,
        );
      }
    }
  });
});
