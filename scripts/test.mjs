// Runs every package's tests through turbo, then prints one closing line for the whole repository
// ("tests: N passed, N failed") from the JSON reports vitest wrote, so CI can read the tally.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const reports = join(import.meta.dirname, '..', '.test-reports');
rmSync(reports, { recursive: true, force: true });
const run = spawnSync('pnpm', ['exec', 'turbo', 'run', 'test', '--concurrency=1', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
let passed = 0;
let failed = 0;
let skipped = 0;
const packages = existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith('.json')) : [];
for (const file of packages) {
  const r = JSON.parse(readFileSync(join(reports, file), 'utf8'));
  passed += r.numPassedTests;
  // A test file that fails to load counts as a failure too: it ran none of its tests.
  failed += r.numFailedTests + (r.numFailedTestSuites ?? 0) + (r.numRuntimeErrors ?? 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  console.log(
    `${file.replace(/\.json$/, '').padEnd(18)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numFailedTestSuites ?? 0} files failed`,
  );
}
if (packages.length === 0) failed += 1;
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
