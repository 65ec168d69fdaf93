import { createSoftHsmToken, createTestPki, type SoftHsmToken, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture as captureIo } from './support/capture.js';

let pki: TestPki;
let token: SoftHsmToken;

beforeAll(async () => {
  pki = await createTestPki();
  token = await createSoftHsmToken(pki);
  process.env.SOFTHSM2_CONF = token.configPath;
});
afterAll(async () => {
  const { finalizeAll } = await import('@kyso/token/node');
  finalizeAll();
  token?.cleanup();
  pki?.cleanup();
});

/** Captures a kyso run with the SoftHSM module preset. */
function capture(env: Record<string, string | undefined>, stdin?: string) {
  return captureIo({ KYSO_PKCS11_MODULE: token.modulePath, ...env }, stdin);
}

describe('kyso token', () => {
  it('list --json gives the tokens with label, serial and PIN flags', async () => {
    const c = capture({});
    expect(await runCli(['token', 'list', '--json'], c.io)).toBe(0);
    const { module, tokens: list } = JSON.parse(c.out());
    expect(module).toMatchObject({ path: token.modulePath, source: 'env' });
    expect(module.tried).toEqual([
      { path: token.modulePath, source: 'env', loaded: true, tokensPresent: list.length, error: null },
    ]);
    const t = list.find((x: { label: string }) => x.label === 'kyso-test');
    expect(t).toMatchObject({ label: 'kyso-test', pin: { locked: false, finalTry: false, countLow: false } });
    expect(typeof t.serial).toBe('string');
  });

  it('list says which module it loaded, how it was chosen, and what it found', async () => {
    const c = capture({});
    expect(await runCli(['token', 'list'], c.io)).toBe(0);
    expect(c.out()).toContain(`Thư viện PKCS#11: ${token.modulePath} (chỉ định bằng KYSO_PKCS11_MODULE)`);
    expect(c.out()).toMatch(/Tìm thấy \d+ thiết bị\./);
    const en = capture({});
    expect(await runCli(['token', 'list', '--lang', 'en'], en.io)).toBe(0);
    expect(en.out()).toContain(`PKCS#11 module: ${token.modulePath} (given by KYSO_PKCS11_MODULE)`);
    expect(en.out()).not.toMatch(/Thư viện|thiết bị/);
  });

  it('list without a module named discovers one and says so', async () => {
    const c = captureIo({});
    expect(await runCli(['token', 'list', '--lang', 'en'], c.io)).toBe(0);
    expect(c.out()).toMatch(/PKCS#11 module: \S+ \(found by discovery\)/);
  });

  it('status names the PIN state', async () => {
    const c = capture({});
    expect(await runCli(['token', 'status', '--token-label', 'kyso-test'], c.io)).toBe(0);
    expect(c.out()).toContain('PIN bình thường');
  });

  it('certs --json gives subject.commonName and fingerprint; with a PIN from stdin it pairs the keys', async () => {
    const c = capture({});
    expect(await runCli(['token', 'certs', '--json'], c.io)).toBe(0);
    const certs = JSON.parse(c.out());
    expect(certs.map((x: { subject: { commonName: string } }) => x.subject.commonName)).toEqual([
      'Đỗ Minh Khoa',
      'Ngô Thị Lan',
    ]);
    expect(certs[0].fingerprint).toBe(token.keys.rsa.certificate.fingerprint256);
    const withPin = capture({}, `${token.userPin}\n`);
    await runCli(['token', 'certs', '--json', '--pin-stdin'], withPin.io);
    expect(JSON.parse(withPin.out()).map((x: { hasPrivateKey: boolean }) => x.hasPrivateKey)).toEqual([
      true,
      true,
    ]);
  });

  it('sign-test signs a random challenge and verifies it with the certificate (PIN from KYSO_TOKEN_PIN)', async () => {
    const c = capture({ KYSO_TOKEN_PIN: token.userPin });
    expect(await runCli(['token', 'sign-test', '--key-id', '02', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({
      ok: true,
      algorithm: { name: 'ECDSA' },
      certificate: 'Ngô Thị Lan',
    });
  });

  it('refuses a PIN given as an argument, and asks for one where none can be read', async () => {
    const arg = capture({});
    expect(await runCli(['token', 'sign-test', '--pin', '123456'], arg.io)).toBe(2);
    expect(arg.err()).toContain('never put a PIN on the command line');
    expect(arg.err()).not.toContain('123456');
    const none = capture({});
    expect(await runCli(['token', 'sign-test'], none.io)).toBe(2);
    expect(none.err()).toContain('KYSO_TOKEN_PIN');
  });

  it('exits 2 with TOKEN_PIN_INCORRECT for a wrong PIN, and with TOKEN_MODULE_NOT_FOUND for a missing module', async () => {
    const wrong = capture({ KYSO_TOKEN_PIN: '000000' });
    expect(await runCli(['token', 'sign-test', '--key-id', '01'], wrong.io)).toBe(2);
    expect(wrong.err()).toContain('TOKEN_PIN_INCORRECT');
    const missing = capture({ KYSO_PKCS11_MODULE: '/nope/libmissing.so' });
    expect(await runCli(['token', 'list'], missing.io)).toBe(2);
    expect(missing.err()).toContain('TOKEN_MODULE_NOT_FOUND');
  });
});
