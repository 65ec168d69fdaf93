import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeCrypto } from '../src/node.js';
import { loadPkits, validatePkitsCase } from './support/pkits.js';

/** The same PKITS verdicts with node:crypto doing the signature checks (the CLI's set-up). */
const { certs, crls, cases } = loadPkits();

beforeAll(() => useNodeCrypto());

describe('NIST PKITS with node:crypto signature verification', () => {
  it.each(
    cases.map((c) => [`${c.test_number}${c.subpart ? `.${c.subpart}` : ''} ${c.title}`, c] as const),
  )('%s', async (_n, c) => {
    const report = await validatePkitsCase(c, certs, crls);
    expect(report.indication === 'TOTAL_PASSED').toBe(c.should_validate);
  });
});
