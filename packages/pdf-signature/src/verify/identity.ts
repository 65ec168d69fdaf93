import { type Certificate, describeCertificate, type SignerIdentity } from '@kyso/core';

/** Whether and how a report carries the certificates themselves. */
export type CertificateEncoding = 'pem' | 'der';

/**
 * Who a certificate names, for a report: names, kind (core's certificate profile, or the kind the
 * caller knows, such as a TSA), issuer, serial, fingerprint, validity and the identifiers
 * Vietnamese certificates carry in their subject; with `encoding`, the certificate too.
 */
export function identityOf(
  certificate: Certificate,
  options: { kind?: SignerIdentity['kind']; encoding?: CertificateEncoding } = {},
): SignerIdentity {
  const d = describeCertificate(certificate);
  const base64 = toBase64(certificate.der);
  return {
    commonName: d.subject.commonName,
    organization: d.subject.organization,
    kind: options.kind ?? d.kind,
    subject: d.subject.text,
    issuer: d.issuer.text,
    serialNumber: d.serialNumber,
    fingerprintSha256: d.fingerprint,
    notBefore: d.notBefore,
    notAfter: d.notAfter,
    identifiers: d.identifiers.map(({ type, value }) => ({ type, value })),
    ...(options.encoding === 'der' ? { certificate: base64 } : {}),
    ...(options.encoding === 'pem'
      ? {
          certificate: `-----BEGIN CERTIFICATE-----\n${base64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`,
        }
      : {}),
  };
}

/** Base64 without Node's Buffer, so the root entry stays browser-safe. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 0x8000)));
  return btoa(binary);
}
