/**
 * The Government's own practice, measured: the last page of Nghị định 50/2026/NĐ-CP as published
 * (`../shared/conformance/pdf/vn-real/diepxuan__50-2026-ND-CP.pdf`), rendered by pdftoppm, where
 * the red seal of "CHÍNH PHỦ" covers the left part of the Deputy Prime Minister's blue signature.
 * kyso's placement (`sealOverPersonal`) must land in the same band.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, run } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import { sealOverPersonal } from '../src/index.js';
import { CORPUS } from './support/corpus.js';

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  n: number;
}

/** The bounding boxes of red and blue ink on a binary PPM page (72 dpi: one pixel, one point). */
function inkBoxes(ppm: Buffer): { red: Box; blue: Box; width: number } {
  let i = 0;
  const token = () => {
    while (ppm[i] === 0x0a || ppm[i] === 0x20) i += 1;
    let s = '';
    while (ppm[i] !== 0x0a && ppm[i] !== 0x20) s += String.fromCharCode(ppm[i++]!);
    return s;
  };
  token(); // P6
  const width = Number(token());
  const height = Number(token());
  token(); // 255
  i += 1;
  const empty = (): Box => ({ x0: Infinity, y0: Infinity, x1: -1, y1: -1, n: 0 });
  const red = empty();
  const blue = empty();
  const add = (b: Box, x: number, y: number) => {
    b.x0 = Math.min(b.x0, x);
    b.y0 = Math.min(b.y0, y);
    b.x1 = Math.max(b.x1, x);
    b.y1 = Math.max(b.y1, y);
    b.n += 1;
  };
  for (let y = 0; y < height; y += 1)
    for (let x = 0; x < width; x += 1) {
      const o = i + 3 * (y * width + x);
      const [r, g, b] = [ppm[o]!, ppm[o + 1]!, ppm[o + 2]!];
      if (r > 150 && g < 90 && b < 90) add(red, x, y);
      if (b > 120 && r < 90 && g < 110 && b - r > 60) add(blue, x, y);
    }
  return { red, blue, width };
}

/** Where the seal's right edge falls across the signature, as a fraction of its width. */
const overlap = (seal: { x1: number }, signature: { x0: number; x1: number }) =>
  (seal.x1 - signature.x0) / (signature.x1 - signature.x0);

describe('the seal over the personal signature, as the Government signs a decree', () => {
  it('covers about the left third of the signature, centred on it: in the decree and in kyso', async () => {
    const dir = makeTempDir('decree-layout');
    const out = join(dir, 'last');
    await run('pdftoppm', [
      '-r',
      '72',
      '-f',
      '30',
      '-l',
      '30',
      '-singlefile',
      join(CORPUS, 'vn-real', 'diepxuan__50-2026-ND-CP.pdf'),
      out,
    ]);
    const { red, blue } = inkBoxes(readFileSync(`${out}.ppm`));
    // Both are there, the seal starting left of the signature and ending inside it.
    expect(red.n).toBeGreaterThan(500);
    expect(blue.n).toBeGreaterThan(100);
    expect(red.x0).toBeLessThan(blue.x0);
    const decree = overlap(red, blue);
    expect(decree).toBeGreaterThan(0.25);
    expect(decree).toBeLessThan(0.5);
    // Vertically, the seal is centred on the signature (within a quarter of the seal's height).
    const centre = (b: Box) => (b.y0 + b.y1) / 2;
    expect(Math.abs(centre(red) - centre(blue))).toBeLessThan((red.y1 - red.y0) / 4);

    // kyso's placement of a 36 mm seal over a signature image of the decree's width.
    const image = { x: blue.x0, y: 600, width: blue.x1 - blue.x0, height: blue.y1 - blue.y0 };
    const seal = sealOverPersonal(image, { width: 102, height: 102 });
    const ours = overlap({ x1: seal.x + seal.width }, { x0: image.x, x1: image.x + image.width });
    expect(ours).toBeGreaterThan(0.25);
    expect(ours).toBeLessThan(0.5);
    expect(seal.x).toBeLessThan(image.x);
    expect(seal.y + seal.height / 2).toBeCloseTo(image.y + image.height / 2);
  });
});
