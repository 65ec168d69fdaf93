import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTestPki,
  type LoopbackServer,
  opensslCmsVerify,
  run,
  startLoopbackServer,
  startTimestampAuthority,
  type TestPki,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addSignatureTimestamp,
  buildTimestampRequest,
  createHttpTransport,
  offlineTransport,
  parseSignedData,
  requestTimestamp,
  signatureValueOf,
  signDetached,
  verifySignerInfo,
  verifyTimestampToken,
} from '../src/index.js';
import { children, readDer, TAG } from '../src/lib/der.js';
import { seq, smallInteger } from '../src/lib/der-write.js';
import { createSoftwareSigner } from '../src/node.js';

let pki: TestPki;
let tsa: TimestampAuthority;
const servers: LoopbackServer[] = [];
const transport = createHttpTransport({ timeoutMs: 10_000 });
const content = new TextEncoder().encode('Công văn số 88/SKHCN-VP gửi các phòng');
const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());

beforeAll(async () => {
  pki = await createTestPki();
  tsa = await startTimestampAuthority(pki);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await tsa?.stop();
  pki?.cleanup();
});

/** A loopback server in front of the real TSA that rewrites each query with `rewrite` first. */
async function proxy(rewrite: (query: Uint8Array) => Uint8Array): Promise<LoopbackServer> {
  const server = await startLoopbackServer(async (request) => {
    const answer = await fetch(tsa.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: rewrite(request.body) as Uint8Array<ArrayBuffer>,
    });
    return {
      status: answer.status,
      contentType: 'application/timestamp-reply',
      body: new Uint8Array(await answer.arrayBuffer()),
    };
  });
  servers.push(server);
  return server;
}

/** The imprint and nonce of a TimeStampReq, read back. */
function queryParts(query: Uint8Array): { imprint: Uint8Array; nonce: Uint8Array } {
  const parts = children(readDer(query, 'q'), 'q');
  const imprint = children(parts[1]!, 'q')[1]!.value;
  const nonce = parts.slice(2).find((p) => p.tag === TAG.INTEGER)!.value;
  return { imprint, nonce };
}

describe('requestTimestamp against openssl ts -reply', () => {
  it('builds a query openssl reads: SHA-256 imprint, a nonce, certReq', async () => {
    const request = buildTimestampRequest({ imprint: sha256(content) });
    const path = join(pki.dir, 'query.tsq');
    writeFileSync(path, request.der);
    const { stdout } = await run('openssl', ['ts', '-query', '-in', path, '-text']);
    expect(stdout).toMatch(/Hash Algorithm: sha256/);
    expect(stdout).toMatch(/Certificate required: yes/);
    expect(stdout).toMatch(/Nonce: 0x[0-9A-F]+/);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      Buffer.from(sha256(content))
        .toString('hex')
        .slice(0, 4)
        .replace(/(..)(..)/, '$1 $2'),
    );
  });

  it('accepts a granted reply and stamps a signature with it; openssl and kyso verify the result', async () => {
    const signer = createSoftwareSigner({
      privateKey: readFileSync(pki.leaves.personal.keyPath, 'utf8'),
      certificate: pki.leaves.personal.pem,
      chain: [pki.subCa.certificate.pem],
    });
    const cms = await signDetached({ messageDigest: sha256(content), signer });
    const stamp = await requestTimestamp(signatureValueOf(cms), { url: tsa.url, transport });
    expect(stamp.tsaCertificate.subject.key).toContain('timestamp authority');
    expect(stamp.info.hashedMessage).toEqual(sha256(signatureValueOf(cms)));
    const stamped = addSignatureTimestamp(cms, stamp.token);
    // openssl: the signature still verifies, and the token verifies over the signature value.
    expect(await opensslCmsVerify(stamped, content, pki.root.certificate.certPath)).toContain(
      'Verification successful',
    );
    writeFileSync(join(pki.dir, 'token.der'), stamp.token);
    writeFileSync(join(pki.dir, 'sigvalue.bin'), signatureValueOf(stamped));
    writeFileSync(join(pki.dir, 'tsa-chain.pem'), pki.subCa.certificate.pem);
    const ts = await run('openssl', [
      'ts',
      '-verify',
      '-token_in',
      '-in',
      join(pki.dir, 'token.der'),
      '-data',
      join(pki.dir, 'sigvalue.bin'),
      '-CAfile',
      pki.root.certificate.certPath,
      '-untrusted',
      join(pki.dir, 'tsa-chain.pem'),
    ]);
    expect(ts.stdout).toContain('Verification: OK');
    // kyso: the signer still verifies and the unsigned attribute holds the token.
    const sd = parseSignedData(stamped);
    const signerInfo = sd.signers[0]!;
    expect(signerInfo.timestampToken).toEqual(stamp.token);
    const v = await verifySignerInfo(sd, signerInfo, sha256(content));
    expect(v.signatureValid && v.digestMatches).toBe(true);
    const t = await verifyTimestampToken(signerInfo.timestampToken!, signerInfo.signature);
    expect(t).toMatchObject({ imprintMatches: true, signatureValid: true, tsaKeyUsageOk: true });
  });

  /**
   * A TSA whose token is re-signed by `signer` with `openssl cms -sign` (with `-cades`, an ESS
   * signing-certificate-v2; without, none): the TSTInfo, so nonce and imprint, stay the real TSA's.
   */
  async function resigningTsa(signer: { certPath: string; keyPath: string }, cades: boolean) {
    const server = await startLoopbackServer(async (request) => {
      const answer = await fetch(tsa.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query' },
        body: request.body as Uint8Array<ArrayBuffer>,
      });
      const reply = new Uint8Array(await answer.arrayBuffer());
      const token = children(readDer(reply, 'r'), 'r')[1]!.raw;
      const tstPath = join(pki.dir, `tst-${cades}.der`);
      const outPath = join(pki.dir, `resigned-${cades}.der`);
      writeFileSync(tstPath, parseSignedData(token).eContent!);
      await run('openssl', [
        'cms',
        '-sign',
        '-binary',
        '-nodetach',
        '-econtent_type',
        '1.2.840.113549.1.9.16.1.4',
        '-in',
        tstPath,
        '-signer',
        signer.certPath,
        '-inkey',
        signer.keyPath,
        '-md',
        'sha256',
        '-nosmimecap',
        ...(cades ? ['-cades'] : []),
        '-outform',
        'DER',
        '-out',
        outPath,
      ]);
      const resigned = new Uint8Array(readFileSync(outPath));
      return {
        status: 200,
        contentType: 'application/timestamp-reply',
        body: seq(seq(smallInteger(0)), resigned),
      };
    });
    servers.push(server);
    return server;
  }

  it('refuses a token signed by a certificate that is not a TSA certificate with TSA_CERTIFICATE_INVALID', async () => {
    const server = await resigningTsa(pki.leaves.personal, true);
    await expect(requestTimestamp(content, { url: server.url, transport })).rejects.toMatchObject({
      code: 'TSA_CERTIFICATE_INVALID',
    });
  });

  it('refuses a token without the ESS certificate identifier of its signer with TSA_CERTIFICATE_ID_MISMATCH', async () => {
    const withEss = await resigningTsa(pki.tsa, true);
    // The control: the same re-signing with the ESS attribute is accepted.
    await expect(requestTimestamp(content, { url: withEss.url, transport })).resolves.toMatchObject({
      tsaCertificate: { serialHex: pki.tsa.serial },
    });
    const withoutEss = await resigningTsa(pki.tsa, false);
    await expect(requestTimestamp(content, { url: withoutEss.url, transport })).rejects.toMatchObject({
      code: 'TSA_CERTIFICATE_ID_MISMATCH',
    });
  });

  it('refuses a garbage reply with TSA_RESPONSE_MALFORMED', async () => {
    const server = await startLoopbackServer(async () => ({
      status: 200,
      contentType: 'application/timestamp-reply',
      body: new TextEncoder().encode('<html>502 Bad Gateway</html>'),
    }));
    servers.push(server);
    await expect(requestTimestamp(content, { url: server.url, transport })).rejects.toMatchObject({
      code: 'TSA_RESPONSE_MALFORMED',
    });
  });

  it('refuses a reply to another request (wrong nonce) with TSA_NONCE_MISMATCH', async () => {
    // The proxy replaces the nonce: the TSA answers, correctly, a query kyso did not send.
    const server = await proxy((query) => {
      const { imprint } = queryParts(query);
      return buildTimestampRequest({ imprint, nonce: new Uint8Array([0x12, 0x34, 0x56, 0x78]) }).der;
    });
    await expect(requestTimestamp(content, { url: server.url, transport })).rejects.toMatchObject({
      code: 'TSA_NONCE_MISMATCH',
    });
  });

  it('refuses a timestamp over other data with TSA_IMPRINT_MISMATCH', async () => {
    const server = await proxy((query) => {
      const { nonce } = queryParts(query);
      return buildTimestampRequest({ imprint: sha256(new TextEncoder().encode('văn bản khác')), nonce }).der;
    });
    await expect(requestTimestamp(content, { url: server.url, transport })).rejects.toMatchObject({
      code: 'TSA_IMPRINT_MISMATCH',
    });
  });

  it('reports a refusal by the TSA (an unaccepted policy) with TSA_REJECTED and its reason', async () => {
    const error = await requestTimestamp(content, { url: tsa.url, transport, policy: '1.2.3.4.5' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TSA_REJECTED' });
    expect((error as Error).message).toMatch(/rejection: unacceptedPolicy/);
    expect((error as { messageVi: string }).messageVi).toMatch(/từ chối/);
  });

  it('gives up on a TSA that never answers with TSA_TIMEOUT', async () => {
    const silent = await startLoopbackServer(() => new Promise(() => {}));
    servers.push(silent);
    await expect(
      requestTimestamp(content, { url: silent.url, transport: createHttpTransport({ timeoutMs: 300 }) }),
    ).rejects.toMatchObject({ code: 'TSA_TIMEOUT', cause: { code: 'TRANSPORT_TIMEOUT' } });
  });

  it('reports a transport that refuses (offline) with TSA_UNREACHABLE', async () => {
    await expect(
      requestTimestamp(content, { url: tsa.url, transport: offlineTransport }),
    ).rejects.toMatchObject({
      code: 'TSA_UNREACHABLE',
      cause: { code: 'TRANSPORT_REFUSED' },
    });
  });

  it('refuses to ask for a SHA-1 imprint', async () => {
    await expect(
      requestTimestamp(content, { url: tsa.url, transport, hash: 'SHA-1' as 'SHA-256' }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_ALGORITHM_REFUSED' });
  });
});
