import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandFailedError, makeTempDir, run } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPkits, PKITS_TIME, type PkitsCase, validatePkitsCase } from './support/pkits.js';

/**
 * Every PKITS case through OpenSSL 3.0 (`openssl verify -x509_strict -policy_check -crl_check_all
 * -extended_crl -use_deltas`) beside kyso. Where they disagree the case is listed with the reason
 * OpenSSL gets it wrong; a disagreement nobody explained fails the test, and so does any case where
 * kyso and PKITS differ.
 */
const EXPLAINED: Record<string, string> = {
  '4.1.5':
    'OpenSSL does not implement DSA parameter inheritance (RFC 5280 §6.1.4 (e)): the CA key carries no parameters, so OpenSSL cannot verify what it signed and finds no issuer',
  '4.6.4':
    '-x509_strict makes OpenSSL reject a CA whose basicConstraints is not critical; RFC 5280 §4.2.1.9 asks CAs to mark it critical but PKITS expects a relying party to accept it',
  '4.14.30':
    'OpenSSL cannot validate the path of an indirect CRL issuer whose own certificate is covered by the CRL it issues; kyso accepts the CRL issuer already being validated further up (RFC 5280 §6.3.3 (f))',
};

const { certs, crls, cases } = loadPkits();
let dir: string;
const disagreements: string[] = [];
const unexplained: string[] = [];
let opensslRight = 0;

function pem(label: string, der: Uint8Array): string {
  const b64 = (
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  ).join('\n');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

beforeAll(() => {
  dir = makeTempDir('pkits-openssl');
  mkdirSync(join(dir, 'pem'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `OpenSSL gives PKITS's answer in ${opensslRight} of ${cases.length} cases; kyso in all it agrees on.`,
  );
  if (disagreements.length > 0) console.log(`kyso and OpenSSL disagree:\n  ${disagreements.join('\n  ')}`);
});

async function opensslVerdict(c: PkitsCase, index: number): Promise<{ valid: boolean; error: string }> {
  const chain = c.certs_root_to_ee.map((f) => certs.get(f)!);
  const base = join(dir, 'pem', String(index));
  writeFileSync(`${base}-anchor.pem`, pem('CERTIFICATE', chain[0]!.der));
  writeFileSync(
    `${base}-untrusted.pem`,
    chain
      .slice(1, -1)
      .map((x) => pem('CERTIFICATE', x.der))
      .join(''),
  );
  writeFileSync(`${base}-ee.pem`, pem('CERTIFICATE', chain[chain.length - 1]!.der));
  writeFileSync(`${base}-crls.pem`, c.crls.map((f) => pem('X509 CRL', crls.get(f)!.der)).join(''));
  const args = ['verify', '-x509_strict', '-policy_check', '-crl_check_all', '-extended_crl', '-use_deltas'];
  args.push('-attime', String(Math.floor(PKITS_TIME.getTime() / 1000)));
  for (const p of c.initial_policy_set) args.push('-policy', p);
  if (c.initial_explicit_policy) args.push('-explicit_policy');
  if (c.initial_policy_mapping_inhibit) args.push('-inhibit_map');
  if (c.initial_inhibit_any_policy) args.push('-inhibit_any');
  args.push('-CAfile', `${base}-anchor.pem`, '-CRLfile', `${base}-crls.pem`);
  if (chain.length > 2) args.push('-untrusted', `${base}-untrusted.pem`);
  args.push(`${base}-ee.pem`);
  try {
    await run('openssl', args);
    return { valid: true, error: '' };
  } catch (error) {
    if (error instanceof CommandFailedError) {
      const line = `${error.stdout}${error.stderr}`.split('\n').find((l) => /^error \d+/.test(l)) ?? '';
      return {
        valid: false,
        error: line.replace(/^error (\d+) at (\d+) depth lookup: /, 'error $1 at depth $2: '),
      };
    }
    throw error;
  }
}

describe('NIST PKITS: kyso beside OpenSSL 3.0', () => {
  it.each(
    cases.map((c, i) => [`${c.test_number}${c.subpart ? `.${c.subpart}` : ''} ${c.title}`, c, i] as const),
  )('%s', async (name, c, i) => {
    const report = await validatePkitsCase(c, certs, crls);
    const kyso = report.indication === 'TOTAL_PASSED';
    const { valid: openssl, error } = await opensslVerdict(c, i);
    if (openssl === c.should_validate) opensslRight += 1;
    expect(kyso).toBe(c.should_validate);
    if (kyso !== openssl) {
      const why = EXPLAINED[c.test_number];
      disagreements.push(
        `${name}: PKITS ${c.should_validate ? 'valid' : 'invalid'}, OpenSSL ${openssl ? 'valid' : `invalid (${error})`} — ${why ?? 'UNEXPLAINED'}`,
      );
      if (!why) unexplained.push(name);
    }
  });

  it('has an explanation for every disagreement', () => {
    expect(unexplained).toEqual([]);
  });
});
