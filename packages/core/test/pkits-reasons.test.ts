import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCertificate } from '../src/index.js';
import { loadPkits, PKITS_DIR, PKITS_TIME } from './support/pkits.js';

/**
 * pyHanko's table of the same suite names why each failing case fails. kyso must fail for the same
 * reason, at the same certificate of the path: this maps pyHanko's messages to kyso's check ids.
 */
interface PyHankoCase {
  id: string;
  name: string;
  cert: string;
  other_certs?: string[];
  crls?: string[];
  revocation?: boolean;
  params?: {
    user_initial_policy_set?: string[];
    initial_explicit_policy?: boolean;
    initial_policy_mapping_inhibit?: boolean;
    initial_any_policy_inhibit?: boolean;
  };
  error?: { class: string; msg_regex: string };
}

const REASONS: [RegExp, string[]][] = [
  [/no valid set of policies|policy mapping for the "any policy"/, ['policy']],
  [/was revoked/, ['revocation']],
  [/permitted names|excluded from the namespace/, ['name-constraints']],
  [/revocation information could be found|revocation checks failed/, ['revocation']],
  [/maximum path length/, ['path-length']],
  [/is not a CA/, ['basic-constraints']],
  [/signature of .* could not be verified/, ['signature']],
  [/expired|is not valid until/, ['validity']],
  // kyso builds paths by name, so a name that does not chain means no path at all.
  [/issuer name could not be matched/, ['path-building', 'name-chaining']],
  [/not allowed to sign certificates/, ['key-usage']],
  [/unsupported critical/, ['critical-extensions']],
];

const { certs, crls } = loadPkits();
const anchor = certs.get('TrustAnchorRootCertificate.crt')!;
const table = JSON.parse(
  readFileSync(join(PKITS_DIR, 'pyhanko-certvalidator-pkits.json'), 'utf8'),
) as PyHankoCase[];

describe('PKITS failure reasons agree with pyHanko', () => {
  it.each(
    table.map((c, i) => [`${c.id} ${c.name}${c.params ? ` #${i}` : ''}`, c] as const),
  )('%s', async (_n, c) => {
    const report = await validateCertificate({
      certificate: certs.get(c.cert)!,
      trustAnchors: [anchor],
      intermediates: (c.other_certs ?? []).map((f) => certs.get(f)!),
      // pyHanko lists the CRLs below the anchor; the anchor's own CRL covers the first CA.
      crls: [...new Set(['TrustAnchorRootCRL.crl', ...(c.crls ?? [])])].map((f) => crls.get(f)!),
      validationTime: PKITS_TIME,
      revocation: c.revocation === false ? 'none' : 'hard-fail',
      policy: {
        ...(c.params?.user_initial_policy_set ? { initialPolicySet: c.params.user_initial_policy_set } : {}),
        explicitPolicy: c.params?.initial_explicit_policy ?? false,
        inhibitPolicyMapping: c.params?.initial_policy_mapping_inhibit ?? false,
        inhibitAnyPolicy: c.params?.initial_any_policy_inhibit ?? false,
      },
    });
    if (!c.error) {
      expect(report.indication, report.checks[0]?.message.en).toBe('TOTAL_PASSED');
      return;
    }
    expect(report.indication).not.toBe('TOTAL_PASSED');
    const failed = report.checks.find((k) => k.status === 'failed')!;
    const expected = REASONS.find(([re]) => re.test(c.error!.msg_regex))?.[1];
    expect(expected, `no mapping for: ${c.error.msg_regex}`).toBeDefined();
    expect(expected, `pyHanko: ${c.error.msg_regex}\nkyso: ${failed.id}: ${failed.message.en}`).toContain(
      failed.id,
    );
    const intermediate = /intermediate certificate (\d+)/.exec(c.error.msg_regex);
    if (intermediate) expect(failed.certificateIndex).toBe(Number(intermediate[1]));
    else if (/end-entity/.test(c.error.msg_regex) && failed.id !== 'path-building') {
      expect(failed.certificateIndex).toBe(report.path.length - 1);
    }
  });
});
