import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createExternalSigner, createHttpTransport, parseCrlDer, type Signer } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import {
  minimalPdf,
  opensslCmsVerify,
  qpdfCheck,
  run,
  scannedPdf,
  signWithOpensslCms,
  softwareKey,
  startLoopbackServer,
  startTimestampAuthority,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completePdfSignature, preparePdfSignature, signPdf, verifyPdf } from '../src/index.js';
import { signPdfFile } from '../src/node.js';
import { codeOf } from './support/codes.js';
import { useTestPki } from './support/pki.js';

/**
 * Signing end to end with core's CMS builder and kyso's writer, judged by poppler's pdfsig (NSS
 * database of the test PKI), `qpdf --check` and kyso's verifyPdf; the two steps and every refusal
 * with its stable code.
 */

const env = useTestPki();
let tsa: TimestampAuthority;
let counter = 0;
const transport = createHttpTransport({ timeoutMs: 5000 });
const stateKey = new Uint8Array(32).fill(7);

beforeAll(async () => {
  tsa = await startTimestampAuthority(env.pki);
});
afterAll(async () => {
  await tsa?.stop();
});

function tempPath(name: string): string {
  counter += 1;
  return join(env.pki.dir, `${counter}-${name}`);
}

const tsaConfig = () => ({ url: tsa.url, transport });

describe('signPdf', () => {
  it('signs at B-B with a software key, warns that Thông tư 41/2017 Điều 9 expects a timestamp, and every judge agrees', async () => {
    const input = minimalPdf();
    const result = await signPdf(input, {
      signer: env.signer(env.pki.leaves.personal),
      validation: env.validation,
    });
    expect(result.level).toBe('B-B');
    expect(result.warnings.map((w) => w.en).join()).toContain(
      'Thông tư 41/2017/TT-BTTTT Điều 9 khoản 1 điểm a',
    );
    expect(Buffer.compare(result.bytes.subarray(0, input.length), input)).toBe(0);
    expect(result.signerCheck.performed).toBe(true);
    expect(result.verification.indication).toBe('TOTAL_PASSED');
    expect(await env.pdfsig(result.bytes)).toEqual(['Signature is Valid.']);
    expect(await qpdfCheck(result.bytes)).toContain('No syntax or stream encoding errors');
  });

  it('signs at B-T by default when a TSA is configured, then a second signer, and every signature stays valid', async () => {
    const first = await signPdf(minimalPdf(), {
      signer: env.signer(env.pki.leaves.personal),
      validation: env.validation,
      tsa: tsaConfig(),
      fieldName: 'ChuKyLanhDao',
      visible: { page: 1, rect: { x: 300, y: 100, width: 200, height: 60 } },
      reason: 'Phê duyệt',
      location: 'Phú Thọ',
    });
    expect(first.level).toBe('B-T');
    expect(first.warnings).toEqual([]);
    expect(first.verification.signatures[0]!.timestamped).toBe(true);
    expect(await env.pdfsig(first.bytes)).toEqual(['Signature is Valid.']);
    const second = await signPdf(first.bytes, {
      signer: env.signer(env.pki.leaves.organisation),
      validation: env.validation,
      tsa: tsaConfig(),
      fieldName: 'ChuKyCoQuan',
    });
    expect(await env.pdfsig(second.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(await qpdfCheck(second.bytes)).toContain('No syntax or stream encoding errors');
    expect(second.verification.indication).toBe('TOTAL_PASSED');
    expect(second.verification.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    expect(second.verification.signatures[0]!.modifiedAfter).toBe('allowed');
  });

  it('signs with RSA-PSS (opt-in), judged by openssl cms -verify over the covered bytes', async () => {
    const leaf = env.pki.leaves.personal;
    const signer = createSoftwareSigner({
      ...softwareKey(env.pki, leaf),
      algorithm: { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
    });
    const result = await signPdf(minimalPdf(), { signer, validation: env.validation });
    expect(result.verification.indication).toBe('TOTAL_PASSED');
    const { findSignatures, PdfDocument } = await import('../src/index.js');
    const sig = findSignatures(PdfDocument.load(result.bytes))[0]!;
    const [, a, b, c] = sig.byteRange as number[];
    const covered = Buffer.concat([result.bytes.subarray(0, a), result.bytes.subarray(b!, b! + c!)]);
    const caPath = env.pki.writeBundle(`ca-${counter}.pem`, [env.pki.root.certificate]);
    await opensslCmsVerify(sig.contents!, covered, caPath);
  });

  it('signs with ECDSA P-256 (opt-in), and pdfsig agrees', async () => {
    const leaf = await env.pki.subCa.issue({
      name: 'ecdsa-signer',
      subject: [
        ['C', 'VN'],
        ['CN', 'Lê Thị Ê'],
      ],
      profile: 'personal',
      keyType: 'ec-p256',
    });
    const result = await signPdf(minimalPdf('ECDSA'), {
      signer: env.signer(leaf),
      validation: env.validation,
    });
    expect(result.verification.indication).toBe('TOTAL_PASSED');
    expect(await env.pdfsig(result.bytes)).toEqual(['Signature is Valid.']);
  });

  it('refuses a signature timestamp earlier than the signing time /M claims', async () => {
    const future = new Date(Date.now() + 3_600_000);
    expect(
      await codeOf(
        signPdf(minimalPdf('future'), {
          signer: env.signer(env.pki.leaves.personal),
          validation: env.validation,
          tsa: tsaConfig(),
          signingTime: future,
        }),
      ),
    ).toBe('PDF_SIGN_TIMESTAMP_BEFORE_SIGNING');
  });

  it('refuses SHA-1 before anything is prepared', async () => {
    const leaf = env.pki.leaves.personal;
    const signer: Signer = {
      ...env.signer(leaf),
      algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' as 'SHA-256' },
    };
    expect(await codeOf(signPdf(minimalPdf(), { signer, validation: env.validation }))).toBe(
      'SIGNATURE_ALGORITHM_REFUSED',
    );
  });
});

describe('the check before signing (Nghị định 68/2024 Điều 29)', () => {
  it('refuses a revoked signer with PDF_SIGN_SIGNER_REVOKED', async () => {
    expect(
      await codeOf(
        signPdf(minimalPdf(), {
          signer: env.signer(env.pki.leaves.revokedKeyCompromise),
          validation: env.validation,
        }),
      ),
    ).toBe('PDF_SIGN_SIGNER_REVOKED');
  });

  it('refuses an expired signer with PDF_SIGN_SIGNER_NOT_VALID', async () => {
    expect(
      await codeOf(
        signPdf(minimalPdf(), { signer: env.signer(env.pki.leaves.expired), validation: env.validation }),
      ),
    ).toBe('PDF_SIGN_SIGNER_NOT_VALID');
  });

  it('refuses to sign without validation options, and records the unsafe override when it is used', async () => {
    const signer = env.signer(env.pki.leaves.personal);
    expect(await codeOf(signPdf(minimalPdf(), { signer }))).toBe('PDF_SIGN_INVALID_OPTION');
    const result = await signPdf(minimalPdf(), { signer, unsafeSkipSignerValidation: true });
    expect(result.signerCheck).toMatchObject({ performed: false, skippedBy: 'unsafeSkipSignerValidation' });
    expect(result.warnings.map((w) => w.en).join()).toContain('unsafeSkipSignerValidation');
  });

  it('refuses a key that does not match its certificate with PDF_SIGN_VALUE_INVALID, nothing embedded', async () => {
    const other = env.pki.leaves.organisation;
    const { privateEncrypt, constants } = await import('node:crypto');
    const signer = createExternalSigner({
      certificate: env.pki.leaves.personal.der,
      chain: [env.pki.subCa.certificate.der],
      digestInput: 'digest-info',
      async signDigest(input) {
        const key = readFileSync(other.keyPath);
        return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, input));
      },
    });
    expect(await codeOf(signPdf(minimalPdf(), { signer, validation: env.validation }))).toBe(
      'PDF_SIGN_VALUE_INVALID',
    );
  });
});

describe('bad input', () => {
  it("refuses a damaged PDF and bytes that are not a PDF with the reader's stable codes", async () => {
    const signer = env.signer(env.pki.leaves.personal);
    const whole = minimalPdf('damaged');
    const truncated = whole.subarray(0, Math.floor(whole.length / 2));
    const codes = [
      await codeOf(signPdf(truncated, { signer, validation: env.validation })),
      await codeOf(
        signPdf(new TextEncoder().encode('not a pdf at all'), { signer, validation: env.validation }),
      ),
    ];
    for (const code of codes) expect(code).toMatch(/^PDF_/);
  });

  it('refuses an encrypted PDF with PDF_ENCRYPTED', async () => {
    const plain = tempPath('plain.pdf');
    const enc = tempPath('enc.pdf');
    writeFileSync(plain, minimalPdf());
    await run('qpdf', ['--encrypt', '', 'owner', '256', '--', plain, enc]);
    expect(
      await codeOf(
        signPdf(new Uint8Array(readFileSync(enc)), {
          signer: env.signer(env.pki.leaves.personal),
          validation: env.validation,
        }),
      ),
    ).toBe('PDF_ENCRYPTED');
  });

  it('refuses a new approval signature on a DocMDP P=1 certified file', async () => {
    const certified = await signWithOpensslCms(
      minimalPdf(),
      env.pki.leaves.organisation,
      [env.pki.subCa.certificate],
      'Cert',
      {
        certify: 1,
      },
    );
    expect(
      await codeOf(
        signPdf(certified, { signer: env.signer(env.pki.leaves.personal), validation: env.validation }),
      ),
    ).toBe('PDF_SIGN_DOCMDP_FORBIDS');
  });

  it('a TSA that never answers ends in TSA_TIMEOUT, one answering garbage in TSA_RESPONSE_MALFORMED', async () => {
    const silent = await startLoopbackServer(() => new Promise(() => {}));
    const garbage = await startLoopbackServer(async () => ({
      status: 200,
      contentType: 'application/timestamp-reply',
      body: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x07]),
    }));
    try {
      const signer = env.signer(env.pki.leaves.personal);
      expect(
        await codeOf(
          signPdf(minimalPdf(), {
            signer,
            validation: env.validation,
            tsa: { url: silent.url, transport: createHttpTransport({ timeoutMs: 300 }) },
          }),
        ),
      ).toBe('TSA_TIMEOUT');
      expect(
        await codeOf(
          signPdf(minimalPdf(), { signer, validation: env.validation, tsa: { url: garbage.url, transport } }),
        ),
      ).toBe('TSA_RESPONSE_MALFORMED');
    } finally {
      await silent.stop();
      await garbage.stop();
    }
  });
});

describe('two steps', () => {
  const prepareFor = (pdf: Uint8Array, leaf = env.pki.leaves.personal) =>
    preparePdfSignature(pdf, {
      certificate: leaf.der,
      chain: [env.pki.subCa.certificate.der],
      stateKey,
      validation: env.validation,
    });

  async function signHash(digestInfo: Uint8Array, leaf = env.pki.leaves.personal): Promise<Uint8Array> {
    const { privateEncrypt, constants } = await import('node:crypto');
    return new Uint8Array(
      privateEncrypt({ key: readFileSync(leaf.keyPath), padding: constants.RSA_PKCS1_PADDING }, digestInfo),
    );
  }

  it('prepares, signs the DigestInfo elsewhere, completes at B-T; pdfsig and verifyPdf agree', async () => {
    const prepared = await prepareFor(minimalPdf('CONG VAN SO 1'));
    const value = await signHash(prepared.toBeSigned.digestInfo);
    const result = await completePdfSignature(prepared.preparedBytes, prepared.state, value, {
      stateKey,
      certificate: env.pki.leaves.personal.der,
      chain: [env.pki.subCa.certificate.der],
      validation: env.validation,
      tsa: tsaConfig(),
    });
    expect(result.level).toBe('B-T');
    expect(result.verification.indication).toBe('TOTAL_PASSED');
    expect(await env.pdfsig(result.bytes)).toEqual(['Signature is Valid.']);
  });

  it('refuses a tampered state, changed prepared bytes, a value for another preparation, and a second pending preparation', async () => {
    const base = minimalPdf('CONG VAN SO 2');
    const a = await prepareFor(base);
    expect(await codeOf(prepareFor(base))).toBe('PDF_SIGN_PREPARATION_PENDING');
    const b = await prepareFor(minimalPdf('CONG VAN SO 3'));
    const valueA = await signHash(a.toBeSigned.digestInfo);
    const valueB = await signHash(b.toBeSigned.digestInfo);
    const opts = {
      stateKey,
      certificate: env.pki.leaves.personal.der,
      chain: [env.pki.subCa.certificate.der],
      validation: env.validation,
    };
    const parts = a.state.split('.');
    const json = JSON.parse(Buffer.from(parts[2]!, 'base64url').toString());
    json.algorithm = { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
    const tampered = [
      parts[0],
      parts[1],
      Buffer.from(JSON.stringify(json)).toString('base64url'),
      parts[3],
    ].join('.');
    expect(await codeOf(completePdfSignature(a.preparedBytes, tampered, valueA, opts))).toBe(
      'PDF_SIGN_STATE_TAMPERED',
    );
    // Another spelling of the same HMAC (the unused low bits of its last base64url character).
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = parts[3]!.at(-1)!;
    const respelt = `${a.state.slice(0, -1)}${alphabet[alphabet.indexOf(last) ^ 1]}`;
    expect(Buffer.from(respelt.split('.')[3]!, 'base64url')).toEqual(Buffer.from(parts[3]!, 'base64url'));
    expect(await codeOf(completePdfSignature(a.preparedBytes, respelt, valueA, opts))).toBe(
      'PDF_SIGN_STATE_TAMPERED',
    );
    const changed = new Uint8Array(a.preparedBytes);
    changed[20] = changed[20]! ^ 1;
    expect(await codeOf(completePdfSignature(changed, a.state, valueA, opts))).toBe(
      'PDF_SIGN_PREPARED_BYTES_CHANGED',
    );
    expect(await codeOf(completePdfSignature(a.preparedBytes, a.state, valueB, opts))).toBe(
      'PDF_SIGN_VALUE_INVALID',
    );
    expect(
      await codeOf(
        completePdfSignature(a.preparedBytes, a.state, valueA, {
          ...opts,
          certificate: env.pki.leaves.organisation.der,
        }),
      ),
    ).toBe('PDF_SIGN_CERTIFICATE_MISMATCH');
    expect(
      await codeOf(
        completePdfSignature(a.preparedBytes, a.state, valueA, { ...opts, stateKey: new Uint8Array(32) }),
      ),
    ).toBe('PDF_SIGN_STATE_TAMPERED');
    const done = await completePdfSignature(a.preparedBytes, a.state, valueA, opts);
    expect(done.verification.indication).toBe('TOTAL_PASSED');
    // Completed: the base is free again.
    await prepareFor(base);
  });

  it('re-checks revocation at complete: a signer revoked after preparation is refused', async () => {
    const leaf = await env.pki.subCa.issue({
      name: 'late-revoked',
      subject: [
        ['C', 'VN'],
        ['CN', 'Trần Văn Muộn'],
      ],
      profile: 'personal',
    });
    await env.pki.subCa.updateCrl();
    const fresh = () => ({
      ...env.validation,
      crls: [parseCrlDer(env.pki.root.crlDer), parseCrlDer(env.pki.subCa.crlDer)],
    });
    const prepared = await preparePdfSignature(minimalPdf('CONG VAN SO 4'), {
      certificate: leaf.der,
      chain: [env.pki.subCa.certificate.der],
      stateKey,
      validation: fresh(),
    });
    const value = await signHash(prepared.toBeSigned.digestInfo, leaf);
    await env.pki.subCa.revoke(leaf, 'keyCompromise');
    await env.pki.subCa.updateCrl();
    expect(
      await codeOf(
        completePdfSignature(prepared.preparedBytes, prepared.state, value, {
          stateKey,
          certificate: leaf.der,
          chain: [env.pki.subCa.certificate.der],
          validation: fresh(),
        }),
      ),
    ).toBe('PDF_SIGN_SIGNER_REVOKED');
  });
});

describe('concurrency', () => {
  it('100 concurrent signPdf calls with one software key all verify', async () => {
    const signer = env.signer(env.pki.leaves.personal);
    const input = minimalPdf('CONG VAN SO 5');
    const results = await Promise.all(
      Array.from({ length: 100 }, () => signPdf(input, { signer, validation: env.validation })),
    );
    expect(results.filter((r) => r.verification.indication === 'TOTAL_PASSED')).toHaveLength(100);
  }, 120_000);
});

describe('signPdfFile (streams the input)', () => {
  it('signs a 20 MB scan into a new file at B-T, reading the input once; the input is unchanged and no temporary file remains', async () => {
    const input = tempPath('scan.pdf');
    writeFileSync(input, scannedPdf(20 * 1024 * 1024));
    const before = readFileSync(input);
    const output = tempPath('scan-signed.pdf');
    const result = await signPdfFile(input, output, {
      signer: env.signer(env.pki.leaves.personal),
      validation: env.validation,
      tsa: tsaConfig(),
    });
    expect(result.level).toBe('B-T');
    expect(result.verification.indication).toBe('TOTAL_PASSED');
    const signed = readFileSync(output);
    expect(signed.length).toBe(result.size);
    expect(Buffer.compare(signed.subarray(0, before.length), before)).toBe(0);
    expect(readFileSync(input).equals(before)).toBe(true);
    expect(await env.pdfsig(signed)).toEqual(['Signature is Valid.']);
    expect((await verifyPdf(signed, { trustAnchors: [env.root], crls: env.crls })).indication).toBe(
      'TOTAL_PASSED',
    );
    expect(readdirSync(env.pki.dir).filter((f) => f.endsWith('.kyso-tmp'))).toEqual([]);
  }, 60_000);

  it('refuses an output that is the input, and a failed signing leaves no output', async () => {
    const input = tempPath('same.pdf');
    writeFileSync(input, minimalPdf('same file'));
    const before = readFileSync(input);
    expect(
      await codeOf(
        signPdfFile(input, input, {
          signer: env.signer(env.pki.leaves.personal),
          validation: env.validation,
        }),
      ),
    ).toBe('PDF_SIGN_OUTPUT_IS_INPUT');
    const output = tempPath('revoked.pdf');
    expect(
      await codeOf(
        signPdfFile(input, output, {
          signer: env.signer(env.pki.leaves.revokedKeyCompromise),
          validation: env.validation,
        }),
      ),
    ).toBe('PDF_SIGN_SIGNER_REVOKED');
    const silent = await startLoopbackServer(() => new Promise(() => {}));
    try {
      expect(
        await codeOf(
          signPdfFile(input, output, {
            signer: env.signer(env.pki.leaves.personal),
            validation: env.validation,
            tsa: { url: silent.url, transport: createHttpTransport({ timeoutMs: 300 }) },
          }),
        ),
      ).toBe('TSA_TIMEOUT');
    } finally {
      await silent.stop();
    }
    expect(existsSync(output)).toBe(false);
    expect(readFileSync(input).equals(before)).toBe(true);
    expect(readdirSync(env.pki.dir).filter((f) => f.endsWith('.kyso-tmp'))).toEqual([]);
  });
});
