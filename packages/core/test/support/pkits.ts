import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Certificate, type Crl, parseCertificateDer, parseCrlDer } from '../../src/index.js';

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
