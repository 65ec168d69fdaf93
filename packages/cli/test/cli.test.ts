import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

describe('kyso demo', () => {
  it('builds the test PKI and prints the chain in Vietnamese by default', async () => {
    const c = capture();
    expect(await runCli(['demo'], c.io)).toBe(0);
    const text = c.out();
    expect(text).toContain('[CA gốc] Kyso TEST RootCA chuyên dùng Chính phủ');
    expect(text).toContain('└─ [CA trung gian] Kyso TEST CA phục vụ các cơ quan Nhà nước');
    expect(text).toMatch(/\[cá nhân\] Nguyễn Văn An\s+\(còn hiệu lực/);
    expect(text).toMatch(/Phạm Thị Dung\s+\(đã bị thu hồi/);
    expect(text).toMatch(/Trần Thị Bình\s+\(đã hết hạn/);
    expect(text).toMatch(/keyCompromise/);
    expect(text).toContain('Đã xóa thư mục tạm.');
    // The main job: a letter signed twice passes, its tampered copy does not.
    expect(text).toMatch(/cong-van\.pdf: HỢP LỆ \(TOTAL_PASSED\)/);
    expect(text).toMatch(/cong-van-bi-sua\.pdf: KHÔNG HỢP LỆ \(TOTAL_FAILED\)/);
    expect(text).toContain('HASH_FAILURE');
  });

  it('speaks English with --lang en and removes its directory', async () => {
    const c = capture();
    expect(await runCli(['demo', '--lang', 'en'], c.io)).toBe(0);
    expect(c.out()).toMatch(/\[personal\] Nguyễn Văn An\s+\(valid/);
    const dir = /Built with OpenSSL in (\S+)/.exec(c.out())?.[1] ?? '';
    expect(dir).not.toBe('');
    expect(existsSync(dir)).toBe(false);
  });

  it('prints the hierarchy as JSON with --json', async () => {
    const c = capture();
    expect(await runCli(['demo', '--json'], c.io)).toBe(0);
    const data = JSON.parse(c.out());
    expect(data.root.subject).toContain('CN=Kyso TEST RootCA chuyên dùng Chính phủ');
    const statuses = Object.fromEntries(
      data.leaves.map((l: { name: string; status: string }) => [l.name, l.status]),
    );
    expect(statuses).toMatchObject({
      personal: 'valid',
      expired: 'expired',
      'not-yet-valid': 'notYetValid',
      'revoked-key-compromise': 'revoked',
      'revoked-superseded': 'revoked',
    });
    expect(data.lookalike[0].subject).toEqual(data.root.subject);
    expect(data.lookalike[0].fingerprint256).not.toBe(data.root.fingerprint256);
  });
});

describe('kyso usage errors', () => {
  it('exits 2 with a bilingual message for an unknown command or option, without a stack trace', async () => {
    const c = capture();
    expect(await runCli(['frobnicate'], c.io)).toBe(2);
    expect(c.err()).toMatch(/lỗi tham số \/ usage error: unknown command "frobnicate"/);
    const d = capture();
    expect(await runCli(['demo', '--nope'], d.io)).toBe(2);
    expect(d.err()).not.toMatch(/\n\s+at /);
    const e = capture();
    expect(await runCli(['demo', '--lang', 'fr'], e.io)).toBe(2);
    expect(e.err()).toContain('--lang must be vi or en');
  });
});

describe('the built kyso binary', () => {
  it('runs as a program and prints its version', () => {
    const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
    expect(existsSync(bin), 'run pnpm build first: the cli test needs dist/bin.js').toBe(true);
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toMatch(
      /^\d+\.\d+\.\d+/,
    );
  });

  it('starts without fontkit, UPNG, pako, pdf.js or the demo (testkit, pdf-lib): only the commands that draw load them', () => {
    const bin = join(import.meta.dirname, '..', 'dist', 'bin.js');
    expect(existsSync(bin), 'run pnpm build first: the cli test needs dist/bin.js').toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'kyso-cli-modules-'));
    try {
      // ES modules through a load hook, CommonJS ones from the require cache at exit.
      const log = join(dir, 'loaded.txt');
      writeFileSync(
        join(dir, 'hooks.mjs'),
        `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + '\\n');
  return next(url, context);
}
`,
      );
      writeFileSync(
        join(dir, 'register.mjs'),
        `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});
process.on('exit', () =>
  appendFileSync(${JSON.stringify(log)}, Object.keys(createRequire(import.meta.url).cache).join('\\n')),
);
`,
      );
      execFileSync(process.execPath, [
        '--import',
        pathToFileURL(join(dir, 'register.mjs')).href,
        bin,
        '--version',
      ]);
      const loaded = readFileSync(log, 'utf8').split('\n');
      expect(
        loaded.some((m) => m.includes('/pdf-signature/dist/')),
        'the hooks saw kyso load',
      ).toBe(true);
      const heavy = loaded.filter((m) =>
        /@pdf-lib[/+]|\/pako\/|pdfjs-dist|\/demo-[^/]*\.js$|testkit/.test(m),
      );
      expect(heavy).toEqual([]);
      // …nor testkit bundled into a chunk that does load (the demo is a chunk of its own).
      const chunks = loaded.filter((m) => m.startsWith('file:') && m.includes('/cli/dist/'));
      expect(chunks.filter((m) => readFileSync(new URL(m), 'utf8').includes('createTestPki'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
