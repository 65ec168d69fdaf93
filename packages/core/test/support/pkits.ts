import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Certificate,
  type CertificateValidationReport,
  type Crl,
  parseCertificateDer,
  parseCrlDer,
  validateCertificate,
} from '../../src/index.js';

/** NIST PKITS, read by path from the shared conformance material (never copied into the repo). */
export const PKITS_DIR = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'pkits',
);

/** One PKITS test or sub-part, as `pkits-testcases.json` describes it. */
export interface PkitsCase {
  test_number: string;
  title: string;
  subpart: number | null;
  certs_root_to_ee: string[];
  crls: string[];
  should_validate: boolean;
  initial_policy_set: string[];
  initial_explicit_policy: boolean;
  initial_policy_mapping_inhibit: boolean;
  initial_inhibit_any_policy: boolean;
  expected_user_constrained_policy_set: string[] | null;
}

export function loadPkits() {
  const certs = new Map<string, Certificate>();
  for (const f of readdirSync(join(PKITS_DIR, 'certs'))) {
    certs.set(f, parseCertificateDer(new Uint8Array(readFileSync(join(PKITS_DIR, 'certs', f)))));
  }
  const crls = new Map<string, Crl>();
  for (const f of readdirSync(join(PKITS_DIR, 'crls'))) {
    crls.set(f, parseCrlDer(new Uint8Array(readFileSync(join(PKITS_DIR, 'crls', f)))));
  }
  const cases = JSON.parse(readFileSync(join(PKITS_DIR, 'pkits-testcases.json'), 'utf8')) as PkitsCase[];
  return { certs, crls, cases };
}

/** Any validation time between 2010 and 2030 works for PKITS. */
export const PKITS_TIME = new Date('2025-06-01T00:00:00Z');

/** Validates one PKITS case with its prescribed chain, CRLs and policy inputs (hard-fail). */
export function validatePkitsCase(
  c: PkitsCase,
  certs: Map<string, Certificate>,
  crls: Map<string, Crl>,
): Promise<CertificateValidationReport> {
  const chain = c.certs_root_to_ee.map((f) => certs.get(f)!);
  return validateCertificate({
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
}
