import { KysoError, type KysoErrorOptions } from '@kyso/core';

/** Stable error codes of `@kyso/token`. */
export type TokenErrorCode =
  | 'TOKEN_MODULE_NOT_FOUND'
  | 'TOKEN_MODULE_LOAD_FAILED'
  | 'TOKEN_NOT_FOUND'
  | 'TOKEN_AMBIGUOUS'
  | 'TOKEN_REMOVED'
  | 'TOKEN_SESSION_LOST'
  | 'TOKEN_PIN_INCORRECT'
  | 'TOKEN_PIN_FINAL_TRY'
  | 'TOKEN_PIN_LOCKED'
  | 'TOKEN_PIN_CONSENT_REQUIRED'
  | 'TOKEN_KEY_NOT_FOUND'
  | 'TOKEN_KEY_MISMATCH'
  | 'TOKEN_DIGEST_INVALID'
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

/** The CKR_* name of a pkcs11js error, if it is one. */
export function ckrOf(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : String(error);
  return /\b(CKR_[A-Z0-9_]+)/.exec(message)?.[1];
}

const LOCKED_ADVICE = {
  en: 'The token is locked after too many wrong PINs. It cannot be used until it is recovered: the managing agency sends a recovery request (Form 06, Nghị định 68/2024/NĐ-CP, Điều 22) to the provincial Department of Science and Technology (or the body your province names), which recovers it — in Phú Thọ within 1 working day of a valid request. Do not try more PINs.',
  vi: 'Thiết bị lưu khóa bí mật đã bị khóa do nhập sai mật khẩu quá số lần quy định. Không dùng được cho đến khi được khôi phục: cơ quan quản lý trực tiếp gửi đề nghị khôi phục (Mẫu số 06, Nghị định 68/2024/NĐ-CP, Điều 22) đến Sở Khoa học và Công nghệ (hoặc cơ quan tỉnh quy định) để khôi phục — tại Phú Thọ trong 01 ngày làm việc kể từ khi nhận đề nghị hợp lệ. Không thử thêm mật khẩu.',
};

/** The error for a locked token, saying what the official must do next. */
export function pinLocked(label: string, cause?: unknown): TokenError {
  return new TokenError('TOKEN_PIN_LOCKED', `Token "${label}": ${LOCKED_ADVICE.en}`, {
    messageVi: `Thiết bị "${label}": ${LOCKED_ADVICE.vi}`,
    ckr: 'CKR_PIN_LOCKED',
    ...(cause ? { cause } : {}),
  });
}

/** Maps a pkcs11js error to a TokenError with the CKR name in it. */
export function toTokenError(error: unknown, what: string): TokenError {
  if (error instanceof TokenError) return error;
  const ckr = ckrOf(error);
  if (ckr === 'CKR_DEVICE_REMOVED' || ckr === 'CKR_TOKEN_NOT_PRESENT' || ckr === 'CKR_DEVICE_ERROR') {
    return new TokenError(
      'TOKEN_REMOVED',
      `${what}: the token was removed or stopped answering (${ckr}); plug it in and try again`,
      {
        messageVi: `${what}: thiết bị ký số đã bị rút ra hoặc không phản hồi (${ckr}); hãy cắm lại và thử lại`,
        ckr,
        cause: error,
      },
    );
  }
  if (
    ckr === 'CKR_SESSION_HANDLE_INVALID' ||
    ckr === 'CKR_SESSION_CLOSED' ||
    ckr === 'CKR_USER_NOT_LOGGED_IN'
  ) {
    return new TokenError(
      'TOKEN_SESSION_LOST',
      `${what}: the session with the token was lost (${ckr}); the next operation opens a new one`,
      {
        messageVi: `${what}: phiên làm việc với thiết bị bị mất (${ckr}); lần sau sẽ mở phiên mới`,
        ckr,
        cause: error,
      },
    );
  }
  if (
    ckr === 'CKR_MECHANISM_INVALID' ||
    ckr === 'CKR_MECHANISM_PARAM_INVALID' ||
    ckr === 'CKR_KEY_TYPE_INCONSISTENT'
  ) {
    return new TokenError(
      'TOKEN_MECHANISM_UNSUPPORTED',
      `${what}: the token does not support this signature mechanism (${ckr})`,
      {
        messageVi: `${what}: thiết bị không hỗ trợ cơ chế ký này (${ckr})`,
        ckr,
        cause: error,
      },
    );
  }
  return new TokenError(
    'TOKEN_PKCS11_ERROR',
    `${what} failed: ${ckr ?? (error instanceof Error ? error.message : String(error))}`,
    {
      messageVi: `${what} thất bại: ${ckr ?? (error instanceof Error ? error.message : String(error))}`,
      ...(ckr ? { ckr } : {}),
      cause: error,
    },
  );
}
