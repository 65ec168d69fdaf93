import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Certificate, type Crl, parseCertificate, parseCrlDer } from '@kyso/core';
import {
  createTestPki,
  minimalPdf,
  signWithOpensslCms,
  signWithOpensslX509RsaSha1,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSignatures, PdfDocument, verifyPdf } from '../src/index.js';
import { CORPUS } from './support/corpus.js';
import { opensslSignedLetter } from './support/pki.js';

/**
 * Legacy and less common signature formats (issue 15, item 6): `adbe.x509.rsa_sha1`,
 * `adbe.pkcs7.s5`, usage-rights signatures, and digests kyso does not support.
 */

let pki: TestPki;
let root: Certificate;
let crls: Crl[];

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
}, 120_000);
afterAll(() => pki?.cleanup());

const verify = (bytes: Uint8Array) =>
  verifyPdf(bytes, { trustAnchors: [root], crls, revocation: 'hard-fail' });

/** The bytes with one hex digit of the last signature's /Contents changed. */
function corruptLastContents(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const sig = findSignatures(PdfDocument.load(out)).at(-1)!;
  const at = sig.contentsStart! + 41;
  out[at] = out[at] === 0x61 ? 0x62 : 0x61;
  return out;
}

describe('adbe.x509.rsa_sha1', () => {
  it('verifies a PKCS#1 signature with its certificates in a /Cert array, with a deprecation warning', async () => {
    const signed = await signWithOpensslX509RsaSha1(
      minimalPdf(),
      pki.leaves.personal,
      [pki.subCa.certificate],
      'Cu',
    );
    const report = await verify(signed);
    const [s] = report.signatures;
    expect(s).toMatchObject({ subFilter: 'adbe.x509.rsa_sha1', indication: 'TOTAL_PASSED', intact: true });
    expect(s!.signer.commonName).toBeTruthy();
    expect(s!.checks).toContainEqual(
      expect.objectContaining({
        id: 'sub-filter',
        status: 'warning',
        message: expect.objectContaining({ en: expect.stringMatching(/deprecates/) }),
      }),
    );
    expect(report.indication).toBe('TOTAL_PASSED');
  });

  it('reads a /Cert that is one string (the path then comes from elsewhere)', async () => {
    const signed = await signWithOpensslX509RsaSha1(minimalPdf(), pki.leaves.personal, [], 'Cu', {
      singleCert: true,
    });
    expect(findSignatures(PdfDocument.load(signed))[0]!.certificates).toHaveLength(1);
    const [s] = (await verify(signed)).signatures;
    // The signature is intact; without the sub-CA no path reaches the root.
    expect(s).toMatchObject({ intact: true, indication: 'INDETERMINATE' });
  });

  it('fails one whose signed bytes changed, and one whose signature value is not an OCTET STRING', async () => {
    const signed = await signWithOpensslX509RsaSha1(
      minimalPdf(),
      pki.leaves.personal,
      [pki.subCa.certificate],
      'Cu',
    );
    const tampered = signed.slice();
    const at = Buffer.from(tampered).indexOf('/MediaBox');
    tampered[at + 1] = 0x6e; // /MediaBox -> /nediaBox
    expect((await verify(tampered)).signatures[0]).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'SIG_CRYPTO_FAILURE',
    });
    const notOctets = signed.slice();
    const sig = findSignatures(PdfDocument.load(signed))[0]!;
    notOctets[sig.contentsStart! + 1] = 0x33; // 04… -> 34…
    expect((await verify(notOctets)).signatures[0]).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
    });
  });

  it('the corpus file from iText: the signature verifies; its self-made certificate is not trusted', async () => {
    const bytes = new Uint8Array(
      readFileSync(join(CORPUS, 'attacks/itext/byterange/adbe.x509.rsa_sha1_signature.pdf')),
    );
    const [s] = (await verifyPdf(bytes, { trustAnchors: [], revocation: 'none' })).signatures;
    expect(s).toMatchObject({
      intact: true,
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
    });
  });
});

describe('adbe.pkcs7.s5', () => {
  it('is verified as a detached PKCS#7 signature', async () => {
    const signed = await opensslSignedLetter(pki, pki.leaves.personal, 'S5', { subFilter: 'adbe.pkcs7.s5' });
    expect((await verify(signed)).signatures[0]).toMatchObject({
      subFilter: 'adbe.pkcs7.s5',
      indication: 'TOTAL_PASSED',
    });
  });
});

describe('usage-rights signatures', () => {
  it('are listed as their own kind, and a broken one fails neither the document nor an earlier signature', async () => {
    const letter = await opensslSignedLetter(pki, pki.leaves.personal, 'ChuKy', {
      subFilter: 'adbe.pkcs7.detached',
    });
    const rights = await signWithOpensslCms(letter, pki.leaves.organisation, [pki.subCa.certificate], 'UR', {
      subFilter: 'adbe.pkcs7.detached',
      usageRights: true,
    });
    const ok = await verify(rights);
    expect(ok.signatures.map((s) => [s.kind, s.indication])).toEqual([
      ['signature', 'TOTAL_PASSED'],
      ['usage-rights', 'TOTAL_PASSED'],
    ]);
    const broken = await verify(corruptLastContents(rights));
    expect(broken.signatures.map((s) => [s.kind, s.intact])).toEqual([
      ['signature', true],
      ['usage-rights', false],
    ]);
    expect(broken.signatures[0]!.indication).toBe('TOTAL_PASSED');
    expect(broken.indication).toBe('TOTAL_PASSED');
  });

  it('the neighbour: the same broken update as a document signature fails the document', async () => {
    const letter = await opensslSignedLetter(pki, pki.leaves.personal, 'ChuKy', {
      subFilter: 'adbe.pkcs7.detached',
    });
    const second = await signWithOpensslCms(letter, pki.leaves.organisation, [pki.subCa.certificate], 'Hai', {
      subFilter: 'adbe.pkcs7.detached',
    });
    const broken = await verify(corruptLastContents(second));
    expect(broken.signatures.map((s) => s.kind)).toEqual(['signature', 'signature']);
    expect(broken.indication).toBe('TOTAL_FAILED');
  });

  it('the /Perms /UR3 of a DSS corpus file is listed as usage rights', async () => {
    const bytes = new Uint8Array(readFileSync(join(CORPUS, 'dss/pades-signed-filled-form.pdf')));
    const report = await verifyPdf(bytes, { trustAnchors: [], revocation: 'none' });
    expect(report.signatures.map((s) => s.kind)).toEqual(['usage-rights', 'signature']);
  });
});

describe('digests kyso does not support', () => {
  // SM3 needs an SM2 key, and OpenSSL 3.0's CMS cannot sign with one (nor SM3 with RSA or ECDSA):
  // RIPEMD-160 takes the same path, an ALGORITHM_UNSUPPORTED digest in a well-formed CMS.
  it.each(['ripemd160'])('%s: INDETERMINATE, CRYPTO_CONSTRAINTS_FAILURE, not malformed', async (digest) => {
    const signed = await opensslSignedLetter(pki, pki.leaves.personal, 'Md', { digest });
    expect((await verify(signed)).signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'CRYPTO_CONSTRAINTS_FAILURE',
    });
  });
});
