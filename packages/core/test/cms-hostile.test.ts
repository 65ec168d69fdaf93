import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTestPki,
  type IssuedCertificate,
  requestTimestampReply,
  run,
  startTimestampAuthority,
  type TestPki,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CMS_OIDS,
  isKysoError,
  parseCertificate,
  parseOcspResponse,
  parseSignedData,
  parseTstInfo,
  signerInfoCountProblem,
  signingCertificateBinding,
  soleSignerInfo,
  timestampTokenFromResponse,
  verifySignerInfo,
  verifyTimestampToken,
} from '../src/index.js';
import { berToDer, children, readDer } from '../src/lib/der.js';
import { explicit, octets, oid, seq, tlv } from '../src/lib/der-write.js';
import { attributeIndex, editDer, elementAt, signerInfosPath } from './support/der-edit.js';

/**
 * Hostile CMS (issue 10 items 4 and 5, issue 15 item 1): each hostile variant is made from real
 * OpenSSL output by editing its DER, next to the honest original that must keep passing.
 */

let pki: TestPki;
let tsa: TimestampAuthority;
let tsaNotCritical: IssuedCertificate;
let tsaOtherPurposes: IssuedCertificate;
const content = new TextEncoder().encode('%PDF-1.7 … các byte được ký (ByteRange) …');
const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
const TSA_SUBJECT = [
  ['C', 'VN'],
  ['O', 'Ban Cơ yếu Chính phủ'],
  ['CN', 'Kyso TEST Timestamp Authority (hostile)'],
] as const;

beforeAll(async () => {
  pki = await createTestPki();
  [tsa, tsaNotCritical, tsaOtherPurposes] = await Promise.all([
    startTimestampAuthority(pki),
    // The profile's `extendedKeyUsage = critical,timeStamping` is overridden by the later line.
    pki.subCa.issue({
      name: 'tsa-not-critical',
      subject: TSA_SUBJECT,
      profile: 'tsa',
      extraExtensions: ['extendedKeyUsage = timeStamping'],
    }),
    pki.subCa.issue({
      name: 'tsa-other-purposes',
      subject: TSA_SUBJECT,
      profile: 'tsa',
      extraExtensions: ['extendedKeyUsage = critical,timeStamping,serverAuth'],
    }),
  ]);
  writeFileSync(join(pki.dir, 'content.bin'), content);
});
afterAll(async () => {
  await tsa?.stop();
  pki?.cleanup();
});

let counter = 0;

/** `openssl cms -sign`, DER. */
async function cmsSign(args: string[], input = join(pki.dir, 'content.bin')): Promise<Uint8Array> {
  counter += 1;
  const out = join(pki.dir, `hostile-${counter}.der`);
  await run('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-in',
    input,
    '-md',
    'sha256',
    '-outform',
    'DER',
    '-out',
    out,
    ...args,
  ]);
  return new Uint8Array(readFileSync(out));
}

const signerArgs = (c: IssuedCertificate) => ['-signer', c.certPath, '-inkey', c.keyPath];

/** A token from the testkit TSA (`openssl ts -reply`) over `data`. */
async function tokenOver(data: Uint8Array): Promise<Uint8Array> {
  return timestampTokenFromResponse(await requestTimestampReply(tsa, data));
}

/** The TSTInfo of a real token, signed again by `signer` with `openssl cms` (a token another TSA could make). */
async function resignToken(
  token: Uint8Array,
  signer: IssuedCertificate,
  extra: string[],
): Promise<Uint8Array> {
  counter += 1;
  const tstInfo = join(pki.dir, `tstinfo-${counter}.der`);
  writeFileSync(tstInfo, parseSignedData(token).eContent!);
  return cmsSign(
    [...signerArgs(signer), '-nodetach', '-nosmimecap', '-econtent_type', CMS_OIDS.tstInfo, ...extra],
    tstInfo,
  );
}

function expectCode(fn: () => unknown, code: string): void {
  try {
    fn();
  } catch (error) {
    expect(isKysoError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
}

/** The path of the first SignerInfo's signed attributes in a DER ContentInfo. */
const signedAttrsPath = (der: Uint8Array) => [...signerInfosPath(der), 0, 3];

describe('exactly one SignerInfo (ISO 32000-2 §12.8.3.4.3 d, RFC 3161 §2.4.2)', () => {
  it('an honest CAdES signature has one SignerInfo', async () => {
    const sd = parseSignedData(await cmsSign([...signerArgs(pki.leaves.personal), '-cades']));
    expect(signerInfoCountProblem(sd)).toBeUndefined();
    expect(soleSignerInfo(sd)).toBe(sd.signers[0]);
  });

  it('an empty SignerInfos set parses, with the typed reason no-signer-info instead of a TypeError', async () => {
    const der = await cmsSign([...signerArgs(pki.leaves.personal), '-cades']);
    const empty = editDer(der, signerInfosPath(der), { replace: tlv(0x31) });
    const sd = parseSignedData(empty);
    expect(sd.signers).toEqual([]);
    expect(signerInfoCountProblem(sd)).toBe('no-signer-info');
    expect(soleSignerInfo(sd)).toBeUndefined();
  });

  it('two SignerInfos (openssl cms with two -signer) are kept, with the reason several-signer-infos', async () => {
    const sd = parseSignedData(
      await cmsSign([...signerArgs(pki.leaves.personal), ...signerArgs(pki.leaves.organisation), '-cades']),
    );
    expect(sd.signers).toHaveLength(2);
    expect(signerInfoCountProblem(sd)).toBe('several-signer-infos');
    expect(soleSignerInfo(sd)).toBeUndefined();
  });

  it('a timestamp token with no SignerInfo or with two is CMS_MALFORMED, never a TypeError', async () => {
    const token = await tokenOver(content);
    const empty = editDer(token, signerInfosPath(token), { replace: tlv(0x31) });
    await expect(verifyTimestampToken(empty, content)).rejects.toMatchObject({ code: 'CMS_MALFORMED' });
    const two = await resignToken(token, pki.tsa, ['-cades', ...signerArgs(pki.leaves.personal)]);
    expect(parseSignedData(two).signers).toHaveLength(2);
    await expect(verifyTimestampToken(two, content)).rejects.toMatchObject({ code: 'CMS_MALFORMED' });
  });
});

describe('content type = eContentType = id-data (RFC 5652 §11.1)', () => {
  it('is ok on an honest signature', async () => {
    const sd = parseSignedData(await cmsSign([...signerArgs(pki.leaves.personal), '-cades']));
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v).toMatchObject({ contentType: 'ok', contentTypeMatches: true, signatureValid: true });
  });

  it('is unexpected when the signed content is not id-data', async () => {
    const sd = parseSignedData(
      await cmsSign([...signerArgs(pki.leaves.personal), '-cades', '-econtent_type', CMS_OIDS.tstInfo]),
    );
    expect(sd.eContentType).toBe(CMS_OIDS.tstInfo);
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v.contentType).toBe('unexpected');
    expect(v.contentTypeMatches).toBe(false);
    // The signature itself is fine: the content type is what is wrong.
    expect(v.signatureValid).toBe(true);
  });

  it('is a mismatch when the content-type attribute names another type than the eContentType', async () => {
    const der = await cmsSign([...signerArgs(pki.leaves.personal), '-cades']);
    const attrs = signedAttrsPath(der);
    const k = attributeIndex(der, attrs, CMS_OIDS.contentType);
    const forged = editDer(der, [...attrs, k], {
      replace: seq(oid(CMS_OIDS.contentType), tlv(0x31, oid(CMS_OIDS.tstInfo))),
    });
    const sd = parseSignedData(forged);
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v.contentType).toBe('mismatch');
  });

  it('is absent when signed attributes lack content-type (the code before said it matched)', async () => {
    const der = await cmsSign([...signerArgs(pki.leaves.personal), '-cades']);
    const attrs = signedAttrsPath(der);
    const stripped = editDer(der, [...attrs, attributeIndex(der, attrs, CMS_OIDS.contentType)], {
      remove: true,
    });
    const sd = parseSignedData(stripped);
    expect(sd.signers[0]!.contentType).toBeUndefined();
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v.contentType).toBe('absent');
    expect(v.contentTypeMatches).toBe(false);
  });

  it('a second message-digest attribute makes the signed attributes ill-formed', async () => {
    const der = await cmsSign([...signerArgs(pki.leaves.personal), '-cades']);
    const attrs = signedAttrsPath(der);
    const k = attributeIndex(der, attrs, CMS_OIDS.messageDigest);
    const doubled = editDer(der, [...attrs, k + 1], {
      insertBefore: seq(oid(CMS_OIDS.messageDigest), tlv(0x31, octets(sha256(new Uint8Array([1]))))),
    });
    const sd = parseSignedData(doubled);
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v.attributesWellFormed).toBe(false);
    expect(sd.signers[0]!.attributeProblems.join(' ')).toMatch(/more than once/);
  });
});

describe('signing-certificate(-v2) names the signer (RFC 5035 §5.4, ISO 32000-2 §12.8.3.4.5 a)', () => {
  it('ok with openssl cms -cades, absent without it', async () => {
    const cades = parseSignedData(await cmsSign([...signerArgs(pki.leaves.personal), '-cades']));
    const v = await verifySignerInfo(cades, cades.signers[0]!, sha256(content));
    expect(v.signingCertificateBinding).toBe('ok');
    expect(v.signingCertificateAttributes).toEqual(['v2']);
    expect(cades.signers[0]!.signingCertificateRefs[0]!.issuerSerial).toBeDefined();
    const plain = parseSignedData(await cmsSign(signerArgs(pki.leaves.personal)));
    expect(
      (await verifySignerInfo(plain, plain.signers[0]!, sha256(content))).signingCertificateBinding,
    ).toBe('absent');
  });

  it('a mismatch when the issuerSerial names another serial, though the hash is right', async () => {
    const der = await cmsSign([...signerArgs(pki.leaves.personal), '-cades']);
    const attrs = signedAttrsPath(der);
    const k = attributeIndex(der, attrs, CMS_OIDS.signingCertificateV2);
    // attribute → SET → SigningCertificateV2 → certs → ESSCertIDv2 → (…, issuerSerial) → serialNumber
    const idPath = [...attrs, k, 1, 0, 0, 0];
    const last = children(elementAt(der, idPath), 'x').length - 1;
    const forged = editDer(der, [...idPath, last, 1], { replace: tlv(0x02, new Uint8Array([0x01, 0x23])) });
    const sd = parseSignedData(forged);
    expect((await verifySignerInfo(sd, sd.signers[0]!, sha256(content))).signingCertificateBinding).toBe(
      'mismatch',
    );
  });

  it('only the first reference names the signer: a list led by another certificate is a mismatch', async () => {
    const signer = parseCertificate(pki.leaves.personal.pem);
    const other = parseCertificate(pki.subCa.certificate.pem);
    const ref = (c: typeof signer, first: boolean) => ({
      attribute: 'v2' as const,
      first,
      hash: 'SHA-256' as const,
      digest: sha256(c.der),
    });
    expect(await signingCertificateBinding([ref(signer, true), ref(other, false)], signer)).toBe('ok');
    expect(await signingCertificateBinding([ref(other, true), ref(signer, false)], signer)).toBe('mismatch');
  });
});

describe('timestamp tokens: TSA extended key usage and ESS certificate identifier (RFC 3161 §2.3, §2.4.1)', () => {
  it('a token of the testkit TSA is valid: imprint, signature, content type, EKU, ESS identifier', async () => {
    const v = await verifyTimestampToken(await tokenOver(content), content);
    expect(v).toMatchObject({
      valid: true,
      tsaKeyUsage: 'ok',
      tsaKeyUsageOk: true,
      tsaCertificateBinding: 'ok',
      contentType: 'ok',
      problems: [],
    });
  });

  it('the same TSTInfo signed again by the TSA with openssl cms -cades is valid too', async () => {
    const v = await verifyTimestampToken(
      await resignToken(await tokenOver(content), pki.tsa, ['-cades']),
      content,
    );
    expect(v.valid).toBe(true);
  });

  it('a TSA certificate whose timeStamping usage is not critical is refused', async () => {
    const token = await resignToken(await tokenOver(content), tsaNotCritical, ['-cades']);
    const v = await verifyTimestampToken(token, content);
    expect(v.signatureValid).toBe(true);
    expect(v.tsaKeyUsage).toBe('not-critical');
    expect(v.valid).toBe(false);
  });

  it('a TSA certificate that may also serve other purposes is refused (the code before accepted it)', async () => {
    const token = await resignToken(await tokenOver(content), tsaOtherPurposes, ['-cades']);
    const v = await verifyTimestampToken(token, content);
    expect(v.signatureValid).toBe(true);
    expect(v.tsaKeyUsage).toBe('other-purposes');
    expect(v.tsaKeyUsageOk).toBe(false);
    expect(v.valid).toBe(false);
  });

  it('a token without ESS signing-certificate is not valid', async () => {
    const v = await verifyTimestampToken(await resignToken(await tokenOver(content), pki.tsa, []), content);
    expect(v.signatureValid).toBe(true);
    expect(v.tsaCertificateBinding).toBe('absent');
    expect(v.valid).toBe(false);
  });

  it('a token whose ESS identifier names another certificate is not valid', async () => {
    const token = await tokenOver(content);
    const attrs = signedAttrsPath(token);
    const k = attributeIndex(token, attrs, CMS_OIDS.signingCertificateV2);
    const idPath = [...attrs, k, 1, 0, 0, 0];
    const kids = children(elementAt(token, idPath), 'x');
    const hashIndex = kids.findIndex((e) => e.tag === 0x04);
    const forged = editDer(token, [...idPath, hashIndex], {
      replace: octets(sha256(parseCertificate(pki.subCa.certificate.pem).der)),
    });
    const v = await verifyTimestampToken(forged, content);
    expect(v.tsaCertificateBinding).toBe('mismatch');
    expect(v.valid).toBe(false);
  });
});

describe('unsupported digest algorithms are unsupported, not malformed (issue 15 item 6)', () => {
  it('a CMS digested with RIPEMD-160 or SM3 is ALGORITHM_UNSUPPORTED and names the algorithm', async () => {
    const der = await cmsSign([...signerArgs(pki.leaves.personal), '-cades']);
    for (const [dotted, name] of [
      ['1.3.36.3.2.1', 'RIPEMD-160'],
      ['1.2.156.10197.1.401', 'SM3'],
    ] as const) {
      // SignerInfo → digestAlgorithm → algorithm OID.
      const forged = editDer(der, [...signerInfosPath(der), 0, 2], { replace: seq(oid(dotted)) });
      try {
        parseSignedData(forged);
        expect.unreachable();
      } catch (error) {
        expect((error as { code: string }).code).toBe('ALGORITHM_UNSUPPORTED');
        expect((error as Error).message).toContain(name);
      }
    }
  });

  it('a timestamp whose imprint is RIPEMD-160 is ALGORITHM_UNSUPPORTED, not CMS_MALFORMED', async () => {
    const tst = parseSignedData(await tokenOver(content)).eContent!;
    // TSTInfo → messageImprint → hashAlgorithm
    const forged = editDer(tst, [2, 0], { replace: seq(oid('1.3.36.3.2.1')) });
    expectCode(() => parseTstInfo(forged), 'ALGORITHM_UNSUPPORTED');
  });
});

describe('crls [1] RevocationInfoChoices (RFC 5652 §10.2.1)', () => {
  /** Inserts `[1] { items }` after the certificates of a DER CMS. */
  const withCrls = (der: Uint8Array, ...items: Uint8Array[]) =>
    editDer(der, signerInfosPath(der), { insertBefore: tlv(0xa1, ...items) });

  it('reads an embedded CRL and verifies the signature', async () => {
    const der = withCrls(await cmsSign([...signerArgs(pki.leaves.personal), '-cades']), pki.subCa.crlDer);
    const sd = parseSignedData(der);
    expect(sd.crls).toHaveLength(1);
    expect(sd.crls[0]!.crlNumber).toBeDefined();
    expect(sd.warnings).toEqual([]);
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(content));
    expect(v.signatureValid).toBe(true);
  });

  it('an unreadable CRL is a warning, never a reason to reject the signature (the code before threw)', async () => {
    const notACrl = seq(seq(oid('1.2.3.4')), seq(), tlv(0x03, new Uint8Array([0])));
    const der = withCrls(
      await cmsSign([...signerArgs(pki.leaves.personal), '-cades']),
      notACrl,
      pki.subCa.crlDer,
    );
    const sd = parseSignedData(der);
    expect(sd.crls).toHaveLength(1);
    expect(sd.warnings).toHaveLength(1);
    expect(sd.warnings[0]).toMatch(/cannot be read/);
    expect((await verifySignerInfo(sd, sd.signers[0]!, sha256(content))).signatureValid).toBe(true);
  });

  it('keeps an OCSP response carried as other [1] id-ri-ocsp-response (RFC 5940), and other formats', async () => {
    const responsePath = join(pki.dir, 'ocsp-resp.der');
    const requestPath = join(pki.dir, 'ocsp-req.der');
    const sub = pki.subCa.certificate.certPath;
    await run('openssl', [
      'ocsp',
      '-issuer',
      sub,
      '-cert',
      pki.leaves.personal.certPath,
      '-no_nonce',
      '-reqout',
      requestPath,
    ]);
    await run('openssl', [
      'ocsp',
      '-index',
      pki.subCa.indexPath,
      '-rsigner',
      pki.ocspSigner.certPath,
      '-rkey',
      pki.ocspSigner.keyPath,
      '-CA',
      sub,
      '-reqin',
      requestPath,
      '-respout',
      responsePath,
    ]);
    const response = new Uint8Array(readFileSync(responsePath));
    const other = tlv(0xa1, oid(CMS_OIDS.riOcspResponse), response);
    const unknown = tlv(0xa1, oid('1.2.3.4.5'), seq(octets(new Uint8Array([1, 2]))));
    const der = withCrls(
      await cmsSign([...signerArgs(pki.leaves.personal), '-cades']),
      other,
      unknown,
      pki.subCa.crlDer,
    );
    const sd = parseSignedData(der);
    expect(sd.crls).toHaveLength(1);
    expect(sd.ocspResponses).toHaveLength(1);
    expect(parseOcspResponse(sd.ocspResponses[0]!).responseStatus).toBe('successful');
    expect(sd.otherRevocationInfo.map((o) => o.format)).toEqual(['1.2.3.4.5']);
    expect(sd.warnings).toEqual([]);
  });
});

describe('large BER (issue 10 item 5)', () => {
  it('a 10 MB streamed CMS (openssl cms -stream, chunked OCTET STRING) is read in one linear pass', async () => {
    const big = new Uint8Array(10 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4096) big[i] = i & 0xff;
    const path = join(pki.dir, 'big.bin');
    writeFileSync(path, big);
    const ber = await cmsSign([...signerArgs(pki.leaves.personal), '-cades', '-stream', '-nodetach'], path);
    expect(ber[1]).toBe(0x80);
    // Work bounded by counters, not by the clock: each output byte written once, one visit per element.
    const stats = { elements: 0, bytesWritten: 0 };
    const der = berToDer(ber, 'CMS', stats);
    expect(stats.bytesWritten).toBe(der.length);
    expect(der.length).toBeLessThan(ber.length);
    // openssl streams in chunks of at least 1 KB: far fewer elements than bytes.
    expect(stats.elements).toBeLessThan(ber.length / 512);
    expect(readDer(der, 'CMS').raw.length).toBe(der.length);
    const sd = parseSignedData(ber);
    expect(sd.eContent!.length).toBe(big.length);
    const v = await verifySignerInfo(sd, sd.signers[0]!, sha256(big));
    expect(v).toMatchObject({ digestMatches: true, signatureValid: true, signingCertificateBinding: 'ok' });
  });

  it('a 200 KB chunked OCTET STRING nested in indefinite lengths: the size that overflowed the stack before', () => {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < 200; i += 1) chunks.push(octets(new Uint8Array(1024).fill(i)));
    const ber = new Uint8Array([0x30, 0x80, 0x24, 0x80, ...concat(chunks), 0, 0, 0, 0]);
    const der = berToDer(ber, 'test');
    const [octetString] = children(readDer(der, 'test'), 'test');
    expect(octetString!.tag).toBe(0x04);
    expect(octetString!.value.length).toBe(200 * 1024);
    expect(octetString!.value[1024 * 199]).toBe(199);
  });

  it('an explicit wrapper around the stream keeps its tag', () => {
    const ber = new Uint8Array([0xa0, 0x80, 0x24, 0x80, 0x04, 0x01, 0x07, 0x04, 0x01, 0x08, 0, 0, 0, 0]);
    expect(Array.from(berToDer(ber, 'test'))).toEqual(
      Array.from(explicit(0, octets(new Uint8Array([7, 8])))),
    );
  });
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
