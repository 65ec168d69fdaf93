/**
 * Harmless updates real signers make after a signature, which kyso once called "changed after
 * signing", each beside a neighbour that really changes what is shown and must stay disallowed.
 */
import { formPdf, minimalPdf, pdfAttacks, signWithOpensslCms } from '@kyso/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyPdf } from '../src/index.js';
import { useTestPki } from './support/pki.js';

const env = useTestPki((pki) => [pki.leaves.personal, pki.leaves.organisation]);
const verify = (bytes: Uint8Array) => verifyPdf(bytes, env.validation);
const update = pdfAttacks.appendIncrementalUpdate;
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
/** The first signature's modification check message. */
const modifications = async (bytes: Uint8Array) => {
  const s = (await verify(bytes)).signatures[0]!;
  return {
    level: s.modifiedAfter,
    message: s.checks.find((c) => c.id === 'modifications')?.message.en ?? '',
  };
};

describe('the form’s default resources filled after signing', () => {
  let signed: Uint8Array;
  beforeAll(async () => {
    // The form's /DR is its own object, empty when the official signs (as some editors write it).
    const form = formPdf();
    const base = update(form, {
      7: '<< /Fields [6 0 R 9 0 R] /DR 20 0 R /DA (/F1 12 Tf 0 g) >>',
      20: '<< >>',
    });
    // testkit's signer keeps the form's objects as they are (pdfsig would inline the /DR).
    signed = await signWithOpensslCms(
      base,
      env.pki.leaves.personal,
      [env.pki.subCa.certificate],
      'ChuKyLanhDao',
    );
    const n = pdfAttacks.nextFree(signed);
    filled = {
      20: `<< /Font << /Helv ${n} 0 R /ZaDb ${n + 1} 0 R >> /Encoding << /PDFDocEncoding ${n + 2} 0 R >> >>`,
      [n]: `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding ${n + 2} 0 R >>`,
      [n + 1]: '<< /Type /Font /Subtype /Type1 /BaseFont /ZapfDingbats >>',
      [n + 2]: '<< /Type /Encoding /Differences [24 /breve /caron] >>',
    };
  });
  let filled: Record<number, string>;

  it('is allowed, the rule named, when no field is redrawn from them', async () => {
    const m = await modifications(update(signed, filled));
    expect(m.level).toBe('allowed');
    expect(m.message).toMatch(/default resources .*\(rule: form-default-resources\)/);
  });

  it('is disallowed when viewers are told to redraw fields from them (/NeedAppearances)', async () => {
    const m = await modifications(
      update(signed, {
        ...filled,
        7: pdfAttacks.lastObject(signed, 7).replace(/>>\s*$/, ' /NeedAppearances true >>'),
      }),
    );
    expect(m.level).toBe('disallowed');
  });

  it('a font the page uses changed in the same update stays disallowed', async () => {
    const m = await modifications(
      update(signed, { ...filled, 5: '<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>' }),
    );
    expect(m.level).toBe('disallowed');
    expect(m.message).toMatch(/object 5/);
  });
});

describe('a DSS written under the number the signed catalog already named', () => {
  let signed: Uint8Array;
  beforeAll(async () => {
    // The catalog names /DSS 30 0 R, and /Outlines 31 0 R, neither written when the official signs.
    const base = update(minimalPdf(), {
      1: '<< /Type /Catalog /Pages 2 0 R /DSS 30 0 R /Outlines 31 0 R >>',
    });
    signed = await env.nss.sign(base, env.pki.leaves.personal, 'ChuKyLanhDao');
  });

  it('is allowed: validation data, shown nowhere', async () => {
    const n = pdfAttacks.nextFree(signed);
    const m = await modifications(
      update(signed, {
        30: `<< /Type /DSS /Certs [${n} 0 R] >>`,
        [n]: `<< /Length ${env.pki.root.certificate.der.length} >>\nstream\n${text(env.pki.root.certificate.der)}\nendstream`,
      }),
    );
    expect(m.level).toBe('allowed');
    expect(m.message).toMatch(/DSS the signed catalog already named .*\(rule: validation-data\)/);
  });

  it('another dangling reference filled later is a redirect, disallowed', async () => {
    const n = pdfAttacks.nextFree(signed);
    const m = await modifications(
      update(signed, {
        31: `<< /Type /Outlines /First ${n} 0 R /Last ${n} 0 R /Count 1 >>`,
        [n]: '<< /Title (SO TIEN: 9.000.000.000 DONG) /Parent 31 0 R /Dest [3 0 R /Fit] >>',
      }),
    );
    expect(m.level).toBe('disallowed');
    expect(m.message).toMatch(/rule: reference-redirect/);
  });
});

describe('developer extensions rewritten by an LTV update', () => {
  let signed: Uint8Array;
  beforeAll(async () => {
    const base = update(minimalPdf(), {
      1: '<< /Type /Catalog /Pages 2 0 R /Extensions << /ADBE << /BaseVersion /1.7 /ExtensionLevel 5 >> >> >>',
    });
    signed = await env.nss.sign(base, env.pki.leaves.personal, 'ChuKyLanhDao');
  });

  /** The catalog as the signer left it, with `edit` applied. */
  const catalog = (edit: (body: string) => string) => edit(pdfAttacks.lastObject(signed, 1));

  it('raised, with a DSS, is allowed', async () => {
    const m = await modifications(
      update(signed, {
        1: catalog((c) =>
          c
            .replace(
              /\/ExtensionLevel\s*5/,
              '/ExtensionLevel 8 >> /ESIC << /BaseVersion /1.7 /ExtensionLevel 1',
            )
            .replace(/>>\s*$/, ` /DSS ${pdfAttacks.nextFree(signed)} 0 R >>`),
        ),
        [pdfAttacks.nextFree(signed)]: '<< /Type /DSS >>',
      }),
    );
    expect(m.level).toBe('allowed');
  });

  it('with an action added to the catalog in the same update stays disallowed', async () => {
    const m = await modifications(
      update(signed, {
        1: catalog((c) =>
          c
            .replace(/\/ExtensionLevel\s*5/, '/ExtensionLevel 8')
            .replace(/>>\s*$/, ' /OpenAction [3 0 R /FitH 0] >>'),
        ),
      }),
    );
    expect(m.level).toBe('disallowed');
    expect(m.message).toMatch(/OpenAction/);
  });
});

describe('ReadOnly set by a later signer on exactly the fields its lock names', () => {
  let certified: Uint8Array;
  beforeAll(async () => {
    certified = await signWithOpensslCms(
      formPdf(),
      env.pki.leaves.personal,
      [env.pki.subCa.certificate],
      'ChungThuc',
      {
        certify: 2,
      },
    );
  });
  const field = (name: string, value: string, y: number, ap: number, ff = '') =>
    `<< /FT /Tx /T (${name}) /V (${value}) /Type /Annot /Subtype /Widget /F 4 /Rect [72 ${y} 372 ${y + 22}] /P 3 0 R /DA (/F1 12 Tf 0 g) /AP << /N ${ap} 0 R >>${ff} >>`;

  it('is allowed, with the rule named', async () => {
    const locked = await signWithOpensslCms(
      certified,
      env.pki.leaves.organisation,
      [env.pki.subCa.certificate],
      'VanThu',
      {
        lock: { action: 'Include', fields: ['SoVanBan'] },
        alsoWrite: { 6: field('SoVanBan', '123/SKHCN-VP', 700, 8, ' /Ff 1') },
      },
    );
    const r = await verify(locked);
    expect(r.signatures.map((s) => s.modifiedAfter)).toEqual(['allowed', 'none']);
    expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
      /"SoVanBan" was made read-only .*\(rule: lock-read-only\)/,
    );
  });

  it('on a field the lock does not name it stays disallowed', async () => {
    const locked = await signWithOpensslCms(
      certified,
      env.pki.leaves.organisation,
      [env.pki.subCa.certificate],
      'VanThu',
      {
        lock: { action: 'Include', fields: ['SoVanBan'] },
        alsoWrite: { 9: field('NguoiNhan', '', 660, 10, ' /Ff 1') },
      },
    );
    const r = await verify(locked);
    expect(r.signatures[0]!.modifiedAfter).toBe('disallowed');
  });
});
