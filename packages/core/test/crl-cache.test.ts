import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PkiServices, startPkiServices } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  createHttpTransport,
  isKysoError,
  offlineTransport,
  parseCertificate,
  parseCrlDer,
  validateCertificate,
} from '../src/index.js';
import { crlUrlsOf, loadCrlCache, readCrlCacheIndex, updateCrlCache } from '../src/node.js';

let services: PkiServices;
let root: Certificate;
let subCa: Certificate;
let personal: Certificate;
let revoked: Certificate;
let tsa: Certificate;
let dir: string;
/** When the sub-CA's CRL says it will be replaced. */
let nextUpdate: Date;

beforeAll(async () => {
  services = await startPkiServices();
  const { pki } = services;
  root = parseCertificate(pki.root.certificate.pem);
  subCa = parseCertificate(pki.subCa.certificate.pem);
  personal = parseCertificate(pki.leaves.personal.pem);
  revoked = parseCertificate(pki.leaves.revokedKeyCompromise.pem);
  tsa = parseCertificate(pki.tsa.pem);
  nextUpdate = parseCrlDer(pki.subCa.crlDer).nextUpdate!;
  dir = join(pki.dir, 'crl-cache');
});
afterAll(async () => services?.stop());

const crlGets = () => services.requests.filter((r) => r.startsWith('GET /crl/'));
const validate = (certificate: Certificate, crls = loadCrlCache(dir)) =>
  validateCertificate({
    certificate,
    trustAnchors: [root],
    intermediates: [subCa],
    crls,
    validationTime: services.pki.now,
    revocation: 'hard-fail',
    transport: offlineTransport,
  });

describe('a CRL cache for offline verification (issue 14, item 10)', () => {
  it('fetches every CRL the certificates name, each URL once, from the loopback CRL server', async () => {
    // The profile (root, sub-CA), a TSA and a signer: their distribution points name two CRLs.
    const updates = await updateCrlCache({
      dir,
      certificates: [root, subCa, tsa, personal],
      transport: createHttpTransport({ timeoutMs: 5000 }),
      now: services.pki.now,
    });
    const urls = [...new Set([subCa, tsa, personal].flatMap(crlUrlsOf))].sort();
    expect(urls.map((u) => u.split('/').at(-1))).toEqual(['root.crl', 'sub-ca.crl']);
    expect(updates.map((u) => [u.url, u.status]).sort()).toEqual(urls.map((u) => [u, 'fetched']));
    expect(crlGets().sort()).toEqual(['GET /crl/root.crl', 'GET /crl/sub-ca.crl']);
    const subEntry = updates.find((u) => u.url.endsWith('sub-ca.crl'))!;
    expect(subEntry.namedBy.length).toBe(2);
    expect(subEntry.entry).toMatchObject({ nextUpdate: nextUpdate.toISOString() });
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toContain(`  ${subEntry.entry!.file}\n`);
  });

  it('does not fetch again while every CRL is before its nextUpdate', async () => {
    const before = crlGets().length;
    const updates = await updateCrlCache({
      dir,
      certificates: [root, subCa, tsa, personal],
      transport: createHttpTransport({ timeoutMs: 5000 }),
      now: new Date(nextUpdate.getTime() - 1000),
    });
    expect(updates.map((u) => u.status)).toEqual(['fresh', 'fresh']);
    expect(crlGets().length).toBe(before);
  });

  it('fetches again once a CRL is past its nextUpdate', async () => {
    const before = crlGets().length;
    const updates = await updateCrlCache({
      dir,
      certificates: [personal],
      transport: createHttpTransport({ timeoutMs: 5000 }),
      now: new Date(nextUpdate.getTime() + 1000),
    });
    expect(updates.map((u) => u.status)).toEqual(['fetched']);
    expect(crlGets().length).toBe(before + 1);
    // Entries for other URLs stay.
    expect(readCrlCacheIndex(dir)).toHaveLength(2);
  });

  it('keeps the cached CRL and says why when a fetch fails', async () => {
    const updates = await updateCrlCache({
      dir,
      certificates: [personal],
      transport: offlineTransport,
      now: new Date(nextUpdate.getTime() + 10 * 86_400_000),
    });
    expect(updates[0]).toMatchObject({ status: 'failed', error: { code: 'TRANSPORT_REFUSED' } });
    expect(updates[0]!.entry?.url).toBe(updates[0]!.url);
    expect(loadCrlCache(dir)).toHaveLength(2);
  });

  it('validates offline from the cache: good, revoked, and TRY_LATER without it', async () => {
    expect((await validate(personal)).indication).toBe('TOTAL_PASSED');
    const r = await validate(revoked);
    expect([r.indication, r.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
    const none = await validate(personal, []);
    expect([none.indication, none.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
  });

  it('works from a copy carried elsewhere, and refuses a damaged copy', async () => {
    const copy = join(services.pki.dir, 'usb-copy');
    cpSync(dir, copy, { recursive: true });
    expect(loadCrlCache(copy)).toHaveLength(2);
    const [entry] = readCrlCacheIndex(copy);
    const file = join(copy, entry!.file);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    try {
      loadCrlCache(copy);
      expect.unreachable();
    } catch (error) {
      expect(isKysoError(error)).toBe(true);
      expect(error).toMatchObject({ code: 'CRL_CACHE_INVALID' });
      expect((error as Error).message).toContain('does not match its SHA-256');
    }
  });

  it('says a directory without an index is not a cache, and requires its options', async () => {
    expect(() => loadCrlCache(services.pki.dir)).toThrow(/is not a CRL cache/);
    await expect(
      updateCrlCache({ dir, certificates: [root], transport: offlineTransport } as never),
    ).rejects.toMatchObject({ code: 'OPTION_INVALID' });
  });
});
