import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Certificate,
  isKysoError,
  parseCertificate,
  parseCertificateDer,
  parseCrlDer,
  parseOcspResponse,
  validateCertificate,
} from '../src/index.js';
import { concatBytes } from '../src/lib/bytes.js';
import { explicit, integerBytes, nul, oid, seq, tlv } from '../src/lib/der-write.js';
import { crlIndexWork } from '../src/x509/crl.js';
import { PKITS_DIR } from './support/pkits.js';

const goodCert = new Uint8Array(readFileSync(join(PKITS_DIR, 'certs', 'GoodCACert.crt')));
const goodCrl = new Uint8Array(readFileSync(join(PKITS_DIR, 'crls', 'GoodCACRL.crl')));
const spki = parseCertificateDer(goodCert).publicKey.der;

function expectKysoError(fn: () => unknown, codes: string[]) {
  try {
    fn();
  } catch (error) {
    expect(isKysoError(error), String(error)).toBe(true);
    expect(codes).toContain((error as { code: string }).code);
    return;
  }
  expect.unreachable('expected a KysoError');
}

function utf8Name(cn: string): Uint8Array {
  return seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, new TextEncoder().encode(cn)))));
}

/** An unsigned certificate with chosen names (the signature is garbage): enough to stress path building. */
function fakeCert(subject: string, issuer: string, serial: number): Certificate {
  const alg = seq(oid('1.2.840.113549.1.1.11'), nul());
  const time = (s: string) => tlv(0x17, new TextEncoder().encode(s));
  const tbs = seq(
    explicit(0, integerBytes(new Uint8Array([2]))),
    integerBytes(new Uint8Array([serial >> 8, serial & 0xff])),
    alg,
    utf8Name(issuer),
    seq(time('200101000000Z'), time('400101000000Z')),
    utf8Name(subject),
    spki,
  );
  return parseCertificateDer(seq(tbs, alg, tlv(0x03, new Uint8Array([0, 1, 2, 3]))));
}

describe('malformed input gives a KysoError with a stable code, never a crash', () => {
  it('truncated certificates', () => {
    for (const cut of [0, 1, 2, 10, 100, goodCert.length - 1]) {
      expectKysoError(() => parseCertificateDer(goodCert.subarray(0, cut)), ['CERT_MALFORMED']);
    }
  });

  it('absurd lengths and indefinite lengths', () => {
    // 4 GB: beyond the 64 MB kyso reads, a named limit rather than a syntax error.
    expectKysoError(
      () => parseCertificateDer(new Uint8Array([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00])),
      ['ASN1_TOO_LARGE'],
    );
    expectKysoError(
      () => parseCrlDer(new Uint8Array([0x30, 0x84, 0x04, 0x00, 0x00, 0x01, 0x00])),
      ['ASN1_TOO_LARGE'],
    );
    expectKysoError(() => parseCertificateDer(new Uint8Array([0x30, 0x80, 0x00, 0x00])), ['CERT_MALFORMED']);
    expectKysoError(
      () => parseCertificateDer(new Uint8Array([0x30, 0x81, 0x05, 1, 2, 3, 4, 5])),
      ['CERT_MALFORMED'],
    );
  });

  it('deep nesting: 10 000 nested SEQUENCEs', () => {
    let inner: Uint8Array = new Uint8Array([0x05, 0x00]);
    for (let i = 0; i < 10_000; i += 1) inner = seq(inner);
    // The depth check is one iterative pass over the headers: it stops at depth 64, no recursion.
    expectKysoError(() => parseCertificateDer(inner), ['ASN1_TOO_DEEP', 'CERT_MALFORMED']);
  });

  it('a 10 MB certificate is refused quickly', () => {
    const blob = seq(
      seq(tlv(0x04, new Uint8Array(10 * 1024 * 1024))),
      seq(oid('1.2.840.113549.1.1.11')),
      tlv(0x03, new Uint8Array([0])),
    );
    expectKysoError(() => parseCertificateDer(blob), ['CERT_MALFORMED']);
  });

  it('PEM with broken base64, and text that is no certificate', () => {
    expectKysoError(
      () => parseCertificate('-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n'),
      ['PEM_MALFORMED', 'CERT_MALFORMED'],
    );
    expectKysoError(() => parseCertificate('hello'), ['PEM_MALFORMED', 'CERT_MALFORMED']);
    expectKysoError(() => parseCertificate(new Uint8Array()), ['CERT_MALFORMED']);
  });

  it('arbitrary bytes never crash the certificate, CRL and OCSP parsers (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        for (const parse of [parseCertificateDer, parseCrlDer, parseOcspResponse]) {
          try {
            parse(bytes);
          } catch (error) {
            if (!isKysoError(error)) throw error;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('mutations of a real certificate and CRL never crash (property)', () => {
    fc.assert(
      fc.property(fc.nat(goodCert.length - 1), fc.nat(255), fc.nat(goodCrl.length - 1), (i, b, j) => {
        const cert = new Uint8Array(goodCert);
        cert[i] = b;
        const crl = new Uint8Array(goodCrl);
        crl[j] = b;
        for (const [parse, bytes] of [
          [parseCertificateDer, cert],
          [parseCrlDer, crl],
        ] as const) {
          try {
            parse(bytes);
          } catch (error) {
            if (!isKysoError(error)) throw error;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('hostile certificate pools end in bounded time with a report', () => {
  it('a path loop (A issued by B, B issued by A) finds no chain', async () => {
    const report = await validateCertificate({
      certificate: fakeCert('Leaf', 'A', 1),
      trustAnchors: [fakeCert('Root', 'Root', 2)],
      intermediates: [fakeCert('A', 'B', 3), fakeCert('B', 'A', 4)],
      validationTime: new Date('2025-01-01T00:00:00Z'),
      revocation: 'none',
    });
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('forty self-issued certificates of one name stop at the path-building budget', async () => {
    const pool = Array.from({ length: 40 }, (_, i) => fakeCert('Loop CA', 'Loop CA', 100 + i));
    const report = await validateCertificate({
      certificate: fakeCert('Leaf', 'Loop CA', 1),
      trustAnchors: [fakeCert('Elsewhere', 'Elsewhere', 2)],
      intermediates: pool,
      validationTime: new Date('2025-01-01T00:00:00Z'),
      revocation: 'none',
    });
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(report.checks[0]!.message.en).toMatch(/budget/);
    expect(report.limitsExceeded).toEqual(['PATH_BUILD_BUDGET_EXCEEDED']);
  });

  it('forty certificates chaining to the anchor by name but with bad signatures stop at the path budget', async () => {
    const anchor = fakeCert('Root', 'Root', 2);
    const pool = Array.from({ length: 40 }, (_, i) => fakeCert('Mid', i % 2 ? 'Root' : 'Mid', 200 + i));
    const report = await validateCertificate({
      certificate: fakeCert('Leaf', 'Mid', 1),
      trustAnchors: [anchor],
      intermediates: pool,
      validationTime: new Date('2025-01-01T00:00:00Z'),
      revocation: 'none',
    });
    // The work is bounded by the budget, not by a clock: 64 paths at most, then INDETERMINATE.
    expect(report.indication).toBe('INDETERMINATE');
    expect(report.pathsTried).toBeLessThanOrEqual(64);
    expect(report.limitsExceeded).toContain('PATH_BUILD_BUDGET_EXCEEDED');
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
});

describe('a CRL with a million entries', () => {
  it('is indexed in one pass and searched by decoding only the entries asked for (work counted, not timed)', () => {
    const entries: Uint8Array[] = [];
    const date = tlv(0x17, new TextEncoder().encode('200101000000Z'));
    for (let i = 0; i < 1_000_000; i += 1) {
      entries.push(
        seq(integerBytes(new Uint8Array([0x01, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff])), date),
      );
    }
    const alg = seq(oid('1.2.840.113549.1.1.11'), nul());
    const issuer = utf8Name('Big CA');
    const tbs = seq(
      integerBytes(new Uint8Array([1])),
      alg,
      issuer,
      date,
      date,
      tlv(0x30, concatBytes(entries)),
    );
    const der = seq(tbs, alg, tlv(0x03, new Uint8Array([0, 1])));
    const scanned = crlIndexWork.entriesScanned;
    const decoded = crlIndexWork.entriesDecoded;
    const crl = parseCrlDer(der);
    // Parsing does not touch the entries; the first question builds the index in one pass.
    expect(crlIndexWork.entriesScanned - scanned).toBe(0);
    expect(crl.entryCount).toBe(1_000_000);
    expect(crlIndexWork.entriesScanned - scanned).toBe(1_000_000);
    expect(crl.lookup(new Uint8Array([0x01, 0x0f, 0x42, 0x3f]))).toHaveLength(1);
    expect(crl.lookup(new Uint8Array([0x02, 0, 0, 0]))).toHaveLength(0);
    for (let i = 0; i < 1000; i += 1) crl.lookup(new Uint8Array([0x01, 0, (i >> 8) & 0xff, i & 0xff]));
    // Lookups never scan again, and decode only the entry that matches (plus rare hash collisions).
    expect(crlIndexWork.entriesScanned - scanned).toBe(1_000_000);
    expect(crlIndexWork.entriesDecoded - decoded).toBeLessThanOrEqual(1001 + 5);
  });
});
