import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate, parseCrlDer } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import { mmToPt, signAgency, signPersonal, verifyPdf } from '@kyso/pdf-signature';
import { defaultFontBytes, findSignatureAnchors, loadDefaultFont } from '@kyso/pdf-signature/node';
import {
  createNssSigner,
  createTestPki,
  type IssuedCertificate,
  OFFICIAL_LETTER_LAYOUT as L,
  type NssSigner,
  officialLetterPdf,
  pdfsigVerdicts,
  run,
  softwareKey,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPng, signaturePng } from './png.js';

/**
 * examples/official-letter: a Vietnamese công văn signed by the Vice-Chairman (personal signature
 * between his title and name), then issued by the văn thư (seal over the left third, number and
 * date in the agency's own widgets). Judged by pdfsig, qpdf, pdftotext, pdffonts, pdftoppm pixels
 * and kyso's verifier. Set KYSO_EXAMPLE_OUT to a file path to keep the issued letter.
 */

let pki: TestPki;
let nss: NssSigner;
let dir: string;

beforeAll(async () => {
  pki = await createTestPki();
  nss = await createNssSigner(pki, []);
  dir = mkdtempSync(join(tmpdir(), 'kyso-official-letter-'));
}, 120_000);
afterAll(() => {
  nss?.cleanup();
  pki?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const signerOf = (leaf: IssuedCertificate) => createSoftwareSigner(softwareKey(pki, leaf));
const pdfsig = (file: string) => pdfsigVerdicts(file, { nss });

/** Page 1 at 72 dpi as RGB (pdftoppm's PPM), one pixel a point. */
async function render(file: string) {
  const prefix = join(dir, 'render');
  await run('pdftoppm', ['-r', '72', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
  const ppm = readFileSync(`${prefix}.ppm`);
  const header = ppm.toString('latin1', 0, 32).match(/^P6\s+(\d+)\s+(\d+)\s+255\s/)!;
  return { width: Number(header[1]), height: Number(header[2]), data: ppm.subarray(header[0].length) };
}

function box(img: Awaited<ReturnType<typeof render>>, test: (r: number, g: number, b: number) => boolean) {
  let [x1, y1, x2, y2, n] = [Infinity, Infinity, -Infinity, -Infinity, 0];
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 3;
      if (!test(img.data[i]!, img.data[i + 1]!, img.data[i + 2]!)) continue;
      n++;
      [x1, y1, x2, y2] = [Math.min(x1, x), Math.min(y1, y), Math.max(x2, x + 1), Math.max(y2, y + 1)];
    }
  return { x1, y1, x2, y2, n };
}
const blue = (r: number, g: number, b: number) => b > 120 && b > r + 60 && b > g + 60;
const red = (r: number, g: number, b: number) => r > 120 && r > g + 60 && r > b + 60;

describe('examples/official-letter', () => {
  it('the leader signs, the văn thư issues with number and date; every signature valid after each step', async () => {
    const trustAnchors = [parseCertificate(pki.root.certificate.pem)];
    const crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
    const validation = { trustAnchors, crls, revocation: 'hard-fail' as const };

    const letter = await officialLetterPdf(defaultFontBytes());
    const anchors = await findSignatureAnchors(letter, { title: L.title, name: L.name });
    const signed = await signPersonal(letter, {
      signer: signerOf(pki.leaves.personal),
      validation,
      fieldName: 'ChuKyLanhDao',
      image: signaturePng(),
      placement: { anchors, width: 170, height: 64 },
    });
    const signedFile = join(dir, 'signed.pdf');
    writeFileSync(signedFile, signed.bytes);
    expect(await pdfsig(signedFile)).toEqual(['Signature is Valid.']);

    const issued = await signAgency(signed.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: validation,
      fieldName: 'ChuKyCoQuan',
      appearance: {
        kind: 'seal',
        seal: sealPng(),
        sealMm: 36,
        font: loadDefaultFont(),
        documentNumber: { text: '125/UBND-VP', page: L.numberAt.page, at: L.numberAt },
        documentDate: { date: '2026-12-01', page: L.dateAt.page, at: L.dateAt },
      },
    });
    const file = join(dir, 'issued.pdf');
    writeFileSync(file, issued.bytes);
    if (process.env.KYSO_EXAMPLE_OUT) copyFileSync(file, process.env.KYSO_EXAMPLE_OUT);

    expect(await pdfsig(file)).toEqual(Array(4).fill('Signature is Valid.'));
    expect((await run('qpdf', ['--check', file])).stdout).toContain('No syntax or stream encoding errors');
    const report = await verifyPdf(issued.bytes, validation);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => s.signer.kind)).toEqual([
      'personal',
      'organisation',
      'organisation',
      'organisation',
    ]);
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');

    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    for (const s of [
      'ỦY BAN NHÂN DÂN',
      'Độc lập - Tự do - Hạnh phúc',
      '125/UBND-VP',
      'ngày 01 tháng 12 năm 2026',
      'PHÓ CHỦ TỊCH',
      'Nguyễn Văn An',
    ])
      expect(text).toContain(s);
    // Every font embedded; the number's and date's (kyso's) as tagged CID subsets. The letter's own
    // font is pdf-lib's, embedded as a subset without a tag.
    const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
    for (const row of fonts) expect(row).toMatch(/\s(CID )?TrueType.*\syes\s+(yes|no)\s+yes\s/);
    const kyso = fonts.filter((row) => /^[A-Z]{6}\+LiberationSerif\s/.test(row));
    expect(kyso).toHaveLength(2);
    for (const row of kyso) expect(row).toMatch(/\sIdentity-H\s+yes\s+yes\s+yes\s/);

    const img = await render(file);
    const b = box(img, blue);
    const r = box(img, red);
    expect(b.n).toBeGreaterThan(300);
    // the signature between the title and the name
    expect(b.y1).toBeGreaterThanOrEqual(L.pageHeight - anchors.title.view.y);
    expect(b.y2).toBeLessThanOrEqual(L.pageHeight - anchors.name.view.y - anchors.name.view.height);
    // the seal at 36 mm, over the left third of the signature
    expect(Math.abs(r.x2 - r.x1 - mmToPt(36))).toBeLessThan(3);
    expect(Math.abs(r.x2 - (b.x1 + (b.x2 - b.x1) / 3))).toBeLessThan(6);
  });

  it('certified: the leader certifies (DocMDP /P 2) with the agency fields reserved, the văn thư fills them', async () => {
    const trustAnchors = [parseCertificate(pki.root.certificate.pem)];
    const crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
    const validation = { trustAnchors, crls, revocation: 'hard-fail' as const };
    const letter = await officialLetterPdf(defaultFontBytes());
    const anchors = await findSignatureAnchors(letter, { title: L.title, name: L.name });
    // Boxes for the number and the date, after "Số:" and after "Lào Cai,", one 13 pt line high.
    const line = (at: { page: number; x: number; y: number }, width: number) => ({
      page: at.page,
      rect: { x: at.x, y: at.y - 2, width, height: 19 },
    });
    const signed = await signPersonal(letter, {
      signer: signerOf(pki.leaves.personal),
      validation,
      certify: 2,
      image: signaturePng(),
      placement: { anchors, width: 170, height: 64 },
      agencyFields: {
        sealMm: 36,
        number: line(L.numberAt, 150),
        date: line(L.dateAt, 190),
        lock: { action: 'All' },
      },
    });
    const issued = await signAgency(signed.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: validation,
      lock: { action: 'All' },
      appearance: {
        kind: 'seal',
        seal: sealPng(),
        sealMm: 36,
        font: loadDefaultFont(),
        documentNumber: { text: '125/UBND-VP' },
        documentDate: { date: '2026-12-01' },
      },
    });
    const file = join(dir, 'issued-certified.pdf');
    writeFileSync(file, issued.bytes);
    expect(await pdfsig(file)).toEqual(Array(4).fill('Signature is Valid.'));
    expect((await run('qpdf', ['--check', file])).stdout).toContain('No syntax or stream encoding errors');
    const report = await verifyPdf(issued.bytes, validation);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => [s.fieldName, s.modifiedAfter])).toEqual([
      ['Signature1', 'allowed'],
      ['CoQuan', 'allowed'],
      ['CoQuan_SoKyHieu', 'allowed'],
      ['CoQuan_NgayThang', 'none'],
    ]);
    const text = (await run('pdftotext', ['-layout', file, '-'])).stdout;
    expect(text).toContain('125/UBND-VP');
    expect(text).toContain('ngày 01 tháng 12 năm 2026');
    const img = await render(file);
    const b = box(img, blue);
    const r = box(img, red);
    expect(Math.abs(r.x2 - r.x1 - mmToPt(36))).toBeLessThan(3);
    expect(Math.abs(r.x2 - (b.x1 + (b.x2 - b.x1) / 3))).toBeLessThan(6);
  });
});
