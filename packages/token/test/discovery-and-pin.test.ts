import { verify, X509Certificate } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveModulePath } from '../src/index.js';
import { loadModule, Pkcs11Tokens } from '../src/node.js';
import { useSoftHsm } from './support/softhsm.js';

// Each test opens the token itself.
const hsm = useSoftHsm({ open: false });

/** The token's user PIN, as a callback that counts how often it is asked. */
function countedPin() {
  let calls = 0;
  const pin = () => {
    calls += 1;
    return hsm.token.userPin;
  };
  return { pin, calls: () => calls };
}

describe('the PIN callback (issue 14, item 6)', () => {
  it('is called once for a signer and its first signature: one login, not two', async () => {
    const tokens = Pkcs11Tokens.open({ modulePath: hsm.token.modulePath });
    const asked = countedPin();
    const signer = await tokens.signer({ pin: asked.pin, key: { label: 'rsa-2048' } });
    const data = new TextEncoder().encode('Công văn số 123/SKHCN-VP');
    const first = await signer.sign(data);
    await signer.sign(data);
    await Promise.all([signer.sign(data), signer.sign(data)]);
    expect(asked.calls()).toBe(1);
    expect(
      verify('sha256', data, new X509Certificate(hsm.token.keys.rsa.certificate.pem).publicKey, first),
    ).toBe(true);
    await signer.close();
  });

  it('is called again only for a new login, after the session was closed', async () => {
    const tokens = Pkcs11Tokens.open({ modulePath: hsm.token.modulePath });
    const asked = countedPin();
    const signer = await tokens.signer({ pin: asked.pin, key: { label: 'ec-p256' } });
    await signer.sign(new Uint8Array([1, 2, 3]));
    await signer.close();
    await signer.sign(new Uint8Array([1, 2, 3]));
    expect(asked.calls()).toBe(2);
    await signer.close();
  });

  it('is called once when listing certificates with their keys', async () => {
    const tokens = Pkcs11Tokens.open({ modulePath: hsm.token.modulePath });
    const asked = countedPin();
    await tokens.certificates({}, asked.pin);
    expect(asked.calls()).toBe(1);
  });
});

describe('module discovery (issue 14, item 6)', () => {
  it('resolveModulePath() works without options in Node, from the known locations', () => {
    const saved = process.env.KYSO_PKCS11_MODULE;
    delete process.env.KYSO_PKCS11_MODULE;
    try {
      const found = resolveModulePath();
      expect(found.source).toBe('known-location');
      expect(existsSync(found.path)).toBe(true);
    } finally {
      if (saved !== undefined) process.env.KYSO_PKCS11_MODULE = saved;
    }
  });

  it('resolveModulePath() reads KYSO_PKCS11_MODULE from the process by default', () => {
    const saved = process.env.KYSO_PKCS11_MODULE;
    process.env.KYSO_PKCS11_MODULE = hsm.token.modulePath;
    try {
      expect(resolveModulePath()).toEqual({ path: hsm.token.modulePath, source: 'env' });
    } finally {
      if (saved === undefined) delete process.env.KYSO_PKCS11_MODULE;
      else process.env.KYSO_PKCS11_MODULE = saved;
    }
  });

  it('tries every known module in turn, past one that does not load, and says what each gave', () => {
    const broken = join(hsm.pki.dir, 'libbroken-vendor.so');
    writeFileSync(broken, 'not a shared library');
    const module = loadModule({ env: {}, extraLocations: [broken, hsm.token.modulePath] });
    expect(module.path).toBe(hsm.token.modulePath);
    expect(module.source).toBe('known-location');
    expect(module.tried[0]).toMatchObject({
      path: broken,
      loaded: false,
      tokensPresent: null,
      error: { code: 'TOKEN_MODULE_LOAD_FAILED' },
    });
    expect(module.tried[0]!.error!.message).toContain('is not a PKCS#11 library');
    expect(module.tried[1]).toMatchObject({ path: hsm.token.modulePath, loaded: true, error: null });
    expect(module.tried[1]!.tokensPresent).toBeGreaterThan(0);
    // The known SoftHSM2 locations are the same library: tried once.
    expect(module.tried).toHaveLength(2);
  });

  it('names every module it tried when none loads', () => {
    const broken = join(hsm.pki.dir, 'libbroken-only.so');
    writeFileSync(broken, 'not a shared library');
    try {
      loadModule({ env: {}, extraLocations: [broken], platform: 'none' });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TOKEN_MODULE_LOAD_FAILED' });
      expect((error as Error).message).toContain(`no PKCS#11 module could be loaded: ${broken}: `);
      expect((error as { messageVi: string }).messageVi).toContain('không nạp được thư viện PKCS#11 nào');
    }
  });

  it('an explicit module is the only one tried', () => {
    const module = loadModule({ modulePath: hsm.token.modulePath, env: {} });
    expect(module.tried).toEqual([
      expect.objectContaining({ path: hsm.token.modulePath, source: 'option', loaded: true }),
    ]);
  });
});
