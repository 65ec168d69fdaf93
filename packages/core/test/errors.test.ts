import { describe, expect, it } from 'vitest';
import { isKysoError, KysoError, offlineTransport } from '../src/index.js';

describe('KysoError', () => {
  it('carries a stable code, both messages and the cause', () => {
    const cause = new Error('low level');
    const error = new KysoError('CERT_MALFORMED', 'not a certificate', {
      cause,
      messageVi: 'không phải chứng thư số',
    });
    expect(error.code).toBe('CERT_MALFORMED');
    expect(error.message).toBe('not a certificate');
    expect(error.messageVi).toBe('không phải chứng thư số');
    expect(error.cause).toBe(cause);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'KysoError',
      code: 'CERT_MALFORMED',
      message: 'not a certificate',
      messageVi: 'không phải chứng thư số',
    });
  });

  it('is recognised across two installed copies of core, where instanceof fails', () => {
    // A second copy of the class, as a second installed @kyso/core would define it.
    const marker = Symbol.for('kyso.error');
    const foreign = Object.assign(new Error('from another copy'), { code: 'X', [marker]: true });
    expect(foreign instanceof KysoError).toBe(false);
    expect(isKysoError(foreign)).toBe(true);
    expect(isKysoError(new Error('plain'))).toBe(false);
    expect(isKysoError(null)).toBe(false);
    expect(isKysoError({ code: 'CERT_MALFORMED' })).toBe(false);
  });
});

describe('offlineTransport', () => {
  it('refuses every request with TRANSPORT_REFUSED', async () => {
    await expect(
      offlineTransport.fetch({ purpose: 'crl', url: 'http://127.0.0.1/x.crl', method: 'GET' }),
    ).rejects.toMatchObject({ code: 'TRANSPORT_REFUSED' });
  });
});
