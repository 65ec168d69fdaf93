import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CommandFailedError,
  createTestPki,
  run,
  startTimestampAuthority,
  TEST_TSA_POLICY,
  type TestPki,
  type TimestampAuthority,
} from '../src/index.js';

let pki: TestPki;
let tsa: TimestampAuthority;

beforeAll(async () => {
  pki = await createTestPki();
  tsa = await startTimestampAuthority(pki);
});
afterAll(async () => {
  await tsa?.stop();
  pki?.cleanup();
});

async function timestamp(
  data: string,
  name: string,
): Promise<{ queryPath: string; replyPath: string; dataPath: string }> {
  const dataPath = join(pki.dir, `${name}.txt`);
  const queryPath = join(pki.dir, `${name}.tsq`);
  const replyPath = join(pki.dir, `${name}.tsr`);
  writeFileSync(dataPath, data);
  await run('openssl', ['ts', '-query', '-data', dataPath, '-sha256', '-cert', '-out', queryPath]);
  const response = await fetch(tsa.url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: readFileSync(queryPath),
  });
  expect(response.status).toBe(200);
  writeFileSync(replyPath, new Uint8Array(await response.arrayBuffer()));
  return { queryPath, replyPath, dataPath };
}

describe('startTimestampAuthority', () => {
  it('returns tokens that openssl ts -verify accepts against the test root', async () => {
    const { queryPath, replyPath } = await timestamp('Công văn số 123/SKHCN-VP', 'doc');
    const untrusted = pki.writeBundle('tsa-untrusted.pem', [pki.subCa.certificate, pki.tsa]);
    const { stdout } = await run('openssl', [
      'ts',
      '-verify',
      '-queryfile',
      queryPath,
      '-in',
      replyPath,
      '-CAfile',
      pki.root.certificate.certPath,
      '-untrusted',
      untrusted,
    ]);
    expect(stdout).toMatch(/Verification: OK/);
  });

  it('puts its policy, a SHA-256 imprint and increasing serials in the tokens', async () => {
    const first = await timestamp('một', 'one');
    const second = await timestamp('hai', 'two');
    const text1 = (await run('openssl', ['ts', '-reply', '-in', first.replyPath, '-text'])).stdout;
    const text2 = (await run('openssl', ['ts', '-reply', '-in', second.replyPath, '-text'])).stdout;
    expect(text1).toContain(`Policy OID: ${TEST_TSA_POLICY}`);
    expect(text1).toMatch(/Hash Algorithm: sha256/);
    const serial = (t: string) => Number.parseInt(/Serial number: (0x[0-9A-F]+)/i.exec(t)?.[1] ?? 'NaN', 16);
    expect(serial(text2)).toBeGreaterThan(serial(text1));
  });

  it('gives a token that does not verify for other data', async () => {
    const { replyPath } = await timestamp('bản gốc', 'original');
    const otherPath = join(pki.dir, 'other.txt');
    writeFileSync(otherPath, 'bản bị sửa');
    const untrusted = pki.writeBundle('tsa-untrusted-2.pem', [pki.subCa.certificate, pki.tsa]);
    const attempt = run('openssl', [
      'ts',
      '-verify',
      '-data',
      otherPath,
      '-in',
      replyPath,
      '-CAfile',
      pki.root.certificate.certPath,
      '-untrusted',
      untrusted,
    ]);
    await expect(attempt).rejects.toBeInstanceOf(CommandFailedError);
    await expect(attempt).rejects.toMatchObject({ stdout: expect.stringMatching(/FAILED/) });
  });

  it('refuses a GET', async () => {
    const response = await fetch(tsa.url);
    expect(response.status).toBe(400);
  });
});
