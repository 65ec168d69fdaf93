import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

/** The workspace root above `dir` (packages live at `packages/<name>`, the examples at `examples`). */
function workspaceRoot(dir: string): string {
  for (let d = dir; dirname(d) !== d; d = dirname(d)) {
    if (existsSync(join(d, 'pnpm-workspace.yaml'))) return d;
  }
  return join(dir, '..', '..');
}

/** One vitest set-up for every package; results also go to `.test-reports/` for the root summary. */
export function kysoVitestConfig(packageDir: string) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Tests start real OpenSSL, SoftHSM2 and poppler processes; two cores are all we have.
      maxWorkers: 2,
      reporters: ['default', 'json'],
      outputFile: { json: join(workspaceRoot(packageDir), '.test-reports', `${basename(packageDir)}.json`) },
    },
  });
}
