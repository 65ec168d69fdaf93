import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type PkiServices, signedLetters, startPkiServices } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

let services: PkiServices;
let letter: string;
let cache: string;

beforeAll(async () => {
  services = await startPkiServices();
  const { pki } = services;
  letter = join(pki.dir, 'cong-van.pdf');
  writeFileSync(letter, (await signedLetters(pki)).good);
  cache = join(pki.dir, 'crl-cache');
});
afterAll(async () => services?.stop());

const root = () => services.pki.root.certificate.certPath;
const update = () => [
  'trust',
  'update',
  '--cache',
  cache,
  '--trust',
  root(),
  // The sub-CA (its distribution point names the root's CRL) and a signer (naming the sub-CA's).
  '--cert',
  services.pki.subCa.certificate.certPath,
  '--cert',
  services.pki.leaves.personal.certPath,
];

describe('kyso trust update and kyso verify --crl-cache (issue 14, item 10)', () => {
  it('without revocation data, an offline verification cannot pass (exit 1, INDETERMINATE)', async () => {
    const c = capture();
    expect(await runCli(['verify', letter, '--trust', root(), '--offline'], c.io)).toBe(1);
    expect(c.out()).toContain('CHƯA XÁC ĐỊNH ĐƯỢC');
  });

  it('fetches the CRLs the certificates name from the loopback CRL server into the cache', async () => {
    const c = capture();
    expect(await runCli([...update(), '--lang', 'en'], c.io)).toBe(0);
    expect(c.out()).toMatch(/\/crl\/root\.crl: fetched \(nextUpdate /);
    expect(c.out()).toMatch(/\/crl\/sub-ca\.crl: fetched/);
    expect(c.out()).toContain(`2 CRLs in ${cache}: 2 ready, 0 failed.`);
    expect(existsSync(join(cache, 'index.json'))).toBe(true);
    expect(services.requests.filter((r) => r.startsWith('GET /crl/')).sort()).toEqual([
      'GET /crl/root.crl',
      'GET /crl/sub-ca.crl',
    ]);
  });

  it('does not fetch them again while they are fresh', async () => {
    const before = services.requests.length;
    const c = capture();
    expect(await runCli(update(), c.io)).toBe(0);
    expect(c.out()).toContain('còn hiệu lực, không tải lại');
    expect(services.requests.length).toBe(before);
  });

  it('verifies offline with the cache', async () => {
    const c = capture();
    expect(await runCli(['verify', letter, '--trust', root(), '--offline', '--crl-cache', cache], c.io)).toBe(
      0,
    );
    expect(c.out()).toContain('HỢP LỆ (TOTAL_PASSED)');
  });

  it('verifies with the cache on worker threads too', async () => {
    const c = capture();
    const args = [
      'verify',
      letter,
      letter,
      '--trust',
      root(),
      '--offline',
      '--crl-cache',
      cache,
      '--jobs',
      '2',
    ];
    expect(await runCli(args, c.io)).toBe(0);
    expect(c.out()).toContain('Tổng cộng 2 tệp: 2 đạt, 0 không đạt, 0 không đọc được.');
  });

  it('exits 2 when called wrong: no --cache, a --crl-cache that is not a cache', async () => {
    const a = capture();
    expect(await runCli(['trust', 'update', '--trust', root()], a.io)).toBe(2);
    expect(a.err()).toContain('--cache');
    const b = capture();
    expect(await runCli(['verify', letter, '--trust', root(), '--crl-cache', services.pki.dir], b.io)).toBe(
      2,
    );
    expect(b.err()).toContain('CRL_CACHE_INVALID');
  });
});
