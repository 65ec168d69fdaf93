import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  createTestPki,
  type IssuedCertificate,
  type IssueOptions,
  personalSubject,
  type TestCa,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  parseCertificate,
  parseCrlDer,
  type ValidateCertificateOptions,
  validateCertificate,
} from '../src/index.js';
import { explicit, integerBytes, nul, octets, oid, seq, tlv } from '../src/lib/der-write.js';

/**
 * Path building by key and the trust anchor's own contents (issue 10 item 7), the CRL number rule,
 * and validation limits that fail closed (issue 10 item 3). Every hostile sample is a real
 * certificate made by `openssl ca`, next to an honest neighbour that must keep passing.
 */

const DAY = 86_400_000;
const YEAR = 365 * DAY;
let pki: TestPki;
let now: Date;
let root: Certificate;
let subCa: Certificate;

/** A CA of the test PKI: self-signed when `parent` is null. */
async function makeCa(
  parent: TestCa | null,
  name: string,
  subject: IssueOptions['subject'],
  options: Partial<IssueOptions> = {},
): Promise<TestCa> {
  const ca = await pki.newCa(name);
  ca.certificate = await pki.issueFrom(
    parent,
    { name, subject, profile: parent ? 'sub-ca' : 'root-ca', keyType: 'ec-p256', ...options },
    parent ? undefined : ca,
  );
  return ca;
}

const cert = (c: IssuedCertificate) => parseCertificate(c.pem);
const rootSubject = (cn: string) =>
  [
    ['C', 'VN'],
    ['O', 'Ban Cơ yếu Chính phủ'],
    ['CN', cn],
  ] as const;

function validate(certificate: Certificate, extra: Partial<ValidateCertificateOptions> = {}) {
  return validateCertificate({
    certificate,
    trustAnchors: [root],
    intermediates: [subCa],
    validationTime: now,
    revocation: 'none',
    ...extra,
  });
}

beforeAll(async () => {
  pki = await createTestPki();
  now = pki.now;
  root = parseCertificate(pki.root.certificate.pem);
  subCa = parseCertificate(pki.subCa.certificate.pem);
});
afterAll(() => pki?.cleanup());

describe('path building picks issuers by key, not by name and dates', () => {
  it('a CA re-keyed under the same name is no issuer of what the older key signed', async () => {
    const taxSubject = rootSubject('Kyso TEST CA Thuế');
    const older = await makeCa(pki.root, 'tax-ca-2013', taxSubject, {
      notBefore: new Date(now.getTime() - 9 * YEAR),
      notAfter: new Date(now.getTime() + YEAR),
    });
    const newer = await makeCa(pki.root, 'tax-ca-2015', taxSubject, {
      notBefore: new Date(now.getTime() - 5 * YEAR),
      notAfter: new Date(now.getTime() + 5 * YEAR),
    });
    const form = await older.issue({
      name: 'tax-form-2013',
      subject: personalSubject('Trần Văn Thuế', '025080000777'),
      profile: 'organisation',
      keyType: 'ec-p256',
      notBefore: new Date(now.getTime() - 8.5 * YEAR),
      notAfter: new Date(now.getTime() + YEAR),
    });
    // The time a proof of existence gives the signature: eight years ago.
    const signedAt = new Date(now.getTime() - 8 * YEAR);
    const throughNewer = await validate(cert(form), {
      intermediates: [cert(newer.certificate)],
      validationTime: signedAt,
    });
    // The code before dated the path by the 2015 certificate: NOT_YET_VALID.
    expect(throughNewer.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    const withBoth = await validate(cert(form), {
      intermediates: [cert(newer.certificate), cert(older.certificate)],
      validationTime: signedAt,
    });
    expect(withBoth.indication).toBe('TOTAL_PASSED');
    expect(withBoth.path[1]!.serialNumber).toBe(older.certificate.serial);
  });
});

describe('without key identifiers, every signature of a path is checked before its dates', () => {
  it('a leaf without authorityKeyIdentifier under a same-name CA of another key fails on its signature, not NOT_YET_VALID', async () => {
    const subject = rootSubject('Kyso TEST CA không có AKI');
    const older = await makeCa(pki.root, 'noaki-ca-old', subject, {
      notBefore: new Date(now.getTime() - 9 * YEAR),
      notAfter: new Date(now.getTime() + YEAR),
    });
    const newer = await makeCa(pki.root, 'noaki-ca-new', subject, {
      notBefore: new Date(now.getTime() - 5 * YEAR),
      notAfter: new Date(now.getTime() + 5 * YEAR),
    });
    // A certificate as old CAs issued them: no authorityKeyIdentifier, signed by the older key.
    const time = (d: Date) =>
      tlv(0x17, new TextEncoder().encode(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
    const alg = seq(oid('1.2.840.10045.4.3.2'));
    const tbs = seq(
      explicit(0, integerBytes(new Uint8Array([2]))),
      integerBytes(new Uint8Array([0x11, 0x22, 0x33])),
      alg,
      cert(older.certificate).subject.der,
      seq(time(new Date(now.getTime() - 8.5 * YEAR)), time(new Date(now.getTime() + YEAR))),
      seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, new TextEncoder().encode('Tờ khai thuế 2013'))))),
      cert(pki.leaves.personal).publicKey.der,
      explicit(3, seq(seq(oid('2.5.29.19'), tlv(0x01, new Uint8Array([0xff])), octets(seq())))),
    );
    const key = createPrivateKey(readFileSync(older.certificate.keyPath));
    const leaf = parseCertificate(seq(tbs, alg, tlv(0x03, new Uint8Array([0, ...sign('sha256', tbs, key)]))));
    expect(leaf.extensions.authorityKeyIdentifier).toBeUndefined();
    const signedAt = new Date(now.getTime() - 8 * YEAR);
    const throughNewer = await validate(leaf, {
      intermediates: [cert(newer.certificate)],
      validationTime: signedAt,
    });
    // The code before judged the newer CA's dates first: NOT_YET_VALID.
    expect([throughNewer.subIndication, throughNewer.checks[0]!.id]).toEqual([
      'CERTIFICATE_CHAIN_GENERAL_FAILURE',
      'signature',
    ]);
    const withBoth = await validate(leaf, {
      intermediates: [cert(newer.certificate), cert(older.certificate)],
      validationTime: signedAt,
    });
    expect(withBoth.indication, withBoth.checks[0]!.message.en).toBe('TOTAL_PASSED');
  });
});

describe("the trust anchor's own contents", () => {
  it('name constraints in the root apply below it: DNS, e-mail, IP, URI and directory names', async () => {
    const ncRoot = await makeCa(null, 'nc-root', rootSubject('Kyso TEST Root có ràng buộc tên'), {
      extraExtensions: [
        'nameConstraints = critical,permitted;DNS:.phutho.gov.vn,permitted;email:phutho.gov.vn,permitted;IP:10.0.0.0/255.0.0.0,permitted;URI:.phutho.gov.vn,excluded;dirName:nc_excluded',
        '[ nc_excluded ]',
        'C = VN',
        'O = Excluded Org',
      ],
    });
    const anchor = cert(ncRoot.certificate);
    const leaf = async (name: string, subjectAltName: string, org = 'Sở Khoa học và Công nghệ') =>
      cert(
        await ncRoot.issue({
          name,
          subject: [
            ['C', 'VN'],
            ['O', org],
            ['CN', name],
          ],
          profile: 'device',
          keyType: 'ec-p256',
          subjectAltName,
        }),
      );
    const run = async (c: Certificate) => validate(c, { trustAnchors: [anchor], intermediates: [] });
    const honest = await run(
      await leaf(
        'nc-honest',
        'DNS:qlvb.phutho.gov.vn,email:an@phutho.gov.vn,IP:10.1.2.3,URI:https://dvc.phutho.gov.vn/',
      ),
    );
    expect(honest.indication, honest.checks[0]!.message.en).toBe('TOTAL_PASSED');
    for (const [name, san, org] of [
      ['nc-dns', 'DNS:evil.example.com', undefined],
      ['nc-email', 'email:an@example.com', undefined],
      ['nc-ip', 'IP:192.168.1.1', undefined],
      ['nc-uri', 'URI:https://evil.example.com/', undefined],
      ['nc-dn', 'DNS:qlvb.phutho.gov.vn', 'Excluded Org'],
    ] as const) {
      const report = await run(await leaf(name, san, org));
      expect([report.indication, report.subIndication, report.checks[0]!.id], name).toEqual([
        'INDETERMINATE',
        'CHAIN_CONSTRAINTS_FAILURE',
        'name-constraints',
      ]);
    }
  });

  it('a malformed DNS or e-mail subjectAltName under name constraints is refused, though its suffix matches', async () => {
    const ncCa = await makeCa(pki.root, 'nc-sub', rootSubject('Kyso TEST CA có ràng buộc tên'), {
      extraExtensions: [
        'nameConstraints = critical,permitted;DNS:.phutho.gov.vn,permitted;email:phutho.gov.vn',
      ],
    });
    const leaf = async (name: string, subjectAltName: string) =>
      cert(
        await ncCa.issue({
          name,
          subject: [
            ['C', 'VN'],
            ['CN', name],
          ],
          profile: 'device',
          keyType: 'ec-p256',
          subjectAltName,
        }),
      );
    const intermediates = [cert(ncCa.certificate)];
    const good = await validate(await leaf('mal-ok', 'DNS:qlvb.phutho.gov.vn,email:an.nv@phutho.gov.vn'), {
      intermediates,
    });
    expect(good.indication).toBe('TOTAL_PASSED');
    for (const [name, san] of [
      ['mal-dns', 'DNS:qlvb..phutho.gov.vn'],
      ['mal-email', 'email:an nv@phutho.gov.vn'],
    ] as const) {
      const report = await validate(await leaf(name, san), { intermediates });
      expect(report.checks[0]!.id, name).toBe('name-constraints');
      expect(report.checks[0]!.message.en).toMatch(/malformed/);
    }
  });

  it('a root with an unknown critical extension is refused as an anchor', async () => {
    const ca = await makeCa(null, 'crit-root', rootSubject('Kyso TEST Root critical'), {
      extraExtensions: ['1.3.6.1.4.1.59999.9.9 = critical,ASN1:NULL'],
    });
    const leaf = await ca.issue({
      name: 'crit-leaf',
      subject: personalSubject('Lê Văn Bình', '025080000901'),
      profile: 'personal',
      keyType: 'ec-p256',
    });
    const report = await validate(cert(leaf), { trustAnchors: [cert(ca.certificate)], intermediates: [] });
    expect([report.subIndication, report.checks[0]!.id]).toEqual([
      'CHAIN_CONSTRAINTS_FAILURE',
      'anchor-critical-extensions',
    ]);
  });

  it('a root whose basicConstraints says it is no CA is refused as an anchor', async () => {
    const ca = await makeCa(null, 'not-ca-root', rootSubject('Kyso TEST Root không phải CA'), {
      extraExtensions: ['basicConstraints = critical,CA:FALSE'],
    });
    const leaf = await ca.issue({
      name: 'not-ca-leaf',
      subject: personalSubject('Lê Văn Cường', '025080000902'),
      profile: 'personal',
      keyType: 'ec-p256',
    });
    const report = await validate(cert(leaf), { trustAnchors: [cert(ca.certificate)], intermediates: [] });
    expect([report.subIndication, report.checks[0]!.id]).toEqual([
      'CHAIN_CONSTRAINTS_FAILURE',
      'anchor-basic-constraints',
    ]);
  });

  it("the root's validity is judged at the validation time passed in, not at now", async () => {
    const ca = await makeCa(null, 'old-root', rootSubject('Kyso TEST Root đã hết hạn'), {
      notBefore: new Date(now.getTime() - 6 * YEAR),
      notAfter: new Date(now.getTime() - YEAR),
    });
    const leaf = await ca.issue({
      name: 'old-root-leaf',
      subject: personalSubject('Lê Văn Dũng', '025080000903'),
      profile: 'personal',
      keyType: 'ec-p256',
      notBefore: new Date(now.getTime() - 3 * YEAR),
      notAfter: new Date(now.getTime() + YEAR),
    });
    const options = { trustAnchors: [cert(ca.certificate)], intermediates: [] };
    const today = await validate(cert(leaf), options);
    expect([today.subIndication, today.checks[0]!.id]).toEqual(['OUT_OF_BOUNDS_NO_POE', 'anchor-validity']);
    // Two years ago, a time a timestamp proves, the root was valid: the chain is.
    const proven = await validate(cert(leaf), {
      ...options,
      validationTime: new Date(now.getTime() - 2 * YEAR),
    });
    expect(proven.indication).toBe('TOTAL_PASSED');
  });

  it('an end-entity certificate with name constraints is refused', async () => {
    const leaf = await pki.subCa.issue({
      name: 'ee-nc',
      subject: personalSubject('Lê Văn Em', '025080000904'),
      profile: 'personal',
      keyType: 'ec-p256',
      extraExtensions: ['nameConstraints = critical,permitted;DNS:.phutho.gov.vn'],
    });
    const report = await validate(cert(leaf));
    expect([report.subIndication, report.checks[0]!.id]).toEqual([
      'CHAIN_CONSTRAINTS_FAILURE',
      'end-entity-name-constraints',
    ]);
    expect((await validate(cert(pki.leaves.personal))).indication).toBe('TOTAL_PASSED');
  });
});

describe('a CRL without a CRL number, or with it critical, is discarded (RFC 5280 §5.2.3)', () => {
  /** A CRL of the sub-CA listing nothing, signed with its key by node:crypto. */
  function subCaCrl(crlNumber: 'absent' | 'normal' | 'critical'): Uint8Array {
    const time = (d: Date) =>
      tlv(0x17, new TextEncoder().encode(`${d.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`));
    // The testkit sub-CA has an RSA key: sha256WithRSAEncryption.
    const alg = seq(oid('1.2.840.113549.1.1.11'), nul());
    const akiExt = seq(oid('2.5.29.35'), octets(seq(tlv(0x80, subCa.extensions.subjectKeyIdentifier!))));
    const number = integerBytes(new Uint8Array([0x10, 0x01]));
    const numberExt =
      crlNumber === 'critical'
        ? seq(oid('2.5.29.20'), tlv(0x01, new Uint8Array([0xff])), octets(number))
        : seq(oid('2.5.29.20'), octets(number));
    const exts = crlNumber === 'absent' ? [akiExt] : [akiExt, numberExt];
    const tbs = seq(
      integerBytes(new Uint8Array([1])),
      alg,
      subCa.subject.der,
      time(new Date(now.getTime() - DAY)),
      time(new Date(now.getTime() + 7 * DAY)),
      explicit(0, seq(...exts)),
    );
    const key = createPrivateKey(readFileSync(pki.subCa.certificate.keyPath));
    const signature = sign('sha256', tbs, key);
    return seq(tbs, alg, tlv(0x03, new Uint8Array([0, ...signature])));
  }

  const run = (crl: Uint8Array) =>
    validate(cert(pki.leaves.personal), {
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(crl)],
      revocation: 'hard-fail',
    });

  it('a CRL with its number, non-critical, settles the status', async () => {
    const report = await run(subCaCrl('normal'));
    expect(report.indication, report.checks[0]!.message.en).toBe('TOTAL_PASSED');
  });

  it('without a number: INDETERMINATE/TRY_LATER, not a chain failure (the code before passed)', async () => {
    const report = await run(subCaCrl('absent'));
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(report.checks[0]!.message.en).toMatch(/no CRL number/);
  });

  it('with the number marked critical: INDETERMINATE/TRY_LATER', async () => {
    const report = await run(subCaCrl('critical'));
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    expect(report.checks[0]!.message.en).toMatch(/CRL number critical/);
  });
});

describe('validation limits fail closed (issue 10 item 3)', () => {
  it('a spent signature budget is INDETERMINATE with the limit named, never a bad signature', async () => {
    expect((await validate(cert(pki.leaves.personal))).indication).toBe('TOTAL_PASSED');
    const report = await validate(cert(pki.leaves.personal), {
      budget: { maxSignatureChecks: 1 },
      signatureCache: false,
    });
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.limitsExceeded).toEqual(['SIGNATURE_BUDGET_EXCEEDED']);
    expect(report.checks[0]!.id).toBe('validation-limits');
    expect(report.checks[0]!.message.en).toMatch(/SIGNATURE_BUDGET_EXCEEDED/);
  });

  it('a budget spent before the CRLs are checked never lets soft-fail pass a revoked certificate', async () => {
    const options = {
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
      revocation: 'soft-fail' as const,
      signatureCache: false,
    };
    const revoked = cert(pki.leaves.revokedKeyCompromise);
    expect((await validate(revoked, options)).subIndication).toBe('REVOKED');
    // The two certificate signatures fit in the budget; the CRL signatures do not.
    const report = await validate(revoked, { ...options, budget: { maxSignatureChecks: 2 } });
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.subIndication).toBe('CERTIFICATE_CHAIN_GENERAL_FAILURE');
    expect(report.limitsExceeded).toEqual(['SIGNATURE_BUDGET_EXCEEDED']);
  });

  it('path building that stops at its budget says so and never passes', async () => {
    const report = await validate(cert(pki.leaves.personal), { budget: { maxSteps: 1 } });
    expect([report.indication, report.subIndication]).toEqual([
      'INDETERMINATE',
      'NO_CERTIFICATE_CHAIN_FOUND',
    ]);
    expect(report.limitsExceeded).toEqual(['PATH_BUILD_BUDGET_EXCEEDED']);
  });
});
