import {
  type Certificate,
  type CertificateValidationReport,
  type Crl,
  parseCertificateDer,
  type RevocationMode,
  type Transport,
  type TrustStore,
  validateCertificate,
} from '@kyso/core';
import { PdfError } from '../errors.js';

/**
 * The check Nghị định 68/2024/NĐ-CP Điều 29 khoản 1–2 makes a duty of signing software: before
 * signing, the signer's certificate (Đ31) and its certification path (Đ32) are validated,
 * revocation included. A failure refuses the signing; skipping the check is possible only under
 * a name that says it is unsafe, and the result records it (pades-notes V5).
 */

/** How the signer's certificate is validated before signing (and re-checked at complete). */
export interface SignerValidationOptions {
  /** Trust anchors, or a TrustStore such as `trustProfile('vn-gov')`. */
  trustAnchors: readonly Certificate[] | TrustStore;
  /** What an unknown revocation status means (default `hard-fail`: no signature without a known status). */
  revocation?: RevocationMode;
  /** Fetches OCSP responses and CRLs (default none: only `crls` are used). */
  transport?: Transport;
  /** CRLs at hand (default none). */
  crls?: readonly Crl[];
  /** More certificates for path building besides the signer's chain (default none). */
  intermediates?: readonly Certificate[];
}

/** What the pre-signing check found, as the result records it. */
export type SignerCheckRecord =
  | { performed: true; at: string; report: CertificateValidationReport }
  | {
      performed: false;
      /** The option that skipped it: always `unsafeSkipSignerValidation`. */
      skippedBy: 'unsafeSkipSignerValidation';
      warning: { en: string; vi: string };
    };

/** The record of a skipped check. */
export const SKIPPED_CHECK: SignerCheckRecord = {
  performed: false,
  skippedBy: 'unsafeSkipSignerValidation',
  warning: {
    en: "the signer's certificate was not validated before signing (unsafeSkipSignerValidation): Nghị định 68/2024/NĐ-CP Điều 29 khoản 1–2 requires it",
    vi: 'chứng thư số của người ký không được kiểm tra trước khi ký (unsafeSkipSignerValidation): Nghị định 68/2024/NĐ-CP Điều 29 khoản 1–2 yêu cầu việc kiểm tra này',
  },
};

/**
 * Validates the signer at `at` and throws when it does not pass.
 *
 * @throws PdfError `PDF_SIGN_SIGNER_REVOKED` or `PDF_SIGN_SIGNER_NOT_VALID` (the report's
 * sub-indication and first failed check in the message), `PDF_SIGN_INVALID_OPTION`.
 */
export async function checkSigner(
  certificate: Uint8Array,
  chain: readonly Uint8Array[],
  options: SignerValidationOptions,
  at: Date,
): Promise<SignerCheckRecord> {
  if (!options || typeof options !== 'object' || !options.trustAnchors)
    throw new PdfError(
      'PDF_SIGN_INVALID_OPTION',
      'signing needs `validation` (trust anchors and revocation) to check the signer first (Nghị định 68/2024 Đ29), or `unsafeSkipSignerValidation: true`',
      {
        messageVi:
          'ký số cần `validation` (chứng thư gốc tin cậy và kiểm tra thu hồi) để kiểm tra người ký trước (Nghị định 68/2024 Đ29), hoặc `unsafeSkipSignerValidation: true`',
      },
    );
  const report = await validateCertificate({
    certificate: parseCertificateDer(certificate),
    trustAnchors: options.trustAnchors,
    intermediates: [...chain.map((c) => parseCertificateDer(c)), ...(options.intermediates ?? [])],
    crls: options.crls ?? [],
    validationTime: at,
    revocation: options.revocation ?? 'hard-fail',
    ...(options.transport ? { transport: options.transport } : {}),
  });
  if (report.indication !== 'TOTAL_PASSED') {
    const failed = report.checks.find((c) => c.status === 'failed' || c.status === 'indeterminate');
    const why = failed ? `: ${failed.message.en}` : '';
    const whyVi = failed ? `: ${failed.message.vi}` : '';
    const revoked = report.subIndication === 'REVOKED' || report.subIndication === 'REVOKED_NO_POE';
    throw new PdfError(
      revoked ? 'PDF_SIGN_SIGNER_REVOKED' : 'PDF_SIGN_SIGNER_NOT_VALID',
      `the signer's certificate does not validate at ${at.toISOString()} (${report.indication}, ${report.subIndication})${why}; Nghị định 68/2024/NĐ-CP Điều 29 forbids signing with it`,
      {
        messageVi: `chứng thư số của người ký không hợp lệ tại ${at.toISOString()} (${report.indication}, ${report.subIndication})${whyVi}; Nghị định 68/2024/NĐ-CP Điều 29 không cho phép ký bằng chứng thư này`,
      },
    );
  }
  return { performed: true, at: at.toISOString(), report };
}
