/**
 * `@kyso/pdf-signature`: PAdES signing by incremental update, and verification of every signature
 * in a PDF and of what changed after it.
 *
 * @packageDocumentation
 */

export type {
  ImageAppearance,
  ImageAppearanceOptions,
  TextAppearanceOptions,
} from './appearance/appearance.js';
export { imageAppearance, measureText, textAppearance } from './appearance/appearance.js';
export type {
  AttachmentTextOptions,
  CopyTextOptions,
  Decree30ImageOptions,
  Decree30TextOptions,
  PersonalRectOptions,
  PersonalSignatureOptions,
  SealAppearance,
  SealAppearanceOptions,
  SealSize,
  SealSizeOptions,
} from './appearance/decree30.js';
export {
  agencySealAppearance,
  attachmentTextAppearance,
  attachmentTextLines,
  copyTextAppearance,
  copyTextLines,
  DECREE30_TEXT_SIZE,
  formatSigningTime,
  personalRectBetween,
  personalSignatureAppearance,
  sealOverPersonal,
  sealSize,
  urgentStampAppearance,
} from './appearance/decree30.js';
export type { AppearanceErrorCode, AppearanceWarning } from './appearance/errors.js';
export { AppearanceError } from './appearance/errors.js';
export type { EncodedText } from './appearance/font.js';
export { AppearanceFont, FontSubset, loadFont } from './appearance/font.js';
export type { Matrix, PageGeometry, Placement, TopRightOptions, ViewRect } from './appearance/geometry.js';
export {
  mmToPt,
  placeInView,
  ptToMm,
  topRightBox,
  userRectToView,
  userToView,
  viewSize,
  viewToUser,
} from './appearance/geometry.js';
export type {
  AppearanceImage,
  ExpectedColour,
  ImageXObjectOptions,
  PlacedImage,
  ReadImageOptions,
} from './appearance/image.js';
export { imageXObject, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS, readImage } from './appearance/image.js';
export type { AppearanceObject, FormXObject } from './appearance/xobject.js';
export { AppearanceStream, ObjectAllocator, renumberAppearance } from './appearance/xobject.js';
export type { PdfErrorCode } from './errors.js';
export { PdfError } from './errors.js';
export type {
  AgencyAppearanceOptions,
  AgencyBasis,
  AgencyFieldsPlan,
  AgencyOptions,
  AgencyTextPlace,
  OfficialPrepareOptions,
  OfficialSignOptions,
  PersonalAppearanceOptions,
  PersonalOptions,
  PersonalPlacement,
  WidgetText,
} from './official/official.js';
export {
  AGENCY_FIELD_NAME,
  formatDocumentDate,
  prepareAgencySignature,
  preparePersonalSignature,
  signAgency,
  signPersonal,
} from './official/official.js';
export type {
  DecryptionOptions,
  EncryptionInfo,
  Reconstruction,
  XrefEntry,
  XrefSection,
} from './reader/document.js';
export { PdfDocument, READER_LIMITS } from './reader/document.js';
export type { DocumentSecurityStore } from './reader/dss.js';
export { readDocumentSecurityStore } from './reader/dss.js';
export type { CipherName } from './reader/encryption/standard-handler.js';
export type { PdfValue } from './reader/objects.js';
export { PdfDict, PdfName, PdfRef, PdfStream, PdfString } from './reader/objects.js';
export type { PdfSignatureField } from './reader/signatures.js';
export { findSignatures } from './reader/signatures.js';
export type { ByteSource, ByteSpan } from './reader/source.js';
export { MemorySource } from './reader/source.js';
export type {
  CompletePdfSignatureOptions,
  LevelOptions,
  SigningWarning,
  SignPdfResult,
  TimestampAuthorityConfig,
} from './sign/complete.js';
export { completePdfSignature, NO_TIMESTAMP_WARNING } from './sign/complete.js';
export type { DocumentSecurityStoreOptions, ValidationData, VriEntry } from './sign/dss.js';
export { appendDocumentSecurityStore } from './sign/dss.js';
export type { DigestSignedRangesOptions, PlaceholderLocation } from './sign/embed.js';
export { digestSignedRanges, embedSignatureContents, locateSignaturePlaceholder } from './sign/embed.js';
export type { ExtendPdfOptions, ExtendPdfResult } from './sign/extend.js';
export { extendPdf } from './sign/extend.js';
export type { FieldLockSpec } from './sign/mdp.js';
export type {
  DocumentTimestampPlaceholderOptions,
  EmptySignatureFieldOptions,
  FieldAppearance,
  PageRect,
  ReservedField,
  SignatureFieldOptions,
  SignaturePlaceholder,
  SignaturePlaceholderOptions,
  VisibleAppearance,
  VisibleBox,
} from './sign/placeholder.js';
export {
  addDocumentTimestampPlaceholder,
  addEmptySignatureField,
  addSignaturePlaceholder,
  pdfDate,
} from './sign/placeholder.js';
export type {
  PdfSignatureOptions,
  PreparedPdfSignature,
  PreparePdfSignatureOptions,
  ToBeSigned,
} from './sign/prepare.js';
export { estimateContentsSize, preparePdfSignature } from './sign/prepare.js';
export type { SignPdfOptions } from './sign/sign-pdf.js';
export { signPdf } from './sign/sign-pdf.js';
export type { SignerCheckRecord, SignerValidationOptions } from './sign/signer-check.js';
export type { PadesLevel } from './sign/state.js';
export type { CertificateEncoding } from './verify/identity.js';
export type {
  ModificationFinding,
  ModificationLevel,
  ModificationReport,
  ModificationRule,
} from './verify/modifications.js';
export { analyseModifications, MODIFICATION_RULES } from './verify/modifications.js';
export type {
  DigestFunction,
  DigestName,
  PdfVerificationReport,
  SignatureReport,
  VerifyPdfOptions,
} from './verify/verify-pdf.js';
export { verifyPdf } from './verify/verify-pdf.js';
export type {
  IncrementalUpdateOptions,
  IncrementalUpdateResult,
  IncrementResult,
} from './writer/incremental.js';
export { IncrementalUpdate } from './writer/incremental.js';
export type { PdfWritable } from './writer/serialize.js';
export {
  PdfRawStream,
  pdfDict,
  pdfHexString,
  pdfTextString,
  serializeIndirectObject,
  serializeValue,
  withEntries,
} from './writer/serialize.js';
