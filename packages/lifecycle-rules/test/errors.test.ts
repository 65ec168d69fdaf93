import { isKysoError } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { RulesError } from '../src/index.js';

describe('RulesError', () => {
  it('is recognised by core isKysoError without lifecycle-rules importing core at run time', () => {
    const error = new RulesError('RULES_UNKNOWN_PROVINCE', 'unknown province x', {
      messageVi: 'không có tỉnh x',
    });
    expect(isKysoError(error)).toBe(true);
    expect(error.code).toBe('RULES_UNKNOWN_PROVINCE');
    expect(error.messageVi).toBe('không có tỉnh x');
  });
});
