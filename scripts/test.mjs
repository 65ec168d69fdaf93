// Runs every package's tests through turbo, then prints one closing line for the whole repository
// ("tests: N passed, N failed") from the JSON reports vitest wrote, so CI can read the tally.
// `--continue`: a package whose tests fail does not stop the packages after it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tally } from './test-tally.mjs';

const reports = join(import.meta.dirname, '..', '.test-reports');
rmSync(reports, { recursive: true, force: true });
const run = spawnSync(
  'pnpm',
  ['exec', 'turbo', 'run', 'test', '--continue', '--concurrency=1', ...process.argv.slice(2)],
  {
    stdio: 'inherit',
  },
);
const packages = existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith('.json')) : [];
const parsed = packages.map((file) => JSON.parse(readFileSync(join(reports, file), 'utf8')));
packages.forEach((file, i) => {
  const t = tally([parsed[i]]);
  console.log(
    `${file.replace(/\.json$/, '').padEnd(18)} ${t.passed} passed, ${t.failed} failed${t.brokenFiles ? ` (${t.brokenFiles} files failed to run)` : ''}`,
  );
});
const total = tally(parsed);
// No report at all: nothing ran, which is a failure, not a pass.
const failed = total.failed + (packages.length === 0 ? 1 : 0);
console.log(
  `tests: ${total.passed} passed, ${failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
