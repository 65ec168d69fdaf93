import {
  assertSigningHash,
  buildSignedAttributes,
  defaultSignatureAlgorithm,
  parseCertificateDer,
  type SignatureAlgorithm,
} from '@kyso/core';
import { PdfError } from '../errors.js';
import { PdfDocument } from '../reader/document.js';
import { findSignatures } from '../reader/signatures.js';
import type { DigestFunction } from '../verify/verify-pdf.js';
import type { SigningWarning } from './complete.js';
import { digestSignedRanges } from './embed.js';
import { assertNoPendingPreparation, registerPreparation, withDocumentLock } from './lock.js';
import { addSignaturePlaceholder, type ReservedField, type SignatureFieldOptions } from './placeholder.js';
import {
  checkSigner,
  type SignerCheckRecord,
  type SignerValidationOptions,
  SKIPPED_CHECK,
} from './signer-check.js';
import { type PadesLevel, type SigningStateContent, sealState, sha256, toBase64, toHex } from './state.js';

/**
 * The first of the two steps (pades-notes H1–H3, H7): everything that is signed is fixed here —
 * the placeholder revision, its ByteRange, and the CMS signed attributes, whose ESS
 * signing-certificate-v2 needs the signer's certificate now. What leaves is the prepared bytes,
 * the hash a remote signer signs, and a sealed state; nothing of it needs to be trusted at
 * complete, which re-derives and re-checks everything from the bytes.
 */

/** The signing options shared by {@link preparePdfSignature} and `signPdf`. */
export interface PdfSignatureOptions extends Omit<SignatureFieldOptions, 'fieldName'> {
  /**
   * The field to sign: a new field of this name, or an existing empty signature field. Default:
   * a new field `Signature<n>`, the first number no field uses.
   */
  fieldName?: string;
  /** The signing time written as `/M` (default: when preparation runs). */
  signingTime?: Date;
  /** The offset from UTC `/M` is written in, in minutes (default 420, +07'00'). */
  utcOffsetMinutes?: number;
  /** `/Reason`. Default none. */
  reason?: string;
  /** `/Location`. Default none. */
  location?: string;
  /** `/ContactInfo`. Default none. */
  contactInfo?: string;
  /** `/Name`. Default none. */
  name?: string;
  /** Certify with this DocMDP level (first signature only). Default: an approval signature. */
  certify?: 1 | 2 | 3;
  /**
   * Empty signature fields for later signers, created in this signature's revision (so a
   * certification can leave room for them). Default none.
   */
  reserveFields?: readonly ReservedField[];
  /**
   * Bytes reserved for the DER CMS. Default: the certificates, the signature value and a
   * timestamp token with its TSA's chain (12 KiB), rounded up to a KiB. A late timestamp never
   * needs a second signature: the room for it is always reserved.
   */
  contentsSize?: number;
  /**
   * How the signer's certificate and path are validated before signing (Nghị định 68/2024/NĐ-CP
   * Điều 29 khoản 1–2). Required unless {@link PdfSignatureOptions.unsafeSkipSignerValidation}.
   */
  validation?: SignerValidationOptions;
  /**
   * Sign without validating the signer first. Unsafe, and legally doubtful (Đ29 makes the check a
   * duty of the software); the result records it. Default false.
   */
  unsafeSkipSignerValidation?: boolean;
  /** The validation time of the pre-signing check (default: when it runs). */
  at?: Date;
  /** Hashes the covered ranges (default WebCrypto; `nodeDigest` from `/node` streams them). */
  digest?: DigestFunction;
}

/** Options of {@link preparePdfSignature}. */
export interface PreparePdfSignatureOptions extends PdfSignatureOptions {
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  /** The rest of its chain, DER, issuer first (default none). */
  chain?: readonly Uint8Array[];
  /**
   * The signature algorithm: RSA PKCS#1 v1.5 with SHA-256 by default (ECDSA with the curve's hash
   * for an EC key); RSA-PSS and ECDSA are opt-in; SHA-1 is refused.
   */
  algorithm?: SignatureAlgorithm;
  /** The server's HMAC-SHA-256 key that seals the state: at least 32 random bytes, never sent to a client. */
  stateKey: Uint8Array;
  /**
   * How long the preparation holds its base document (milliseconds, default 15 minutes): until
   * it is completed or this expires, another preparation on the same base is refused.
   */
  pendingTtlMs?: number;
}

/** What a signer must sign: choose by the signer's digest-level form. */
export interface ToBeSigned {
  /** The hash of the DER signed attributes (for `digestInput: 'hash'`: CSC signHash, CKM_ECDSA, CKM_RSA_PKCS_PSS). */
  digest: Uint8Array;
  /** `DigestInfo(hash, digest)` (for `digestInput: 'digest-info'`: CKM_RSA_PKCS, RSA PKCS#1 v1.5). */
  digestInfo: Uint8Array;
  /** The hash algorithm. */
  hash: SignatureAlgorithm['hash'];
  /** The DER signed attributes themselves (for a signer that hashes: `Signer.sign`). */
  signedAttributes: Uint8Array;
}

/** What {@link preparePdfSignature} returns. */
export interface PreparedPdfSignature {
  /** The input followed by the placeholder revision; the caller keeps it for complete. */
  preparedBytes: Uint8Array;
  toBeSigned: ToBeSigned;
  /** The sealed state (a string): keep it with the prepared bytes, or on the server. */
  state: string;
  /** The field's name. */
  fieldName: string;
  /** The pre-signing check of the signer (or the record that it was skipped). */
  signerCheck: SignerCheckRecord;
  /**
   * What the caller should know before the signer signs: the appearance's warnings (an image
   * without transparency or of the wrong colour). Sealed in the state, they are in complete's
   * result too.
   */
  warnings: SigningWarning[];
}

/** The internal result of a preparation, before its state is sealed. */
export interface Preparation {
  preparedBytes: Uint8Array;
  toBeSigned: ToBeSigned;
  content: SigningStateContent;
  fieldName: string;
  signerCheck: SignerCheckRecord;
  algorithm: SignatureAlgorithm;
}

const TIMESTAMP_ROOM = 12 * 1024;

/** The /Contents size for a CMS carrying these certificates and a timestamp. */
export function estimateContentsSize(certificate: Uint8Array, chain: readonly Uint8Array[]): number {
  const certs = certificate.length + chain.reduce((n, c) => n + c.length, 0);
  const estimate = certs + 512 /* value, RSA 4096 */ + 1536 /* attributes, structure */ + TIMESTAMP_ROOM;
  return Math.ceil(estimate / 1024) * 1024;
}

/** The field a signature goes in: the name given, else `Signature<n>`, the first number no signature uses. */
export function fieldNameFor(pdf: Uint8Array, given: string | undefined): string {
  if (given !== undefined) return given;
  const doc = PdfDocument.load(pdf);
  const names = new Set(findSignatures(doc).map((s) => s.fieldName));
  for (let i = 1; ; i += 1) if (!names.has(`Signature${i}`)) return `Signature${i}`;
}

/** The warnings of the appearance a signature shows (an image without transparency, of the wrong colour …). */
export function appearanceWarnings(
  options: Pick<PdfSignatureOptions, 'visible' | 'fieldAppearance'>,
): SigningWarning[] {
  return [options.visible?.appearance, options.fieldAppearance?.appearance].flatMap((form) =>
    (form?.warnings ?? []).map((w) => ({ code: w.code, en: w.message, vi: w.messageVi })),
  );
}

/** Checks the algorithm before anything else: SHA-1 refused, the algorithm fitting the key. */
export function signingAlgorithm(
  certificate: Uint8Array,
  given: SignatureAlgorithm | undefined,
): SignatureAlgorithm {
  const algorithm = given ?? defaultSignatureAlgorithm(parseCertificateDer(certificate));
  assertSigningHash(algorithm.hash);
  return algorithm;
}

/** The pre-signing check, or the record of its unsafe skip. */
export async function signerCheckFor(
  certificate: Uint8Array,
  chain: readonly Uint8Array[],
  options: PdfSignatureOptions,
): Promise<SignerCheckRecord> {
  if (options.unsafeSkipSignerValidation === true) return SKIPPED_CHECK;
  return checkSigner(
    certificate,
    chain,
    options.validation as SignerValidationOptions,
    options.at ?? new Date(),
  );
}

/** Prepares without locking or sealing (shared by {@link preparePdfSignature} and `signPdf`). */
export async function prepareUnlocked(
  pdf: Uint8Array,
  baseSha256: string,
  options: PdfSignatureOptions & { certificate: Uint8Array; chain?: readonly Uint8Array[] },
  algorithm: SignatureAlgorithm,
  signerCheck: SignerCheckRecord,
): Promise<Preparation> {
  const chain = options.chain ?? [];
  const signingTime = options.signingTime ?? new Date();
  const fieldName = fieldNameFor(pdf, options.fieldName);
  const placeholder = addSignaturePlaceholder(pdf, {
    fieldName,
    contentsSize: options.contentsSize ?? estimateContentsSize(options.certificate, chain),
    signingTime,
    digestAlgorithm: algorithm.hash,
    ...pick(options),
  });
  const { digest: messageDigest } = await digestSignedRanges(
    placeholder.bytes,
    algorithm.hash,
    options.digest ? { digest: options.digest } : {},
  );
  const attrs = await buildSignedAttributes({
    messageDigest,
    hash: algorithm.hash,
    signerCertificate: options.certificate,
  });
  const warnings = appearanceWarnings(options);
  const content: SigningStateContent = {
    preparedSha256: toHex(await sha256(placeholder.bytes)),
    baseSha256,
    signedAttributes: toBase64(attrs.der),
    certificateSha256: toHex(await sha256(options.certificate)),
    algorithm,
    signingTime: signingTime.toISOString(),
    id: toHex(globalThis.crypto.getRandomValues(new Uint8Array(16))),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  return {
    preparedBytes: placeholder.bytes,
    toBeSigned: {
      digest: attrs.digest,
      digestInfo: attrs.digestInfo,
      hash: attrs.hash,
      signedAttributes: attrs.der,
    },
    content,
    fieldName: placeholder.fieldName,
    signerCheck,
    algorithm,
  };
}

function pick(options: PdfSignatureOptions) {
  const out: Record<string, unknown> = {};
  for (const k of [
    'visible',
    'fieldAppearance',
    'reserveFields',
    'lock',
    'documentId',
    'utcOffsetMinutes',
    'reason',
    'location',
    'contactInfo',
    'name',
    'certify',
  ] as const)
    if (options[k] !== undefined) out[k] = options[k];
  return out;
}

/**
 * Prepares a PDF for a signature made elsewhere (a token in the user's browser, a phone approval,
 * a remote signing service): validates the signer first (Nghị định 68/2024 Đ29), appends the
 * placeholder revision, builds the signed attributes with the certificate, and seals the state.
 * Preparations on one base document are serialised, and one stays pending until completed.
 *
 * @throws PdfError `PDF_SIGN_SIGNER_NOT_VALID`, `PDF_SIGN_SIGNER_REVOKED`,
 * `PDF_SIGN_PREPARATION_PENDING`, `PDF_SIGN_INVALID_OPTION`, the placeholder's refusals
 * (`PDF_SIGN_DOCMDP_FORBIDS`, `PDF_SIGN_FIELD_LOCKED`, `PDF_ENCRYPTED`, …); KysoError
 * `SIGNATURE_ALGORITHM_REFUSED` for SHA-1 or an algorithm that does not fit the key.
 * @example
 * ```ts
 * const prepared = await preparePdfSignature(pdf, { certificate, chain, stateKey, validation });
 * // send prepared.toBeSigned.digestInfo (or .digest) to the token or the remote service …
 * const signed = await completePdfSignature(prepared.preparedBytes, prepared.state, value, {
 *   certificate, chain, stateKey, validation,
 * });
 * ```
 */
export async function preparePdfSignature(
  pdf: Uint8Array,
  options: PreparePdfSignatureOptions,
): Promise<PreparedPdfSignature> {
  const chain = options.chain ?? [];
  const algorithm = signingAlgorithm(options.certificate, options.algorithm);
  if (!(options.stateKey instanceof Uint8Array) || options.stateKey.length < 32)
    throw new PdfError('PDF_SIGN_INVALID_OPTION', 'stateKey must be at least 32 random bytes', {
      messageVi: 'stateKey phải dài ít nhất 32 byte ngẫu nhiên',
    });
  const signerCheck = await signerCheckFor(options.certificate, chain, options);
  const base = toHex(await sha256(pdf));
  return withDocumentLock(base, async () => {
    assertNoPendingPreparation(base, Date.now());
    const p = await prepareUnlocked(pdf, base, options, algorithm, signerCheck);
    const state = await sealState(p.content, options.stateKey);
    registerPreparation(base, p.content.id, Date.now() + (options.pendingTtlMs ?? 15 * 60_000));
    return {
      preparedBytes: p.preparedBytes,
      toBeSigned: p.toBeSigned,
      state,
      fieldName: p.fieldName,
      signerCheck,
      warnings: p.content.warnings ?? [],
    };
  });
}

export type { PadesLevel };
