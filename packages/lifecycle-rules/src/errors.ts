const KYSO_ERROR_MARKER: unique symbol = Symbol.for('kyso.error') as never;

/** Stable error codes of `@kyso/lifecycle-rules`. */
export type RulesErrorCode = 'RULES_UNKNOWN_PROVINCE' | 'RULES_INVALID_DATE' | 'RULES_INVALID_INPUT';

/**
 * An error from rule evaluation. lifecycle-rules imports core's types only, never its runtime, so
 * it carries core's `Symbol.for('kyso.error')` marker itself: `isKysoError` from `@kyso/core`
 * recognises it all the same.
 */
export class RulesError extends Error {
  readonly code: RulesErrorCode;
  readonly messageVi: string;
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by core isKysoError through the symbol
  private readonly [KYSO_ERROR_MARKER] = true;

  constructor(code: RulesErrorCode, message: string, options: { messageVi?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RulesError';
    this.code = code;
    this.messageVi = options.messageVi ?? message;
  }
}
