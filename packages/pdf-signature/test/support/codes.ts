import { isKysoError } from '@kyso/core';
import { expect } from 'vitest';

/**
 * The stable code of the KysoError `promise` rejects with ('no error' when it resolves); the error
 * must say what went wrong in Vietnamese too. Anything else it rejects with is rethrown. Set
 * DEBUG_CODES to print each code with its message.
 */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isKysoError(error)) {
      expect(error.messageVi.length).toBeGreaterThan(0);
      if (process.env.DEBUG_CODES) console.log(error.code, error.message);
      return error.code;
    }
    throw error;
  }
  return 'no error';
}
