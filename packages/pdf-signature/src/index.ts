/**
 * `@kyso/pdf-signature`: PAdES signing by incremental update, and verification of every signature
 * in a PDF and of what changed after it.
 *
 * @packageDocumentation
 */

export type { PdfErrorCode } from './errors.js';
export { PdfError } from './errors.js';
