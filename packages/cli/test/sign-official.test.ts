import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate, parseCrlDer } from '@kyso/core';
import { verifyPdf } from '@kyso/pdf-signature';
import {
  createNssSigner,
  createTestPki,
  minimalPdf,
  type NssSigner,
  pdfsigVerdicts,
  png,
  run,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

/**
 * `kyso sign --kind …`: the personal signature, then the agency's with seal, number and date, judged
 * by pdfsig and kyso's verifier; the agency's signature on an unsigned document refused.
 */

let pki: TestPki;
let nss: NssSigner;
let dir: string;
let crlDir: string;
let counter = 0;

beforeAll(async () => {
  pki = await createTestPki();
  nss = await createNssSigner(pki, []);
  dir = join(pki.dir, 'cli-official');
  mkdirSync(dir);
  crlDir = join(dir, 'crls');
  mkdirSync(crlDir);
  writeFileSync(join(crlDir, 'root.crl'), pki.root.crlDer);
  writeFileSync(join(crlDir, 'sub.crl'), pki.subCa.crlDer);
  // A blue stroke on transparency; a red ring on transparency.
  writeFileSync(
    join(dir, 'sig.png'),
    png(200, 80, (x, y) =>
      Math.abs(y - 40 - 25 * Math.sin(x / 15)) < 4 ? [20, 40, 200, 255] : [0, 0, 0, 0],
    ),
  );
  writeFileSync(
    join(dir, 'seal.png'),
    png(200, 200, (x, y) => {
      const r = Math.hypot(x - 100, y - 100);
      return (r > 88 && r < 98) || (r > 60 && r < 66) ? [220, 20, 30, 255] : [0, 0, 0, 0];
    }),
  );
}, 120_000);
afterAll(() => {
  nss?.cleanup();
  pki?.cleanup();
});

const trust = () => [
  '--trust',
  pki.root.certificate.certPath,
  '--crl',
  crlDir,
  '--offline',
  '--level',
  'B-B',
];
const key = (leaf: 'personal' | 'organisation') => [
  '--key',
  pki.leaves[leaf].keyPath,
  '--cert',
  pki.leaves[leaf].certPath,
  '--cert',
  pki.subCa.certificate.certPath,
];

const pdfsig = (path: string): Promise<string[]> => pdfsigVerdicts(path, { nss });

describe('kyso sign --kind', () => {
  it('signs as the leader, then issues with seal, number and date; pdfsig and verifyPdf agree', async () => {
    counter += 1;
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const personal = join(dir, `personal-${counter}.pdf`);
    const c1 = capture({});
    const code1 = await runCli(
      [
        'sign',
        input,
        '-o',
        personal,
        ...key('personal'),
        ...trust(),
        '--kind',
        'personal',
        '--image',
        join(dir, 'sig.png'),
        '--page',
        '1',
        '--rect',
        '340,200,180,72',
        '--field',
        'ChuKyLanhDao',
      ],
      c1.io,
    );
    expect(c1.err()).toBe('');
    expect(code1).toBe(0);
    expect(await pdfsig(personal)).toEqual(['Signature is Valid.']);

    const issued = join(dir, `issued-${counter}.pdf`);
    const c2 = capture({});
    const code2 = await runCli(
      [
        'sign',
        personal,
        '-o',
        issued,
        ...key('organisation'),
        ...trust(),
        '--kind',
        'organisation',
        '--seal',
        join(dir, 'seal.png'),
        '--seal-mm',
        '36',
        '--doc-number',
        '123/UBND-VP',
        '--number-at',
        '1,100,700',
        '--doc-date',
        '2026-12-01',
        '--date-at',
        '1,330,700',
        '--field',
        'ChuKyCoQuan',
        '--lang',
        'en',
      ],
      c2.io,
    );
    expect(c2.err()).toBe('');
    expect(code2).toBe(0);
    expect(await pdfsig(issued)).toEqual(Array(4).fill('Signature is Valid.'));
    const report = await verifyPdf(new Uint8Array(readFileSync(issued)), {
      trustAnchors: [parseCertificate(pki.root.certificate.pem)],
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');
    const { stdout } = await run('pdftotext', [issued, '-']);
    expect(stdout).toContain('123/UBND-VP');
    expect(stdout).toContain('ngày 01 tháng 12 năm 2026');
  });

  it('certifies the personal signature with the agency fields reserved (--reserve-*), then fills them', async () => {
    counter += 1;
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const personal = join(dir, `personal-${counter}.pdf`);
    const c1 = capture({});
    const personalArgs = [
      'sign',
      input,
      '-o',
      personal,
      ...key('personal'),
      ...trust(),
      '--kind',
      'personal',
      '--image',
      join(dir, 'sig.png'),
      '--page',
      '1',
      '--rect',
      '340,200,180,72',
      '--certify',
      '2',
    ];
    // Without reserved fields a certification is refused: the agency's new fields would be flagged.
    expect(await runCli(personalArgs, c1.io)).not.toBe(0);
    expect(c1.err()).toContain('OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS');
    const c2 = capture({});
    const reserve = [
      '--reserve-seal-mm',
      '36',
      '--reserve-number',
      '1,100,700,120,18',
      '--reserve-date',
      '1,330,700,180,18',
    ];
    expect(await runCli([...personalArgs, ...reserve], c2.io)).toBe(0);
    expect(c2.err()).toBe('');

    const issued = join(dir, `issued-${counter}.pdf`);
    const c3 = capture({});
    const code = await runCli(
      [
        'sign',
        personal,
        '-o',
        issued,
        ...key('organisation'),
        ...trust(),
        '--kind',
        'organisation',
        '--seal',
        join(dir, 'seal.png'),
        '--seal-mm',
        '36',
        '--doc-number',
        '123/UBND-VP',
        '--doc-date',
        '2026-12-01',
      ],
      c3.io,
    );
    expect(c3.err()).toBe('');
    expect(code).toBe(0);
    expect(await pdfsig(issued)).toEqual(Array(4).fill('Signature is Valid.'));
    const report = await verifyPdf(new Uint8Array(readFileSync(issued)), {
      trustAnchors: [parseCertificate(pki.root.certificate.pem)],
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => s.fieldName)).toEqual([
      'Signature1',
      'CoQuan',
      'CoQuan_SoKyHieu',
      'CoQuan_NgayThang',
    ]);
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');
    const { stdout } = await run('pdftotext', [issued, '-']);
    expect(stdout).toContain('123/UBND-VP');
    expect(stdout).toContain('ngày 01 tháng 12 năm 2026');
  });

  it('prepares and completes each official signature in two steps (kyso prepare --kind), the value made outside by openssl', async () => {
    counter += 1;
    const env = { KYSO_STATE_KEY: 'b'.repeat(64) };
    const certs = (leaf: 'personal' | 'organisation') => [
      '--cert',
      pki.leaves[leaf].certPath,
      '--cert',
      pki.subCa.certificate.certPath,
    ];
    /** kyso prepare, the DigestInfo signed by openssl with the leaf's key, then kyso complete. */
    const twoSteps = async (
      from: string,
      to: string,
      leaf: 'personal' | 'organisation',
      kindArgs: string[],
    ) => {
      const prepared = join(dir, `prepared-${counter}-${leaf}-${kindArgs[1]}.pdf`);
      const state = `${prepared}.state`;
      const p = capture(env);
      const code = await runCli(
        [
          'prepare',
          from,
          '-o',
          prepared,
          '--state',
          state,
          ...certs(leaf),
          ...trust(),
          '--json',
          ...kindArgs,
        ],
        p.io,
      );
      expect(p.err()).toBe('');
      expect(code).toBe(0);
      const digestInfo = `${prepared}.digestinfo`;
      writeFileSync(digestInfo, Buffer.from(JSON.parse(p.out()).digestInfo, 'hex'));
      const value = `${digestInfo}.sig`;
      await run('openssl', [
        'pkeyutl',
        '-sign',
        '-inkey',
        pki.leaves[leaf].keyPath,
        '-in',
        digestInfo,
        '-out',
        value,
      ]);
      const c = capture(env);
      expect(
        await runCli(
          [
            'complete',
            prepared,
            '--state',
            state,
            '--signature',
            value,
            ...certs(leaf),
            ...trust(),
            '-o',
            to,
          ],
          c.io,
        ),
      ).toBe(0);
      expect(c.err()).toBe('');
    };
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const personal = join(dir, `two-step-personal-${counter}.pdf`);
    await twoSteps(input, personal, 'personal', [
      '--kind',
      'personal',
      '--image',
      join(dir, 'sig.png'),
      '--page',
      '1',
      '--rect',
      '340,200,180,72',
      '--certify',
      '2',
      '--reserve-seal-mm',
      '36',
      '--reserve-number',
      '1,100,700,120,18',
    ]);
    const sealed = join(dir, `two-step-sealed-${counter}.pdf`);
    await twoSteps(personal, sealed, 'organisation', [
      '--kind',
      'organisation',
      '--seal',
      join(dir, 'seal.png'),
      '--seal-mm',
      '36',
    ]);
    const numbered = join(dir, `two-step-numbered-${counter}.pdf`);
    await twoSteps(sealed, numbered, 'organisation', ['--kind', 'number', '--doc-number', '45/UBND-VP']);
    expect(await pdfsig(numbered)).toEqual(Array(3).fill('Signature is Valid.'));
    const report = await verifyPdf(new Uint8Array(readFileSync(numbered)), {
      trustAnchors: [parseCertificate(pki.root.certificate.pem)],
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => [s.fieldName, s.modifiedAfter])).toEqual([
      ['Signature1', 'allowed'],
      ['CoQuan', 'allowed'],
      ['CoQuan_SoKyHieu', 'none'],
    ]);
    expect((await run('pdftotext', [numbered, '-'])).stdout).toContain('45/UBND-VP');
    // In two steps the seal's number and date are signatures of their own: asking for them with the seal is a usage error.
    const u = capture(env);
    expect(
      await runCli(
        [
          'prepare',
          sealed,
          '-o',
          join(dir, 'never.pdf'),
          '--state',
          join(dir, 'never.state'),
          ...certs('organisation'),
          ...trust(),
          '--kind',
          'organisation',
          '--seal',
          join(dir, 'seal.png'),
          '--doc-number',
          '1/X',
        ],
        u.io,
      ),
    ).not.toBe(0);
    expect(u.err()).toContain('--kind number');
    expect(existsSync(join(dir, 'never.pdf'))).toBe(false);
  });

  it("refuses the agency's signature on a document without a personal signature, citing Điều 32 khoản 2", async () => {
    counter += 1;
    const input = join(dir, `unsigned-${counter}.pdf`);
    writeFileSync(input, minimalPdf());
    const c = capture({});
    const code = await runCli(
      [
        'sign',
        input,
        '-o',
        join(dir, `refused-${counter}.pdf`),
        ...key('organisation'),
        ...trust(),
        '--kind',
        'organisation',
        '--seal',
        join(dir, 'seal.png'),
        '--seal-mm',
        '36',
      ],
      c.io,
    );
    expect(code).not.toBe(0);
    expect(c.err()).toContain('OFFICIAL_PERSONAL_SIGNATURE_REQUIRED');
    expect(c.err()).toContain('Điều 32 khoản 2');
  });

  it("prints the appearance's warnings (no transparency, not blue) in the chosen language", async () => {
    counter += 1;
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const opaque = join(dir, `opaque-${counter}.png`);
    writeFileSync(
      opaque,
      png(120, 60, (x) => (x % 10 < 5 ? [0, 0, 0, 255] : [255, 255, 255, 255])),
    );
    for (const [lang, expected] of [
      ['en', ['Warning: the image has no transparent background', "Warning: the image's colour"]],
      ['vi', ['Cảnh báo: ảnh không có nền trong suốt', 'Cảnh báo: màu của ảnh']],
    ] as const) {
      const c = capture({});
      const code = await runCli(
        [
          'sign',
          input,
          '-o',
          join(dir, `opaque-${lang}-${counter}.pdf`),
          ...key('personal'),
          ...trust(),
          '--kind',
          'personal',
          '--image',
          opaque,
          '--page',
          '1',
          '--rect',
          '340,200,180,72',
          '--lang',
          lang,
        ],
        c.io,
      );
      expect(c.err()).toBe('');
      expect(code).toBe(0);
      for (const line of expected) expect(c.out()).toContain(line);
      expect(c.out()).toContain('N30-PL1-1');
    }
  });

  it('refuses --certify 1 with --kind personal, citing Điều 32 khoản 2', async () => {
    counter += 1;
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const output = join(dir, `certified-1-${counter}.pdf`);
    const c = capture({});
    const code = await runCli(
      [
        'sign',
        input,
        '-o',
        output,
        ...key('personal'),
        ...trust(),
        '--kind',
        'personal',
        '--image',
        join(dir, 'sig.png'),
        '--page',
        '1',
        '--rect',
        '340,200,180,72',
        '--certify',
        '1',
        '--reserve-seal-mm',
        '36',
      ],
      c.io,
    );
    expect(code).not.toBe(0);
    expect(c.err()).toContain('OFFICIAL_DOCMDP_NO_CHANGES');
    expect(c.err()).toContain('Điều 32 khoản 2');
    expect(existsSync(output)).toBe(false);
  });

  it('refuses --reserve-* with another kind than personal, and --lock on a personal signature without reserved fields, in both languages', async () => {
    const base = ['sign', 'x.pdf', '-o', 'y.pdf', '--key', 'k'];
    const c1 = capture({});
    expect(await runCli([...base, '--kind', 'organisation', '--reserve-seal-mm', '36'], c1.io)).toBe(2);
    expect(c1.err()).toContain('--reserve-seal-mm goes with --kind personal');
    expect(c1.err()).toContain('--reserve-seal-mm chỉ dùng với --kind personal');
    const c2 = capture({});
    expect(await runCli([...base, '--kind', 'copy', '--reserve-date', '1,1,1,1,1'], c2.io)).toBe(2);
    expect(c2.err()).toContain('--reserve-date goes with --kind personal');
    const c3 = capture({});
    expect(await runCli([...base, '--kind', 'personal', '--lock'], c3.io)).toBe(2);
    expect(c3.err()).toContain('--lock with --kind personal needs --reserve-seal-mm');
    expect(c3.err()).toContain('--lock với --kind personal cần --reserve-seal-mm');
  });

  it("--lock: reserved with the personal signature, applied by the agency's last signature", async () => {
    counter += 1;
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const personal = join(dir, `personal-${counter}.pdf`);
    const c1 = capture({});
    const code1 = await runCli(
      [
        'sign',
        input,
        '-o',
        personal,
        ...key('personal'),
        ...trust(),
        '--kind',
        'personal',
        '--image',
        join(dir, 'sig.png'),
        '--page',
        '1',
        '--rect',
        '340,200,180,72',
        '--certify',
        '2',
        '--reserve-seal-mm',
        '36',
        '--reserve-number',
        '1,100,700,120,18',
        '--lock',
      ],
      c1.io,
    );
    expect(c1.err()).toBe('');
    expect(code1).toBe(0);
    const issued = join(dir, `issued-${counter}.pdf`);
    const c2 = capture({});
    const code2 = await runCli(
      [
        'sign',
        personal,
        '-o',
        issued,
        ...key('organisation'),
        ...trust(),
        '--kind',
        'organisation',
        '--seal',
        join(dir, 'seal.png'),
        '--seal-mm',
        '36',
        '--doc-number',
        '123/UBND-VP',
        '--lock',
      ],
      c2.io,
    );
    expect(c2.err()).toBe('');
    expect(code2).toBe(0);
    expect(await pdfsig(issued)).toEqual(Array(3).fill('Signature is Valid.'));
    const latin = readFileSync(issued).toString('latin1');
    expect(latin.split('/TransformMethod /FieldMDP').length - 1).toBe(1);
    expect(latin).toContain('/Lock <<');
  });

  it('--pdf-a1 yes draws the images as stencil masks (no /SMask); a wrong value is a usage error', async () => {
    counter += 1;
    const input = join(dir, `letter-${counter}.pdf`);
    writeFileSync(input, minimalPdf('UBND TINH LAO CAI'));
    const sign = (output: string, extra: string[]) =>
      runCli(
        [
          'sign',
          input,
          '-o',
          output,
          ...key('personal'),
          ...trust(),
          '--kind',
          'personal',
          '--image',
          join(dir, 'sig.png'),
          '--page',
          '1',
          '--rect',
          '340,200,180,72',
          ...extra,
        ],
        capture({}).io,
      );
    const stencil = join(dir, `pdfa1-${counter}.pdf`);
    expect(await sign(stencil, ['--pdf-a1', 'yes'])).toBe(0);
    expect(readFileSync(stencil).toString('latin1')).not.toContain('/SMask');
    expect(await pdfsig(stencil)).toEqual(['Signature is Valid.']);
    const soft = join(dir, `soft-${counter}.pdf`);
    expect(await sign(soft, [])).toBe(0);
    expect(readFileSync(soft).toString('latin1')).toContain('/SMask');
    const c = capture({});
    const base = ['sign', 'x.pdf', '-o', 'y.pdf', '--key', 'k'];
    expect(await runCli([...base, '--kind', 'personal', '--pdf-a1', 'maybe'], c.io)).toBe(2);
    expect(c.err()).toContain('--pdf-a1 takes yes or no');
    expect(c.err()).toContain('--pdf-a1 nhận yes hoặc no');
  });

  it('refuses an unknown kind in both languages', async () => {
    const c = capture({});
    const code = await runCli(['sign', 'x.pdf', '-o', 'y.pdf', '--key', 'k', '--kind', 'leader'], c.io);
    expect(code).toBe(2);
    expect(c.err()).toContain('--kind must be one of');
    expect(c.err()).toContain('--kind phải là một trong');
  });
});
