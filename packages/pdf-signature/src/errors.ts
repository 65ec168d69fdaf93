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
  /** The certification (DocMDP /P 1) permits no further signature. */
  | 'PDF_SIGN_DOCMDP_FORBIDS'
  /** An earlier signature's FieldMDP /Lock locks the field to sign. */
  | 'PDF_SIGN_FIELD_LOCKED'
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
  | 'PDF_SIGN_CONTENTS_TOO_LARGE';

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
