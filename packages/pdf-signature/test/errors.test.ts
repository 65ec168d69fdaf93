import { isKysoError } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { PdfError } from '../src/index.js';

describe('PdfError', () => {
  it('is a KysoError with a stable code and the offset where reading failed', () => {
    const error = new PdfError('PDF_XREF_BROKEN', 'xref entry points outside the file', { offset: 1234 });
    expect(isKysoError(error)).toBe(true);
    expect(error.code).toBe('PDF_XREF_BROKEN');
    expect(error.offset).toBe(1234);
    expect(error.name).toBe('PdfError');
  });
});
