import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script of the repository, without types.
import { tally } from '../../../scripts/test-tally.mjs';

/**
 * The closing tally of `pnpm test` (scripts/test.mjs) counts each failing test once, and a test file
 * that cannot run once: judged on a JSON report that vitest itself writes for a small fixture.
 */
describe('the closing tally of pnpm test', () => {
  it('counts a failing test once, though vitest also counts its describe and its file as failed suites', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-tally-'));
    try {
      writeFileSync(
        join(dir, 'vitest.config.mjs'),
        "export default { test: { include: ['*.check.mjs'] } };\n",
      );
      writeFileSync(
        join(dir, 'a.check.mjs'),
        "import { describe, it, expect } from 'vitest';\n" +
          "describe('outer', () => { describe('inner', () => {\n" +
          "  it('passes', () => expect(1).toBe(1));\n" +
          "  it('fails', () => expect(1).toBe(2));\n" +
          '}); });\n',
      );
      writeFileSync(join(dir, 'b.check.mjs'), "throw new Error('this file does not load');\n");
      const out = join(dir, 'report.json');
      spawnSync('pnpm', ['exec', 'vitest', 'run', '--root', dir, '--reporter=json', `--outputFile=${out}`], {
        cwd: import.meta.dirname,
        stdio: 'ignore',
      });
      const report = JSON.parse(readFileSync(out, 'utf8'));
      // What vitest reports: one failed test, and failed suites for the file and both describes.
      expect(report.numFailedTests).toBe(1);
      expect(report.numFailedTestSuites).toBeGreaterThan(1);
      expect(tally([report])).toEqual({ passed: 1, failed: 2, skipped: 0, brokenFiles: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
