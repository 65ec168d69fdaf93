import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate } from '@kyso/core';
import { verifyPdf } from '@kyso/pdf-signature';
import {
  minimalPdf,
  type PkiServices,
  startPkiServices,
  startTimestampAuthority,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

/** `kyso sign` at B-B, then `kyso extend` to B-LTA against live OCSP responders and a TSA; the result passes offline. */

let services: PkiServices;
let tsa: TimestampAuthority;

beforeAll(async () => {
  services = await startPkiServices();
  tsa = await startTimestampAuthority(services.pki);
}, 120_000);
afterAll(async () => {
  await tsa?.stop();
  await services?.stop();
});

describe('kyso extend', () => {
  it('raises a B-B file to B-LTA; the output passes offline with no CRL given', async () => {
    const { pki } = services;
    const dir = pki.dir;
    const input = join(dir, 'extend-in.pdf');
    writeFileSync(input, minimalPdf('EXTEND'));
    const signed = join(dir, 'extend-bb.pdf');
    const trust = ['--trust', pki.root.certificate.certPath];
    const c = capture({});
    const signArgs = [
      'sign',
      input,
      '-o',
      signed,
      '--key',
      pki.leaves.personal.keyPath,
      '--cert',
      pki.leaves.personal.certPath,
    ];
    expect(await runCli([...signArgs, '--cert', pki.subCa.certificate.certPath, ...trust], c.io)).toBe(0);
    expect(c.out()).toContain('Thông tư 41/2017/TT-BTTTT Điều 9');
    const out = join(dir, 'extend-lta.pdf');
    const e = capture({});
    const code = await runCli(
      ['extend', signed, '-o', out, '--level', 'B-LTA', '--tsa', tsa.url, ...trust, '--json'],
      e.io,
    );
    expect(e.err()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(e.out()).added).toEqual(['document-timestamp', 'dss', 'document-timestamp', 'dss']);
    const report = await verifyPdf(new Uint8Array(readFileSync(out)), {
      trustAnchors: [parseCertificate(readFileSync(pki.root.certificate.certPath))],
    });
    expect(report.indication).toBe('TOTAL_PASSED');
  }, 60_000);
});
