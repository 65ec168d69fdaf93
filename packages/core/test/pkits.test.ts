import { afterAll, describe, expect, it } from 'vitest';
import { type CertificateValidationReport, validateCertificate } from '../src/index.js';
import { loadPkits, PKITS_TIME, type PkitsCase, validatePkitsCase } from './support/pkits.js';

const { certs, crls, cases } = loadPkits();
const anchor = certs.get('TrustAnchorRootCertificate.crt')!;
const tally = new Map<string, { pass: number; total: number }>();
const failures: string[] = [];

function record(section: string, ok: boolean, label: string, report: CertificateValidationReport) {
  const t = tally.get(section) ?? { pass: 0, total: 0 };
  t.total += 1;
  if (ok) t.pass += 1;
  else
    failures.push(
      `${label}: ${report.indication}/${report.subIndication} ${report.checks[0]?.message.en ?? ''}`,
    );
  tally.set(section, t);
}

function caseName(c: PkitsCase): string {
  return `${c.test_number}${c.subpart ? `.${c.subpart}` : ''} ${c.title}`;
}

describe('NIST PKITS with the prescribed inputs', () => {
  it.each(cases.map((c) => [caseName(c), c] as const))('%s', async (_name, c) => {
    const report = await validatePkitsCase(c, certs, crls);
    const valid = report.indication === 'TOTAL_PASSED';
    let ok = valid === c.should_validate;
    if (ok && valid && c.expected_user_constrained_policy_set) {
      ok =
        JSON.stringify(report.userConstrainedPolicySet) ===
        JSON.stringify([...c.expected_user_constrained_policy_set].sort());
    }
    record(`4.${c.test_number.split('.')[1]}`, ok, caseName(c), report);
    expect(valid, JSON.stringify(report.checks[0]?.message.en)).toBe(c.should_validate);
    if (valid && c.expected_user_constrained_policy_set) {
      expect(report.userConstrainedPolicySet).toEqual([...c.expected_user_constrained_policy_set].sort());
    }
  });
});

describe('NIST PKITS end entities with default inputs and the whole suite as the pool', () => {
  const pool = [...certs.entries()].filter(([f]) => !f.endsWith('EE.crt')).map(([, c]) => c);
  const allCrls = [...crls.values()];
  const ees = [...certs.keys()].filter((f) => /^(Valid|Invalid).*EE\.crt$/.test(f)).sort();
  it.each(ees)('%s', async (file) => {
    const report = await validateCertificate({
      certificate: certs.get(file)!,
      trustAnchors: [anchor],
      intermediates: pool,
      crls: allCrls,
      validationTime: PKITS_TIME,
      revocation: 'hard-fail',
    });
    const expected = file.startsWith('Valid');
    const ok = (report.indication === 'TOTAL_PASSED') === expected;
    record('pool', ok, `pool ${file}`, report);
    expect(report.indication === 'TOTAL_PASSED', JSON.stringify(report.checks[0]?.message.en)).toBe(expected);
  });
});

afterAll(() => {
  const rows = [...tally.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  console.log(`PKITS tally\n${rows.map(([s, t]) => `  ${s.padEnd(6)} ${t.pass}/${t.total}`).join('\n')}`);
  if (failures.length > 0) console.log(`PKITS cases kyso does not pass:\n  ${failures.join('\n  ')}`);
});
