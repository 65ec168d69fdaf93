import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

let pki: TestPki;
let crlDir: string;

beforeAll(async () => {
  pki = await createTestPki();
  crlDir = join(pki.dir, 'crls');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(crlDir);
  writeFileSync(join(crlDir, 'root.crl'), pki.root.crlDer);
  writeFileSync(join(crlDir, 'sub.crl.pem'), pki.subCa.crlPem);
  writeFileSync(join(crlDir, 'README.txt'), 'not a CRL: directories skip files that hold none');
});
afterAll(() => pki?.cleanup());

const base = () => [
  '--trust',
  pki.root.certificate.certPath,
  '--intermediate',
  pki.subCa.certificate.certPath,
  '--crl',
  crlDir,
  '--offline',
];

describe('kyso cert verify', () => {
  it('exits 0 and prints the path in Vietnamese for a valid certificate', async () => {
    const c = capture();
    expect(await runCli(['cert', 'verify', pki.leaves.personal.certPath, ...base()], c.io)).toBe(0);
    expect(c.out()).toContain('Kết quả: HỢP LỆ (TOTAL_PASSED)');
    expect(c.out()).toContain('[2] thuê bao: UID=CCCD:025080000123');
    expect(c.out()).toContain('Kiểm tra thu hồi: hard-fail');
  });

  it('exits 1 with REVOKED in JSON for a revoked certificate', async () => {
    const c = capture();
    expect(
      await runCli(['cert', 'verify', pki.leaves.revokedKeyCompromise.certPath, ...base(), '--json'], c.io),
    ).toBe(1);
    const report = JSON.parse(c.out());
    expect(report).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
    expect(report.path).toHaveLength(3);
    expect(report.certificate.kind).toBe('personal');
  });

  it('defaults to hard-fail: without CRLs, offline, the result is INDETERMINATE and exit 1', async () => {
    const c = capture();
    const args = [
      '--trust',
      pki.root.certificate.certPath,
      '--intermediate',
      pki.subCa.certificate.certPath,
      '--offline',
      '--json',
    ];
    expect(await runCli(['cert', 'verify', pki.leaves.personal.certPath, ...args], c.io)).toBe(1);
    expect(JSON.parse(c.out())).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'TRY_LATER',
      revocationMode: 'hard-fail',
    });
    const soft = capture();
    expect(
      await runCli(
        ['cert', 'verify', pki.leaves.personal.certPath, ...args, '--revocation', 'soft-fail'],
        soft.io,
      ),
    ).toBe(0);
  });

  it('validates at a given time with --at, in English with --lang en', async () => {
    const c = capture();
    const at = new Date(pki.now.getTime() - 2 * 365 * 86_400_000).toISOString();
    expect(
      await runCli(
        ['cert', 'verify', pki.leaves.expired.certPath, ...base(), '--at', at, '--lang', 'en'],
        c.io,
      ),
    ).toBe(0);
    expect(c.out()).toContain('Result: VALID (TOTAL_PASSED)');
  });

  it('uses the built-in vn-gov profile', async () => {
    const c = capture();
    const cert = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      '..',
      'shared',
      'trust',
      'vn',
      'leaf-unattributed',
      'cuc-thue-bo-tai-chinh.cer',
    );
    expect(
      await runCli(
        [
          'cert',
          'verify',
          cert,
          '--profile',
          'vn-gov',
          '--at',
          '2026-01-15T00:00:00Z',
          '--offline',
          '--revocation',
          'soft-fail',
          '--json',
        ],
        c.io,
      ),
    ).toBe(0);
    expect(JSON.parse(c.out()).path[0].subject).toContain('RootCA chuyên dùng Chính phủ G2');
  });

  it('exits 2 with a message for unusable input', async () => {
    for (const args of [
      ['cert', 'verify', '/nonexistent.pem', '--profile', 'vn-gov'],
      ['cert', 'verify', pki.leaves.personal.certPath],
      ['cert', 'verify', pki.leaves.personal.certPath, ...base(), '--at', 'yesterday'],
      ['cert', 'verify', pki.leaves.personal.certPath, '--profile', 'vn-other'],
      ['cert', 'verify', join(crlDir, 'README.txt'), '--profile', 'vn-gov'],
    ]) {
      const c = capture();
      expect(await runCli(args, c.io), args.join(' ')).toBe(2);
      expect(c.err()).toMatch(/^kyso: /);
      expect(c.err()).not.toMatch(/\n\s+at /);
    }
  });
});

describe('kyso cert describe', () => {
  it('prints the kind and identifiers of a personal certificate', async () => {
    const c = capture();
    expect(await runCli(['cert', 'describe', pki.leaves.personal.certPath], c.io)).toBe(0);
    expect(c.out()).toContain('Loại: cá nhân');
    expect(c.out()).toContain('Định danh: CCCD 025080000123');
    const j = capture();
    await runCli(['cert', 'describe', pki.leaves.organisation.certPath, '--json'], j.io);
    expect(JSON.parse(j.out())).toMatchObject({
      kind: 'organisation',
      identifiers: [{ type: 'MST', value: '2600123456' }],
    });
  });
});
