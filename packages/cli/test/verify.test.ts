import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, signedLetters, type TestPki } from '@kyso/testkit';
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
  const letters = await signedLetters(pki);
  dir = join(pki.dir, 'inbox');
  mkdirSync(dir);
  good = join(dir, 'a-cong-van.pdf');
  writeFileSync(good, letters.good);
  tampered = join(dir, 'b-cong-van-bi-sua.pdf');
  writeFileSync(tampered, letters.tampered);
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
    expect(c.out()).toContain('[1] ChuKyLanhDao: HỢP LỆ — Nguyễn Văn An [cá nhân], Sở Khoa học và Công nghệ');
    // Who signed, from the certificate: serial, issuer, validity and the CCCD, in Vietnam's time.
    expect(c.out()).toMatch(
      /chứng thư số: số hiệu [0-9A-F]+, cấp bởi CN=Kyso TEST CA.*\+07:00.*CCCD: 025080000123/,
    );
    expect(c.out()).toMatch(
      /thời điểm ký: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00 \(do người ký tự ghi, chưa được chứng minh\)/,
    );
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

  it('verifies a directory, goes on past a broken file, and exits 1 naming it (--json-array keeps the old shape)', async () => {
    const c = capture();
    expect(await runCli(['verify', dir, ...trust(), '--json-array', '--lang', 'en'], c.io)).toBe(1);
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
    expect(c.err()).toContain('Total 3 files: 1 passed, 1 failed, 1 unreadable.');
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
      expect(vi.out()).toMatch(
        /\[3\] dấu thời gian văn bản DauThoiGian: HỢP LỆ — Kyso TEST Timestamp Authority \[máy chủ cấp dấu thời gian\][^\n]*\n(\s+(chứng thư số|SHA-256)[^\n]*\n)*\s+thời điểm: \d{4}-\d{2}-\d{2}T[\d:]+\+07:00 \(có dấu thời gian\)/,
      );
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
    expect(c.out()).toMatch(
      /· sau khi ký chỉ có các thay đổi được phép: trường biểu mẫu "NguoiNhan" được điền \(quy tắc: 'form-filling'\)/,
    );
  });

  it('exits 2 without a trust anchor', async () => {
    const c = capture();
    expect(await runCli(['verify', good], c.io)).toBe(2);
    expect(c.err()).toContain('--trust');
  });
});

/** The lines of NDJSON output, parsed. */
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { file: string; indication?: string; error?: { code: string } });
const verdicts = (lines: ReturnType<typeof ndjson>) =>
  lines.map((r) => [r.file.split('/').at(-1), r.indication ?? r.error?.code]).sort();

describe('kyso verify over a batch (issue 14, item 8)', () => {
  it('--json streams one JSON object per line, one line per file, and a summary on stderr', async () => {
    const c = capture();
    expect(await runCli(['verify', dir, ...trust(), '--json'], c.io)).toBe(1);
    const lines = ndjson(c.out());
    expect(c.out().split('\n').filter(Boolean)).toHaveLength(3);
    expect(verdicts(lines)).toEqual([
      ['a-cong-van.pdf', 'TOTAL_PASSED'],
      ['b-cong-van-bi-sua.pdf', 'TOTAL_FAILED'],
      ['c-hong.pdf', 'PDF_NOT_PDF'],
    ]);
    expect(c.err()).toContain('Tổng cộng 3 tệp: 1 đạt, 1 không đạt, 1 không đọc được.');
    expect(c.err()).not.toContain('Total');
  });

  it('prints each file as it finishes: the stream is written line by line, not at the end', async () => {
    const writes: string[] = [];
    const io = { ...capture().io, stdout: (t: string) => writes.push(t) };
    await runCli(['verify', dir, ...trust(), '--json'], io);
    expect(writes).toHaveLength(3);
    for (const w of writes) expect(w.endsWith('\n') && w.indexOf('\n') === w.length - 1).toBe(true);
  });

  it('ends the text report with the summary in the chosen language only', async () => {
    const vi = capture();
    expect(await runCli(['verify', dir, ...trust()], vi.io)).toBe(1);
    expect(vi.out().trim().split('\n').at(-1)).toBe('Tổng cộng 3 tệp: 1 đạt, 1 không đạt, 1 không đọc được.');
    const en = capture();
    await runCli(['verify', dir, ...trust(), '--lang', 'en'], en.io);
    expect(en.out().trim().split('\n').at(-1)).toBe('Total 3 files: 1 passed, 1 failed, 1 unreadable.');
    expect(en.out()).not.toMatch(/HỢP LỆ|Tổng cộng/);
  });

  it('counts an indeterminate document as failed and says so', async () => {
    const c = capture();
    const noCrl = ['--trust', pki.root.certificate.certPath, '--offline'];
    expect(await runCli(['verify', good, good, ...noCrl, '--lang', 'en'], c.io)).toBe(1);
    expect(c.out()).toContain('Total 2 files: 0 passed, 2 failed (2 of them indeterminate), 0 unreadable.');
  });

  it('writes a progress line on stderr only when stderr is a terminal', async () => {
    const pipe = capture();
    await runCli(['verify', dir, ...trust(), '--json'], pipe.io);
    expect(pipe.err()).not.toContain('[1/3]');
    const tty = capture();
    await runCli(['verify', dir, ...trust(), '--json'], { ...tty.io, stderrIsTTY: true });
    expect(tty.err()).toContain('[1/3]');
    expect(tty.err()).toContain('[3/3]');
    expect(tty.out()).not.toContain('[1/3]');
  });

  it('--jobs 2 verifies on worker threads with the same verdicts', async () => {
    const one = capture();
    await runCli(['verify', dir, ...trust(), '--json'], one.io);
    const two = capture();
    expect(await runCli(['verify', dir, good, ...trust(), '--json', '--jobs', '2'], two.io)).toBe(1);
    const lines = ndjson(two.out());
    expect(lines).toHaveLength(4);
    expect(verdicts(lines)).toEqual(
      [...verdicts(ndjson(one.out())), ['a-cong-van.pdf', 'TOTAL_PASSED']].sort(),
    );
    expect(two.err()).toContain('Tổng cộng 4 tệp: 2 đạt, 1 không đạt, 1 không đọc được.');
  });

  it('exits 0 when every file of the batch passes, with or without workers', async () => {
    for (const jobs of ['1', '2']) {
      const c = capture();
      expect(await runCli(['verify', good, good, ...trust(), '--jobs', jobs], c.io)).toBe(0);
      expect(c.out()).toContain('Tổng cộng 2 tệp: 2 đạt, 0 không đạt, 0 không đọc được.');
    }
  });

  it.each([
    [['--jobs', '0']],
    [['--jobs', 'two']],
    [['--jobs', '1000']],
    [['--json', '--json-array']],
    [['--revocation', 'hardfail']],
    [['--no-such-flag']],
  ])('exits 2 when called wrong: %j', async (extra) => {
    const c = capture();
    expect(await runCli(['verify', good, ...trust(), ...extra], c.io)).toBe(2);
    expect(c.out()).toBe('');
  });

  it('exits 2 for a path that does not exist', async () => {
    const c = capture();
    expect(await runCli(['verify', join(dir, 'missing.pdf'), ...trust()], c.io)).toBe(2);
  });
});
