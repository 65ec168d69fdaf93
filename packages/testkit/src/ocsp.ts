import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';
import type { IssuedCertificate, TestCa } from './pki.js';
import { makeTempDir, run } from './tools.js';

/** Options of {@link startOcspResponder}. */
export interface OcspResponderOptions {
  /**
   * The certificate and key that sign responses: the CA itself (default) or a delegated responder
   * with extended key usage OCSPSigning, such as `pki.ocspSigner`.
   */
  signer?: IssuedCertificate;
  /** `nextUpdate` this many days after `thisUpdate` (default 1). */
  validityDays?: number;
}

/** A running OCSP responder. */
export interface OcspResponder extends LoopbackServer {}

/**
 * Serves OCSP for `ca` on 127.0.0.1: each request (POST, or GET with the base64 request in the
 * path, RFC 6960 appendix A) is answered by `openssl ocsp` in responder mode over the CA's own
 * index, so a revocation made through {@link TestCa.revoke} shows at once.
 */
export async function startOcspResponder(
  ca: TestCa,
  options: OcspResponderOptions = {},
): Promise<OcspResponder> {
  const signer = options.signer ?? ca.certificate;
  const work = makeTempDir('ocsp');
  let counter = 0;
  const server = await startLoopbackServer(
    async (request) => {
      const der = requestBytes(request.method, request.path, request.body);
      if (!der) return { status: 400, contentType: 'text/plain', body: 'not an OCSP request' };
      counter += 1;
      const reqPath = join(work, `req-${counter}.der`);
      const respPath = join(work, `resp-${counter}.der`);
      writeFileSync(reqPath, der);
      try {
        await run('openssl', [
          'ocsp',
          '-index',
          ca.indexPath,
          '-CA',
          ca.certificate.certPath,
          '-rsigner',
          signer.certPath,
          '-rkey',
          signer.keyPath,
          '-ndays',
          String(options.validityDays ?? 1),
          '-reqin',
          reqPath,
          '-respout',
          respPath,
        ]);
        return {
          status: 200,
          contentType: 'application/ocsp-response',
          body: new Uint8Array(readFileSync(respPath)),
        };
      } finally {
        rmSync(reqPath, { force: true });
        rmSync(respPath, { force: true });
      }
    },
    { onStop: () => rmSync(work, { recursive: true, force: true }) },
  );
  return server;
}

function requestBytes(method: string, path: string, body: Uint8Array): Uint8Array | null {
  if (method === 'POST') return body.length > 0 ? body : null;
  if (method !== 'GET') return null;
  const encoded = decodeURIComponent(path.replace(/^\/+/, ''));
  if (!encoded) return null;
  return new Uint8Array(Buffer.from(encoded, 'base64'));
}
