/**
 * `@kyso/pdf-signature`: PAdES signing by incremental update, and verification of every signature
 * in a PDF and of what changed after it.
 *
 * @packageDocumentation
 */

export type { PdfErrorCode } from './errors.js';
export { PdfError } from './errors.js';
export type { XrefSection } from './reader/document.js';
export { PdfDocument, READER_LIMITS } from './reader/document.js';
export type { DocumentSecurityStore } from './reader/dss.js';
export { readDocumentSecurityStore } from './reader/dss.js';
export type { PdfValue } from './reader/objects.js';
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString } from './reader/objects.js';
export type { PdfSignatureField } from './reader/signatures.js';
export { findSignatures } from './reader/signatures.js';
export type { ByteSource, ByteSpan } from './reader/source.js';
export { MemorySource } from './reader/source.js';
export type { ModificationLevel, ModificationReport } from './verify/modifications.js';
export { analyseModifications } from './verify/modifications.js';
export type {
  DigestFunction,
  DigestName,
  PdfVerificationReport,
  SignatureReport,
  VerifyPdfOptions,
} from './verify/verify-pdf.js';
export { verifyPdf } from './verify/verify-pdf.js';
