import { constants, verify, X509Certificate } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import { Pkcs11Tokens } from '../src/node.js';
import { useSoftHsm } from './support/softhsm.js';

const hsm = useSoftHsm();

const pin = () => hsm.token.userPin;
const publicKey = (pem: string) => new X509Certificate(pem).publicKey;

describe('tokens and certificates as plain data', () => {
  it('lists the token with its label, serial and PIN flags', () => {
    const [t] = hsm.tokens.list();
    expect(t).toMatchObject({
      label: 'kyso-test',
      manufacturer: 'SoftHSM project',
      pin: { locked: false, finalTry: false },
    });
    expect(t!.serial).toMatch(/^[0-9a-f]+$/);
  });

  it('lists certificates without a PIN, and pairs them with their private keys by CKA_ID after login', async () => {
    const before = await hsm.tokens.certificates();
    expect(before.map((c) => [c.id, c.hasPrivateKey])).toEqual([
      ['01', null],
      ['02', null],
    ]);
    const after = await hsm.tokens.certificates({}, pin);
    expect(after.map((c) => c.hasPrivateKey)).toEqual([true, true]);
    expect(after[0]!.description.subject.commonName).toBe('Đỗ Minh Khoa');
    expect(after[0]!.fingerprint).toBe(hsm.token.keys.rsa.certificate.fingerprint256);
    expect(after[1]!.description.key).toMatchObject({ algorithm: 'EC', curve: 'P-256' });
  });

  it('chooses a token by label or slot, and names the tokens present when none matches', () => {
    expect(hsm.tokens.select({ label: 'kyso-test' }).token.label).toBe('kyso-test');
    expect(() => hsm.tokens.select({ label: 'no-such-token' })).toThrow(/tokens present: "kyso-test"/);
  });
});

describe('TokenSigner', () => {
  it('signs with RSA PKCS#1 v1.5 / SHA-256 hashed on the token; node:crypto and openssl verify it', async () => {
    const signer = await hsm.tokens.signer({ pin, key: { label: 'rsa-2048' } });
    const data = new TextEncoder().encode('Công văn số 123/SKHCN-VP');
    const sig = await signer.sign(data);
    expect(verify('sha256', data, publicKey(hsm.token.keys.rsa.certificate.pem), sig)).toBe(true);
    const dir = hsm.pki.dir;
    writeFileSync(join(dir, 'tok.data'), data);
    writeFileSync(join(dir, 'tok.sig'), sig);
    writeFileSync(
      join(dir, 'tok.pub'),
      publicKey(hsm.token.keys.rsa.certificate.pem).export({ type: 'spki', format: 'pem' }),
    );
    const { stdout } = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'tok.pub'),
      '-signature',
      join(dir, 'tok.sig'),
      join(dir, 'tok.data'),
    ]);
    expect(stdout).toContain('Verified OK');
    await signer.close();
  });

  it('signs with CKM_RSA_PKCS and a DigestInfo when hashing in kyso, SHA-384 and SHA-512 too', async () => {
    for (const hash of ['SHA-256', 'SHA-384', 'SHA-512'] as const) {
      const signer = await hsm.tokens.signer({
        pin,
        key: { id: '01' },
        hashOnToken: false,
        algorithm: { name: 'RSASSA-PKCS1-v1_5', hash },
      });
      const data = new TextEncoder().encode(`dữ liệu ${hash}`);
      expect(
        verify(
          hash.replace('-', '').toLowerCase(),
          data,
          publicKey(hsm.token.keys.rsa.certificate.pem),
          await signer.sign(data),
        ),
      ).toBe(true);
      await signer.close();
    }
  });

  it('signs with RSA-PSS', async () => {
    const signer = await hsm.tokens.signer({
      pin,
      key: { id: '01' },
      algorithm: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
    });
    const data = new TextEncoder().encode('PSS');
    const sig = await signer.sign(data);
    const ok = verify(
      'sha256',
      data,
      {
        key: publicKey(hsm.token.keys.rsa.certificate.pem),
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      },
      sig,
    );
    expect(ok).toBe(true);
    await signer.close();
  });

  it('signs with ECDSA P-256, turning r||s into DER', async () => {
    const signer = await hsm.tokens.signer({ pin, key: { subject: 'Ngô Thị Lan' } });
    expect(signer.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-256' });
    const data = new TextEncoder().encode('ECDSA');
    const sig = await signer.sign(data);
    expect(sig[0]).toBe(0x30);
    expect(verify('sha256', data, publicKey(hsm.token.keys.ec.certificate.pem), sig)).toBe(true);
    await signer.close();
  });

  it('serves 200 concurrent sign calls on one signer, every signature valid', async () => {
    const signer = await hsm.tokens.signer({
      pin,
      key: { fingerprint: hsm.token.keys.ec.certificate.fingerprint256.slice(0, 12) },
    });
    const inputs = Array.from({ length: 200 }, (_, i) => new TextEncoder().encode(`yêu cầu ${i}`));
    const sigs = await Promise.all(inputs.map((d) => signer.sign(d)));
    const key = publicKey(hsm.token.keys.ec.certificate.pem);
    expect(sigs.every((s, i) => verify('sha256', inputs[i]!, key, s))).toBe(true);
    await signer.close();
  });

  it('refuses an unknown key, naming the keys on the token', async () => {
    await expect(hsm.tokens.signer({ pin, key: { label: 'nope' } })).rejects.toMatchObject({
      code: 'TOKEN_KEY_NOT_FOUND',
      message: expect.stringContaining('rsa-2048'),
    });
  });

  it('reports a wrong PIN as TOKEN_PIN_INCORRECT with CKR_PIN_INCORRECT', async () => {
    await expect(hsm.tokens.signer({ pin: () => '000000', key: { id: '01' } })).rejects.toMatchObject({
      code: 'TOKEN_PIN_INCORRECT',
      ckr: 'CKR_PIN_INCORRECT',
    });
  });
});

describe('modules that cannot load', () => {
  it('a missing module is TOKEN_MODULE_NOT_FOUND', () => {
    expect(() => Pkcs11Tokens.open({ modulePath: '/usr/lib/missing-pkcs11.so' })).toThrow(
      expect.objectContaining({ code: 'TOKEN_MODULE_NOT_FOUND' }),
    );
  });

  it('a file that is no library, and a library of another architecture, are TOKEN_MODULE_LOAD_FAILED with the reason', () => {
    const text = join(hsm.pki.dir, 'not-a-module.so');
    writeFileSync(text, 'hello');
    expect(() => Pkcs11Tokens.open({ modulePath: text })).toThrow(
      expect.objectContaining({ code: 'TOKEN_MODULE_LOAD_FAILED' }),
    );
    // A copy of SoftHSM2 marked as a 32-bit ELF: what a 32-bit vendor driver looks like to 64-bit Node.
    const elf32 = join(hsm.pki.dir, 'libvendor32.so');
    copyFileSync(hsm.token.modulePath, elf32);
    const bytes = readFileSync(elf32);
    bytes[4] = 1;
    writeFileSync(elf32, bytes);
    expect(() => Pkcs11Tokens.open({ modulePath: elf32 })).toThrow(/another architecture/);
  });
});
