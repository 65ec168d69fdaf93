import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestPki, type IssuedCertificate, opensslCmsVerify, run, type TestPki } from '@kyso/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  assembleSignedData,
  buildSignedAttributes,
  CMS_OIDS,
  createExternalSigner,
  ecdsaSignatureToDer,
  type HashName,
  isKysoError,
  parseSignedData,
  type SignatureAlgorithm,
  type Signer,
  signDetached,
  verifySignatureValue,
  verifySignerInfo,
} from '../src/index.js';
import { children, readDer, readOid, TAG } from '../src/lib/der.js';
import { compareDer, tlv } from '../src/lib/der-write.js';
import { createPkcs12Signer, createSoftwareSigner, readPkcs12 } from '../src/node.js';

let pki: TestPki;
let p256: IssuedCertificate;
let p384: IssuedCertificate;
const content = new TextEncoder().encode('Quyết định số 15/QĐ-SKHCN về việc ban hành quy chế ký số');
const contentDigest = (hash: HashName = 'SHA-256') =>
  new Uint8Array(createHash(hash.replace('-', '').toLowerCase()).update(content).digest());
let counter = 0;

beforeAll(async () => {
  pki = await createTestPki();
  [p256, p384] = await Promise.all([
    pki.subCa.issue({
      name: 'personal-p256',
      subject: [
        ['C', 'VN'],
        ['CN', 'Ngô Thị Hạnh'],
      ],
      profile: 'personal',
      keyType: 'ec-p256',
    }),
    pki.subCa.issue({
      name: 'personal-p384',
      subject: [
        ['C', 'VN'],
        ['CN', 'Đặng Văn Khánh'],
      ],
      profile: 'personal',
      keyType: 'ec-p384',
    }),
  ]);
});
afterAll(() => pki?.cleanup());

function softwareSigner(leaf: IssuedCertificate, algorithm?: SignatureAlgorithm): Signer {
  return createSoftwareSigner({
    privateKey: readFileSync(leaf.keyPath, 'utf8'),
    certificate: leaf.pem,
    chain: [pki.subCa.certificate.pem],
    ...(algorithm ? { algorithm } : {}),
  });
}

/** `openssl cms -verify` of a detached SignedData over `content`, to the test root; throws if it fails. */
const opensslVerifies = (cms: Uint8Array) => opensslCmsVerify(cms, content, pki.root.certificate.certPath);

/** kyso's own reading and verification of the result, and the PAdES shape of its signed attributes. */
async function kysoAccepts(cms: Uint8Array, hash: HashName): Promise<void> {
  const sd = parseSignedData(cms);
  expect(sd.eContentType).toBe(CMS_OIDS.data);
  expect(sd.eContent).toBeUndefined();
  expect(sd.signers).toHaveLength(1);
  const signer = sd.signers[0]!;
  expect(signer.signedAttributesInDerOrder).toBe(true);
  expect(signer.signingTime).toBeUndefined();
  expect(signer.contentType).toBe(CMS_OIDS.data);
  const v = await verifySignerInfo(sd, signer, contentDigest(hash));
  expect(v).toMatchObject({
    digestMatches: true,
    signatureValid: true,
    signingCertificateBinding: 'ok',
    contentTypeMatches: true,
    problems: [],
  });
  // The attribute types, in DER order, and nothing else.
  const attrs = children(readDer(signer.signedAttributesDer!, 'attrs'), 'attrs');
  expect(attrs.map((a) => readOid(children(a, 'a')[0]!, 'a')).sort()).toEqual(
    [CMS_OIDS.contentType, CMS_OIDS.messageDigest, CMS_OIDS.signingCertificateV2].sort(),
  );
  for (let i = 1; i < attrs.length; i += 1)
    expect(compareDer(attrs[i - 1]!.raw, attrs[i]!.raw)).toBeLessThan(0);
}

const rsaPss: SignatureAlgorithm = { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };

describe('software signers, each signature judged by openssl cms -verify and by kyso', () => {
  const cases: [string, () => Signer, HashName][] = [
    ['RSA PKCS#1 v1.5 / SHA-256 (the default), PKCS#8', () => softwareSigner(pki.leaves.personal), 'SHA-256'],
    ['RSA-PSS / SHA-256, PKCS#8', () => softwareSigner(pki.leaves.personal, rsaPss), 'SHA-256'],
    ['ECDSA P-256 / SHA-256, PKCS#8', () => softwareSigner(p256), 'SHA-256'],
    ['ECDSA P-384 / SHA-384, PKCS#8', () => softwareSigner(p384), 'SHA-384'],
  ];
  for (const [name, make, hash] of cases) {
    it(`signs with ${name}`, async () => {
      const signer = make();
      expect(signer.algorithm.hash).toBe(hash);
      const cms = await signDetached({ messageDigest: contentDigest(hash), signer });
      expect(await opensslVerifies(cms)).toContain('Verification successful');
      await kysoAccepts(cms, hash);
    });
  }

  for (const [name, make] of [
    ['RSA PKCS#1 v1.5 over a DigestInfo', () => softwareSigner(pki.leaves.personal)],
    ['RSA-PSS over the bare hash', () => softwareSigner(pki.leaves.personal, rsaPss)],
  ] as const) {
    it(`signs in two steps with signDigest: ${name}`, async () => {
      const signer = make();
      const attrs = await buildSignedAttributes({
        messageDigest: contentDigest(),
        signerCertificate: signer.certificate,
      });
      const value = await signer.signDigest!(signer.digestInput === 'hash' ? attrs.digest : attrs.digestInfo);
      const checked = await verifySignatureValue({
        signedAttributes: attrs.der,
        signatureValue: value,
        algorithm: signer.algorithm,
        certificate: signer.certificate,
      });
      const cms = assembleSignedData({
        signedAttributes: attrs.der,
        signatureValue: checked,
        algorithm: signer.algorithm,
        certificate: signer.certificate,
        chain: signer.chain,
      });
      expect(await opensslVerifies(cms)).toContain('Verification successful');
      await kysoAccepts(cms, 'SHA-256');
    });
  }

  it('has no digest-level form for a software ECDSA key', () => {
    const signer = softwareSigner(p256);
    expect(signer.signDigest).toBeUndefined();
    expect(signer.digestInput).toBeUndefined();
  });
});

describe('PKCS#12 files written by openssl pkcs12 -export', () => {
  const variants: [string, string[]][] = [
    ['default (PBES2, PBKDF2, AES-256-CBC; HMAC-SHA-256)', []],
    ['-legacy (RC2-40 certificates, 3DES key; HMAC-SHA-1)', ['-legacy']],
    ['-descert (3DES certificates)', ['-descert']],
  ];
  for (const [name, flags] of variants) {
    it(`signs with the key of a ${name} file, and refuses a wrong password`, async () => {
      const leaf = pki.leaves.organisation;
      const path = join(pki.dir, `org${flags.join('')}.p12`);
      await run('openssl', [
        'pkcs12',
        '-export',
        ...flags,
        '-inkey',
        leaf.keyPath,
        '-in',
        leaf.certPath,
        '-certfile',
        pki.subCa.certificate.certPath,
        '-passout',
        'pass:Mật-khẩu 2025',
        '-out',
        path,
      ]);
      const p12 = new Uint8Array(readFileSync(path));
      const signer = createPkcs12Signer(p12, 'Mật-khẩu 2025');
      expect(Buffer.from(signer.certificate).equals(Buffer.from(leaf.der))).toBe(true);
      expect(signer.chain).toHaveLength(1);
      const cms = await signDetached({ messageDigest: contentDigest(), signer });
      expect(await opensslVerifies(cms)).toContain('Verification successful');
      await kysoAccepts(cms, 'SHA-256');
      expect(() => readPkcs12(p12, 'mat-khau 2025')).toThrow(
        expect.objectContaining({ code: 'PKCS12_PASSWORD_INCORRECT' }),
      );
    });
  }

  it('calls a file that is not PKCS#12 malformed', () => {
    expect(() => readPkcs12(pki.leaves.personal.der, 'x')).toThrow(
      expect.objectContaining({ code: 'PKCS12_MALFORMED' }),
    );
  });
});

describe('an external signer over a separate process (openssl pkeyutl signs the hash)', () => {
  async function pkeyutl(leaf: IssuedCertificate, input: Uint8Array, hash: string): Promise<Uint8Array> {
    counter += 1;
    const inPath = join(pki.dir, `hash-${counter}.bin`);
    const outPath = join(pki.dir, `hash-${counter}.sig`);
    writeFileSync(inPath, input);
    await run('openssl', [
      'pkeyutl',
      '-sign',
      '-inkey',
      leaf.keyPath,
      '-pkeyopt',
      `digest:${hash}`,
      '-in',
      inPath,
      '-out',
      outPath,
    ]);
    return new Uint8Array(readFileSync(outPath));
  }

  it('signs with an RSA key elsewhere (bare hash in, PKCS#1 v1.5 out)', async () => {
    const signer = createExternalSigner({
      certificate: pki.leaves.device.der,
      chain: [pki.subCa.certificate.der],
      signDigest: (hash, request) => {
        expect(request).toEqual({
          algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
          digestInput: 'hash',
        });
        return pkeyutl(pki.leaves.device, hash, 'sha256');
      },
    });
    const cms = await signDetached({ messageDigest: contentDigest(), signer });
    expect(await opensslVerifies(cms)).toContain('Verification successful');
    await kysoAccepts(cms, 'SHA-256');
  });

  it('signs with an ECDSA P-384 key elsewhere', async () => {
    const signer = createExternalSigner({
      certificate: p384.der,
      chain: [pki.subCa.certificate.der],
      signDigest: (hash) => pkeyutl(p384, hash, 'sha384'),
    });
    expect(signer.algorithm).toEqual({ name: 'ECDSA', hash: 'SHA-384' });
    const cms = await signDetached({ messageDigest: contentDigest('SHA-384'), signer });
    expect(await opensslVerifies(cms)).toContain('Verification successful');
    await kysoAccepts(cms, 'SHA-384');
  });

  it('converts the raw r‖s a service returns into a DER Ecdsa-Sig-Value', async () => {
    const { webcrypto } = await import('node:crypto');
    const pair = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])) as CryptoKeyPair;
    // A service whose key does not belong to the certificate: the value is refused before embedding.
    const signer = createExternalSigner({
      certificate: p256.der,
      signDigest: async () =>
        new Uint8Array(
          await webcrypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, content),
        ),
    });
    const raw = await signer.sign(content);
    expect(raw[0]).toBe(0x30);
    await expect(signDetached({ messageDigest: contentDigest(), signer })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
    });
  });
});

describe('the signed attributes and algorithm identifiers, byte for byte', () => {
  it('writes ESSCertIDv2 without hashAlgorithm for SHA-256, with issuerSerial, and no signing-time', async () => {
    const attrs = await buildSignedAttributes({
      messageDigest: contentDigest(),
      signerCertificate: pki.leaves.personal.der,
    });
    expect(attrs.der[0]).toBe(0x31);
    const list = children(readDer(attrs.der, 'a'), 'a');
    const ess = list.find((a) => readOid(children(a, 'a')[0]!, 'a') === CMS_OIDS.signingCertificateV2)!;
    const certId = children(children(children(children(ess, 'a')[1]!, 'a')[0]!, 'a')[0]!, 'a')[0]!;
    const fields = children(certId, 'a');
    expect(fields.map((f) => f.tag)).toEqual([TAG.OCTET_STRING, TAG.SEQUENCE]);
    expect(Buffer.from(fields[0]!.value).toString('hex')).toBe(pki.leaves.personal.fingerprint256);
    expect(attrs.digest).toEqual(new Uint8Array(createHash('sha256').update(attrs.der).digest()));
  });

  it('writes the hashAlgorithm of ESSCertIDv2 when it is not SHA-256', async () => {
    const attrs = await buildSignedAttributes({
      messageDigest: contentDigest('SHA-384'),
      hash: 'SHA-384',
      signerCertificate: p384.der,
    });
    const ess = children(readDer(attrs.der, 'a'), 'a').find(
      (a) => readOid(children(a, 'a')[0]!, 'a') === CMS_OIDS.signingCertificateV2,
    )!;
    const certId = children(children(children(children(ess, 'a')[1]!, 'a')[0]!, 'a')[0]!, 'a')[0]!;
    expect(children(certId, 'a').map((f) => f.tag)).toEqual([TAG.SEQUENCE, TAG.OCTET_STRING, TAG.SEQUENCE]);
  });

  it('writes SHA-2 without parameters, sha256WithRSAEncryption with NULL, and explicit RSASSA-PSS-params', async () => {
    const signerInfoOf = async (signer: Signer) => {
      const cms = await signDetached({ messageDigest: contentDigest(signer.algorithm.hash), signer });
      const sd = children(children(readDer(cms, 'c'), 'c')[1]!, 'c')[0]!;
      const si = children(children(sd, 'c').at(-1)!, 'c')[0]!;
      return children(si, 'c').map((e) => Buffer.from(e.raw).toString('hex'));
    };
    const v15 = await signerInfoOf(softwareSigner(pki.leaves.personal));
    expect(v15[0]).toBe('020101');
    expect(v15[2]).toBe('300b0609608648016503040201');
    expect(v15[4]).toBe('300d06092a864886f70d01010b0500');
    const pss = await signerInfoOf(softwareSigner(pki.leaves.personal, rsaPss));
    expect(pss[4]).toBe(
      '303d06092a864886f70d01010a3030a00d300b0609608648016503040201a11a301806092a864886f70d010108300b0609608648016503040201a203020120',
    );
    const ec = await signerInfoOf(softwareSigner(p384));
    expect(ec[2]).toBe('300b0609608648016503040202');
    expect(ec[4]).toBe('300a06082a8648ce3d040303');
  });
});

describe('bad input, each refused with a stable code', () => {
  const code = async (work: () => unknown) => {
    try {
      await work();
    } catch (error) {
      expect(isKysoError(error)).toBe(true);
      const e = error as { code: string; message: string; messageVi: string };
      expect(e.messageVi).not.toBe(e.message);
      return e.code;
    }
    return 'no error';
  };

  it('refuses SHA-1', async () => {
    const sha1 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' } as unknown as SignatureAlgorithm;
    expect(await code(() => softwareSigner(pki.leaves.personal, sha1))).toBe('SIGNATURE_ALGORITHM_REFUSED');
    expect(
      await code(() =>
        buildSignedAttributes({
          messageDigest: new Uint8Array(20),
          hash: 'SHA-1' as HashName,
          signerCertificate: pki.leaves.personal.der,
        }),
      ),
    ).toBe('SIGNATURE_ALGORITHM_REFUSED');
    expect(
      await code(() =>
        createExternalSigner({
          certificate: pki.leaves.personal.der,
          algorithm: sha1,
          signDigest: async (h) => h,
        }),
      ),
    ).toBe('SIGNATURE_ALGORITHM_REFUSED');
  });

  it('refuses a key that does not belong to the certificate', async () => {
    expect(
      await code(() =>
        createSoftwareSigner({
          privateKey: readFileSync(pki.leaves.organisation.keyPath, 'utf8'),
          certificate: pki.leaves.personal.pem,
        }),
      ),
    ).toBe('SIGNER_KEY_MISMATCH');
    expect(
      await code(() =>
        createSoftwareSigner({
          privateKey: readFileSync(p256.keyPath, 'utf8'),
          certificate: pki.leaves.personal.pem,
        }),
      ),
    ).toBe('SIGNER_KEY_MISMATCH');
  });

  it('refuses ECDSA P-256 with SHA-384, and an RSA algorithm on an EC key', async () => {
    expect(await code(() => softwareSigner(p256, { name: 'ECDSA', hash: 'SHA-384' }))).toBe(
      'SIGNATURE_ALGORITHM_REFUSED',
    );
    expect(await code(() => softwareSigner(p256, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }))).toBe(
      'SIGNATURE_ALGORITHM_REFUSED',
    );
  });

  it('refuses a signature value made over other signed attributes', async () => {
    const signer = softwareSigner(pki.leaves.personal);
    const a = await buildSignedAttributes({
      messageDigest: contentDigest(),
      signerCertificate: signer.certificate,
    });
    const b = await buildSignedAttributes({
      messageDigest: new Uint8Array(32).fill(7),
      signerCertificate: signer.certificate,
    });
    const value = await signer.sign(b.der);
    expect(
      await code(() =>
        verifySignatureValue({
          signedAttributes: a.der,
          signatureValue: value,
          algorithm: signer.algorithm,
          certificate: signer.certificate,
        }),
      ),
    ).toBe('SIGNATURE_INVALID');
  });

  it('refuses a certificate other than the one the signed attributes name, even with its own valid signature', async () => {
    const org = createSoftwareSigner({
      privateKey: readFileSync(pki.leaves.organisation.keyPath, 'utf8'),
      certificate: pki.leaves.organisation.pem,
    });
    // Prepared for the personal certificate; completed with the organisation's key and certificate.
    const attrs = await buildSignedAttributes({
      messageDigest: contentDigest(),
      signerCertificate: pki.leaves.personal.der,
    });
    expect(
      await code(async () =>
        verifySignatureValue({
          signedAttributes: attrs.der,
          signatureValue: await org.sign(attrs.der),
          algorithm: org.algorithm,
          certificate: org.certificate,
        }),
      ),
    ).toBe('SIGNER_CERTIFICATE_MISMATCH');
  });

  it('refuses to assemble signed attributes that are not in DER order', async () => {
    const signer = softwareSigner(pki.leaves.personal);
    const attrs = await buildSignedAttributes({
      messageDigest: contentDigest(),
      signerCertificate: signer.certificate,
    });
    const reversed = tlv(
      0x31,
      ...children(readDer(attrs.der, 'a'), 'a')
        .map((a) => a.raw)
        .reverse(),
    );
    expect(
      await code(async () =>
        assembleSignedData({
          signedAttributes: reversed,
          signatureValue: await signer.sign(reversed),
          algorithm: signer.algorithm,
          certificate: signer.certificate,
        }),
      ),
    ).toBe('INPUT_INVALID');
  });

  it('refuses a message digest of the wrong length and an unreadable key', async () => {
    expect(
      await code(() =>
        buildSignedAttributes({
          messageDigest: new Uint8Array(20),
          signerCertificate: pki.leaves.personal.der,
        }),
      ),
    ).toBe('INPUT_INVALID');
    expect(
      await code(() =>
        createSoftwareSigner({
          privateKey: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
          certificate: pki.leaves.personal.pem,
        }),
      ),
    ).toBe('KEY_MALFORMED');
  });
});

describe('properties', () => {
  it('readPkcs12 ends every arbitrary or mutated input in a PKCS12_ KysoError', async () => {
    const path = join(pki.dir, 'prop.p12');
    await run('openssl', [
      'pkcs12',
      '-export',
      '-inkey',
      pki.leaves.device.keyPath,
      '-in',
      pki.leaves.device.certPath,
      '-passout',
      'pass:x',
      '-iter',
      '1',
      '-maciter',
      '-out',
      path,
    ]);
    const good = new Uint8Array(readFileSync(path));
    const codeOf = (bytes: Uint8Array) => {
      try {
        readPkcs12(bytes, 'x');
        return 'read';
      } catch (error) {
        return isKysoError(error) ? error.code : `not a KysoError: ${String(error)}`;
      }
    };
    expect(codeOf(good)).toBe('read');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(codeOf(bytes)).toMatch(/^PKCS12_/);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bad = good.slice();
        bad[i] = bad[i]! ^ x;
        expect(codeOf(bad)).toMatch(/^(PKCS12_|read$)/);
      }),
      { numRuns: 200 },
    );
  });

  it('ecdsaSignatureToDer writes minimal INTEGERs that read back to the same r and s', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (raw) => {
        const der = ecdsaSignatureToDer(raw, 32);
        const [r, s] = children(readDer(der, 'sig'), 'sig');
        for (const [el, half] of [
          [r!, raw.subarray(0, 32)],
          [s!, raw.subarray(32)],
        ] as const) {
          expect(el.tag).toBe(TAG.INTEGER);
          // Minimal: no leading zero unless the next byte has its top bit set.
          if (el.value.length > 1 && el.value[0] === 0) expect(el.value[1]! & 0x80).not.toBe(0);
          expect(BigInt(`0x0${Buffer.from(el.value).toString('hex')}`)).toBe(
            BigInt(`0x0${Buffer.from(half).toString('hex')}`),
          );
        }
        expect(ecdsaSignatureToDer(der, 32)).toEqual(der);
      }),
    );
  });
});
