// The closing tally of `pnpm test`, from the JSON reports vitest writes (one per package).
//
// vitest's JSON report (jest's format) counts a failing test in `numFailedTests`, and also counts
// every suite around it in `numFailedTestSuites`: the file and each enclosing `describe`. Adding
// the two counts one failure two or three times. A file can also fail with no failing test (it
// does not load, or a `beforeAll` throws): such a file counts once, as one failure.

/**
 * @param {Array<{ numPassedTests: number, numFailedTests: number, numPendingTests: number,
 *   numTodoTests?: number, testResults: Array<{ status: string, assertionResults: Array<{ status: string }> }> }>} reports
 * @returns {{ passed: number, failed: number, skipped: number, brokenFiles: number }}
 */
export function tally(reports) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let brokenFiles = 0;
  for (const r of reports) {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
    for (const file of r.testResults ?? []) {
      if (file.status === 'failed' && !file.assertionResults.some((a) => a.status === 'failed'))
        brokenFiles += 1;
    }
  }
  return { passed, failed: failed + brokenFiles, skipped, brokenFiles };
}
