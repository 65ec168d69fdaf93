/**
 * kyso's error model: misuse and unreadable input throw a {@link KysoError} with a stable `code`
 * that callers branch on (never on the message). A document that fails verification is a report,
 * not an error.
 */

const MARKER = Symbol.for('kyso.error');

/** Every stable error code `@kyso/core` throws. Other packages add their own codes. */
export type CoreErrorCode =
  | 'INPUT_INVALID'
  | 'OPTION_INVALID'
  | 'CRL_CACHE_INVALID'
  | 'ASN1_MALFORMED'
  | 'ASN1_TOO_DEEP'
  | 'ASN1_TOO_LARGE'
  | 'CERT_MALFORMED'
  | 'CRL_MALFORMED'
  | 'OCSP_MALFORMED'
  | 'CMS_MALFORMED'
  | 'PEM_MALFORMED'
  | 'ALGORITHM_UNSUPPORTED'
  | 'PATH_BUILD_BUDGET_EXCEEDED'
  | 'TRANSPORT_REFUSED'
  | 'TRANSPORT_FAILED'
  | 'TRANSPORT_TOO_LARGE'
  | 'TRANSPORT_TIMEOUT'
  | 'SIGNATURE_ALGORITHM_REFUSED'
  | 'SIGNATURE_INVALID'
  | 'SIGNER_KEY_MISMATCH'
  | 'SIGNER_CERTIFICATE_MISMATCH'
  | 'SIGNER_FAILED'
  | 'KEY_MALFORMED'
  | 'PKCS12_MALFORMED'
  | 'PKCS12_PASSWORD_INCORRECT'
  | 'PKCS12_UNSUPPORTED'
  | 'TSA_UNREACHABLE'
  | 'TSA_TIMEOUT'
  | 'TSA_RESPONSE_MALFORMED'
  | 'TSA_REJECTED'
  | 'TSA_NONCE_MISMATCH'
  | 'TSA_IMPRINT_MISMATCH'
  | 'TSA_SIGNATURE_INVALID'
  | 'TSA_CERTIFICATE_INVALID'
  | 'TSA_CERTIFICATE_ID_MISMATCH';

/** Options of a {@link KysoError}. */
export interface KysoErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** The message in Vietnamese; the English message is the error's `message`. */
  messageVi?: string;
}

/**
 * The base of every error kyso throws. Identity survives two installed copies of `@kyso/core`
 * through a `Symbol.for` marker: use {@link isKysoError}, not `instanceof`.
 */
export class KysoError extends Error {
  /** A stable code such as `CERT_MALFORMED` or `TOKEN_PIN_LOCKED`. */
  readonly code: string;
  /** The message in Vietnamese (falls back to the English one). */
  readonly messageVi: string;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read through isKysoError by symbol, across copies
  private readonly [MARKER] = true;

  constructor(code: string, message: string, options: KysoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KysoError';
    this.code = code;
    this.messageVi = options.messageVi ?? message;
  }

  /** A plain object for logs and JSON output. */
  toJSON(): { name: string; code: string; message: string; messageVi: string } {
    return { name: this.name, code: this.code, message: this.message, messageVi: this.messageVi };
  }
}

/** True when `value` is a {@link KysoError} from any installed copy of kyso. */
export function isKysoError(value: unknown): value is KysoError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}
