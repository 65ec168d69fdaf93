import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type IssuedCertificate, type KeyType, personalSubject, type TestPki } from './pki.js';
import { makeTempDir, requireTool, run } from './tools.js';

/** Where Debian and other distributions install SoftHSM2's PKCS#11 module. */
export const SOFTHSM_MODULE_CANDIDATES = [
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
  '/usr/lib64/pkcs11/libsofthsm2.so',
  '/opt/homebrew/lib/softhsm/libsofthsm2.so',
];

/** The path of SoftHSM2's PKCS#11 module, or an error that names the package to install. */
export function softHsmModulePath(): string {
  const found = SOFTHSM_MODULE_CANDIDATES.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      "testkit needs SoftHSM2's libsofthsm2.so: install the Debian package softhsm2 (apt-get install softhsm2)",
    );
  }
  return found;
}

/** A key pair on the token, with the certificate stored beside it under the same CKA_ID. */
export interface TokenKey {
  /** `CKA_ID`, hex. */
  readonly id: string;
  /** `CKA_LABEL` of the key and the certificate. */
  readonly label: string;
  readonly keyType: KeyType;
  readonly certificate: IssuedCertificate;
}

/** Options of {@link createSoftHsmToken}. */
export interface SoftHsmTokenOptions {
  /** Token label (default `kyso-test`). */
  label?: string;
  /** User PIN (default `123456`). */
  userPin?: string;
  /** Security officer PIN (default `12345678`). */
  soPin?: string;
}

/** A SoftHSM2 token in its own configuration and token directory. */
export interface SoftHsmToken {
  readonly modulePath: string;
  /** The `SOFTHSM2_CONF` file; put it in the environment of whatever loads the module. */
  readonly configPath: string;
  /** `{ SOFTHSM2_CONF }`, ready to merge into an environment. */
  readonly env: { SOFTHSM2_CONF: string };
  readonly label: string;
  readonly userPin: string;
  readonly soPin: string;
  /** An RSA-2048 and an EC P-256 key, with certificates from the test PKI. */
  readonly keys: { rsa: TokenKey; ec: TokenKey };
  /** Removes the token directory. */
  cleanup(): void;
}

/**
 * Creates a SoftHSM2 token with user and SO PINs, and imports an RSA-2048 and an EC P-256 key pair
 * (`CKA_ID` 01 and 02) together with their certificates, issued by `pki.subCa`.
 */
export async function createSoftHsmToken(
  pki: TestPki,
  options: SoftHsmTokenOptions = {},
): Promise<SoftHsmToken> {
  requireTool('softhsm2-util');
  requireTool('pkcs11-tool');
  const modulePath = softHsmModulePath();
  const label = options.label ?? 'kyso-test';
  const userPin = options.userPin ?? '123456';
  const soPin = options.soPin ?? '12345678';
  const dir = makeTempDir('softhsm');
  const tokenDir = join(dir, 'tokens');
  mkdirSync(tokenDir);
  const configPath = join(dir, 'softhsm2.conf');
  writeFileSync(
    configPath,
    `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const env = { ...process.env, SOFTHSM2_CONF: configPath };
  try {
    await run(
      'softhsm2-util',
      ['--init-token', '--free', '--label', label, '--pin', userPin, '--so-pin', soPin],
      { env },
    );
    const stem = `token-${label.replace(/[^A-Za-z0-9-]/g, '_')}`;
    const [rsaCert, ecCert] = await Promise.all([
      pki.subCa.issue({
        name: `${stem}-rsa`,
        subject: personalSubject('Đỗ Minh Khoa', '025080000201'),
        profile: 'personal',
        keyType: 'rsa-2048',
      }),
      pki.subCa.issue({
        name: `${stem}-ec`,
        subject: personalSubject('Ngô Thị Lan', '025080000202'),
        profile: 'personal',
        keyType: 'ec-p256',
      }),
    ]);
    const keys = {
      rsa: { id: '01', label: 'rsa-2048', keyType: 'rsa-2048', certificate: rsaCert },
      ec: { id: '02', label: 'ec-p256', keyType: 'ec-p256', certificate: ecCert },
    } as const;
    for (const key of [keys.rsa, keys.ec]) {
      await run(
        'softhsm2-util',
        [
          '--import',
          key.certificate.keyPath,
          '--token',
          label,
          '--label',
          key.label,
          '--id',
          key.id,
          '--pin',
          userPin,
        ],
        { env },
      );
      const derPath = join(dir, `${key.label}.der`);
      writeFileSync(derPath, key.certificate.der);
      await run(
        'pkcs11-tool',
        [
          '--module',
          modulePath,
          '--token-label',
          label,
          '--login',
          '--pin',
          userPin,
          '--write-object',
          derPath,
          '--type',
          'cert',
          '--id',
          key.id,
          '--label',
          key.label,
        ],
        { env },
      );
    }
    return {
      modulePath,
      configPath,
      env: { SOFTHSM2_CONF: configPath },
      label,
      userPin,
      soPin,
      keys,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
