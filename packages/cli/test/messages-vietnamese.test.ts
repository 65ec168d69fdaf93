import { writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import {
  type Certificate,
  type Crl,
  createHttpTransport,
  formatName,
  isKysoError,
  type LocalizedMessage,
  parseCertificate,
  parseCrlDer,
  type Transport,
  validateCertificate,
} from '@kyso/core';
import { type DocumentVerification, evaluateIncomingDocument, RULES } from '@kyso/lifecycle-rules';
import { verifyPdf } from '@kyso/pdf-signature';
import {
  fillTextField,
  formPdf,
  type PkiServices,
  pdfAttacks,
  signedLetters,
  signWithOpensslCms,
  startPkiServices,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';
import { englishIn, vietnameseIn } from './support/language.js';

/**
 * Issue 14, item 5: a Vietnamese message is Vietnamese from end to end, and `--lang en` prints
 * English only. Messages are collected from every catalogue kyso has: the rules' statements, the
 * checks of real reports over testkit-signed letters (valid, tampered, revoked, changed after
 * signing, form filled, revocation unknown, a CRL server that refuses connections), certificate
 * validation failures, errors, the document decisions and the CLI's own text.
 */

/**
 * English that still sits inside Vietnamese messages of `@kyso/pdf-signature/src` (its maintainer
 * changes those strings; see the issue). Each is removed before the check, and each must still
 * occur: when one is fixed, delete it here.
 */
const PENDING_IN_PDF_SIGNATURE: RegExp[] = [];

let services: PkiServices;
let root: Certificate;
let subCa: Certificate;
let crls: Crl[];
const vi: { where: string; text: string }[] = [];
const en: { where: string; text: string }[] = [];
/** Names certificates carry: data, the same in both languages. */
const names: string[] = [];

function collect(where: string, message: LocalizedMessage) {
  vi.push({ where, text: message.vi });
  en.push({ where, text: message.en });
}

/** A loopback port nothing listens on: a CRL or OCSP server that is down. */
let closedPort = 0;
/** Every request goes to the closed port. */
const refusingTransport: Transport = {
  fetch: (request) =>
    createHttpTransport({ timeoutMs: 5000 }).fetch({
      ...request,
      url: request.url.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${closedPort}`),
    }),
};

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  services = await startPkiServices();
  const { pki } = services;
  root = parseCertificate(pki.root.certificate.pem);
  subCa = parseCertificate(pki.subCa.certificate.pem);
  crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
  for (const leaf of Object.values(pki.leaves)) {
    const c = parseCertificate(leaf.pem);
    for (const name of [formatName(c.subject), formatName(c.issuer)]) {
      names.push(name);
      for (const part of name.split(/, (?=[A-Za-z.0-9]+=)/)) names.push(part.slice(part.indexOf('=') + 1));
    }
  }
  names.push('CONG VAN SO');
  const { good: letter, tampered } = await signedLetters(pki);
  const revoked = (await signedLetters(pki, { official: pki.leaves.revokedKeyCompromise })).personalOnly;
  const form = fillTextField(
    await signWithOpensslCms(formPdf(), pki.leaves.personal, [pki.subCa.certificate], 'ChuKyLanhDao'),
    9,
    'UBND TINH PHU THO',
  );
  const cases: [string, Uint8Array, Parameters<typeof verifyPdf>[1]][] = [
    ['valid', letter, { trustAnchors: [root], crls }],
    ['no revocation data', letter, { trustAnchors: [root] }],
    ['soft-fail', letter, { trustAnchors: [root], revocation: 'soft-fail' }],
    ['server down', letter, { trustAnchors: [root], transport: refusingTransport }],
    ['live services', letter, { trustAnchors: [root], transport: createHttpTransport({ timeoutMs: 5000 }) }],
    ['tampered', tampered, { trustAnchors: [root], crls }],
    ['revoked', revoked, { trustAnchors: [root], crls }],
    ['incremental saving attack', pdfAttacks.incrementalSavingAttack(letter), { trustAnchors: [root], crls }],
    ['form filled', form, { trustAnchors: [root], crls }],
    ['untrusted root', letter, { trustAnchors: [subCa], crls }],
  ];
  for (const [name, bytes, options] of cases) {
    const report = await verifyPdf(bytes, options);
    for (const s of report.signatures) for (const c of s.checks) collect(`${name}: ${c.id}`, c.message);
    const decision = evaluateIncomingDocument(
      report as unknown as DocumentVerification,
      { origin: 'electronic' },
      {
        at: '2026-11-20',
        province: 'son-la',
      },
    );
    for (const r of decision.reasons) collect(`${name}: decision`, r);
    if (decision.notice) vi.push({ where: `${name}: notice`, text: decision.notice });
  }
  for (const leaf of ['expired', 'notYetValid', 'wrongKeyUsage', 'impostor'] as const) {
    const l = pki.leaves[leaf as keyof typeof pki.leaves];
    if (!l) continue;
    const report = await validateCertificate({
      certificate: parseCertificate(l.pem),
      trustAnchors: [root],
      intermediates: [subCa],
      crls,
      validationTime: pki.now,
      keyUsage: ['nonRepudiation'],
    });
    for (const c of report.checks) collect(`certificate ${leaf}: ${c.id}`, c.message);
  }
  for (const [name, run] of [
    ['a JPEG as a certificate', () => parseCertificate(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]))],
    [
      'a text file as a PDF',
      () => verifyPdf(new TextEncoder().encode('not a pdf'), { trustAnchors: [root] }),
    ],
    [
      'a bogus revocation mode',
      () =>
        validateCertificate({
          certificate: root,
          trustAnchors: [root],
          validationTime: new Date(0),
          revocation: 'hardfail' as never,
        }),
    ],
    [
      'a server that is down',
      () => refusingTransport.fetch({ purpose: 'crl', url: 'http://127.0.0.1/x.crl', method: 'GET' }),
    ],
  ] as const) {
    try {
      await run();
    } catch (error) {
      if (!isKysoError(error)) throw error;
      collect(`error ${name}: ${error.code}`, { vi: error.messageVi, en: error.message });
    }
  }
  for (const rule of RULES) collect(`rule ${rule.id}`, rule.statement);
  const dir = join(pki.dir, 'cli');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.pdf'), letter);
  writeFileSync(join(dir, 'b.pdf'), tampered);
  writeFileSync(join(dir, 'c.pdf'), 'not a pdf');
  for (const lang of ['vi', 'en'] as const) {
    const c = capture();
    await runCli(
      ['verify', dir, '--trust', pki.root.certificate.certPath, '--offline', '--lang', lang],
      c.io,
    );
    const t = capture();
    await runCli(
      [
        'trust',
        'update',
        '--cache',
        join(dir, `cache-${lang}`),
        '--trust',
        pki.root.certificate.certPath,
        '--cert',
        pki.subCa.certificate.certPath,
        '--lang',
        lang,
      ],
      t.io,
    );
    for (const line of `${c.out()}\n${c.err()}\n${t.out()}`.split('\n').filter(Boolean))
      (lang === 'vi' ? vi : en).push({ where: `kyso (${lang})`, text: line.replace(dir, '<dir>') });
  }
}, 240_000);
afterAll(async () => services?.stop());

describe('every Vietnamese message is Vietnamese (issue 14, item 5)', () => {
  it('collects messages from every catalogue', () => {
    expect(vi.length).toBeGreaterThan(100);
    expect(vi.some((m) => m.where.startsWith('server down'))).toBe(true);
  });

  it('finds no English inside a Vietnamese message', () => {
    const offending = vi
      .map(({ where, text }) => {
        let t = text;
        for (const re of PENDING_IN_PDF_SIGNATURE) t = t.replace(re, ' ');
        return { where, text, english: englishIn(t) };
      })
      .filter((m) => m.english.length > 0);
    expect(offending).toEqual([]);
  });

  it('still meets each English phrase left in pdf-signature (remove it here once translated there)', () => {
    for (const re of PENDING_IN_PDF_SIGNATURE)
      expect(vi.some((m) => new RegExp(re.source).test(m.text))).toBe(true);
  });

  it('says "no CRL covers", "fetch failed" and "connection refused" in Vietnamese', () => {
    const all = vi.map((m) => m.text).join('\n');
    expect(all).toContain('không có CRL nào bao quát chứng thư số này');
    expect(all).toContain('máy chủ từ chối kết nối (ECONNREFUSED)');
    expect(all).not.toMatch(/no CRL covers|fetch failed|connection refused/);
  });

  it('--lang en and English messages hold no Vietnamese (names from certificates aside)', () => {
    const offending = en.filter((m) => !m.where.startsWith('rule ') && vietnameseIn(m.text, names));
    expect(offending).toEqual([]);
  });
});
