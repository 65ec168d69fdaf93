import { KysoError, type KysoErrorOptions } from '@kyso/core';

/** Stable error codes of `@kyso/token`. */
export type TokenErrorCode =
  | 'TOKEN_MODULE_NOT_FOUND'
  | 'TOKEN_MODULE_LOAD_FAILED'
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_REMOVED'
  | 'TOKEN_PIN_INCORRECT'
  | 'TOKEN_PIN_FINAL_TRY'
  | 'TOKEN_PIN_LOCKED'
  | 'TOKEN_PIN_CONSENT_REQUIRED'
  | 'TOKEN_KEY_NOT_FOUND'
  | 'TOKEN_MECHANISM_UNSUPPORTED'
  | 'TOKEN_PKCS11_ERROR';

/** An error from a PKCS#11 token or module. */
export class TokenError extends KysoError {
  declare readonly code: TokenErrorCode;
  /** The PKCS#11 return value name (`CKR_PIN_LOCKED`, …) when the module returned one. */
  readonly ckr: string | undefined;

  constructor(code: TokenErrorCode, message: string, options: KysoErrorOptions & { ckr?: string } = {}) {
    super(code, message, options);
    this.name = 'TokenError';
    this.ckr = options.ckr;
  }
}
