import {
  type Certificate,
  createCachingTransport,
  createHttpTransport,
  offlineTransport,
  validateCertificate,
} from '@kyso/core';
import { readCertificates } from '@kyso/core/node';
import { vietnamDate } from '@kyso/lifecycle-rules';
import { crlsFromOptions, requireFile, trustFromOptions } from './trust-options.js';

/** What core found about a certificate's revocation, for the lifecycle rules. */
export interface RevocationFinding {
  status: 'good' | 'revoked' | 'unknown' | 'not-checked';
  source: 'crl' | 'ocsp' | 'none';
  /** The Vietnam date of the revocation, when revoked. */
  revokedOn: string | null;
  reason: string | null;
  /** When the status was established (ISO 8601). */
  checkedAt: string;
  /** Why the status could not be established. */
  problems: string[];
}

/**
 * Reads a certificate's revocation status through core: path building to the `--trust`/`--profile`
 * anchors, then the `--crl` files, then (with `--ocsp`) the OCSP responder and CRL distribution
 * points the certificates name. Nghị định 68/2024/NĐ-CP Điều 31 khoản 2 has the status read from the
 * CA's CRL or OCSP. The status is the one known now (a revocation is a fact that only grows), taken at
 * the certificate's last moment once it has expired, so that an expired path still validates.
 */
export async function revocationFromOptions(
  certificate: Certificate,
  bundled: readonly Certificate[],
  options: {
    crl: readonly string[];
    ocsp: boolean;
    trust: readonly string[];
    profile: readonly string[];
    intermediate: readonly string[];
  },
  now: Date = new Date(),
): Promise<RevocationFinding> {
  const anchors = trustFromOptions(options.profile, options.trust);
  const intermediates = [
    ...bundled,
    ...options.intermediate.flatMap((p) => readCertificates(requireFile(p))),
  ];
  const lastMoment = new Date(certificate.notAfter.getTime() - 1000);
  const checkedAt = now < lastMoment ? now : lastMoment;
  const report = await validateCertificate({
    certificate,
    trustAnchors: anchors,
    intermediates,
    crls: crlsFromOptions(options.crl),
    validationTime: checkedAt,
    // Soft-fail: an unknown status is reported as such, not turned into a failed path.
    revocation: 'soft-fail',
    transport: options.ocsp ? createCachingTransport(createHttpTransport()) : offlineTransport,
  });
  const leafIndex = report.path.findIndex((p) => p.role === 'end-entity');
  const record = report.revocation.find((r) => r.certificateIndex === leafIndex);
  if (!record) {
    return {
      status: 'unknown',
      source: 'none',
      revokedOn: null,
      reason: null,
      checkedAt: checkedAt.toISOString(),
      problems: report.checks.filter((c) => c.status === 'failed').map((c) => c.message.en),
    };
  }
  return {
    status: record.status,
    source: record.source,
    revokedOn: record.revocationTime ? vietnamDate(new Date(record.revocationTime)) : null,
    reason: record.reason ?? null,
    checkedAt: checkedAt.toISOString(),
    problems: record.problems ?? [],
  };
}
