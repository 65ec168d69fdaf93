import type { DerElement } from '../lib/der.js';
import type { RevocationRecord, ValidationContext } from '../path/types.js';
import type { Certificate } from '../x509/certificate.js';
import { type Crl, parseCrlDer } from '../x509/crl.js';
import { crlStatus } from './crl-status.js';
import { type OcspOutcome, ocspStatus, storedOcspStatus } from './ocsp.js';

/**
 * The revocation status of one certificate of a path: first from the CRLs the caller gave, then,
 * when a Transport is available, from the certificate's OCSP responders, then from CRLs fetched at
 * its distribution points.
 */
export async function checkRevocation(
  cert: Certificate,
  index: number,
  issuer: Certificate,
  issuerDsaParams: DerElement | undefined,
  anchor: Certificate,
  ctx: ValidationContext,
): Promise<RevocationRecord> {
  const record: RevocationRecord = {
    certificateIndex: index,
    serialHex: cert.serialHex,
    status: 'unknown',
    source: 'none',
  };
  const problems: string[] = [];
  const fromCrls = await crlStatus(cert, issuer, issuerDsaParams, anchor, ctx, ctx.crls);
  if (fromCrls.status !== 'unknown') return finish(record, 'crl', fromCrls.status, fromCrls.entry);
  problems.push(...fromCrls.problems);

  const stored = await storedOcspStatus(cert, issuer, ctx);
  if (stored.status !== 'unknown') return fromOcsp(record, stored);
  problems.push(...stored.problems);

  if (ctx.transport) {
    const ocsp = await ocspStatus(cert, issuer, ctx);
    if (ocsp.status !== 'unknown') return fromOcsp(record, ocsp);
    problems.push(...ocsp.problems);
    const fetched = await fetchCrls(cert, ctx, problems);
    if (fetched.length > 0) {
      const fromFetched = await crlStatus(cert, issuer, issuerDsaParams, anchor, ctx, [
        ...ctx.crls,
        ...fetched,
      ]);
      if (fromFetched.status !== 'unknown')
        return finish(record, 'crl', fromFetched.status, fromFetched.entry);
      problems.push(...fromFetched.problems);
    }
  }
  record.problems = [...new Set(problems)];
  return record;
}

function fromOcsp(record: RevocationRecord, ocsp: OcspOutcome): RevocationRecord {
  record.status = ocsp.status;
  record.source = 'ocsp';
  if (ocsp.status === 'revoked') {
    record.reason = ocsp.reason ?? 'unspecified';
    record.revocationTime = ocsp.revocationTime!.toISOString();
  }
  return record;
}

function finish(
  record: RevocationRecord,
  source: 'crl',
  status: 'good' | 'revoked',
  entry?: { reason: string; revocationDate: Date },
): RevocationRecord {
  record.status = status;
  record.source = source;
  if (entry) {
    record.reason = entry.reason;
    record.revocationTime = entry.revocationDate.toISOString();
  }
  return record;
}

async function fetchCrls(cert: Certificate, ctx: ValidationContext, problems: string[]): Promise<Crl[]> {
  const urls = new Set<string>();
  for (const dp of [
    ...(cert.extensions.cRLDistributionPoints ?? []),
    ...(cert.extensions.freshestCRL ?? []),
  ]) {
    for (const name of dp.fullName ?? []) {
      if (name.type === 'uniformResourceIdentifier' && /^https?:/i.test(name.value)) urls.add(name.value);
    }
  }
  const out: Crl[] = [];
  for (const url of urls) {
    try {
      out.push(parseCrlDer(await ctx.transport!.fetch({ purpose: 'crl', url, method: 'GET' })));
    } catch (error) {
      problems.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return out;
}
