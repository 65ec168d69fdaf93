import { beforeAll, describe, expect, it } from 'vitest';
import { validateCertificate } from '../src/index.js';
import { useNodeCrypto } from '../src/node.js';
import { loadPkits, PKITS_TIME } from './support/pkits.js';

/** The same PKITS verdicts with node:crypto doing the signature checks (the CLI's set-up). */
const { certs, crls, cases } = loadPkits();

beforeAll(() => useNodeCrypto());

describe('NIST PKITS with node:crypto signature verification', () => {
  it.each(
    cases.map((c) => [`${c.test_number}${c.subpart ? `.${c.subpart}` : ''} ${c.title}`, c] as const),
  )('%s', async (_n, c) => {
    const chain = c.certs_root_to_ee.map((f) => certs.get(f)!);
    const report = await validateCertificate({
      certificate: chain[chain.length - 1]!,
      trustAnchors: [chain[0]!],
      intermediates: chain.slice(1, -1),
      crls: c.crls.map((f) => crls.get(f)!),
      validationTime: PKITS_TIME,
      revocation: 'hard-fail',
      policy: {
        initialPolicySet: c.initial_policy_set,
        explicitPolicy: c.initial_explicit_policy,
        inhibitPolicyMapping: c.initial_policy_mapping_inhibit,
        inhibitAnyPolicy: c.initial_inhibit_any_policy,
      },
    });
    expect(report.indication === 'TOTAL_PASSED').toBe(c.should_validate);
  });
});
