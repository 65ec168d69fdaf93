import { KysoError, type KysoErrorOptions } from '@kyso/core';

/** Stable error codes of `@kyso/pdf-signature`. */
export type PdfErrorCode =
  | 'PDF_NOT_PDF'
  | 'PDF_MALFORMED'
  | 'PDF_TRUNCATED'
  | 'PDF_XREF_BROKEN'
  | 'PDF_XREF_LOOP'
  | 'PDF_REFERENCE_LOOP'
  | 'PDF_STREAM_TOO_LARGE'
  /** Encrypted in a way kyso does not read (a certificate or vendor security handler); or, from `PdfDocument.load`, encrypted at all. */
  | 'PDF_ENCRYPTED'
  /** Encrypted with a user password that was not given (the empty one does not open it). */
  | 'PDF_PASSWORD_REQUIRED'
  /** The password given is neither the user nor the owner password. */
  | 'PDF_PASSWORD_INCORRECT'
  | 'PDF_FILE_UNREADABLE'
  | 'PDF_CHANGED_WHILE_READING'
  | 'PDF_BUDGET_EXCEEDED'
  /** A value the writer cannot write (a NaN, a stream read from a file, nesting too deep). */
  | 'PDF_WRITE_INVALID_VALUE'
  /** DocMDP /P 1, or an earlier signature's FieldMDP /P 1 (PDF 2.0): no further signature is permitted. */
  | 'PDF_SIGN_DOCMDP_FORBIDS'
  /** An earlier signature's FieldMDP /Lock locks the field to sign. */
  | 'PDF_SIGN_FIELD_LOCKED'
  /** The empty field to sign carries a /Lock whose /Action the standard does not define. */
  | 'PDF_SIGN_FIELD_LOCK_INVALID'
  /** A certification signature must be the document's first signature. */
  | 'PDF_SIGN_CERTIFICATION_NOT_FIRST'
  /** A field of that name already exists (and is not an empty signature field). */
  | 'PDF_SIGN_FIELD_EXISTS'
  /** A new field's name is empty or contains a period. */
  | 'PDF_SIGN_FIELD_NAME_INVALID'
  /** The page to place a signature on does not exist. */
  | 'PDF_SIGN_PAGE_OUT_OF_RANGE'
  /** The field's seed values (/SV) forbid what was asked. */
  | 'PDF_SIGN_SEED_VALUE_VIOLATED'
  /** A signing option is out of range (placeholder size, rectangle, DocMDP level). */
  | 'PDF_SIGN_INVALID_OPTION'
  /** The prepared bytes hold no well-formed, empty signature placeholder in their last revision. */
  | 'PDF_SIGN_NO_PLACEHOLDER'
  /** The CMS (or timestamp token) is larger than the /Contents placeholder. */
  | 'PDF_SIGN_CONTENTS_TOO_LARGE'
  /** A two-step signing state that cannot be read (not one kyso wrote, or another version). */
  | 'PDF_SIGN_STATE_INVALID'
  /** A two-step signing state whose HMAC does not verify with the server key: changed, or another server's. */
  | 'PDF_SIGN_STATE_TAMPERED'
  /** The prepared bytes given to complete are not the bytes the state was made for. */
  | 'PDF_SIGN_PREPARED_BYTES_CHANGED'
  /** The certificate given to complete is not the one prepared (its hash is in the state). */
  | 'PDF_SIGN_CERTIFICATE_MISMATCH'
  /** The hash of the ByteRange is not the message digest the signed attributes hold. */
  | 'PDF_SIGN_DIGEST_MISMATCH'
  /** The signature value does not verify over the signed attributes: another key's, or another preparation's. */
  | 'PDF_SIGN_VALUE_INVALID'
  /** The signer's certificate or path does not validate (Nghị định 68/2024 Đ29 k1–2). */
  | 'PDF_SIGN_SIGNER_NOT_VALID'
  /** The signer's certificate is revoked (checked before signing and again at complete). */
  | 'PDF_SIGN_SIGNER_REVOKED'
  /** Another two-step preparation on the same base document is still waiting for its signature. */
  | 'PDF_SIGN_PREPARATION_PENDING'
  /** The level asked for needs a timestamp authority and none is configured. */
  | 'PDF_SIGN_TSA_REQUIRED'
  /** Validation data for B-LT is missing or older than the timestamp (EN 319 102-1 §5.2.5): extend later. */
  | 'PDF_SIGN_VALIDATION_DATA_UNAVAILABLE'
  /** The signature timestamp's genTime is earlier than the signing time `/M` claims (beyond 5 minutes of clock skew). */
  | 'PDF_SIGN_TIMESTAMP_BEFORE_SIGNING'
  /** kyso's verification of the file it just wrote found the new signature broken. */
  | 'PDF_SIGN_SELF_CHECK_FAILED'
  /** The output path is the input path (or the same file): the input would be overwritten. */
  | 'PDF_SIGN_OUTPUT_IS_INPUT'
  /** The agency's signature on a document without a valid personal signature (Nghị định 30/2020 Đ32 k2). */
  | 'OFFICIAL_PERSONAL_SIGNATURE_REQUIRED'
  /** The personal signature could not be checked now (revocation or path unknown). */
  | 'OFFICIAL_PERSONAL_SIGNATURE_UNCHECKED'
  /** The document fails verification after the personal signature (a later signature is broken). */
  | 'OFFICIAL_DOCUMENT_NOT_VALID'
  /** A personal signature with an organisation's certificate, or the agency's with a person's. */
  | 'OFFICIAL_CERTIFICATE_KIND'
  /** A DocMDP certification where the agency's later fields do not exist (yet). */
  | 'OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS'
  /** A personal signature certifying with no changes permitted (DocMDP /P 1): the agency could never sign after it. */
  | 'OFFICIAL_DOCMDP_NO_CHANGES';

/**
 * A PDF kyso cannot read, or cannot sign as asked (codes `PDF_SIGN_…`, refused before anything is
 * written). A signature that fails verification is a report, not this error.
 */
export class PdfError extends KysoError {
  declare readonly code: PdfErrorCode;
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(code: PdfErrorCode, message: string, options: KysoErrorOptions & { offset?: number } = {}) {
    super(code, message, options);
    this.name = 'PdfError';
    this.offset = options.offset;
  }
}
