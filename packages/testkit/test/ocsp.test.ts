import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestPki,
  type OcspResponder,
  personalSubject,
  run,
  startOcspResponder,
  type TestPki,
} from '../src/index.js';

let pki: TestPki;
let delegated: OcspResponder;
let byRoot: OcspResponder;

beforeAll(async () => {
  pki = await createTestPki();
  delegated = await startOcspResponder(pki.subCa, { signer: pki.ocspSigner });
  byRoot = await startOcspResponder(pki.root);
});
afterAll(async () => {
  await delegated?.stop();
  await byRoot?.stop();
  pki?.cleanup();
});

async function ocspStatus(responder: OcspResponder, issuerPath: string, certPath: string): Promise<string> {
  const { stdout } = await run('openssl', [
    'ocsp',
    '-issuer',
    issuerPath,
    '-cert',
    certPath,
    '-url',
    responder.url,
    '-CAfile',
    pki.root.certificate.certPath,
    '-verify_other',
    pki.subCa.certificate.certPath,
    '-timeout',
    '10',
  ]);
  return stdout;
}

describe('startOcspResponder', () => {
  it('listens on 127.0.0.1 with a system-chosen port', () => {
    expect(delegated.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(delegated.port).not.toBe(byRoot.port);
  });

  it('answers good for a valid certificate, signed by the delegated responder, as openssl ocsp -url sees it', async () => {
    const out = await ocspStatus(delegated, pki.subCa.certificate.certPath, pki.leaves.personal.certPath);
    expect(out).toContain(`${pki.leaves.personal.certPath}: good`);
  });

  it('answers revoked with the reason for a revoked certificate', async () => {
    const out = await ocspStatus(
      delegated,
      pki.subCa.certificate.certPath,
      pki.leaves.revokedKeyCompromise.certPath,
    );
    expect(out).toContain(`${pki.leaves.revokedKeyCompromise.certPath}: revoked`);
    expect(out).toMatch(/Reason: keyCompromise/);
  });

  it('answers for the subordinate CA when the root signs its own responses', async () => {
    const out = await ocspStatus(byRoot, pki.root.certificate.certPath, pki.subCa.certificate.certPath);
    expect(out).toContain(': good');
  });

  it('reflects a revocation made while it runs', async () => {
    const cert = await pki.subCa.issue({
      name: 'ocsp-live',
      subject: personalSubject('Bùi Văn Hải', '025080000301'),
      profile: 'personal',
    });
    expect(await ocspStatus(delegated, pki.subCa.certificate.certPath, cert.certPath)).toContain(': good');
    await pki.subCa.revoke(cert, 'affiliationChanged');
    const out = await ocspStatus(delegated, pki.subCa.certificate.certPath, cert.certPath);
    expect(out).toContain(': revoked');
    expect(out).toMatch(/Reason: affiliationChanged/);
  });

  it('serves GET requests (RFC 6960 appendix A) as well as POST', async () => {
    const reqPath = join(pki.dir, 'get-req.der');
    await run('openssl', [
      'ocsp',
      '-issuer',
      pki.subCa.certificate.certPath,
      '-cert',
      pki.leaves.personal.certPath,
      '-no_nonce',
      '-reqout',
      reqPath,
    ]);
    const { readFileSync } = await import('node:fs');
    const encoded = encodeURIComponent(readFileSync(reqPath).toString('base64'));
    const response = await fetch(`${delegated.url}/${encoded}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/ocsp-response');
    const respPath = join(pki.dir, 'get-resp.der');
    writeFileSync(respPath, new Uint8Array(await response.arrayBuffer()));
    const { stdout } = await run('openssl', ['ocsp', '-respin', respPath, '-resp_text', '-noverify']);
    expect(stdout).toMatch(/Cert Status: good/);
  });

  it('closes its port when stopped', async () => {
    const responder = await startOcspResponder(pki.subCa);
    const url = responder.url;
    await responder.stop();
    await expect(fetch(url, { method: 'POST', body: new Uint8Array([0x30, 0]) })).rejects.toThrow();
  });
});

describe('startPkiServices', () => {
  it('serves the CRLs, CA certificates and OCSP that the certificates point to', async () => {
    const { startPkiServices } = await import('../src/index.js');
    const services = await startPkiServices();
    try {
      const { pki } = services;
      const text = (
        await run('openssl', [
          'x509',
          '-in',
          pki.leaves.personal.certPath,
          '-noout',
          '-ext',
          'crlDistributionPoints,authorityInfoAccess',
        ])
      ).stdout;
      expect(text).toContain(`${services.url}/crl/sub-ca.crl`);
      expect(text).toContain(`OCSP - URI:${services.url}/ocsp/sub-ca`);
      const crl = new Uint8Array(await (await fetch(`${services.url}/crl/sub-ca.crl`)).arrayBuffer());
      expect(Buffer.from(crl).equals(Buffer.from(pki.subCa.crlDer))).toBe(true);
      const out = await run('openssl', [
        'ocsp',
        '-issuer',
        pki.subCa.certificate.certPath,
        '-cert',
        pki.leaves.revokedSuperseded.certPath,
        '-url',
        `${services.url}/ocsp/sub-ca`,
        '-CAfile',
        pki.root.certificate.certPath,
      ]);
      expect(out.stdout).toContain(': revoked');
      expect(services.requests).toContain('POST /ocsp/sub-ca');
    } finally {
      await services.stop();
    }
  });
});
