import {
  createTestPki,
  requestTimestampReply,
  startTimestampAuthority,
  type TestPki,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseCertificate,
  timestampTokenFromResponse,
  validateCertificate,
  verifyTimestampToken,
} from '../src/index.js';

let pki: TestPki;
let tsa: TimestampAuthority;
const stamped = new TextEncoder().encode('giá trị chữ ký (signature value)');

beforeAll(async () => {
  pki = await createTestPki();
  tsa = await startTimestampAuthority(pki);
});
afterAll(async () => {
  await tsa?.stop();
  pki?.cleanup();
});

async function token(): Promise<Uint8Array> {
  return timestampTokenFromResponse(await requestTimestampReply(tsa, stamped));
}

describe('RFC 3161 timestamp tokens from the testkit TSA (openssl ts -reply)', () => {
  it('verifies the imprint, the TSA signature and its key usage, and gives genTime', async () => {
    const v = await verifyTimestampToken(await token(), stamped);
    expect(v).toMatchObject({
      imprintMatches: true,
      signatureValid: true,
      tsaKeyUsageOk: true,
      problems: [],
    });
    expect(v.info.policy).toBe('1.3.6.1.4.1.59999.1.1');
    expect(Math.abs(v.info.genTime.getTime() - Date.now())).toBeLessThan(120_000);
    const chain = await validateCertificate({
      certificate: v.tsaCertificate!,
      trustAnchors: [parseCertificate(pki.root.certificate.pem)],
      intermediates: v.signedData.certificates,
      validationTime: v.info.genTime,
      revocation: 'none',
      extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'],
    });
    expect(chain.indication).toBe('TOTAL_PASSED');
  });

  it('reports a token over other data', async () => {
    const v = await verifyTimestampToken(await token(), new TextEncoder().encode('chữ ký khác'));
    expect(v.imprintMatches).toBe(false);
    expect(v.signatureValid).toBe(true);
  });
});
