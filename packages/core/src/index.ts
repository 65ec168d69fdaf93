/**
 * `@kyso/core`: X.509 and CMS, RFC 5280 path validation, revocation, trust stores, timestamps and
 * the validation report model for Vietnamese public-service digital signatures.
 *
 * @packageDocumentation
 */

export {
  assertSigningHash,
  defaultSignatureAlgorithm,
  digestAlgorithmIdentifier,
  digestInfo,
  ecdsaSignatureToDer,
  signatureAlgorithmIdentifier,
} from './cms/algorithm-identifiers.js';
export type {
  AssembleSignedDataInput,
  SignatureValueCheck,
  SignDetachedInput,
  SignedAttributes,
  SignedAttributesInput,
} from './cms/build.js';
export {
  addSignatureTimestamp,
  addUnsignedAttributes,
  assembleSignedData,
  buildSignedAttributes,
  signatureTimestampAttribute,
  signatureValueOf,
  signDetached,
  verifySignatureValue,
} from './cms/build.js';
export type {
  ContentTypeCheck,
  SignedData,
  SignerInfo,
  SignerInfoCountProblem,
  SignerVerification,
  SigningCertificateRef,
  VerifySignerInfoOptions,
} from './cms/signed-data.js';
export {
  CMS_OIDS,
  findSignerCertificate,
  parseSignedData,
  signerInfoCountProblem,
  signingCertificateBinding,
  soleSignerInfo,
  verifySignerInfo,
} from './cms/signed-data.js';
export type { TimestampVerification, TstInfo } from './cms/timestamp.js';
export { parseTstInfo, timestampTokenFromResponse, verifyTimestampToken } from './cms/timestamp.js';
export type {
  RequestTimestampOptions,
  Timestamp,
  TimestampRequest,
  TimestampRequestInput,
} from './cms/timestamp-request.js';
export { buildTimestampRequest, requestTimestamp } from './cms/timestamp-request.js';
export type { VerifyHash } from './crypto/algorithms.js';
export { describePublicKey, signatureAlgorithmName } from './crypto/algorithms.js';
export type { CryptoPolicy, CryptoPolicyOptions, CryptoVerdict } from './crypto/policy.js';
export { createCryptoPolicy, defaultCryptoPolicy } from './crypto/policy.js';
export type { SignatureCheck } from './crypto/verify.js';
export { verifySignature } from './crypto/verify.js';
export type { CoreErrorCode, KysoErrorOptions } from './errors.js';
export { isKysoError, KysoError } from './errors.js';
export type { DerInput } from './lib/bytes.js';
export type { DerElement } from './lib/der.js';
export {
  checkCertificate,
  checkCertificateList,
  checkDate,
  checkOptionalBoolean,
  checkOptionalCertificateList,
  checkOptionalCrlList,
  checkOptionalDate,
  checkOptionalFunction,
  checkOptionalPositiveNumber,
  checkOptionalStringList,
  checkOptionalTransport,
  checkOptionsObject,
  checkRevocationMode,
  checkTrustAnchors,
  checkValidateCertificateOptions,
  DEFAULT_REVOCATION_MODE,
  OptionError,
  REVOCATION_MODES,
} from './lib/options.js';
export type { PathBuildingBudget } from './path/build.js';
export type { LimitCode, PolicyInputs, RevocationMode, RevocationRecord } from './path/types.js';
export type {
  CertificateValidationReport,
  PathCertificate,
  ValidateCertificateOptions,
} from './path/validate-certificate.js';
export { validateCertificate } from './path/validate-certificate.js';
export type {
  Check,
  CheckStatus,
  Indication,
  LocalizedMessage,
  ModificationLevel,
  PdfVerificationReport,
  ReportPathCertificate,
  SignatureReport,
  SignatureReportCheck,
  SignerIdentity,
  SubIndication,
  ValidationStatus,
} from './report.js';
export { FAILED_SUB_INDICATIONS, INDETERMINATE_SUB_INDICATIONS, localize } from './report.js';
export type { CertId, OcspRequest, OcspResponse, OcspSingleResponse } from './revocation/ocsp.js';
export { buildOcspRequest, parseOcspResponse } from './revocation/ocsp.js';
export type { DigestInput, HashName, SignatureAlgorithm, Signer } from './signer.js';
export type { ExternalSignerOptions, ExternalSignRequest } from './signers/external.js';
export { createExternalSigner } from './signers/external.js';
export type { Transport, TransportPurpose, TransportRequest } from './transport.js';
export { offlineTransport } from './transport.js';
export type { CachingTransportOptions, HttpTransportOptions } from './transport-http.js';
export { createCachingTransport, createHttpTransport } from './transport-http.js';
export type { TrustProfileName } from './trust/profiles.js';
export { TRUST_PROFILES, trustProfile, trustProfilePins } from './trust/profiles.js';
export { TrustStore } from './trust/store.js';
export type { AlgorithmIdentifier, Certificate, SubjectPublicKeyInfo } from './x509/certificate.js';
export { parseCertificate, parseCertificateDer, parseCertificates, serialToHex } from './x509/certificate.js';
export type { Crl, CrlEntry, CrlReason, IssuingDistributionPoint } from './x509/crl.js';
export { CRL_REASONS, parseCrl, parseCrlDer, parseCrls } from './x509/crl.js';
export type { CertificateDescription, CertificateKind, SubjectIdentifier } from './x509/describe.js';
export { certificateFingerprint, describeCertificate, subjectIdentifiers } from './x509/describe.js';
export type {
  CertificateExtensions,
  DistributionPoint,
  GeneralSubtree,
  KeyUsage,
  OtherExtension,
  PolicyInformation,
  PolicyQualifier,
} from './x509/extensions.js';
export { KEY_USAGE_BITS } from './x509/extensions.js';
export type { GeneralName } from './x509/general-name.js';
export { formatGeneralName } from './x509/general-name.js';
export type { DistinguishedName, NameAttribute } from './x509/name.js';
export { formatName, namesEqual, nameValues } from './x509/name.js';
export { OID } from './x509/oids.js';
