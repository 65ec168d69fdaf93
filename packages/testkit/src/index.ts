/**
 * `@kyso/testkit` (private): the real components kyso's tests need, each started and stopped by the
 * test that uses it, in a fresh temporary directory, on 127.0.0.1 with a port the system chose.
 *
 * @packageDocumentation
 */

export type { FaultInjectingModule } from './fault-module.js';
export { buildFaultInjectingModule } from './fault-module.js';
export type { PdfInput, PdfsigOptions, QpdfCheckOptions, QpdfVerdict } from './judges.js';
export {
  opensslCmsVerify,
  pdfsigOutput,
  pdfsigVerdicts,
  qpdfCheck,
  qpdfVerdict,
  signatureValidations,
} from './judges.js';
export type { LoopbackRequest, LoopbackResponse, LoopbackServer } from './loopback-server.js';
export { startLoopbackServer } from './loopback-server.js';
export type { OcspResponder, OcspResponderOptions } from './ocsp.js';
export { startOcspResponder } from './ocsp.js';
export { OFFICIAL_LETTER_LAYOUT, officialLetterPdf } from './official-letter.js';
export type { NssSigner, SignedLetters } from './pdf.js';
export { createNssSigner, fillTextField, formPdf, minimalPdf, scannedPdf, signedLetters } from './pdf.js';
export * as pdfAttacks from './pdf-attacks.js';
export {
  addDocumentTimestamp,
  type SignaturePermissions,
  signWithOpensslCms,
  signWithOpensslX509RsaSha1,
} from './pdf-cms-signer.js';
export { addDocumentSecurityStore, type DssData } from './pdf-dss.js';
export type {
  CertificateProfile,
  IssuedCertificate,
  IssueOptions,
  KeyType,
  PkiUrls,
  RevocationReason,
  SubjectField,
  TestPkiOptions,
} from './pki.js';
export { createTestPki, personalSubject, TEST_SUBJECTS, TestCa, TestPki } from './pki.js';
export { png } from './png.js';
export type { PkiServices } from './services.js';
export { startPkiServices } from './services.js';
export type { SoftwareKey } from './signers.js';
export { softwareKey } from './signers.js';
export type { SoftHsmToken, SoftHsmTokenOptions, TokenKey } from './softhsm.js';
export { createSoftHsmToken, SOFTHSM_MODULE_CANDIDATES, softHsmModulePath } from './softhsm.js';
export type { RunOptions, RunResult, ToolName } from './tools.js';
export {
  CommandFailedError,
  MissingToolError,
  makeTempDir,
  requireTool,
  run,
  SerialQueue,
  TOOL_PACKAGES,
} from './tools.js';
export type { TimestampAuthority, TimestampAuthorityOptions } from './tsa.js';
export { requestTimestampReply, startTimestampAuthority, TEST_TSA_POLICY } from './tsa.js';
