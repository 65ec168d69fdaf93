import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNssSigner, createTestPki, minimalPdf, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

let pki: TestPki;
let dir: string;
let good: string;
let tampered: string;
let crlDir: string;

beforeAll(async () => {
  pki = await createTestPki();
  const nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
  const letter = await nss.sign(
    await nss.sign(minimalPdf(), pki.leaves.personal, 'ChuKyLanhDao'),
    pki.leaves.organisation,
    'ChuKyCoQuan',
  );
  dir = join(pki.dir, 'inbox');
  mkdirSync(dir);
  good = join(dir, 'a-cong-van.pdf');
  writeFileSync(good, letter);
  const bad = new Uint8Array(letter);
  bad[Buffer.from(bad).indexOf('CONG VAN SO 123') + 12] = 0x39;
  tampered = join(dir, 'b-cong-van-bi-sua.pdf');
  writeFileSync(tampered, bad);
  writeFileSync(join(dir, 'c-hong.pdf'), 'not a pdf at all');
  crlDir = join(pki.dir, 'crls');
  mkdirSync(crlDir);
  writeFileSync(join(crlDir, 'root.crl'), pki.root.crlDer);
  writeFileSync(join(crlDir, 'sub.crl'), pki.subCa.crlDer);
});
afterAll(() => pki?.cleanup());

const trust = () => ['--trust', pki.root.certificate.certPath, '--crl', crlDir, '--offline'];

describe('kyso verify', () => {
  it('exits 0 for a valid letter and prints a Vietnamese report', async () => {
    const c = capture();
    expect(await runCli(['verify', good, ...trust()], c.io)).toBe(0);
    expect(c.out()).toContain('a-cong-van.pdf: HỢP LỆ (TOTAL_PASSED)');
    expect(c.out()).toContain('[1] ChuKyLanhDao: HỢP LỆ — Nguyễn Văn An [personal]');
  });

  it('--json gives file, indication and every signature with the agreed fields', async () => {
    const c = capture();
    expect(await runCli(['verify', good, ...trust(), '--json'], c.io)).toBe(0);
    const r = JSON.parse(c.out());
    expect(r.file).toBe(good);
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]).toMatchObject({
      index: 1,
      fieldName: 'ChuKyLanhDao',
      indication: 'TOTAL_PASSED',
      subIndication: null,
      signer: { commonName: 'Nguyễn Văn An', organization: 'Sở Khoa học và Công nghệ', kind: 'personal' },
      timestamped: false,
      coversWholeDocument: false,
      modifiedAfter: 'allowed',
    });
    expect(typeof r.signatures[0].signingTime).toBe('string');
  });

  it('verifies a directory, goes on past a broken file, and exits 2 naming it', async () => {
    const c = capture();
    expect(await runCli(['verify', dir, ...trust(), '--json', '--lang', 'en'], c.io)).toBe(2);
    const all = JSON.parse(c.out());
    expect(
      all.map((r: { file: string; indication?: string; error?: { code: string } }) => [
        r.file.split('/').at(-1),
        r.indication ?? r.error?.code,
      ]),
    ).toEqual([
      ['a-cong-van.pdf', 'TOTAL_PASSED'],
      ['b-cong-van-bi-sua.pdf', 'TOTAL_FAILED'],
      ['c-hong.pdf', 'PDF_NOT_PDF'],
    ]);
    expect(all[1].signatures[0].subIndication).toBe('HASH_FAILURE');
    expect(c.err()).toContain('c-hong.pdf: PDF_NOT_PDF');
    expect(c.err()).not.toMatch(/\n\s+at /);
  });

  it('exits 1 when a file does not pass', async () => {
    const c = capture();
    expect(await runCli(['verify', tampered, ...trust()], c.io)).toBe(1);
    expect(c.out()).toContain('KHÔNG HỢP LỆ');
  });

  it('reports a document timestamp as its own entry, in both languages', async () => {
    const { addDocumentTimestamp, startTimestampAuthority } = await import('@kyso/testkit');
    const tsa = await startTimestampAuthority(pki);
    try {
      const stamped = join(pki.dir, 'stamped.pdf');
      writeFileSync(
        stamped,
        await addDocumentTimestamp(new Uint8Array(readFileSync(good)), tsa, 'DauThoiGian'),
      );
      const vi = capture();
      expect(await runCli(['verify', stamped, ...trust()], vi.io)).toBe(0);
      expect(vi.out()).toMatch(/\[3\] dấu thời gian văn bản DauThoiGian: HỢP LỆ — .*\n\s+thời điểm: \d{4}-/);
      const en = capture();
      expect(await runCli(['verify', stamped, ...trust(), '--lang', 'en'], en.io)).toBe(0);
      expect(en.out()).toContain('[3] document timestamp DauThoiGian:');
    } finally {
      await tsa.stop();
    }
  });

  it('says what was permitted after signing: a form field filled in', async () => {
    const { fillTextField, formPdf, signWithOpensslCms } = await import('@kyso/testkit');
    const signed = await signWithOpensslCms(
      formPdf(),
      pki.leaves.personal,
      [pki.subCa.certificate],
      'ChuKyLanhDao',
    );
    const filled = join(pki.dir, 'phieu-trinh.pdf');
    writeFileSync(filled, fillTextField(signed, 9, 'UBND TINH PHU THO'));
    const c = capture();
    expect(await runCli(['verify', filled, ...trust()], c.io)).toBe(0);
    expect(c.out()).toContain('sau khi ký chỉ có thay đổi được phép');
    expect(c.out()).toMatch(/· sau khi ký chỉ có các thay đổi được phép: form field "NguoiNhan" was filled/);
  });

  it('exits 2 without a trust anchor', async () => {
    const c = capture();
    expect(await runCli(['verify', good], c.io)).toBe(2);
    expect(c.err()).toContain('--trust');
  });
});
