/**
 * `@kyso/core`: X.509 and CMS, RFC 5280 path validation, revocation, trust stores, timestamps and
 * the validation report model for Vietnamese public-service digital signatures.
 *
 * @packageDocumentation
 */

export type { CoreErrorCode, KysoErrorOptions } from './errors.js';
export { isKysoError, KysoError } from './errors.js';
export type {
  Check,
  CheckStatus,
  Indication,
  LocalizedMessage,
  SubIndication,
  ValidationStatus,
} from './report.js';
export { FAILED_SUB_INDICATIONS, INDETERMINATE_SUB_INDICATIONS, localize } from './report.js';
export type { HashName, SignatureAlgorithm, Signer } from './signer.js';
export type { Transport, TransportPurpose, TransportRequest } from './transport.js';
export { offlineTransport } from './transport.js';
