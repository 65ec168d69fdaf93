import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKysoError } from '@kyso/core';
import { minimalPdf } from '@kyso/testkit';
import { degrees, PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEmptySignatureField,
  addSignaturePlaceholder,
  agencySealAppearance,
  mmToPt,
  personalSignatureAppearance,
  sealOverPersonal,
  signPdf,
  verifyPdf,
} from '../src/index.js';
import {
  drawnImageBox,
  encodePng,
  isBlue,
  isRed,
  pixelBox,
  qpdfCheck,
  removeWorkDirs,
  render,
  sealImage,
  signatureImage,
  workDir,
} from './support/appearance-kit.js';
import { useTestPki } from './support/pki.js';

/**
 * Appearances wired into signing: the personal image and the agency seal drawn in the signatures'
 * own widgets (objects renumbered into the increment, streams with /Length, /Rect and /Matrix from
 * placeInView), judged by pdftoppm pixels, pdfsig (NSS db of the test PKI), qpdf --check and
 * verifyPdf.
 */

const env = useTestPki();
let dir: string;
let counter = 0;

beforeAll(() => {
  dir = workDir();
});
afterAll(removeWorkDirs);

function save(bytes: Uint8Array, name: string): string {
  counter += 1;
  const file = join(dir, `${counter}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

async function judged(bytes: Uint8Array, signatures: number): Promise<void> {
  expect(await env.pdfsig(bytes)).toEqual(Array(signatures).fill('Signature is Valid.'));
  const q = qpdfCheck(save(bytes, 'qpdf.pdf'));
  expect(q.output).toContain('No syntax or stream encoding errors');
  expect(q.status).toBe(0);
  const report = await verifyPdf(bytes, { trustAnchors: [env.root], crls: env.crls });
  expect(report.indication).toBe('TOTAL_PASSED');
  expect(report.signatures.map((s) => s.indication)).toEqual(Array(signatures).fill('TOTAL_PASSED'));
  for (const s of report.signatures.slice(0, -1)) expect(s.modifiedAfter).toBe('allowed');
}

const A4 = { width: 595, height: 842 };
const signaturePng = encodePng(signatureImage(400, 150));
const sealPng = encodePng(sealImage(600));

describe('signing with an appearance', () => {
  it('draws the blue personal image in its rectangle, then the red seal at 36 mm over its left third as a second signature; every judge agrees after each', async () => {
    const personalView = { x: 340, y: 200, width: 180, height: 80 };
    const personal = personalSignatureAppearance({
      image: signaturePng,
      width: personalView.width,
      height: personalView.height,
    });
    const first = await signPdf(minimalPdf(), {
      signer: env.signer(env.pki.leaves.personal),
      validation: env.validation,
      fieldName: 'CaNhan',
      visible: { page: 1, appearance: personal, at: personalView },
    });
    await judged(first.bytes, 1);
    const seal = agencySealAppearance({ image: sealPng, widthMm: 36 });
    const drawn = drawnImageBox(personalView, personal);
    const sealView = sealOverPersonal(drawn, seal);
    const second = await signPdf(first.bytes, {
      signer: env.signer(env.pki.leaves.organisation),
      validation: env.validation,
      fieldName: 'CoQuan',
      visible: { page: 1, appearance: seal, at: sealView },
    });
    await judged(second.bytes, 2);

    const img = render(save(second.bytes, 'letter.pdf'), 1, 72);
    expect(img.width).toBe(A4.width);
    const row = (y: number) => A4.height - y; // view y (bottom-left) → pixel row (top-left)
    const blue = pixelBox(img, isBlue);
    expect(blue.count).toBeGreaterThan(500);
    expect(blue.x1).toBeGreaterThanOrEqual(Math.floor(personalView.x));
    expect(blue.x2).toBeLessThanOrEqual(Math.ceil(personalView.x + personalView.width));
    expect(blue.y1).toBeGreaterThanOrEqual(Math.floor(row(personalView.y + personalView.height)));
    expect(blue.y2).toBeLessThanOrEqual(Math.ceil(row(personalView.y)));
    const red = pixelBox(img, isRed);
    const sealPt = mmToPt(36); // 72 dpi: a pixel a point
    expect(Math.abs(red.x2 - red.x1 - sealPt)).toBeLessThan(3);
    expect(Math.abs(red.y2 - red.y1 - sealPt)).toBeLessThan(3);
    // its right edge a third of the way across the drawn personal image
    expect(Math.abs(red.x2 - (drawn.x + drawn.width / 3))).toBeLessThan(3);
    // the seal and the personal image overlap on the page
    expect(red.x2).toBeGreaterThan(blue.x1);
  });

  it('places the appearance upright on a page rotated 90° whose CropBox is not at the origin', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([700, 900]);
    page.setCropBox(50, 30, 595, 842);
    page.setRotation(degrees(90));
    page.drawText('CONG VAN', {
      x: 100,
      y: 700,
      size: 14,
      font: await doc.embedFont(StandardFonts.Helvetica),
    });
    const input = await doc.save({ useObjectStreams: false });
    // Displayed: 842 wide, 595 high.
    const view = { x: 500, y: 150, width: 200, height: 80 };
    const personal = personalSignatureAppearance({
      image: signaturePng,
      width: view.width,
      height: view.height,
    });
    const signed = await signPdf(input, {
      signer: env.signer(env.pki.leaves.personal),
      validation: env.validation,
      visible: { page: 1, appearance: personal, at: view },
    });
    await judged(signed.bytes, 1);
    const img = render(save(signed.bytes, 'rotated.pdf'), 1, 72);
    expect([img.width, img.height]).toEqual([842, 595]);
    const blue = pixelBox(img, isBlue);
    expect(blue.count).toBeGreaterThan(500);
    expect(blue.x1).toBeGreaterThanOrEqual(view.x - 1);
    expect(blue.x2).toBeLessThanOrEqual(view.x + view.width + 1);
    expect(blue.y1).toBeGreaterThanOrEqual(595 - view.y - view.height - 1);
    expect(blue.y2).toBeLessThanOrEqual(595 - view.y + 1);
    // upright: the 400×150 signature is wider than tall as displayed
    expect(blue.x2 - blue.x1).toBeGreaterThan(1.5 * (blue.y2 - blue.y1));
  });

  it('an unsigned visible field laid over the signed widget stays disallowed (Sneaky Signature)', async () => {
    const view = { x: 340, y: 200, width: 180, height: 80 };
    const personal = personalSignatureAppearance({
      image: signaturePng,
      width: view.width,
      height: view.height,
    });
    const signed = await signPdf(minimalPdf(), {
      signer: env.signer(env.pki.leaves.personal),
      validation: env.validation,
      visible: { page: 1, appearance: personal, at: view },
    });
    const overlay = addEmptySignatureField(signed.bytes, {
      fieldName: 'Overlay',
      visible: { page: 1, rect: { x: 340, y: 200, width: 180, height: 80 } },
    });
    const report = await verifyPdf(overlay, { trustAnchors: [env.root], crls: env.crls });
    expect(report.signatures[0]!.modifiedAfter).toBe('disallowed');
    expect(report.indication).toBe('TOTAL_FAILED');
  });

  it('refuses an appearance that leaves the page with APPEARANCE_DOES_NOT_FIT, writing nothing', () => {
    const personal = personalSignatureAppearance({ image: signaturePng, width: 180, height: 80 });
    let code = 'no error';
    try {
      addSignaturePlaceholder(minimalPdf(), {
        fieldName: 'X',
        contentsSize: 8192,
        signingTime: new Date(0),
        visible: { page: 1, appearance: personal, at: { x: 500, y: 10 } },
      });
    } catch (error) {
      if (isKysoError(error)) code = error.code;
      else throw error;
    }
    expect(code).toBe('APPEARANCE_DOES_NOT_FIT');
  });
});
