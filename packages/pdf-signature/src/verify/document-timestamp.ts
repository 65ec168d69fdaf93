import { isKysoError, type TimestampVerification, verifyTimestampToken } from '@kyso/core';
import type { DigestName } from './digest.js';
import { type CertificateEncoding, identityOf } from './identity.js';
import { fail, note, type SignatureReport } from './report.js';

/**
 * The cryptographic checks of a document timestamp (ISO 32000-2 §12.8.5): an RFC 3161 token whose
 * imprint is the digest of the byte ranges, signed by its TSA, whose certificate has timeStamping
 * as its only, critical, extended key usage. The TSA's path is validated later, with the proofs
 * of existence that later timestamps give it.
 */
export async function checkDocumentTimestamp(
  report: SignatureReport,
  token: Uint8Array,
  digestOf: (hash: DigestName) => Promise<Uint8Array>,
  encoding?: CertificateEncoding,
): Promise<TimestampVerification | undefined> {
  let ts: TimestampVerification;
  try {
    ts = await verifyTimestampToken(token, digestOf);
  } catch (error) {
    if (isKysoError(error) && error.code === 'ALGORITHM_UNSUPPORTED') {
      fail(
        report,
        'timestamp',
        'CRYPTO_CONSTRAINTS_FAILURE',
        'INDETERMINATE',
        `kyso cannot verify this document timestamp: ${error.message}`,
        `kyso không kiểm tra được dấu thời gian này: ${error.messageVi}`,
      );
      return undefined;
    }
    fail(
      report,
      'timestamp',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      `the document timestamp is not a readable RFC 3161 token: ${(error as Error).message}`,
      'dấu thời gian của văn bản không phải token RFC 3161 đọc được',
    );
    return undefined;
  }
  report.signingTime = ts.info.genTime.toISOString();
  if (ts.tsaCertificate) {
    // A TSA is a service, not a person or an agency signing a document.
    report.signer = identityOf(ts.tsaCertificate, {
      kind: 'timestamp-authority',
      ...(encoding ? { encoding } : {}),
    });
    report.timestampAuthority = report.signer;
  }
  if (!ts.imprintMatches) {
    fail(
      report,
      'digest',
      'HASH_FAILURE',
      'TOTAL_FAILED',
      'the timestamped bytes were changed: the imprint does not match',
      'nội dung được gắn dấu thời gian bị thay đổi: giá trị băm không khớp',
    );
    return undefined;
  }
  if (!ts.tsaCertificate) {
    fail(
      report,
      'signer-certificate',
      'NO_SIGNING_CERTIFICATE_FOUND',
      'INDETERMINATE',
      'the TSA certificate is not in the timestamp',
      'không tìm thấy chứng thư số của máy chủ dấu thời gian',
    );
    return undefined;
  }
  if (!ts.signatureValid) {
    fail(
      report,
      'signature',
      'SIG_CRYPTO_FAILURE',
      'TOTAL_FAILED',
      'the timestamp signature does not verify',
      'chữ ký của dấu thời gian không hợp lệ',
    );
    return undefined;
  }
  report.intact = true;
  report.timestamped = true;
  note(report, 'signature', 'passed', {
    en: 'the imprint and the TSA signature are correct',
    vi: 'giá trị băm và chữ ký của máy chủ dấu thời gian đúng',
  });
  if (!ts.tsaKeyUsageOk || !ts.valid) {
    fail(
      report,
      'tsa-certificate',
      'CHAIN_CONSTRAINTS_FAILURE',
      'INDETERMINATE',
      ts.tsaKeyUsageOk
        ? `the timestamp token is not one kyso can accept: ${ts.problems.join('; ')}`
        : 'the TSA certificate does not have timeStamping as its only, critical, extended key usage (RFC 3161 §2.3)',
      ts.tsaKeyUsageOk
        ? 'token dấu thời gian không hợp lệ (thiếu định danh chứng thư số ESS khớp hoặc kiểu nội dung sai)'
        : 'chứng thư số của máy chủ dấu thời gian không có mục đích sử dụng duy nhất timeStamping, đánh dấu critical (RFC 3161 §2.3)',
    );
    return undefined;
  }
  return ts;
}
