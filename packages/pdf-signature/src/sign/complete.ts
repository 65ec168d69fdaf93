import {
  addSignatureTimestamp,
  assembleSignedData,
  buildSignedAttributes,
  type LocalizedMessage,
  requestTimestamp,
  signatureValueOf,
  type Transport,
} from '@kyso/core';
import { PdfError } from '../errors.js';
import type { ByteSource } from '../reader/source.js';
import type { DigestFunction, PdfVerificationReport } from '../verify/verify-pdf.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import { digestSignedRanges, embedSignatureContents } from './embed.js';
import { raiseToLevel } from './extend.js';
import { endPreparation } from './lock.js';
import { verifiedSignatureValue } from './signature-value.js';
import {
  checkSigner,
  type SignerCheckRecord,
  type SignerValidationOptions,
  SKIPPED_CHECK,
} from './signer-check.js';
import { fromBase64, openState, type PadesLevel, type SigningStateContent, sha256, toHex } from './state.js';

/**
 * The second step (pades-notes H2, H13, H15): nothing from the state is trusted beyond what its
 * HMAC proves, and nothing from it is fetched. The ByteRange is re-derived from the prepared bytes
 * and re-hashed; the signed attributes are rebuilt from that hash and the certificate and must be
 * the prepared ones; the value must verify over them with the certificate before it is embedded;
 * the signer's revocation is checked again (a PIN or a phone approval can take minutes); then the
 * signature timestamp from the configured TSA, the embedding (an overflow refused before anything
 * is written), the level's validation data, and kyso's own verification of the result.
 */

/** A timestamp authority from server configuration (never from a client-held state). */
export interface TimestampAuthorityConfig {
  /** Its URL. */
  url: string;
  /** How to reach it (default: the `transport` of the options). */
  transport?: Transport;
  /** A TSA policy OID to ask for (default none). */
  policy?: string;
}

/** Options shared by complete, `signPdf` and `extendPdf` for timestamps and validation data. */
export interface LevelOptions {
  /**
   * The level to reach. Default: `B-T` when a TSA is configured; otherwise `B-B`, with a warning
   * that Thông tư 41/2017/TT-BTTTT Điều 9 khoản 1 điểm a expects a valid timestamp at signing.
   */
  level?: PadesLevel;
  /** The timestamp authority (needed from `B-T` up). */
  tsa?: TimestampAuthorityConfig;
  /** Fetches OCSP responses, CRLs and issuer certificates (needed for `B-LT` and `B-LTA`). */
  transport?: Transport;
}

/** Options of {@link completePdfSignature}. */
export interface CompletePdfSignatureOptions extends LevelOptions {
  /** The server's HMAC key the state was sealed with. */
  stateKey: Uint8Array;
  /** The signer's certificate, DER: it must be the one prepared (its hash is in the state). */
  certificate: Uint8Array;
  /** The rest of its chain, DER, carried in the CMS (default none). */
  chain?: readonly Uint8Array[];
  /** How the signer is re-checked (revocation above all) before the value is embedded. */
  validation?: SignerValidationOptions;
  /** Skip the re-check. Unsafe; recorded in the result. Default false. */
  unsafeSkipSignerValidation?: boolean;
  /** The time of the re-check and of the final verification (default: when complete runs). */
  at?: Date;
  /** Hashes the covered ranges (default WebCrypto). */
  digest?: DigestFunction;
}

/** A warning of a signing: what the caller should know, in both languages. */
export interface SigningWarning extends LocalizedMessage {
  /**
   * A stable code when the warning has one: the appearance's (`APPEARANCE_IMAGE_NOT_TRANSPARENT`,
   * `APPEARANCE_IMAGE_COLOUR`, `APPEARANCE_IMAGE_NOT_PNG`, `APPEARANCE_PERSONAL_IMAGE_NOT_FOUND`).
   */
  code?: string;
}

/** What a signing returns. */
export interface SignPdfResult {
  /** The signed PDF. */
  bytes: Uint8Array;
  /** The level reached. */
  level: PadesLevel;
  /** The signature field's name. */
  fieldName: string;
  /** The check of the signer just before embedding (or the record that it was skipped, unsafely). */
  signerCheck: SignerCheckRecord;
  /**
   * What the caller should know: the appearance's warnings (an image without transparency or of
   * the wrong colour, Nghị định 30/2020 Phụ lục I), no timestamp, a skipped check.
   */
  warnings: SigningWarning[];
  /** kyso's verification of the signed file. */
  verification: PdfVerificationReport;
}

/** The warning of a signature left without a timestamp. */
export const NO_TIMESTAMP_WARNING: LocalizedMessage = {
  en: 'signed at level B-B without a timestamp: Thông tư 41/2017/TT-BTTTT Điều 9 khoản 1 điểm a expects a valid timestamp at the time of signing for outgoing documents; configure a TSA',
  vi: 'đã ký ở mức B-B không có dấu thời gian: Thông tư 41/2017/TT-BTTTT Điều 9 khoản 1 điểm a yêu cầu dấu thời gian hợp lệ tại thời điểm ký đối với văn bản đi; hãy cấu hình máy chủ cấp dấu thời gian',
};

/** The level asked for, or the default, and whether it can be reached. */
export function levelFor(options: LevelOptions): PadesLevel {
  const level = options.level ?? (options.tsa ? 'B-T' : 'B-B');
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level))
    throw new PdfError('PDF_SIGN_INVALID_OPTION', `unknown level ${level} (B-B, B-T, B-LT, B-LTA)`, {
      messageVi: `mức ${level} không hợp lệ (B-B, B-T, B-LT, B-LTA)`,
    });
  if (level !== 'B-B' && !options.tsa)
    throw new PdfError('PDF_SIGN_TSA_REQUIRED', `level ${level} needs a timestamp authority (tsa)`, {
      messageVi: `mức ${level} cần máy chủ cấp dấu thời gian (tsa)`,
    });
  return level;
}

/**
 * Completes a two-step signature with the value the signer returned over the prepared signed
 * attributes (or their hash).
 *
 * @throws PdfError `PDF_SIGN_STATE_INVALID`, `PDF_SIGN_STATE_TAMPERED`,
 * `PDF_SIGN_PREPARED_BYTES_CHANGED`, `PDF_SIGN_CERTIFICATE_MISMATCH`, `PDF_SIGN_DIGEST_MISMATCH`,
 * `PDF_SIGN_VALUE_INVALID` (a value for another preparation, or by another key),
 * `PDF_SIGN_SIGNER_REVOKED`, `PDF_SIGN_SIGNER_NOT_VALID`, `PDF_SIGN_TSA_REQUIRED`,
 * `PDF_SIGN_CONTENTS_TOO_LARGE`, `PDF_SIGN_SELF_CHECK_FAILED`; KysoError `TSA_*`.
 */
export async function completePdfSignature(
  preparedBytes: Uint8Array,
  state: string,
  signatureValue: Uint8Array,
  options: CompletePdfSignatureOptions,
): Promise<SignPdfResult> {
  const content = await openState(state, options.stateKey);
  const result = await completeWithContent(preparedBytes, content, signatureValue, options);
  endPreparation(content.baseSha256, content.id);
  return result;
}

/** Complete from an opened state (shared with `signPdf`). */
export async function completeWithContent(
  preparedBytes: Uint8Array,
  content: SigningStateContent,
  signatureValue: Uint8Array,
  options: Omit<CompletePdfSignatureOptions, 'stateKey'>,
): Promise<SignPdfResult> {
  const level = levelFor(options);
  if (toHex(await sha256(preparedBytes)) !== content.preparedSha256)
    throw new PdfError(
      'PDF_SIGN_PREPARED_BYTES_CHANGED',
      'the prepared PDF is not the one this state was made for: it was changed or belongs to another preparation',
      {
        messageVi:
          'tệp PDF đã chuẩn bị không phải tệp mà trạng thái này được tạo cho: đã bị thay đổi hoặc thuộc lần chuẩn bị khác',
      },
    );
  if (toHex(await sha256(options.certificate)) !== content.certificateSha256)
    throw new PdfError(
      'PDF_SIGN_CERTIFICATE_MISMATCH',
      'the certificate is not the one the signature was prepared with',
      { messageVi: 'chứng thư số không phải chứng thư đã dùng khi chuẩn bị chữ ký' },
    );
  const algorithm = content.algorithm;
  const signedAttributes = fromBase64(content.signedAttributes);
  const { digest, placeholder } = await digestSignedRanges(
    preparedBytes,
    algorithm.hash,
    options.digest ? { digest: options.digest } : {},
  );
  const rebuilt = await buildSignedAttributes({
    messageDigest: digest,
    hash: algorithm.hash,
    signerCertificate: options.certificate,
  });
  if (toHex(rebuilt.der) !== toHex(signedAttributes))
    throw new PdfError(
      'PDF_SIGN_DIGEST_MISMATCH',
      'the hash of the prepared ByteRange is not the message digest the prepared signed attributes hold',
      { messageVi: 'giá trị băm của ByteRange đã chuẩn bị khác giá trị băm trong các thuộc tính được ký' },
    );
  const value = await verifiedSignatureValue({
    signedAttributes,
    signatureValue,
    algorithm,
    certificate: options.certificate,
  });
  const chain = options.chain ?? [];
  const signerCheck =
    options.unsafeSkipSignerValidation === true
      ? SKIPPED_CHECK
      : await checkSigner(
          options.certificate,
          chain,
          options.validation as SignerValidationOptions,
          options.at ?? new Date(),
        );
  let cms = assembleSignedData({
    signedAttributes,
    signatureValue: value,
    algorithm,
    certificate: options.certificate,
    chain,
  });
  // The preparation's warnings (its appearance's) travel in the sealed state.
  const warnings: SigningWarning[] = [...(content.warnings ?? [])];
  if (!signerCheck.performed) warnings.push(signerCheck.warning);
  if (level === 'B-B') warnings.push(NO_TIMESTAMP_WARNING);
  else {
    const tsa = options.tsa!;
    const stamp = await requestTimestamp(signatureValueOf(cms), {
      url: tsa.url,
      transport: tsaTransport(tsa, options.transport),
      ...(tsa.policy ? { policy: tsa.policy } : {}),
    });
    assertTimestampAfter(stamp.info.genTime, new Date(content.signingTime));
    cms = addSignatureTimestamp(cms, stamp.token);
  }
  // Refused here, before any byte is written, when it does not fit (PDF_SIGN_CONTENTS_TOO_LARGE).
  let bytes = embedSignatureContents(preparedBytes, cms);
  if (level === 'B-LT' || level === 'B-LTA')
    bytes = (await raiseToLevel(bytes, { ...options, level, at: options.at ?? new Date() })).bytes;
  const verification = await selfCheck(bytes, placeholder.fieldName, options);
  return { bytes, level, fieldName: placeholder.fieldName, signerCheck, warnings, verification };
}

/** Clock skew tolerated between the signer's `/M` and the TSA's genTime. */
const SKEW_MS = 5 * 60_000;

/**
 * A signature timestamp must not be earlier than the signing time `/M` claims (pades-notes H13):
 * one that is says the signer's or the TSA's clock is wrong.
 *
 * @throws PdfError `PDF_SIGN_TIMESTAMP_BEFORE_SIGNING`.
 */
export function assertTimestampAfter(genTime: Date, signingTime: Date): void {
  if (genTime.getTime() >= signingTime.getTime() - SKEW_MS) return;
  throw new PdfError(
    'PDF_SIGN_TIMESTAMP_BEFORE_SIGNING',
    `the TSA's time ${genTime.toISOString()} is earlier than the signing time ${signingTime.toISOString()} written in /M: a clock is wrong`,
    {
      messageVi: `thời gian của máy chủ cấp dấu thời gian ${genTime.toISOString()} sớm hơn thời điểm ký ${signingTime.toISOString()} ghi trong /M: có đồng hồ bị sai`,
    },
  );
}

/** The transport the TSA is reached through. */
export function tsaTransport(tsa: TimestampAuthorityConfig, transport: Transport | undefined): Transport {
  const t = tsa.transport ?? transport;
  if (!t)
    throw new PdfError('PDF_SIGN_INVALID_OPTION', 'a TSA is configured without a transport to reach it', {
      messageVi: 'đã cấu hình máy chủ cấp dấu thời gian nhưng không có transport để kết nối',
    });
  return t;
}

/** kyso verifies what it wrote; a new signature that is not intact is a kyso bug, never returned. */
export async function selfCheck(
  bytes: Uint8Array | ByteSource,
  fieldName: string,
  options: {
    validation?: SignerValidationOptions;
    at?: Date;
    digest?: DigestFunction;
    transport?: Transport;
  },
): Promise<PdfVerificationReport> {
  const v = options.validation;
  const verification = await verifyPdf(bytes, {
    trustAnchors: v?.trustAnchors ?? [],
    ...(v?.crls ? { crls: v.crls } : {}),
    revocation: v?.revocation ?? 'hard-fail',
    ...(v?.transport ? { transport: v.transport } : {}),
    ...(options.at ? { at: options.at } : {}),
    ...(options.digest ? { digest: options.digest } : {}),
  });
  const own = verification.signatures.find((s) => s.fieldName === fieldName);
  if (!own?.intact)
    throw new PdfError(
      'PDF_SIGN_SELF_CHECK_FAILED',
      `kyso's verification of the file it wrote finds the signature ${fieldName} broken`,
      { messageVi: `kyso kiểm tra lại tệp vừa ghi và thấy chữ ký ${fieldName} bị hỏng` },
    );
  return verification;
}
