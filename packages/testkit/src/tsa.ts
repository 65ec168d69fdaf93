import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';
import type { IssuedCertificate, TestPki } from './pki.js';
import { makeTempDir, run, SerialQueue } from './tools.js';

/** The policy OID the test TSA puts in its tokens (a private test arc, not a real policy). */
export const TEST_TSA_POLICY = '1.3.6.1.4.1.59999.1.1';

/** Options of {@link startTimestampAuthority}. */
export interface TimestampAuthorityOptions {
  /** The TSA certificate; default `pki.tsa` (extended key usage timeStamping, critical). */
  signer?: IssuedCertificate;
  /** The digest the TSA signs with (default `sha256`). */
  signerDigest?: 'sha256' | 'sha384' | 'sha512';
}

/** A running RFC 3161 timestamp authority. */
export interface TimestampAuthority extends LoopbackServer {
  /** The TSA certificate its tokens are signed with. */
  readonly certificate: IssuedCertificate;
}

/**
 * An RFC 3161 TSA over HTTP on 127.0.0.1: each `application/timestamp-query` POST is answered by
 * `openssl ts -reply` with the PKI's TSA certificate and chain.
 */
export async function startTimestampAuthority(
  pki: TestPki,
  options: TimestampAuthorityOptions = {},
): Promise<TimestampAuthority> {
  const signer = options.signer ?? pki.tsa;
  const work = makeTempDir('tsa');
  const chainPath = pki.writeBundle(`tsa-chain-${signer.name}.pem`, pki.chainOf(signer));
  const configPath = join(work, 'tsa.cnf');
  writeFileSync(join(work, 'serial'), '01\n');
  writeFileSync(configPath, tsaConfig(work, signer, chainPath, options.signerDigest ?? 'sha256'));
  let counter = 0;
  // `openssl ts -reply` increments the serial file: one reply at a time.
  const queue = new SerialQueue();
  const server = await startLoopbackServer(
    async (request) => {
      if (request.method !== 'POST' || request.body.length === 0) {
        return { status: 400, contentType: 'text/plain', body: 'POST an application/timestamp-query' };
      }
      counter += 1;
      const queryPath = join(work, `query-${counter}.tsq`);
      const replyPath = join(work, `reply-${counter}.tsr`);
      writeFileSync(queryPath, request.body);
      try {
        await queue.enqueue(() =>
          run('openssl', ['ts', '-reply', '-config', configPath, '-queryfile', queryPath, '-out', replyPath]),
        );
        return {
          status: 200,
          contentType: 'application/timestamp-reply',
          body: new Uint8Array(readFileSync(replyPath)),
        };
      } finally {
        rmSync(queryPath, { force: true });
        rmSync(replyPath, { force: true });
      }
    },
    { onStop: () => rmSync(work, { recursive: true, force: true }) },
  );
  return Object.assign(server, { certificate: signer });
}

/**
 * Asks the TSA at `tsa.url` for a timestamp over `data` as an RFC 3161 client does: `openssl ts
 * -query` (SHA-256 imprint, the TSA's certificate requested) POSTed as
 * `application/timestamp-query`. Returns the TSA's reply (a DER TimeStampResp); rejects when the
 * TSA does not answer 200. The working files go with the call.
 */
export async function requestTimestampReply(
  tsa: Pick<LoopbackServer, 'url'>,
  data: Uint8Array,
): Promise<Uint8Array> {
  const dir = makeTempDir('tsq');
  try {
    const dataPath = join(dir, 'data.bin');
    const queryPath = join(dir, 'query.tsq');
    writeFileSync(dataPath, data);
    await run('openssl', ['ts', '-query', '-data', dataPath, '-sha256', '-cert', '-out', queryPath]);
    const response = await fetch(tsa.url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: readFileSync(queryPath),
    });
    if (response.status !== 200) throw new Error(`testkit: the TSA answered ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tsaConfig(dir: string, signer: IssuedCertificate, chainPath: string, digest: string): string {
  return `[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = ${dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = ${signer.certPath}
certs = ${chainPath}
signer_key = ${signer.keyPath}
signer_digest = ${digest}
default_policy = ${TEST_TSA_POLICY}
digests = sha1, sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
`;
}
