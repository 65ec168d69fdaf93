import { type Certificate, type Crl, parseCertificate, parseCrlDer } from '@kyso/core';
import {
  createTestPki,
  fillTextField,
  formPdf,
  pdfAttacks,
  qpdfCheck,
  type SignaturePermissions,
  signWithOpensslCms,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PdfVerificationReport, verifyPdf } from '../src/index.js';

/**
 * What may change after a signature depends on what its signer permitted (ISO 32000-2
 * §12.8.2.2–12.8.2.4): the certification's DocMDP level and the signature's FieldMDP lock. Each
 * case starts from a form letter testkit signs itself (openssl cms over its placeholder), makes
 * the change a viewer or an attacker would make, and checks kyso's verdict; every file is also
 * judged sound by qpdf --check.
 */

let pki: TestPki;
let root: Certificate;
let crls: Crl[];
/** Field objects of testkit's form letter. */
const SO_VAN_BAN = 6;
const NGUOI_NHAN = 9;

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
});
afterAll(() => pki?.cleanup());

const sign = (bytes: Uint8Array, field: string, permissions: SignaturePermissions = {}) =>
  signWithOpensslCms(bytes, pki.leaves.personal, [pki.subCa.certificate], field, permissions);

const verify = (bytes: Uint8Array) =>
  verifyPdf(bytes, { trustAnchors: [root], crls, revocation: 'hard-fail' });

async function qpdfSound(bytes: Uint8Array): Promise<void> {
  expect(await qpdfCheck(bytes)).toMatch(/No syntax or stream encoding errors found/);
}

const first = (r: PdfVerificationReport) => r.signatures[0]!;
/** What kyso says about the changes after the first signature (refused, or permitted). */
const why = (r: PdfVerificationReport) =>
  first(r)
    .checks.filter((c) => c.id === 'modifications')
    .map((c) => `${c.status}: ${c.message.en}`)
    .join('\n');

describe('form filling after a signature', () => {
  it('the signed form letter passes, certified or not', async () => {
    for (const permissions of [{}, { certify: 2 as const }, { lock: { action: 'All' as const } }]) {
      const signed = await sign(formPdf(), 'ChuKyLanhDao', permissions);
      const r = await verify(signed);
      expect(r.indication, JSON.stringify(permissions)).toBe('TOTAL_PASSED');
      await qpdfSound(signed);
    }
  });

  it('is allowed after an approval signature and under DocMDP level 2, and named', async () => {
    for (const permissions of [{}, { certify: 2 as const }, { certify: 3 as const }]) {
      const filled = fillTextField(
        await sign(formPdf(), 'ChuKyLanhDao', permissions),
        NGUOI_NHAN,
        'UBND TINH PHU THO',
      );
      await qpdfSound(filled);
      const r = await verify(filled);
      expect(first(r).modifiedAfter, JSON.stringify(permissions)).toBe('allowed');
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(why(r)).toBe(
        'passed: changed after signing only as permitted: form field "NguoiNhan" was filled (rule: form-filling)',
      );
    }
  });

  it('is refused when the certification permits no changes (DocMDP level 1)', async () => {
    const filled = fillTextField(await sign(formPdf(), 'ChuKyLanhDao', { certify: 1 }), NGUOI_NHAN, 'X');
    const r = await verify(filled);
    expect(first(r).modifiedAfter).toBe('disallowed');
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(why(r)).toMatch(/permits no changes \(\/P 1\)/);
  });

  it('is refused for a field the signature locks (FieldMDP), and allowed for one it does not', async () => {
    const signed = await sign(formPdf(), 'ChuKyLanhDao', {
      lock: { action: 'Include', fields: ['SoVanBan'] },
    });
    const locked = await verify(fillTextField(signed, SO_VAN_BAN, '999/GIA-MAO'));
    expect(first(locked).modifiedAfter).toBe('disallowed');
    expect(why(locked)).toMatch(/"SoVanBan" is locked by this signature/);
    const free = await verify(fillTextField(signed, NGUOI_NHAN, 'UBND TINH PHU THO'));
    expect(first(free).modifiedAfter).toBe('allowed');
    expect(why(free)).toMatch(/form field "NguoiNhan" was filled/);

    const allButRecipient = await sign(formPdf(), 'ChuKyLanhDao', {
      lock: { action: 'Exclude', fields: ['NguoiNhan'] },
    });
    expect(first(await verify(fillTextField(allButRecipient, SO_VAN_BAN, 'X'))).modifiedAfter).toBe(
      'disallowed',
    );
    expect(first(await verify(fillTextField(allButRecipient, NGUOI_NHAN, 'X'))).modifiedAfter).toBe(
      'allowed',
    );
  });

  it('refuses a new appearance whose value did not change (the Shadow "replace" attack)', async () => {
    const signed = await sign(formPdf(), 'ChuKyLanhDao');
    const r = await verify(fillTextField(signed, SO_VAN_BAN, '999/GIA-MAO', { appearanceOnly: true }));
    expect(first(r).modifiedAfter).toBe('disallowed');
    expect(why(r)).toMatch(/shows a new appearance but its value did not change/);
  });
});

describe('a signature’s appearance', () => {
  it('may not be replaced once signed (pdfsig’s appearance stream redefined after signing)', async () => {
    const { createNssSigner, minimalPdf } = await import('@kyso/testkit');
    const nss = await createNssSigner(pki, [pki.leaves.personal]);
    try {
      const signed = await nss.sign(minimalPdf(), pki.leaves.personal, 'ChuKyLanhDao');
      const widget = /\/T \(ChuKyLanhDao\)[\s\S]*?\/AP <<\s*\/N (\d+) 0 R/.exec(
        Buffer.from(signed).toString('latin1'),
      );
      expect(widget, 'pdfsig writes an appearance stream for its widget').not.toBeNull();
      const text = '0 0 1 rg BT /Helv 10 Tf 2 2 Td (KY THAY: NGUYEN VAN B) Tj ET';
      const replaced = pdfAttacks.appendIncrementalUpdate(signed, {
        [Number(widget![1])]:
          `<< /Type /XObject /Subtype /Form /BBox [0 0 200 40] /Length ${text.length} >>\nstream\n${text}\nendstream`,
      });
      await qpdfSound(replaced);
      const r = await verify(replaced);
      expect(first(r).modifiedAfter).toBe('disallowed');
      expect(why(r)).toMatch(/signature field "ChuKyLanhDao", already signed/);
    } finally {
      nss.cleanup();
    }
  });
});

describe('annotations and signatures after a certification', () => {
  it('allows an annotation only at DocMDP level 3 (Evil Annotation below it)', async () => {
    for (const [level, verdict] of [
      [2, 'disallowed'],
      [3, 'allowed'],
    ] as const) {
      const annotated = pdfAttacks.evilAnnotation(await sign(formPdf(), 'ChuKyLanhDao', { certify: level }));
      await qpdfSound(annotated);
      const r = await verify(annotated);
      expect(first(r).modifiedAfter, `level ${level}`).toBe(verdict);
    }
    // After an approval signature, too: an annotation paints over the signed page.
    const approval = await verify(pdfAttacks.evilAnnotation(await sign(formPdf(), 'ChuKyLanhDao')));
    expect(first(approval).modifiedAfter).toBe('disallowed');
  });

  it('allows a second signature at level 2 and refuses it at level 1', async () => {
    for (const [level, verdict] of [
      [2, 'allowed'],
      [1, 'disallowed'],
    ] as const) {
      const certified = await sign(formPdf(), 'ChuKyLanhDao', { certify: level });
      const both = await signWithOpensslCms(
        certified,
        pki.leaves.organisation,
        [pki.subCa.certificate],
        'ChuKyCoQuan',
      );
      await qpdfSound(both);
      const r = await verify(both);
      expect(first(r).modifiedAfter, `level ${level}`).toBe(verdict);
      expect(r.signatures[1]!.indication).toBe('TOTAL_PASSED');
    }
  });
});
