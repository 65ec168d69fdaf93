import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minimalPdf, qpdfCheck, run } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import { PdfDocument, verifyPdf } from '../src/index.js';
import { verifyPdfFile } from '../src/node.js';
import { aesCbcDecryptRaw } from '../src/reader/encryption/aes.js';
import { md5 } from '../src/reader/encryption/md5.js';
import { rc4 } from '../src/reader/encryption/rc4.js';
import { useTestPki } from './support/pki.js';

/**
 * Encrypted signed PDFs (ISO 32000-2 §7.6): qpdf encrypts a testkit letter, then poppler's pdfsig
 * signs the encrypted file (it encrypts its increment with the file's key), so the signature
 * covers the encrypted bytes as a viewer would. pdfsig and `qpdf --check` judge each file.
 */

const env = useTestPki((pki) => [pki.leaves.personal, pki.leaves.organisation]);

/** `input` encrypted by qpdf with `args` (those between `--encrypt` and `--`, and options). */
async function qpdfEncrypt(input: Uint8Array, name: string, args: string[]): Promise<Uint8Array> {
  const inPath = join(env.pki.dir, `${name}-plain.pdf`);
  const outPath = join(env.pki.dir, `${name}-encrypted.pdf`);
  writeFileSync(inPath, input);
  await run('qpdf', ['--allow-weak-crypto', ...args, inPath, outPath]);
  return new Uint8Array(readFileSync(outPath));
}

const verify = (bytes: Uint8Array, password?: string) =>
  verifyPdf(bytes, {
    trustAnchors: [env.root],
    crls: env.crls,
    revocation: 'hard-fail',
    ...(password !== undefined ? { password } : {}),
  });

describe('the ciphers kyso writes by hand, against node:crypto', () => {
  it('MD5 agrees at every padding boundary', () => {
    for (const n of [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 1000]) {
      const data = randomBytes(n);
      expect(Buffer.from(md5(data)).toString('hex')).toBe(createHash('md5').update(data).digest('hex'));
    }
  });
  it('AES-CBC decryption agrees for 128-, 192- and 256-bit keys', () => {
    for (const keyLength of [16, 24, 32])
      for (const n of [16, 48, 4096]) {
        const key = randomBytes(keyLength);
        const iv = randomBytes(16);
        const data = randomBytes(n);
        const cipher = createCipheriv(`aes-${keyLength * 8}-cbc`, key, iv).setAutoPadding(false);
        const encrypted = Buffer.concat([cipher.update(data), cipher.final()]);
        expect(Buffer.from(aesCbcDecryptRaw(key, iv, encrypted)).equals(data)).toBe(true);
      }
  });
  it('RC4 gives the published test vectors', () => {
    const hex = (key: string, text: string) =>
      Buffer.from(rc4(Buffer.from(key), Buffer.from(text))).toString('hex');
    expect(hex('Key', 'Plaintext')).toBe('bbf316e8d940af0ad3');
    expect(hex('Wiki', 'pedia')).toBe('1021bf0420');
    expect(hex('Secret', 'Attack at dawn')).toBe('45a01f645fc35b383552544b9bf5');
  });
});

/** Each Standard security handler qpdf writes, with an empty user password. */
const EMPTY_USER: [string, string[], Record<string, unknown>][] = [
  ['RC4 40-bit (R2)', ['--encrypt', '', 'owner', '40', '--'], { revision: 2, streams: 'RC4-40' }],
  [
    'RC4 128-bit (R3)',
    ['--encrypt', '', 'owner', '128', '--use-aes=n', '--'],
    { revision: 3, streams: 'RC4-128' },
  ],
  [
    'AES-128 (R4, AESV2)',
    ['--encrypt', '', 'owner', '128', '--use-aes=y', '--'],
    { version: 4, revision: 4, streams: 'AES-128' },
  ],
  [
    'AES-128 with cleartext metadata and object streams',
    [
      '--object-streams=generate',
      '--encrypt',
      '',
      'owner',
      '128',
      '--use-aes=y',
      '--cleartext-metadata',
      '--',
    ],
    { revision: 4, streams: 'AES-128', encryptMetadata: false },
  ],
  ['AES-256 (R6)', ['--encrypt', '', 'owner', '256', '--'], { version: 5, revision: 6, streams: 'AES-256' }],
  [
    'AES-256 (R5, Adobe extension level 3)',
    ['--encrypt', '', 'owner', '256', '--force-R5', '--'],
    { version: 5, revision: 5, streams: 'AES-256' },
  ],
];

describe('encrypted signed files with an empty user password', () => {
  it.each(EMPTY_USER)(
    '%s: verified as pdfsig verifies it',
    async (label, args, expected) => {
      const name = label.replace(/\W+/g, '-');
      const encrypted = await qpdfEncrypt(minimalPdf(), name, args);
      const once = await env.nss.sign(encrypted, env.pki.leaves.personal, 'ChuKyLanhDao');
      const twice = await env.nss.sign(once, env.pki.leaves.organisation, 'ChuKyCoQuan');
      expect(await env.pdfsig(twice)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      expect(await qpdfCheck(twice)).toMatch(/No syntax or stream encoding errors found/);
      const report = await verify(twice);
      expect(report.encryption).toMatchObject({
        filter: 'Standard',
        authenticatedAs: 'user',
        userPasswordEmpty: true,
        ...expected,
      });
      // The field names are encrypted strings of the increments: they read only when decrypted.
      expect(report.signatures.map((s) => [s.fieldName, s.indication, s.modifiedAfter])).toEqual([
        ['ChuKyLanhDao', 'TOTAL_PASSED', 'allowed'],
        ['ChuKyCoQuan', 'TOTAL_PASSED', 'none'],
      ]);
      expect(report.indication).toBe('TOTAL_PASSED');
      // The neighbour: one byte of the encrypted, signed page content changed breaks it as usual.
      const tampered = twice.slice();
      const at = Buffer.from(tampered).indexOf('stream', Buffer.from(tampered).indexOf('/Length')) + 8;
      tampered[at] = tampered[at]! ^ 0x01;
      const broken = await verify(tampered);
      expect(broken.signatures.every((s) => s.indication === 'TOTAL_FAILED')).toBe(true);
    },
    60_000,
  );

  it('PdfDocument.load, synchronous, still refuses an encrypted file and names PdfDocument.open', async () => {
    const encrypted = await qpdfEncrypt(minimalPdf(), 'load', ['--encrypt', '', 'owner', '256', '--']);
    expect(() => PdfDocument.load(encrypted)).toThrow(
      expect.objectContaining({ code: 'PDF_ENCRYPTED', message: expect.stringMatching(/PdfDocument\.open/) }),
    );
    const doc = await PdfDocument.open(encrypted);
    expect(doc.catalog().name('Type')).toBe('Catalog');
  });
});

describe('encrypted signed files with a user password', () => {
  it.each([
    ['AES-256 (R6)', ['--encrypt', 'mat-khau', 'chu-so-huu', '256', '--']],
    ['RC4 128-bit (R3)', ['--encrypt', 'mat-khau', 'chu-so-huu', '128', '--use-aes=n', '--']],
    ['AES-128 (R4)', ['--encrypt', 'mat-khau', 'chu-so-huu', '128', '--use-aes=y', '--']],
  ])(
    '%s: refused without the password, verified with the user or the owner password',
    async (label, args) => {
      const name = `user-${label.replace(/\W+/g, '-')}`;
      const encrypted = await qpdfEncrypt(minimalPdf(), name, args);
      const signed = await env.nss.sign(encrypted, env.pki.leaves.personal, 'ChuKyLanhDao', {
        userPassword: 'mat-khau',
      });
      expect(await env.pdfsig(signed, 'mat-khau')).toEqual(['Signature is Valid.']);
      expect(await qpdfCheck(signed, { password: 'mat-khau' })).toMatch(
        /No syntax or stream encoding errors found/,
      );
      await expect(verify(signed)).rejects.toMatchObject({
        code: 'PDF_PASSWORD_REQUIRED',
        messageVi: expect.stringContaining('mật khẩu'),
      });
      await expect(verify(signed, 'sai')).rejects.toMatchObject({ code: 'PDF_PASSWORD_INCORRECT' });
      const asUser = await verify(signed, 'mat-khau');
      expect(asUser.encryption).toMatchObject({ authenticatedAs: 'user', userPasswordEmpty: false });
      expect(asUser.signatures.map((s) => [s.fieldName, s.indication])).toEqual([
        ['ChuKyLanhDao', 'TOTAL_PASSED'],
      ]);
      const asOwner = await verify(signed, 'chu-so-huu');
      expect(asOwner.encryption).toMatchObject({ authenticatedAs: 'owner' });
      expect(asOwner.indication).toBe('TOTAL_PASSED');
    },
    60_000,
  );

  it('verifyPdfFile reads an encrypted file from disk a window at a time, with the password', async () => {
    const encrypted = await qpdfEncrypt(minimalPdf(), 'file', [
      '--encrypt',
      'mat-khau',
      'owner',
      '256',
      '--',
    ]);
    const signed = await env.nss.sign(encrypted, env.pki.leaves.personal, 'ChuKy', {
      userPassword: 'mat-khau',
    });
    const path = join(env.pki.dir, 'file-on-disk.pdf');
    writeFileSync(path, signed);
    const options = { trustAnchors: [env.root], crls: env.crls, revocation: 'hard-fail' as const };
    await expect(verifyPdfFile(path, options)).rejects.toMatchObject({ code: 'PDF_PASSWORD_REQUIRED' });
    const report = await verifyPdfFile(path, { ...options, password: 'mat-khau' });
    expect(report.signatures.map((s) => [s.fieldName, s.indication])).toEqual([['ChuKy', 'TOTAL_PASSED']]);
  }, 60_000);
});
