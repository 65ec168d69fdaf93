import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';
import { type OcspResponder, startOcspResponder } from './ocsp.js';
import { createTestPki, type TestCa, type TestPki, type TestPkiOptions } from './pki.js';

/** A test PKI whose certificates point at live services on loopback. */
export interface PkiServices {
  pki: TestPki;
  /** The repository server: `/crl/<ca>.crl`, `/ca/<ca>.der`, `/ocsp/<ca>`. */
  url: string;
  /** OCSP responders by CA name (`root`, `sub-ca`); sub-ca answers through the delegated signer. */
  ocsp: Record<string, OcspResponder>;
  /** Every request the repository served, in order (`GET /crl/sub-ca.crl`, `POST /ocsp/sub-ca`). */
  readonly requests: readonly string[];
  /** Stops every server and removes the PKI. */
  stop(): Promise<void>;
}

/**
 * Starts a repository on 127.0.0.1, builds a test PKI whose certificates carry its URLs (CRL
 * distribution points, OCSP and CA issuers in authorityInfoAccess), and starts OCSP responders
 * for the root and the subordinate CA behind it. CRLs are served as they are at request time.
 */
export async function startPkiServices(options: Omit<TestPkiOptions, 'urls'> = {}): Promise<PkiServices> {
  let pki: TestPki | undefined;
  const ocsp: Record<string, OcspResponder> = {};
  const requests: string[] = [];
  const cas = (): TestCa[] => (pki ? [pki.root, pki.subCa, pki.lookalikeRoot, pki.lookalikeSubCa] : []);
  const server: LoopbackServer = await startLoopbackServer(async (request) => {
    requests.push(`${request.method} ${request.path}`);
    const [, kind, name = ''] = request.path.split('/');
    const ca = cas().find((c) => c.name === name.replace(/\.(crl|der)$/, ''));
    if (kind === 'crl' && ca) return { status: 200, contentType: 'application/pkix-crl', body: ca.crlDer };
    if (kind === 'ca' && ca)
      return { status: 200, contentType: 'application/pkix-cert', body: ca.certificate.der };
    if (kind === 'ocsp' && ocsp[name] && request.method === 'POST') {
      const answer = await fetch(ocsp[name].url, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request' },
        body: request.body as Uint8Array<ArrayBuffer>,
      });
      return {
        status: answer.status,
        contentType: 'application/ocsp-response',
        body: new Uint8Array(await answer.arrayBuffer()),
      };
    }
    return { status: 404, contentType: 'text/plain', body: 'not found' };
  });
  try {
    pki = await createTestPki({
      ...options,
      urls: {
        crlBase: `${server.url}/crl`,
        ocspBase: `${server.url}/ocsp`,
        caIssuersBase: `${server.url}/ca`,
      },
    });
    ocsp.root = await startOcspResponder(pki.root);
    ocsp['sub-ca'] = await startOcspResponder(pki.subCa, { signer: pki.ocspSigner });
  } catch (error) {
    await server.stop();
    for (const r of Object.values(ocsp)) await r.stop();
    pki?.cleanup();
    throw error;
  }
  const ready = pki;
  return {
    pki: ready,
    url: server.url,
    ocsp,
    requests,
    async stop() {
      await server.stop();
      for (const r of Object.values(ocsp)) await r.stop();
      ready.cleanup();
    },
  };
}
