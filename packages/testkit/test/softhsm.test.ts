import { createHash, createVerify, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSoftHsmToken, createTestPki, run, type SoftHsmToken, type TestPki } from '../src/index.js';

let pki: TestPki;
let token: SoftHsmToken;

beforeAll(async () => {
  pki = await createTestPki();
  token = await createSoftHsmToken(pki);
});
afterAll(() => {
  token?.cleanup();
  pki?.cleanup();
});

function pkcs11Tool(args: string[]) {
  return run('pkcs11-tool', ['--module', token.modulePath, '--token-label', token.label, ...args], {
    env: { ...process.env, ...token.env },
  });
}

describe('createSoftHsmToken', () => {
  it('holds an RSA and an EC key pair with their certificates under matching CKA_IDs (pkcs11-tool --list-objects)', async () => {
    const { stdout } = await pkcs11Tool(['--login', '--pin', token.userPin, '--list-objects']);
    const objects = stdout.split(/\n(?=\S)/);
    const find = (kind: string, label: string) =>
      objects.find((o) => o.startsWith(kind) && o.includes(`label:      ${label}`));
    for (const key of [token.keys.rsa, token.keys.ec]) {
      const kind = key.keyType.startsWith('rsa') ? 'Private Key Object; RSA' : 'Private Key Object; EC';
      expect(find(kind, key.label)).toMatch(new RegExp(`ID:\\s+${key.id}`));
      expect(find('Certificate Object', key.label)).toMatch(new RegExp(`ID:\\s+${key.id}`));
    }
  });

  it('has the token initialised with the user PIN and the label asked for', async () => {
    const { stdout } = await run('pkcs11-tool', ['--module', token.modulePath, '--list-token-slots'], {
      env: { ...process.env, ...token.env },
    });
    expect(stdout).toMatch(new RegExp(`token label\\s+: ${token.label}`));
    expect(stdout).toMatch(/PIN initialized/);
  });

  it('signs with the RSA key on the token, verifiable with the certificate from the test PKI', async () => {
    const dataPath = join(pki.dir, 'challenge.bin');
    const sigPath = join(pki.dir, 'challenge.sig');
    writeFileSync(dataPath, 'thử ký số');
    await pkcs11Tool([
      '--login',
      '--pin',
      token.userPin,
      '--sign',
      '--id',
      token.keys.rsa.id,
      '--mechanism',
      'SHA256-RSA-PKCS',
      '--input-file',
      dataPath,
      '--output-file',
      sigPath,
    ]);
    const verifier = createVerify('sha256');
    verifier.update(readFileSync(dataPath));
    expect(
      verifier.verify(new X509Certificate(token.keys.rsa.certificate.pem).publicKey, readFileSync(sigPath)),
    ).toBe(true);
  });

  it('signs with the EC key on the token, verifiable with the certificate from the test PKI', async () => {
    const dataPath = join(pki.dir, 'challenge-ec.bin');
    const sigPath = join(pki.dir, 'challenge-ec.sig');
    const hashPath = join(pki.dir, 'challenge-ec.sha256');
    writeFileSync(dataPath, 'thử ký số EC');
    // SoftHSM2 offers raw CKM_ECDSA only: hash here, sign the digest on the token.
    writeFileSync(hashPath, createHash('sha256').update(readFileSync(dataPath)).digest());
    await pkcs11Tool([
      '--login',
      '--pin',
      token.userPin,
      '--sign',
      '--id',
      token.keys.ec.id,
      '--mechanism',
      'ECDSA',
      '--signature-format',
      'openssl',
      '--input-file',
      hashPath,
      '--output-file',
      sigPath,
    ]);
    const ok = cryptoVerify(
      'sha256',
      readFileSync(dataPath),
      new X509Certificate(token.keys.ec.certificate.pem).publicKey,
      readFileSync(sigPath),
    );
    expect(ok).toBe(true);
  });

  it('refuses a wrong PIN', async () => {
    await expect(pkcs11Tool(['--login', '--pin', '000000', '--list-objects'])).rejects.toMatchObject({
      stderr: expect.stringMatching(/CKR_PIN_INCORRECT/),
    });
  });
});
