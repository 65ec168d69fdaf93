import { basename, join } from 'node:path';
import { defineConfig } from 'vitest/config';

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
      outputFile: { json: join(packageDir, '..', '..', '.test-reports', `${basename(packageDir)}.json`) },
    },
  });
}
