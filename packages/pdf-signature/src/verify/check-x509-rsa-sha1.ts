import {
  type AlgorithmIdentifier,
  type Certificate,
  CMS_OIDS,
  isKysoError,
  parseCertificateDer,
  verifySignature,
} from '@kyso/core';
import type { PdfSignatureField } from '../reader/signatures.js';
import type { ByteSource, ByteSpan } from '../reader/source.js';
import type { IntactSignature } from './check-signature.js';
import { parsePdfDate } from './claimed-time.js';
import { coveredBytes } from './digest.js';
import { identityOf } from './identity.js';
import { fail, note, type SignatureReport } from './report.js';

/** The most covered bytes read whole: the PKCS#1 signature signs them, through WebCrypto. */
const MAX_COVERED = 64 * 1024 * 1024;

/** sha1WithRSAEncryption (RFC 8017 Appendix C), with its NULL parameters. */
const SHA1_WITH_RSA: AlgorithmIdentifier = {
  oid: '1.2.840.113549.1.1.5',
  der: Uint8Array.from([
    0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00,
  ]),
};
const RSA_KEY = '1.2.840.113549.1.1.1';

/**
 * The signature value of `adbe.x509.rsa_sha1`'s /Contents: a DER OCTET STRING (ISO 32000-1
 * §12.8.3.2), followed by the zero padding of the placeholder. Undefined when it is not one.
 */
function octetString(contents: Uint8Array): Uint8Array | undefined {
  if (contents[0] !== 0x04 || contents.length < 2) return undefined;
  let length = contents[1]!;
  let at = 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || contents.length < 2 + n) return undefined;
    length = 0;
    for (let i = 0; i < n; i += 1) length = length * 256 + contents[2 + i]!;
    at = 2 + n;
  }
  if (length === 0 || at + length > contents.length) return undefined;
  if (contents.subarray(at + length).some((b) => b !== 0)) return undefined;
  return contents.subarray(at, at + length);
}

/**
 * The checks of a legacy `adbe.x509.rsa_sha1` signature (ISO 32000-1 §12.8.3.2; ISO 32000-2
 * keeps it only for reading, deprecated): a PKCS#1 v1.5 RSA signature over the SHA-1 digest of
 * the ByteRange, as a DER OCTET STRING in /Contents, its certificates in /Cert with the signer's
 * first. No signed attributes, so no signing-certificate binding and no signature timestamp: it
 * verifies with a deprecation warning, and its certification path is validated as any other.
 */
export async function checkX509RsaSha1(
  report: SignatureReport,
  sig: PdfSignatureField,
  spans: readonly ByteSpan[],
  source: ByteSource,
): Promise<IntactSignature | undefined> {
  note(report, 'sub-filter', 'warning', {
    en: 'adbe.x509.rsa_sha1 is a legacy format (a bare RSA signature over SHA-1, no signed attributes) that ISO 32000-2 deprecates',
    vi: 'adbe.x509.rsa_sha1 là định dạng cũ (chữ ký RSA trực tiếp trên SHA-1, không có thuộc tính được ký), ISO 32000-2 không còn khuyến nghị',
  });
  const signature = octetString(sig.contents ?? new Uint8Array());
  if (!signature) {
    fail(
      report,
      'signature-value',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      'the /Contents of an adbe.x509.rsa_sha1 signature is not a DER OCTET STRING holding the RSA signature',
      '/Contents của chữ ký adbe.x509.rsa_sha1 không phải OCTET STRING DER chứa chữ ký RSA',
    );
    return undefined;
  }
  let certificates: Certificate[];
  try {
    certificates = (sig.certificates ?? []).map((der) => parseCertificateDer(der));
  } catch (error) {
    fail(
      report,
      'signer-certificate',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      `a certificate of /Cert cannot be read: ${(error as Error).message}`,
      'không đọc được một chứng thư số trong /Cert',
    );
    return undefined;
  }
  const certificate = certificates[0];
  if (!certificate) {
    fail(
      report,
      'signer-certificate',
      'NO_SIGNING_CERTIFICATE_FOUND',
      'INDETERMINATE',
      'an adbe.x509.rsa_sha1 signature carries its signer certificate in /Cert, and this one has none',
      'chữ ký adbe.x509.rsa_sha1 phải có chứng thư số của người ký trong /Cert, chữ ký này không có',
    );
    return undefined;
  }
  report.signer = identityOf(certificate);
  const cannot = (en: string, vi: string) => {
    fail(
      report,
      'signature',
      'CRYPTO_CONSTRAINTS_FAILURE',
      'INDETERMINATE',
      `kyso cannot verify this signature: ${en}`,
      `kyso không kiểm tra được chữ ký này: ${vi}`,
    );
    return undefined;
  };
  if (certificate.publicKey.algorithm.oid !== RSA_KEY)
    return cannot(
      `adbe.x509.rsa_sha1 is an RSA signature, and the /Cert key is ${certificate.publicKey.algorithm.oid}`,
      `adbe.x509.rsa_sha1 là chữ ký RSA, còn khóa trong /Cert là ${certificate.publicKey.algorithm.oid}`,
    );
  const covered = spans.reduce((n, s) => n + (s.end - s.start), 0);
  if (covered > MAX_COVERED)
    return cannot(
      `it signs the ${covered} covered bytes through WebCrypto, which kyso does up to ${MAX_COVERED} bytes`,
      `chữ ký ký trực tiếp ${covered} byte; kyso chỉ kiểm tra tới ${MAX_COVERED} byte`,
    );
  let valid: boolean;
  try {
    valid = await verifySignature({
      algorithm: SHA1_WITH_RSA,
      signature,
      data: await coveredBytes(source, spans),
      publicKey: certificate.publicKey,
    });
  } catch (error) {
    if (isKysoError(error) && error.code === 'ALGORITHM_UNSUPPORTED')
      return cannot(error.message, error.messageVi);
    throw error;
  }
  if (!valid) {
    // PKCS#1 v1.5 through WebCrypto does not say whether the digest or the value is wrong.
    fail(
      report,
      'signature',
      'SIG_CRYPTO_FAILURE',
      'TOTAL_FAILED',
      'the RSA signature does not verify over the signed bytes (they were changed, or it is not their signature)',
      'chữ ký RSA không khớp với các byte được ký (nội dung đã bị thay đổi, hoặc đây không phải chữ ký của chúng)',
    );
    return undefined;
  }
  report.intact = true;
  note(report, 'signature', 'passed', {
    en: 'the RSA signature over the SHA-1 digest of the signed bytes is correct',
    vi: 'chữ ký RSA trên giá trị băm SHA-1 của các byte được ký là đúng',
  });
  // The later steps read a signature through CMS's shape: the same facts, nothing added.
  return {
    certificate,
    signedData: {
      eContentType: CMS_OIDS.data,
      certificates,
      crls: [],
      ocspResponses: [],
      otherRevocationInfo: [],
      warnings: [],
      signers: [],
    },
    signer: {
      sid: {},
      digestAlgorithm: 'SHA-1',
      signatureAlgorithm: SHA1_WITH_RSA,
      signature,
      signingCertificateRefs: [],
      attributeProblems: [],
    },
    claims: { cms: null, pdf: parsePdfDate(sig.claimedSigningTime) },
  };
}
