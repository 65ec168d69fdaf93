import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestPki, type SignedLetters, signedLetters, type TestPki } from '@kyso/testkit';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, type PageBuild } from '../browser-verify/build.mjs';
import { createStaticServer } from '../browser-verify/serve.mjs';

const CHROMIUM = '/usr/bin/chromium';
/**
 * A generous bound on the minified bundle: about 230 KB today (see the README). fontkit, which a
 * verify-only page must not carry, would add more than 900 KB back.
 */
const MAX_BUNDLE_BYTES = 500_000;

let pki: TestPki;
let letters: SignedLetters;
let built: PageBuild;
let outdir: string;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error('this test needs Chromium at /usr/bin/chromium: install the Debian package chromium');
  }
  pki = await createTestPki();
  letters = await signedLetters(pki);
  outdir = mkdtempSync(join(tmpdir(), 'kyso-browser-page-'));
  built = await buildPage(outdir);
  console.log(
    `browser bundle: ${built.bytes} bytes minified, ${built.gzipBytes} gzip; largest inputs: ${built.largest
      .slice(0, 4)
      .map((i) => `${i.path} ${i.bytes}`)
      .join(', ')}`,
  );
  server = createStaticServer(outdir);
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM });
});
afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  pki?.cleanup();
});

/** Opens the page with the test root and CRLs chosen, recording every request and console error. */
async function openPage() {
  const page = await browser.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(base);
  await page.waitForSelector('#status[data-state="ready"]', { state: 'attached' });
  await page.setInputFiles('#anchors', {
    name: 'root.pem',
    mimeType: 'application/x-pem-file',
    buffer: Buffer.from(pki.root.certificate.pem),
  });
  await page.setInputFiles('#crls', [
    { name: 'root.crl', mimeType: 'application/pkix-crl', buffer: Buffer.from(pki.root.crlDer) },
    { name: 'sub-ca.crl', mimeType: 'application/pkix-crl', buffer: Buffer.from(pki.subCa.crlDer) },
  ]);
  return { page, requests, errors };
}

/** Drops a file on the drop zone as a user would: a drop event whose DataTransfer holds it. */
async function dropPdf(page: Page, name: string, bytes: Uint8Array) {
  await page.evaluate(
    ({ name, base64 }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], name, { type: 'application/pdf' }));
      const zone = document.getElementById('drop')!;
      zone.dispatchEvent(
        new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }),
      );
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name, base64: Buffer.from(bytes).toString('base64') },
  );
  await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', {
    state: 'attached',
  });
}

async function signatures(page: Page) {
  return page.$$eval('section.sig', (els) =>
    els.map((e) => ({
      index: (e as HTMLElement).dataset.index,
      indication: (e as HTMLElement).dataset.indication,
      modifiedAfter: (e as HTMLElement).dataset.modifiedAfter,
      text: e.textContent ?? '',
      failed: Array.from(e.querySelectorAll('li[data-status="failed"]')).map(
        (li) => (li as HTMLElement).dataset.check,
      ),
    })),
  );
}

describe('verification in the browser (Chromium)', () => {
  it('bundles without Node built-ins, within a generous size bound', () => {
    expect(built.nodeImports).toEqual([]);
    expect(built.bytes).toBeGreaterThan(0);
    expect(built.bytes).toBeLessThan(MAX_BUNDLE_BYTES);
  });

  it('shows both signatures of a letter as valid, and what changed after the first one', async () => {
    const { page, requests, errors } = await openPage();
    await dropPdf(page, 'cong-van.pdf', letters.good);
    expect(await page.textContent('#result h2')).toBe('cong-van.pdf: HỢP LỆ / VALID');
    const sigs = await signatures(page);
    expect(sigs.map((s) => [s.index, s.indication, s.modifiedAfter])).toEqual([
      ['1', 'TOTAL_PASSED', 'allowed'],
      ['2', 'TOTAL_PASSED', 'none'],
    ]);
    expect(sigs[0]!.text).toContain('Người ký / Signer: Nguyễn Văn An — Sở Khoa học và Công nghệ [personal]');
    expect(sigs[0]!.text).toContain('chỉ có những thay đổi được phép / only permitted changes after signing');
    expect(sigs[1]!.text).toContain('Sở Khoa học và Công nghệ tỉnh Phú Thọ');
    expect(errors).toEqual([]);
    // Everything the page loaded came from the loopback server; the PDF went nowhere.
    expect(requests.every((u) => u.startsWith(base))).toBe(true);
    await page.close();
  });

  it('shows a letter changed after signing as invalid, naming the failed checks', async () => {
    const { page, errors } = await openPage();
    await dropPdf(page, 'cong-van-bi-sua.pdf', letters.tampered);
    expect(await page.getAttribute('#result h2', 'data-indication')).toBe('TOTAL_FAILED');
    const sigs = await signatures(page);
    expect(sigs).toHaveLength(2);
    for (const s of sigs) {
      expect(s.indication).toBe('TOTAL_FAILED');
      expect(s.text).toContain('KHÔNG HỢP LỆ / INVALID');
      expect(s.failed.length).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names the error code of a file that is not a PDF', async () => {
    const { page } = await openPage();
    await dropPdf(
      page,
      'anh.jpg.pdf',
      new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]),
    );
    expect(await page.getAttribute('#error', 'data-code')).toBe('PDF_NOT_PDF');
    await page.close();
  });
});
