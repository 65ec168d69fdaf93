import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Certificate, parseCertificates, parseCrl, validateCertificate } from '../src/index.js';
import { validDnsName, validMailbox } from '../src/path/name-constraints.js';

/**
 * Every stricter rule of issue 10 item 7 run over every real national certificate in
 * `shared/trust/vn/` before it became a default (pades-notes G5): the anchor rules, the key
 * identifier rule of path building, name constraints in end-entity certificates, malformed
 * subjectAltNames, and the CRL number. None of them may flag a real certificate.
 */
const VN = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'trust', 'vn');
const files = readFileSync(join(VN, 'certs.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t')[0]!);
const all: [string, Certificate][] = files.flatMap((f) =>
  parseCertificates(new Uint8Array(readFileSync(join(VN, f)))).map((c) => [f, c] as [string, Certificate]),
);
const roots = all.filter(([, c]) => c.selfIssued).map(([, c]) => c);
const others = all.filter(([, c]) => !c.selfIssued).map(([, c]) => c);
const NEW_RULES = [
  'anchor-validity',
  'anchor-critical-extensions',
  'anchor-basic-constraints',
  'end-entity-name-constraints',
];

describe('the stricter certificate rules over the real Vietnamese certificates', () => {
  it.each(
    all.map(([f, c]) => [f, c] as const),
  )('%s chains under the new rules as it did', async (_f, cert) => {
    // Inside the certificate's own validity and every CA's here (the G1 and MIC hierarchies are old).
    const time = new Date(Math.max(cert.notBefore.getTime(), Date.UTC(2014, 6, 1)) + 86_400_000);
    const report = await validateCertificate({
      certificate: cert,
      trustAnchors: roots,
      intermediates: others,
      validationTime: time > cert.notAfter ? cert.notBefore : time,
      revocation: 'none',
    });
    for (const check of report.checks) expect(NEW_RULES, check.message.en).not.toContain(check.id);
    expect(report.checks.some((c) => /malformed/.test(c.message.en))).toBe(false);
    expect(report.indication, report.checks[0]?.message.en).toBe('TOTAL_PASSED');
  });

  it('no subjectAltName is malformed, no end entity carries name constraints, every root is a CA', () => {
    for (const [file, c] of all) {
      for (const n of c.extensions.subjectAltName?.names ?? []) {
        if (n.type === 'dNSName') expect(validDnsName(n.value), `${file} ${n.value}`).toBe(true);
        if (n.type === 'rfc822Name') expect(validMailbox(n.value), `${file} ${n.value}`).toBe(true);
      }
      if (!c.extensions.basicConstraints?.ca) expect(c.extensions.nameConstraints, file).toBeUndefined();
      if (c.selfIssued) expect(c.extensions.basicConstraints?.ca, file).toBe(true);
    }
  });

  it('the NEAC G3 CRL has its CRL number, not critical', () => {
    const crl = parseCrl(new Uint8Array(readFileSync(join(VN, 'neac', 'vnrca-g3.crl'))));
    expect(crl.crlNumber).toBeDefined();
    expect(crl.crlNumberCritical).toBeUndefined();
  });
});
