import type { DerElement } from '../lib/der.js';
import type { RevocationRecord, ValidationContext } from '../path/types.js';
import type { Certificate } from '../x509/certificate.js';
import { crlStatus } from './crl-status.js';

/**
 * The revocation status of one certificate of a path, from the CRLs the caller gave. (OCSP and CRLs
 * fetched through the Transport come in the same place.)
 */
export async function checkRevocation(
  cert: Certificate,
  index: number,
  issuer: Certificate,
  issuerDsaParams: DerElement | undefined,
  anchor: Certificate,
  ctx: ValidationContext,
): Promise<RevocationRecord> {
  const fromCrls = await crlStatus(cert, issuer, issuerDsaParams, anchor, ctx, ctx.crls);
  const record: RevocationRecord = {
    certificateIndex: index,
    serialHex: cert.serialHex,
    status: fromCrls.status,
    source: fromCrls.status === 'unknown' ? 'none' : 'crl',
  };
  if (fromCrls.entry) {
    record.reason = fromCrls.entry.reason;
    record.revocationTime = fromCrls.entry.revocationDate.toISOString();
  }
  if (fromCrls.status === 'unknown') record.problems = [...new Set(fromCrls.problems)];
  return record;
}
