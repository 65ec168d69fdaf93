import { createTestPki, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  createCachingTransport,
  createHttpTransport,
  isKysoError,
  type OptionError,
  parseCertificate,
  parseCrlDer,
  type ValidateCertificateOptions,
  validateCertificate,
} from '../src/index.js';

let pki: TestPki;
let root: Certificate;
let subCa: Certificate;
let personal: Certificate;

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  subCa = parseCertificate(pki.subCa.certificate.pem);
  personal = parseCertificate(pki.leaves.personal.pem);
}, 120_000);
afterAll(() => pki?.cleanup());

/** The options a caller means, without CRLs: every revocation status is unknown. */
const base = (): ValidateCertificateOptions => ({
  certificate: personal,
  trustAnchors: [root],
  intermediates: [subCa],
  validationTime: pki.now,
  revocation: 'hard-fail',
});

async function optionError(run: () => unknown): Promise<OptionError> {
  try {
    await run();
  } catch (error) {
    expect(isKysoError(error)).toBe(true);
    expect((error as OptionError).code).toBe('OPTION_INVALID');
    return error as OptionError;
  }
  throw new Error('expected an OptionError');
}

describe('validateCertificate checks its options at the boundary (issue 14, item 2)', () => {
  it.each([
    'hardfail',
    'HARD-FAIL',
    'Hard-Fail',
    'soft',
    '',
    'strict',
  ])('refuses the revocation mode %j instead of falling back to soft-fail', async (mode) => {
    const error = await optionError(() =>
      validateCertificate({ ...base(), revocation: mode as ValidateCertificateOptions['revocation'] }),
    );
    expect(error.option).toBe('revocation');
    expect(error.message).toContain(`not ${JSON.stringify(mode)}`);
    expect(error.message).toContain("'hard-fail', 'soft-fail', 'none'");
    expect(error.messageVi).toContain('tuỳ chọn `revocation` phải là một trong');
  });

  it('hard-fails where the revocation mode is omitted: an unknown status is INDETERMINATE/TRY_LATER', async () => {
    const { revocation: _omitted, ...rest } = base();
    const report = await validateCertificate(rest);
    expect(report.revocationMode).toBe('hard-fail');
    expect([report.indication, report.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });

  it('passes with the CRLs, omitted mode or not', async () => {
    const { revocation: _omitted, ...rest } = base();
    const crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
    expect((await validateCertificate({ ...rest, crls })).indication).toBe('TOTAL_PASSED');
  });

  it('names a single certificate given where an array belongs', async () => {
    const anchors = await optionError(() =>
      validateCertificate({ ...base(), trustAnchors: root as unknown as Certificate[] }),
    );
    expect(anchors.option).toBe('trustAnchors');
    expect(anchors.message).toContain('a single certificate (wrap it: [certificate])');
    const intermediates = await optionError(() =>
      validateCertificate({ ...base(), intermediates: subCa as unknown as Certificate[] }),
    );
    expect(intermediates.option).toBe('intermediates');
    const crl = parseCrlDer(pki.subCa.crlDer);
    const crls = await optionError(() => validateCertificate({ ...base(), crls: crl as never }));
    expect(crls.option).toBe('crls');
    expect(crls.message).toContain('a single CRL');
  });

  it('names certificates given as PEM text instead of parsed ones', async () => {
    const error = await optionError(() =>
      validateCertificate({ ...base(), certificate: pki.leaves.personal.pem as unknown as Certificate }),
    );
    expect(error.option).toBe('certificate');
    expect(error.message).toContain('parseCertificate');
    const inList = await optionError(() =>
      validateCertificate({ ...base(), trustAnchors: [pki.root.certificate.pem as unknown as Certificate] }),
    );
    expect(inList.option).toBe('trustAnchors[0]');
  });

  it('requires a validation time: missing, a string or an invalid Date', async () => {
    for (const validationTime of [undefined, '2026-11-20', new Date('nonsense')]) {
      const error = await optionError(() =>
        validateCertificate({ ...base(), validationTime: validationTime as unknown as Date }),
      );
      expect(error.option).toBe('validationTime');
    }
  });

  it('refuses no options at all, and options that are not an object', async () => {
    for (const options of [undefined, null, [], 'hard-fail']) {
      const error = await optionError(() =>
        validateCertificate(options as unknown as ValidateCertificateOptions),
      );
      expect(error.option).toBe('options');
      expect(error.message).toContain('validateCertificate needs an options object');
    }
  });

  it('refuses a transport without fetch and flags that are not booleans', async () => {
    expect((await optionError(() => validateCertificate({ ...base(), transport: {} as never }))).option).toBe(
      'transport',
    );
    expect(
      (await optionError(() => validateCertificate({ ...base(), useDeltaCrls: 'yes' as never }))).option,
    ).toBe('useDeltaCrls');
  });

  it('checks the transports’ options', async () => {
    expect((await optionError(() => createHttpTransport({ timeoutMs: -1 }))).option).toBe('timeoutMs');
    expect((await optionError(() => createHttpTransport({ maxBytes: Number.NaN }))).option).toBe('maxBytes');
    expect((await optionError(() => createCachingTransport(undefined as never))).option).toBe('inner');
    expect(
      (await optionError(() => createCachingTransport(createHttpTransport(), { ttlMs: '1h' as never })))
        .option,
    ).toBe('ttlMs');
  });
});

describe('parseCertificate says what it was given when it cannot parse it', () => {
  const codeAndMessage = (input: Parameters<typeof parseCertificate>[0]) => {
    try {
      parseCertificate(input);
    } catch (error) {
      expect(isKysoError(error)).toBe(true);
      return error as { code: string; message: string; messageVi: string };
    }
    throw new Error('expected an error');
  };

  it('accepts DER and PEM', () => {
    expect(parseCertificate(personal.der).serialHex).toBe(personal.serialHex);
    expect(parseCertificate(pki.leaves.personal.pem).serialHex).toBe(personal.serialHex);
  });

  it('names a JPEG as neither DER nor PEM', () => {
    const e = codeAndMessage(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]));
    expect(e.code).toBe('CERT_MALFORMED');
    expect(e.message).toContain('given neither DER nor PEM (a JPEG image, starting ff d8 ff e0)');
    expect(e.messageVi).toContain('không phải DER cũng không phải PEM (ảnh JPEG');
  });

  it('names empty input, truncated DER and a PEM without a certificate block', () => {
    expect(codeAndMessage(new Uint8Array()).message).toContain('given empty input');
    expect(codeAndMessage(personal.der.subarray(0, 40)).message).toContain('given DER bytes (40 bytes)');
    const key = codeAndMessage('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expect(key.message).toContain('given PEM text (blocks: PRIVATE KEY): no certificate in it');
    expect(key.messageVi).toContain('văn bản PEM (các khối: PRIVATE KEY): không có chứng thư số nào');
  });
});
