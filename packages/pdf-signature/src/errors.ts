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
  | 'PDF_ENCRYPTED'
  | 'PDF_FILE_UNREADABLE'
  | 'PDF_CHANGED_WHILE_READING'
  | 'PDF_BUDGET_EXCEEDED';

/** A PDF kyso cannot read. A signature that fails verification is a report, not this error. */
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
