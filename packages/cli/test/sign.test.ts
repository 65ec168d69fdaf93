import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isKysoError, parseCertificate, parseCrlDer } from '@kyso/core';
import { signPdf, verifyPdf } from '@kyso/pdf-signature';
import {
  buildFaultInjectingModule,
  createNssSigner,
  createSoftHsmToken,
  createTestPki,
  type FaultInjectingModule,
  minimalPdf,
  type NssSigner,
  pdfsigVerdicts,
  run,
  type SoftHsmToken,
  startTimestampAuthority,
  type TestPki,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

/**
 * `kyso sign`, `kyso prepare` / `kyso complete` and `kyso extend` end to end: real keys (PKCS#12,
 * SoftHSM2), the test TSA, pdfsig and kyso's verifier as judges; every failure leaves no partial
 * file and the input unchanged.
 */

let pki: TestPki;
let token: SoftHsmToken;
let tsa: TimestampAuthority;
let nss: NssSigner;
let fault: FaultInjectingModule;
let dir: string;
let p12: string;
let rootPem: string;
let crlDir: string;
let counter = 0;
const STATE_KEY = 'a'.repeat(64);

beforeAll(async () => {
  pki = await createTestPki();
  token = await createSoftHsmToken(pki);
  fault = await buildFaultInjectingModule(token.modulePath);
  Object.assign(process.env, token.env, fault.env);
  tsa = await startTimestampAuthority(pki);
  nss = await createNssSigner(pki, []);
  dir = join(pki.dir, 'cli-sign');
  mkdirSync(dir);
  p12 = join(dir, 'personal.p12');
  await run('openssl', [
    'pkcs12',
    '-export',
    '-inkey',
    pki.leaves.personal.keyPath,
    '-in',
    pki.leaves.personal.certPath,
    '-certfile',
    pki.subCa.certificate.certPath,
    '-out',
    p12,
    '-passout',
    'pass:mat-khau',
  ]);
  rootPem = pki.root.certificate.certPath;
  crlDir = join(dir, 'crls');
  mkdirSync(crlDir);
  writeFileSync(join(crlDir, 'root.crl'), pki.root.crlDer);
  writeFileSync(join(crlDir, 'sub.crl'), pki.subCa.crlDer);
}, 120_000);
afterAll(async () => {
  const { finalizeAll } = await import('@kyso/token/node');
  finalizeAll();
  await tsa?.stop();
  nss?.cleanup();
  token?.cleanup();
  pki?.cleanup();
});

function input(text: string): string {
  counter += 1;
  const path = join(dir, `in-${counter}.pdf`);
  writeFileSync(path, minimalPdf(text));
  return path;
}

const trust = () => ['--trust', rootPem, '--crl', crlDir, '--offline'];
/** The PKCS#12 file, its password from MAT_KHAU. */
const p12Key = () => ['--key', p12, '--password-env', 'MAT_KHAU'];

const pdfsig = (path: string) => pdfsigVerdicts(path, { nss });

/** No temporary file left beside the outputs. */
const leftovers = () => readdirSync(dir).filter((f) => f.endsWith('.kyso-tmp'));

describe('kyso sign', () => {
  it('signs with a PKCS#12 file (password from an environment variable) at B-T; pdfsig agrees', async () => {
    const inPath = input('P12');
    const before = readFileSync(inPath);
    const out = join(dir, 'p12-signed.pdf');
    const c = capture({ MAT_KHAU: 'mat-khau' });
    const code = await runCli(
      [
        'sign',
        inPath,
        '-o',
        out,
        ...p12Key(),
        ...trust(),
        '--tsa',
        tsa.url,
        '--field',
        'ChuKyLanhDao',
        '--page',
        '1',
        '--rect',
        '300,80,200,60',
        '--reason',
        'Phê duyệt',
        '--json',
      ],
      c.io,
    );
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(c.out());
    expect(json).toMatchObject({
      level: 'B-T',
      fieldName: 'ChuKyLanhDao',
      verification: { indication: 'TOTAL_PASSED' },
    });
    expect(await pdfsig(out)).toEqual(['Signature is Valid.']);
    expect(readFileSync(inPath)).toEqual(before);
  });

  it('refuses an output equal to the input, and leaves the input unchanged', async () => {
    const inPath = input('same');
    const before = readFileSync(inPath);
    const c = capture({ MAT_KHAU: 'mat-khau' });
    const code = await runCli(['sign', inPath, '-o', inPath, ...p12Key(), ...trust()], c.io);
    expect(code).toBe(2);
    expect(c.err()).toContain('PDF_SIGN_OUTPUT_IS_INPUT');
    expect(c.err()).toContain('không bao giờ ghi đè');
    expect(readFileSync(inPath)).toEqual(before);
  });

  it('a revoked signer fails with a stable code and leaves no output and no temporary file', async () => {
    const key = join(dir, 'revoked.key');
    writeFileSync(key, readFileSync(pki.leaves.revokedKeyCompromise.keyPath));
    const out = join(dir, 'revoked-signed.pdf');
    const c = capture({});
    const code = await runCli(
      [
        'sign',
        input('revoked'),
        '-o',
        out,
        '--key',
        key,
        '--cert',
        pki.leaves.revokedKeyCompromise.certPath,
        '--cert',
        pki.subCa.certificate.certPath,
        ...trust(),
      ],
      c.io,
    );
    expect(code).toBe(2);
    expect(c.err()).toContain('PDF_SIGN_SIGNER_REVOKED');
    expect(existsSync(out)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('a TSA answering garbage fails with TSA_RESPONSE_MALFORMED and no output', async () => {
    const { startLoopbackServer } = await import('@kyso/testkit');
    const garbage = await startLoopbackServer(async () => ({
      status: 200,
      contentType: 'x',
      body: 'garbage',
    }));
    try {
      const out = join(dir, 'garbage-tsa.pdf');
      const c = capture({ MAT_KHAU: 'mat-khau' });
      const code = await runCli(
        [
          'sign',
          input('tsa'),
          '-o',
          out,
          ...p12Key(),
          '--trust',
          rootPem,
          '--crl',
          crlDir,
          '--tsa',
          garbage.url,
        ],
        c.io,
      );
      expect(code).toBe(2);
      expect(c.err()).toContain('TSA_RESPONSE_MALFORMED');
      expect(existsSync(out)).toBe(false);
      expect(leftovers()).toEqual([]);
    } finally {
      await garbage.stop();
    }
  });

  it('signs on the SoftHSM2 token; a token pulled mid-signature fails with a TOKEN_ code and no output', async () => {
    const out = join(dir, 'token-signed.pdf');
    const c = capture({ KYSO_TOKEN_PIN: token.userPin });
    const args = (o: string, module: string) => [
      'sign',
      input('token'),
      '-o',
      o,
      '--token',
      '--module',
      module,
      '--token-label',
      token.label,
      '--key-id',
      token.keys.rsa.id,
      '--cert',
      pki.subCa.certificate.certPath,
      ...trust(),
    ];
    expect(await runCli(args(out, token.modulePath), c.io)).toBe(0);
    expect(await pdfsig(out)).toEqual(['Signature is Valid.']);
    const pulled = join(dir, 'token-pulled.pdf');
    fault.failNext('C_Sign', 'CKR_DEVICE_REMOVED');
    const c2 = capture({ KYSO_TOKEN_PIN: token.userPin });
    expect(await runCli(args(pulled, fault.modulePath), c2.io)).toBe(2);
    expect(c2.err()).toMatch(/TOKEN_[A-Z_]+/);
    expect(existsSync(pulled)).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});

describe('kyso prepare / complete across two processes', () => {
  it('prepares here, signs the DigestInfo on the SoftHSM2 token in another process, completes here', async () => {
    const inPath = input('two-step');
    const prepared = join(dir, 'prepared.pdf');
    const state = join(dir, 'state.txt');
    const certs = ['--cert', token.keys.rsa.certificate.certPath, '--cert', pki.subCa.certificate.certPath];
    const p = capture({ KYSO_STATE_KEY: STATE_KEY });
    expect(
      await runCli(
        ['prepare', inPath, '-o', prepared, '--state', state, ...certs, ...trust(), '--json'],
        p.io,
      ),
    ).toBe(0);
    const { digestInfo } = JSON.parse(p.out());
    const script = `
      import { Pkcs11Tokens, finalizeAll } from '@kyso/token/node';
      const tokens = Pkcs11Tokens.open({ modulePath: process.env.MODULE });
      const signer = await tokens.signer({ token: { label: process.env.LABEL }, key: { id: process.env.KEY_ID }, pin: () => process.env.PIN });
      const value = await signer.signDigest(Buffer.from(process.env.DIGEST_INFO, 'hex'));
      process.stdout.write(Buffer.from(value).toString('hex'));
      await signer.close();
      finalizeAll();
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      env: {
        ...process.env,
        ...token.env,
        MODULE: token.modulePath,
        LABEL: token.label,
        KEY_ID: token.keys.rsa.id,
        PIN: token.userPin,
        DIGEST_INFO: digestInfo,
      },
    });
    const signature = join(dir, 'signature.hex');
    writeFileSync(signature, stdout);
    const out = join(dir, 'two-step-signed.pdf');
    const c = capture({ KYSO_STATE_KEY: STATE_KEY });
    const code = await runCli(
      [
        'complete',
        prepared,
        '--state',
        state,
        '--signature',
        signature,
        ...certs,
        ...trust(),
        '--tsa',
        tsa.url,
        '-o',
        out,
      ],
      c.io,
    );
    expect(c.err()).toBe('');
    expect(code).toBe(0);
    expect(await pdfsig(out)).toEqual(['Signature is Valid.']);
    // The same value against a tampered state is refused.
    const tampered = join(dir, 'state-tampered.txt');
    writeFileSync(
      tampered,
      readFileSync(state, 'utf8')
        .trim()
        .replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')),
    );
    const c2 = capture({ KYSO_STATE_KEY: STATE_KEY });
    expect(
      await runCli(
        [
          'complete',
          prepared,
          '--state',
          tampered,
          '--signature',
          signature,
          ...certs,
          ...trust(),
          '-o',
          join(dir, 'x.pdf'),
        ],
        c2.io,
      ),
    ).toBe(2);
    expect(c2.err()).toMatch(/PDF_SIGN_STATE_(TAMPERED|INVALID)/);
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  }, 60_000);
});

describe('concurrency on one token', () => {
  it('20 concurrent signPdf calls on one SoftHSM2 token all verify', async () => {
    const { Pkcs11Tokens } = await import('@kyso/token/node');
    const tokens = Pkcs11Tokens.open({ modulePath: token.modulePath });
    const signer = await tokens.signer({
      token: { label: token.label },
      key: { id: token.keys.rsa.id },
      pin: () => token.userPin,
    });
    const root = parseCertificate(readFileSync(rootPem));
    const crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
    const validation = { trustAnchors: [root], crls };
    try {
      const pdf = minimalPdf('20 on one token');
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          signPdf(pdf, { signer, chain: [pki.subCa.certificate.der], validation }),
        ),
      );
      for (const r of results) {
        const report = await verifyPdf(r.bytes, { trustAnchors: [root], crls });
        expect(report.indication).toBe('TOTAL_PASSED');
      }
    } catch (error) {
      throw isKysoError(error) ? new Error(`${error.code}: ${error.message}`) : error;
    } finally {
      await signer.close();
    }
  }, 120_000);
});
