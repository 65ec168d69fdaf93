import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Certificate,
  createHttpTransport,
  isKysoError,
  parseCertificate,
  parseOcspResponse,
  parseSignedData,
  parseTstInfo,
  type Signer,
} from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import {
  createNssSigner,
  minimalPdf,
  type NssSigner,
  type PkiServices,
  pdfsigOutput,
  qpdfCheck,
  run,
  signWithOpensslCms,
  softwareKey,
  startPkiServices,
  startTimestampAuthority,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  extendPdf,
  findSignatures,
  PdfDocument,
  readDocumentSecurityStore,
  type SignerValidationOptions,
  signPdf,
  verifyPdf,
} from '../src/index.js';

/**
 * B-LT and B-LTA against live services on loopback: OCSP responders and a CRL repository (the
 * certificates point at them) and an RFC 3161 TSA. The files must then pass offline, with no
 * transport and no CRL given, from what they carry.
 */

let services: PkiServices;
let tsa: TimestampAuthority;
let nss: NssSigner;
let root: Certificate;
let validation: SignerValidationOptions;
let counter = 0;
const transport = createHttpTransport({ timeoutMs: 5000 });

beforeAll(async () => {
  services = await startPkiServices();
  tsa = await startTimestampAuthority(services.pki);
  nss = await createNssSigner(services.pki, []);
  root = parseCertificate(services.pki.root.certificate.pem);
  validation = { trustAnchors: [root], revocation: 'hard-fail', transport };
}, 120_000);
afterAll(async () => {
  await tsa?.stop();
  nss?.cleanup();
  await services?.stop();
});

const signer = (): Signer => createSoftwareSigner(softwareKey(services.pki, services.pki.leaves.personal));

function tempPath(name: string): string {
  counter += 1;
  return join(services.pki.dir, `${counter}-${name}`);
}

const pdfsig = (bytes: Uint8Array) => pdfsigOutput(bytes, { nss });

const offline = (bytes: Uint8Array) => verifyPdf(bytes, { trustAnchors: [root], revocation: 'hard-fail' });

/** openssl ts -verify of every document timestamp over the bytes it covers. */
async function opensslTsVerify(bytes: Uint8Array): Promise<number> {
  const chain = services.pki.writeBundle(`tsa-ca-${counter}.pem`, [
    services.pki.root.certificate,
    services.pki.subCa.certificate,
  ]);
  let n = 0;
  for (const f of findSignatures(PdfDocument.load(bytes))) {
    if (f.type !== 'timestamp') continue;
    const [, a, b, c] = f.byteRange as number[];
    const data = tempPath('dts-covered.bin');
    writeFileSync(data, Buffer.concat([bytes.subarray(0, a), bytes.subarray(b!, b! + c!)]));
    const token = tempPath('dts.tst');
    // The token is the DER prefix of the zero-padded /Contents.
    const der = f.contents!;
    const len =
      der[1]! < 0x80
        ? 2 + der[1]!
        : 2 +
          (der[1]! & 0x7f) +
          Number.parseInt(Buffer.from(der.subarray(2, 2 + (der[1]! & 0x7f))).toString('hex'), 16);
    writeFileSync(token, der.subarray(0, len));
    const out = await run('openssl', [
      'ts',
      '-verify',
      '-data',
      data,
      '-in',
      token,
      '-token_in',
      '-CAfile',
      chain,
    ]);
    expect(out.stdout).toContain('Verification: OK');
    n += 1;
  }
  return n;
}

describe('levels', () => {
  it('signs at B-LT: a DSS with OCSP responses issued after the timestamp; passes offline from what it carries', async () => {
    const result = await signPdf(minimalPdf('B-LT'), {
      signer: signer(),
      validation,
      tsa: { url: tsa.url, transport },
      level: 'B-LT',
      transport,
    });
    expect(result.level).toBe('B-LT');
    const dss = readDocumentSecurityStore(PdfDocument.load(result.bytes));
    expect(dss.ocspResponses.length).toBeGreaterThan(0);
    expect(dss.certificates.length).toBeGreaterThanOrEqual(3);
    // Every OCSP response was produced after the signature timestamp (EN 319 102-1 §5.2.5).
    const sd = parseSignedData(findSignatures(PdfDocument.load(result.bytes))[0]!.contents!);
    const tst = parseSignedData(sd.signers[0]!.timestampToken!);
    const genTime = parseTstInfo(tst.eContent!).genTime.getTime();
    for (const der of dss.ocspResponses)
      expect(parseOcspResponse(der).basic!.producedAt.getTime()).toBeGreaterThanOrEqual(
        Math.floor(genTime / 1000) * 1000,
      );
    const report = await offline(result.bytes);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');
    expect(await pdfsig(result.bytes)).toContain('Signature is Valid.');
  }, 60_000);

  it('signs at B-LTA: DSS, document timestamp, DSS for its TSA; openssl ts -verify accepts the timestamp; offline TOTAL_PASSED', async () => {
    const result = await signPdf(minimalPdf('B-LTA'), {
      signer: signer(),
      validation,
      tsa: { url: tsa.url, transport },
      level: 'B-LTA',
      transport,
    });
    const fields = findSignatures(PdfDocument.load(result.bytes));
    expect(fields.map((f) => f.type)).toEqual(['signature', 'timestamp']);
    expect(await opensslTsVerify(result.bytes)).toBe(1);
    const report = await offline(result.bytes);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => s.indication)).toEqual(['TOTAL_PASSED', 'TOTAL_PASSED']);
    const sig = await pdfsig(result.bytes);
    expect(sig).toContain('Signature is Valid.');
    expect(sig).not.toContain('Signature is Invalid');
  }, 60_000);

  it('extends a B-B file to B-LT by adding a document timestamp first', async () => {
    const bb = await signPdf(minimalPdf('B-B then LT'), { signer: signer(), validation });
    expect(bb.level).toBe('B-B');
    const extended = await extendPdf(bb.bytes, {
      level: 'B-LT',
      validation,
      tsa: { url: tsa.url, transport },
      transport,
    });
    expect(extended.added).toEqual(['document-timestamp', 'dss']);
    expect(Buffer.compare(extended.bytes.subarray(0, bb.bytes.length), bb.bytes)).toBe(0);
    const report = await offline(extended.bytes);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(await opensslTsVerify(extended.bytes)).toBe(1);
  }, 60_000);

  it('extends a DocMDP P=1 certified file to B-LTA: validation data and document timestamps are not changes', async () => {
    const certified = await signWithOpensslCms(
      minimalPdf('P1'),
      services.pki.leaves.organisation,
      [services.pki.subCa.certificate],
      'ChungNhan',
      { certify: 1, tsa },
    );
    const extended = await extendPdf(certified, {
      level: 'B-LTA',
      validation,
      tsa: { url: tsa.url, transport },
      transport,
    });
    expect(extended.added).toEqual(['dss', 'document-timestamp', 'dss']);
    const report = await offline(extended.bytes);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');
    expect(await qpdfCheck(extended.bytes)).toContain('No syntax or stream encoding errors');
  }, 60_000);

  it('never writes a stale CRL: with the OCSP responders down, only CRLs older than the timestamp exist, and B-LT is refused until fresh data is published', async () => {
    const bt = await signPdf(minimalPdf('stale'), {
      signer: signer(),
      validation,
      tsa: { url: tsa.url, transport },
    });
    for (const r of Object.values(services.ocsp)) await r.stop();
    const input = new Uint8Array(bt.bytes);
    let code = 'no error';
    try {
      await extendPdf(bt.bytes, { level: 'B-LT', validation, tsa: { url: tsa.url, transport }, transport });
    } catch (error) {
      code = isKysoError(error) ? error.code : String(error);
    }
    expect(code).toBe('PDF_SIGN_VALIDATION_DATA_UNAVAILABLE');
    expect(Buffer.compare(bt.bytes, input)).toBe(0);
    // A CRL published now is fresh: the extension succeeds, and it carries that CRL.
    await services.pki.subCa.updateCrl();
    await services.pki.root.updateCrl();
    const extended = await extendPdf(bt.bytes, {
      level: 'B-LT',
      validation,
      tsa: { url: tsa.url, transport },
      transport,
    });
    const dss = readDocumentSecurityStore(PdfDocument.load(extended.bytes));
    expect(dss.crls.length).toBeGreaterThan(0);
    expect((await offline(extended.bytes)).indication).toBe('TOTAL_PASSED');
  }, 60_000);
});
