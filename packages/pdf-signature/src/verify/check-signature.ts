import {
  type Certificate,
  CMS_OIDS,
  isKysoError,
  parseSignedData,
  type SignedData,
  type SignerInfo,
  signerInfoCountProblem,
  type TimestampVerification,
  verifySignerInfo,
  verifyTimestampToken,
} from '@kyso/core';
import type { PdfSignatureField } from '../reader/signatures.js';
import type { ByteSource, ByteSpan } from '../reader/source.js';
import { parsePdfDate } from './claimed-time.js';
import { coveredBytes, type DigestName } from './digest.js';
import { type CertificateEncoding, identityOf } from './identity.js';
import { fail, note, type SignatureReport } from './report.js';

/** The most covered bytes read whole to verify a signature without signed attributes. */
const MAX_UNATTRIBUTED_CONTENT = 64 * 1024 * 1024;

/** What the cryptographic checks of a signature found, for the certificate and time steps. */
export interface IntactSignature {
  certificate: Certificate;
  signedData: SignedData;
  signer: SignerInfo;
  /** The signature timestamp, when its imprint, TSA signature and TSA certificate check out. */
  timestamp?: TimestampVerification;
  /** The times the signer claims. */
  claims: { cms: Date | null; pdf: Date | null };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** An algorithm kyso does not know: not shown wrong, only not checkable here. */
function cannotVerify(report: SignatureReport, id: string, why: string, whyVi: string): void {
  fail(
    report,
    id,
    'CRYPTO_CONSTRAINTS_FAILURE',
    'INDETERMINATE',
    `kyso cannot verify this signature: ${why}`,
    `kyso không kiểm tra được chữ ký này: ${whyVi}`,
  );
}

/**
 * The structural and cryptographic checks of one signature (`/Sig`): a readable CMS with exactly
 * one SignerInfo (ISO 32000-2 §12.8.3.4.3), detached over the ByteRange, content-type id-data,
 * the digest, the signature value, and for ETSI.CAdES.detached the signing-certificate attribute.
 * Returns what the later steps need when the signature is intact; otherwise the report says why.
 */
export async function checkSignatureCms(
  report: SignatureReport,
  sig: PdfSignatureField,
  spans: readonly ByteSpan[],
  source: ByteSource,
  digestOf: (hash: DigestName) => Promise<Uint8Array>,
  encoding?: CertificateEncoding,
): Promise<IntactSignature | undefined> {
  let sd: SignedData;
  try {
    sd = parseSignedData(sig.contents ?? new Uint8Array());
  } catch (error) {
    if (isKysoError(error) && error.code === 'ALGORITHM_UNSUPPORTED') {
      cannotVerify(report, 'cms', error.message, error.messageVi);
      return undefined;
    }
    fail(
      report,
      'cms',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      `the signature is not readable CMS: ${(error as Error).message}`,
      'chữ ký không phải CMS đọc được',
    );
    return undefined;
  }
  // Core words its warnings in English only; each is, by its contract, revocation data carried in
  // the signature that cannot be read and is left out.
  for (const warning of sd.warnings)
    note(report, 'cms', 'warning', {
      en: warning,
      vi: 'CMS: một mục dữ liệu thu hồi đi kèm chữ ký (CRL, phản hồi OCSP) không đọc được nên bị bỏ qua',
    });
  if (signerInfoCountProblem(sd) !== undefined) {
    fail(
      report,
      'cms',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      `a PDF signature holds exactly one SignerInfo (ISO 32000-2 §12.8.3.4.3); this one holds ${sd.signers.length}`,
      `chữ ký PDF phải có đúng một SignerInfo (ISO 32000-2 §12.8.3.4.3); chữ ký này có ${sd.signers.length}`,
    );
    return undefined;
  }
  const signer = sd.signers[0]!;
  if (sd.eContentType !== CMS_OIDS.data) {
    fail(
      report,
      'cms',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      `the signed content type is ${sd.eContentType}, not id-data (RFC 5652 §5.2)`,
      `kiểu nội dung được ký là ${sd.eContentType}, không phải id-data (RFC 5652 §5.2)`,
    );
    return undefined;
  }
  let digest: Uint8Array;
  if (sig.subFilter === 'adbe.pkcs7.sha1') {
    // ISO 32000-1 §12.8.3.3.1: the CMS encapsulates the SHA-1 digest of the ByteRange, and signs
    // that. (ISO 32000-2 deprecates it: SHA-1 no longer resists collisions.)
    const documentDigest = await digestOf('SHA-1');
    if (!sd.eContent || !bytesEqual(sd.eContent, documentDigest)) {
      fail(
        report,
        'digest',
        'HASH_FAILURE',
        'TOTAL_FAILED',
        'the signed bytes were changed: the SHA-1 digest the signature encapsulates does not match',
        'nội dung đã ký bị thay đổi: giá trị băm SHA-1 trong chữ ký không khớp',
      );
      return undefined;
    }
    note(report, 'sub-filter', 'warning', {
      en: 'adbe.pkcs7.sha1 hashes the document with SHA-1, which ISO 32000-2 deprecates',
      vi: 'adbe.pkcs7.sha1 băm văn bản bằng SHA-1, thuật toán ISO 32000-2 không còn khuyến nghị',
    });
    digest = new Uint8Array(
      await globalThis.crypto.subtle.digest(signer.digestAlgorithm, new Uint8Array(sd.eContent)),
    );
  } else {
    // The other subfilters are detached: the CMS signs the ByteRange. One that carries its own
    // content signs that instead (DSS's enveloping-CMS case), which they do not provide for.
    if (sd.eContent !== undefined && sd.eContent.length > 0) {
      fail(
        report,
        'cms',
        'FORMAT_FAILURE',
        'TOTAL_FAILED',
        'the CMS carries its own signed content instead of signing the document bytes (not detached)',
        'CMS chứa nội dung riêng thay vì ký các byte của văn bản (không phải chữ ký tách rời)',
      );
      return undefined;
    }
    digest = await digestOf(signer.digestAlgorithm);
  }
  // Without signed attributes the signature covers the content itself (RFC 5652 §5.4): the
  // encapsulated digest of adbe.pkcs7.sha1, or the covered bytes, read whole when they fit.
  let content: Uint8Array | undefined;
  let unverifiable: string | undefined;
  const covered = spans.reduce((n, s) => n + (s.end - s.start), 0);
  if (!signer.signedAttributesDer) {
    if (sig.subFilter === 'ETSI.CAdES.detached')
      unverifiable =
        'the signature has no signed attributes, which PAdES (ETSI EN 319 142-1) requires: content-type, message-digest and signing-certificate';
    else if (sig.subFilter === 'adbe.pkcs7.sha1') content = sd.eContent;
    else if (covered > MAX_UNATTRIBUTED_CONTENT)
      unverifiable = `the signature has no signed attributes, so it signs the ${covered} covered bytes themselves; kyso verifies such signatures up to ${MAX_UNATTRIBUTED_CONTENT} bytes`;
    else content = await coveredBytes(source, spans);
  }
  const v = await verifySignerInfo(sd, signer, digest, [], content ? { content } : {});
  if (v.certificate) report.signer = identityOf(v.certificate, encoding ? { encoding } : {});
  if (unverifiable) {
    // Not shown to be changed: a constraint kyso cannot check, not a hash failure.
    fail(
      report,
      'signed-attributes',
      'SIG_CONSTRAINTS_FAILURE',
      'INDETERMINATE',
      `${unverifiable}; kyso does not verify it`,
      'chữ ký không có thuộc tính được ký; kyso không kiểm tra được chữ ký này',
    );
    return undefined;
  }
  if (!signer.signedAttributesDer) {
    note(report, 'signed-attributes', 'warning', {
      en: 'the signature has no signed attributes: it signs the content itself, and no signing-certificate attribute binds the certificate to it',
      vi: 'chữ ký không có thuộc tính được ký: chữ ký ký trực tiếp nội dung, không có thuộc tính signing-certificate gắn chứng thư số với chữ ký',
    });
  } else if (v.contentType !== 'ok' || !v.attributesWellFormed) {
    fail(
      report,
      'cms',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      v.contentType !== 'ok'
        ? `the content-type attribute is ${v.contentType === 'absent' ? 'missing' : 'not the signed content type'}: it must be id-data (RFC 5652 §11.1)`
        : `the signed attributes are malformed: ${(signer.attributeProblems ?? []).join('; ')}`,
      v.contentType !== 'ok'
        ? 'thuộc tính content-type thiếu hoặc khác kiểu nội dung được ký, id-data (RFC 5652 §11.1)'
        : 'các thuộc tính được ký bị sai định dạng (trùng lặp hoặc nhiều giá trị)',
    );
    return undefined;
  }
  if (!v.digestMatches) {
    fail(
      report,
      'digest',
      'HASH_FAILURE',
      'TOTAL_FAILED',
      'the signed bytes were changed: the digest does not match',
      'nội dung đã ký bị thay đổi: giá trị băm không khớp',
    );
    return undefined;
  }
  if (!v.certificate) {
    fail(
      report,
      'signer-certificate',
      'NO_SIGNING_CERTIFICATE_FOUND',
      'INDETERMINATE',
      'the signer certificate is not in the signature',
      'không tìm thấy chứng thư số của người ký',
    );
    return undefined;
  }
  if (v.unsupportedAlgorithm) {
    cannotVerify(
      report,
      'signature',
      v.unsupportedAlgorithm,
      'kyso không hỗ trợ thuật toán chữ ký hoặc loại khóa của chữ ký này',
    );
    return undefined;
  }
  if (!v.signatureValid) {
    fail(
      report,
      'signature',
      'SIG_CRYPTO_FAILURE',
      'TOTAL_FAILED',
      'the signature value does not verify',
      'giá trị chữ ký không hợp lệ',
    );
    return undefined;
  }
  if (signer.signedAttributesInDerOrder === false) {
    // RFC 5652 §5.4 hashes the DER encoding of the signed attributes; these are not in DER
    // order, so a verifier that re-encodes them (EU DSS, DSS-818) finds the hash different.
    // kyso verifies the bytes as signed, as Adobe Reader and pdfsig do: nothing was altered,
    // and @signpdf (node-forge) signs every attribute set this way. It says so.
    note(report, 'signed-attributes', 'warning', {
      en: 'the signed attributes are not in DER order (RFC 5652 §5.4); the signature verifies over them as signed, but validators that re-encode them (EU DSS) report HASH_FAILURE',
      vi: 'các thuộc tính được ký không theo thứ tự DER (RFC 5652 §5.4); chữ ký đúng trên dữ liệu như đã ký, nhưng các trình kiểm tra mã hóa lại (EU DSS) sẽ báo HASH_FAILURE',
    });
  }
  if (v.signingCertificateBinding === 'mismatch') {
    fail(
      report,
      'signing-certificate',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      'the signing-certificate attribute names another certificate',
      'thuộc tính signing-certificate trỏ tới chứng thư khác',
    );
    return undefined;
  }
  report.intact = true;
  note(report, 'signature', 'passed', {
    en: 'the digest and the signature value are correct',
    vi: 'giá trị băm và chữ ký đúng',
  });
  if (sig.subFilter === 'ETSI.CAdES.detached' && v.signingCertificateBinding === 'absent') {
    // PAdES binds the certificate with a signed signing-certificate(-v2) attribute (ISO 32000-2
    // §12.8.3.4.5 a; ETSI EN 319 142-1): without it, another certificate with the same key could
    // be substituted. The signature is intact, but not one PAdES accepts.
    fail(
      report,
      'signing-certificate',
      'SIG_CONSTRAINTS_FAILURE',
      'INDETERMINATE',
      'the ETSI.CAdES.detached signature has no signing-certificate attribute binding its certificate (ISO 32000-2 §12.8.3.4.5)',
      'chữ ký ETSI.CAdES.detached không có thuộc tính signing-certificate gắn chứng thư số của nó (ISO 32000-2 §12.8.3.4.5)',
    );
    return undefined;
  }
  const claims = { cms: signer.signingTime ?? null, pdf: parsePdfDate(sig.claimedSigningTime) };
  const timestamp = signer.timestampToken ? await checkSignatureTimestamp(report, signer) : undefined;
  return { certificate: v.certificate, signedData: sd, signer, claims, ...(timestamp ? { timestamp } : {}) };
}

/**
 * The signature timestamp's own checks: its imprint over the signature value, the TSA's
 * signature, a TSA certificate with timeStamping as its only, critical, extended key usage. One
 * that fails is dropped as a proof of existence with a warning (ETSI EN 319 102-1 §5.6.2.3): the
 * signature is then judged as if it had none, never failed for it.
 */
async function checkSignatureTimestamp(
  report: SignatureReport,
  signer: SignerInfo,
): Promise<TimestampVerification | undefined> {
  const drop = (en: string, vi: string) => {
    note(report, 'timestamp', 'warning', {
      en: `the signature timestamp is not used as proof of the signing time: ${en}`,
      vi: `dấu thời gian của chữ ký không được dùng làm bằng chứng thời điểm ký: ${vi}`,
    });
    return undefined;
  };
  let ts: TimestampVerification;
  try {
    ts = await verifyTimestampToken(signer.timestampToken!, signer.signature);
  } catch (error) {
    return drop(`it cannot be read (${(error as Error).message})`, 'không đọc được dấu thời gian');
  }
  if (!ts.imprintMatches || !ts.signatureValid || !ts.tsaCertificate)
    return drop(ts.problems.join('; ') || 'it does not verify', 'dấu thời gian không hợp lệ');
  if (!ts.valid && ts.tsaKeyUsageOk)
    return drop(ts.problems.join('; ') || 'it does not verify', 'dấu thời gian không hợp lệ');
  if (!ts.tsaKeyUsageOk)
    return drop(
      'its TSA certificate does not have timeStamping as its only, critical, extended key usage (RFC 3161 §2.3)',
      'chứng thư số của máy chủ dấu thời gian không có mục đích sử dụng duy nhất timeStamping, đánh dấu critical (RFC 3161 §2.3)',
    );
  report.timestamped = true;
  return ts;
}
