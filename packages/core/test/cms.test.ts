import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, type IssuedCertificate, personalSubject, run, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKysoError, parseCertificate, parseSignedData, verifySignerInfo } from '../src/index.js';
import { useNodeCrypto, useWebCrypto } from '../src/node.js';

let pki: TestPki;
let ec: IssuedCertificate;
const content = new TextEncoder().encode('%PDF-1.7 … nội dung được ký (ByteRange) …');
const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());

beforeAll(async () => {
  pki = await createTestPki();
  ec = await pki.subCa.issue({
    name: 'cms-ec',
    subject: personalSubject('Lý Thị Mai', '025080000401'),
    profile: 'personal',
    keyType: 'ec-p256',
  });
  writeFileSync(join(pki.dir, 'content.bin'), content);
});
afterAll(() => pki?.cleanup());

/** A detached CMS made by `openssl cms -sign`, DER. */
async function opensslSign(signer: IssuedCertificate, extra: string[] = []): Promise<Uint8Array> {
  const out = join(pki.dir, `cms-${signer.name}-${extra.join('')}.der`);
  await run('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-in',
    join(pki.dir, 'content.bin'),
    '-signer',
    signer.certPath,
    '-inkey',
    signer.keyPath,
    '-md',
    'sha256',
    '-outform',
    'DER',
    '-out',
    out,
    ...extra,
  ]);
  return new Uint8Array(readFileSync(out));
}

/**
 * The CMS and signed bytes of the last signature in a corpus PDF (OpenSSL 3.0 cannot sign CMS
 * with EdDSA; pyHanko can, and its fixtures carry such signatures).
 */
function lastPdfSignature(file: string): { cms: Uint8Array; signed: Uint8Array } {
  const pdf = readFileSync(
    join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'conformance', 'pdf', file),
  );
  const text = pdf.toString('latin1');
  const at = text.lastIndexOf('/ByteRange');
  const [a, b, c, d] = /\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/
    .exec(text.slice(at))!
    .slice(1)
    .map(Number) as [number, number, number, number];
  const hex = text.slice(a + b, c).replace(/[<>\s]/g, '');
  return {
    cms: new Uint8Array(Buffer.from(hex, 'hex')),
    signed: new Uint8Array(Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)])),
  };
}

describe('CMS SignedData made by openssl cms -sign', () => {
  it('verifies a CAdES signature (RSA): digest, signature and signing-certificate-v2 binding', async () => {
    const sd = parseSignedData(await opensslSign(pki.leaves.personal, ['-cades']));
    expect(sd.eContent).toBeUndefined();
    expect(sd.certificates.map((c) => c.serialHex)).toContain(pki.leaves.personal.serial);
    const [signer] = sd.signers;
    expect(signer!.digestAlgorithm).toBe('SHA-256');
    expect(signer!.signingTime).toBeInstanceOf(Date);
    const v = await verifySignerInfo(sd, signer!, sha256(content));
    expect(v).toMatchObject({
      digestMatches: true,
      signatureValid: true,
      signingCertificateBinding: 'ok',
      contentTypeMatches: true,
      problems: [],
    });
    expect(v.certificate!.serialHex).toBe(pki.leaves.personal.serial);
  });

  it('verifies ECDSA P-256', async () => {
    const sd = parseSignedData(await opensslSign(ec, ['-cades']));
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v).toMatchObject({ digestMatches: true, signatureValid: true, signingCertificateBinding: 'ok' });
  });

  it('verifies Ed25519 (RFC 8419, pyHanko’s signature), with WebCrypto and with node:crypto, and refuses a flipped bit', async () => {
    const { cms, signed } = lastPdfSignature('pyhanko/extensions-direct.pdf');
    const sd = parseSignedData(cms);
    const signer = sd.signers[0]!;
    expect(signer.digestAlgorithm).toBe('SHA-512');
    expect(signer.signatureAlgorithm.oid).toBe('1.3.101.112');
    const sha512 = new Uint8Array(createHash('sha512').update(signed).digest());
    for (const use of [useWebCrypto, useNodeCrypto]) {
      use();
      expect(await verifySignerInfo(sd, signer, sha512)).toMatchObject({
        digestMatches: true,
        signatureValid: true,
      });
      const flipped = { ...signer, signature: signer.signature.map((b, i) => (i === 5 ? b ^ 1 : b)) };
      const bad = await verifySignerInfo(sd, flipped, sha512);
      expect(bad.signatureValid).toBe(false);
      expect(bad.unsupportedAlgorithm).toBeUndefined();
    }
    useWebCrypto();
  });

  it('says an algorithm it cannot check is unsupported (Ed448), not that the signature is wrong', async () => {
    const sd = parseSignedData(lastPdfSignature('pyhanko/ed448-disallowed-hash.pdf').cms);
    const v = await verifySignerInfo(sd, sd.signers[0]!, new Uint8Array(64));
    expect(v.signatureValid).toBe(false);
    expect(v.unsupportedAlgorithm).toMatch(/1\.3\.101\.113/);
    expect(v.problems.join(' ')).not.toMatch(/does not verify/);
  });

  it('reports a digest that does not match changed content', async () => {
    const sd = parseSignedData(await opensslSign(pki.leaves.personal));
    const v = await verifySignerInfo(
      sd,
      sd.signers[0]!,
      sha256(new TextEncoder().encode('nội dung đã bị sửa')),
    );
    expect(v.digestMatches).toBe(false);
    expect(v.signatureValid).toBe(true);
    expect(v.signingCertificateBinding).toBe('absent');
  });

  it('reports a signature value that does not verify', async () => {
    const der = await opensslSign(pki.leaves.personal);
    const sd = parseSignedData(der);
    const signer = sd.signers[0]!;
    signer.signature = Uint8Array.from(signer.signature, (b, i) => (i === 10 ? b ^ 1 : b));
    const v = await verifySignerInfo(sd, signer, sha256(content));
    expect(v.signatureValid).toBe(false);
    expect(v.problems).toContain('the signature value does not verify with the signer key');
  });

  it('finds the signer certificate outside the CMS when it carries none (-nocerts)', async () => {
    const sd = parseSignedData(await opensslSign(pki.leaves.personal, ['-nocerts']));
    expect(sd.certificates).toEqual([]);
    expect((await verifySignerInfo(sd, sd.signers[0]!, sha256(content))).problems).toContain(
      'the signer certificate is not in the signature',
    );
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content), [
      parseCertificate(pki.leaves.personal.pem),
    ]);
    expect(v.signatureValid).toBe(true);
  });

  it('reads BER with indefinite lengths (openssl cms -stream), as many real signers write it', async () => {
    const ber = await opensslSign(pki.leaves.personal, ['-stream', '-cades']);
    expect(ber[1]).toBe(0x80);
    const sd = parseSignedData(ber);
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v).toMatchObject({ digestMatches: true, signatureValid: true, signingCertificateBinding: 'ok' });
  });

  it('parses the zero-padded /Contents of a PDF signature', async () => {
    const der = await opensslSign(pki.leaves.personal, ['-cades']);
    const padded = new Uint8Array(der.length + 4096);
    padded.set(der);
    expect(parseSignedData(padded).signers).toHaveLength(1);
  });

  it('refuses what is not CMS with CMS_MALFORMED', () => {
    for (const bad of [
      new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
      new Uint8Array(10),
      parseCertificate(pki.root.certificate.pem).der,
    ]) {
      try {
        parseSignedData(bad);
        expect.unreachable();
      } catch (error) {
        expect(isKysoError(error)).toBe(true);
        expect((error as { code: string }).code).toBe('CMS_MALFORMED');
      }
    }
  });
});
