import { existsSync } from 'node:fs';
import { isKysoError } from '@kyso/core';
import { softHsmModulePath } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import { resolveModulePath } from '../src/index.js';

describe('resolveModulePath', () => {
  it('finds SoftHSM2 among the known Linux locations when nothing is given', () => {
    const found = resolveModulePath({ exists: existsSync, platform: 'linux', env: {} });
    expect(found.source).toBe('known-location');
    expect(existsSync(found.path)).toBe(true);
  });

  it('prefers the explicit path, then KYSO_PKCS11_MODULE', () => {
    const softhsm = softHsmModulePath();
    expect(
      resolveModulePath({ modulePath: softhsm, exists: existsSync, env: { KYSO_PKCS11_MODULE: '/nope.so' } }),
    ).toEqual({
      path: softhsm,
      source: 'option',
    });
    expect(resolveModulePath({ exists: existsSync, env: { KYSO_PKCS11_MODULE: softhsm } })).toEqual({
      path: softhsm,
      source: 'env',
    });
  });

  it('does not fall back to another module when the one named does not exist', () => {
    try {
      resolveModulePath({ exists: existsSync, env: { KYSO_PKCS11_MODULE: '/opt/vendor/missing.so' } });
      expect.unreachable();
    } catch (error) {
      expect(isKysoError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'TOKEN_MODULE_NOT_FOUND' });
      expect((error as Error).message).toContain('/opt/vendor/missing.so');
    }
  });

  it('lists what it tried, in both languages, when no module is installed', () => {
    try {
      resolveModulePath({
        exists: () => false,
        platform: 'linux',
        env: {},
        extraLocations: ['/custom/p11.so'],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TOKEN_MODULE_NOT_FOUND' });
      expect((error as Error).message).toContain('/custom/p11.so');
      expect((error as { messageVi: string }).messageVi).toContain('Không tìm thấy thư viện PKCS#11');
    }
  });
});
