/**
 * Test support for the appearance layer: PNG images made in code (an encoder over node:zlib),
 * JPEGs rendered by poppler's pdftoppm, a pdf-lib document on which appearances are painted the
 * way a viewer paints a widget (BBox through Matrix fitted to the rectangle), and the poppler and
 * qpdf tools that judge the result.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import * as upngModule from '@pdf-lib/upng';
import {
  PDFDict as LibDict,
  type PDFRef as LibRef,
  PDFArray,
  PDFBool,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  type PDFObject,
  type PDFPage,
  PDFRawStream,
} from 'pdf-lib';
import {
  AppearanceStream,
  type FormXObject,
  type ImageAppearance,
  PdfDict,
  PdfName,
  PdfRef,
  PdfString,
  type PdfValue,
} from '../../src/index.js';

// ---------- PNG ----------

const UPNG = (() => {
  let m = upngModule as unknown as { decode?: unknown; default?: unknown };
  while (typeof m.decode !== 'function' && m.default) m = m.default as typeof m;
  return m as unknown as typeof upngModule;
})();

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** An RGBA image in memory. */
export interface Rgba {
  width: number;
  height: number;
  pixels: Uint8Array;
}

export function blank(width: number, height: number): Rgba {
  return { width, height, pixels: new Uint8Array(width * height * 4) };
}

/** Encodes 8-bit RGBA (colour type 6), or RGB (type 2) when `opaque`; optional pHYs. */
export function encodePng(
  img: Rgba,
  options: { opaque?: boolean; phys?: { x: number; y: number; unit: 0 | 1 } } = {},
): Uint8Array {
  const channels = options.opaque ? 3 : 4;
  const raw = new Uint8Array((img.width * channels + 1) * img.height);
  for (let y = 0; y < img.height; y++) {
    raw[y * (img.width * channels + 1)] = 0;
    for (let x = 0; x < img.width; x++)
      for (let c = 0; c < channels; c++)
        raw[y * (img.width * channels + 1) + 1 + x * channels + c] = img.pixels[(y * img.width + x) * 4 + c]!;
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, img.width);
  v.setUint32(4, img.height);
  ihdr[8] = 8;
  ihdr[9] = options.opaque ? 2 : 6;
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (options.phys) {
    const p = new Uint8Array(9);
    const pv = new DataView(p.buffer);
    pv.setUint32(0, options.phys.x);
    pv.setUint32(4, options.phys.y);
    p[8] = options.phys.unit;
    parts.push(chunk('pHYs', p));
  }
  parts.push(chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

function setPixel(img: Rgba, x: number, y: number, rgb: readonly [number, number, number], a = 255) {
  if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
  const i = (Math.floor(y) * img.width + Math.floor(x)) * 4;
  img.pixels.set([rgb[0], rgb[1], rgb[2], a], i);
}

export const BLUE = [20, 40, 200] as const;
export const RED = [220, 20, 30] as const;

/** A handwritten-looking stroke: a thick sine wave across a transparent image. */
export function signatureImage(
  width: number,
  height: number,
  rgb: readonly [number, number, number] = BLUE,
  opaqueBackground = false,
): Rgba {
  const img = blank(width, height);
  if (opaqueBackground) for (let i = 0; i < width * height; i++) img.pixels.set([255, 255, 255, 255], i * 4);
  for (let x = 2; x < width - 2; x++) {
    const y = height / 2 + (height / 3) * Math.sin((x / width) * Math.PI * 3);
    for (let dy = -3; dy <= 3; dy++) for (let dx = -1; dx <= 1; dx++) setPixel(img, x + dx, y + dy, rgb);
  }
  return img;
}

/** A round seal: two rings and a disc in the middle, transparent outside. */
export function sealImage(size: number, rgb: readonly [number, number, number] = RED): Rgba {
  const img = blank(size, size);
  const c = size / 2;
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x + 0.5 - c, y + 0.5 - c);
      if ((r <= c && r >= c * 0.9) || (r <= c * 0.7 && r >= c * 0.65) || r <= c * 0.2)
        setPixel(img, x, y, rgb);
    }
  return img;
}

// ---------- tools ----------

const made: string[] = [];

/** A fresh temporary folder, removed by {@link removeWorkDirs}. */
export function workDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-appearance-'));
  made.push(dir);
  return dir;
}

/** Removes every folder {@link workDir} made (call it in `afterAll`). */
export function removeWorkDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function tool(name: 'pdftotext' | 'pdffonts' | 'pdftoppm' | 'qpdf', args: string[]): string {
  return execFileSync(name, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** qpdf --check: the exit code and output (0 = no errors or warnings). */
export function qpdfCheck(file: string): { status: number; output: string } {
  try {
    return { status: 0, output: execFileSync('qpdf', ['--check', file], { encoding: 'utf8' }) };
  } catch (error) {
    const e = error as { status: number; stdout: string; stderr: string };
    return { status: e.status, output: e.stdout + e.stderr };
  }
}

/** Renders page `page` (its CropBox, as displayed) at `dpi` and returns its RGBA pixels (row 0 at the top). */
export function render(file: string, page = 1, dpi = 72): Rgba {
  const prefix = join(workDir(), 'page');
  tool('pdftoppm', [
    '-cropbox',
    '-r',
    String(dpi),
    '-f',
    String(page),
    '-l',
    String(page),
    '-png',
    '-singlefile',
    file,
    prefix,
  ]);
  const png = readFileSync(`${prefix}.png`);
  const decoded = UPNG.decode(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength));
  return { width: decoded.width, height: decoded.height, pixels: new Uint8Array(UPNG.toRGBA8(decoded)[0]!) };
}

/** The bounding box (pixels, top-left origin) of the pixels for which `test` holds, and their count. */
export function pixelBox(img: Rgba, test: (r: number, g: number, b: number) => boolean) {
  let x1 = Number.POSITIVE_INFINITY;
  let y1 = Number.POSITIVE_INFINITY;
  let x2 = Number.NEGATIVE_INFINITY;
  let y2 = Number.NEGATIVE_INFINITY;
  let count = 0;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 4;
      if (test(img.pixels[i]!, img.pixels[i + 1]!, img.pixels[i + 2]!)) {
        count++;
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x + 1);
        y2 = Math.max(y2, y + 1);
      }
    }
  return { x1, y1, x2, y2, count };
}

export const isBlue = (r: number, g: number, b: number) => b > 120 && b > r + 60 && b > g + 60;
export const isRed = (r: number, g: number, b: number) => r > 120 && r > g + 60 && r > b + 60;

/** Words from `pdftotext -bbox`: text and box in points, origin at the top left of the displayed page. */
export function words(
  file: string,
  page = 1,
): { text: string; x1: number; y1: number; x2: number; y2: number }[] {
  const html = tool('pdftotext', ['-cropbox', '-bbox', '-f', String(page), '-l', String(page), file, '-']);
  const out = [];
  for (const m of html.matchAll(
    /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
  )) {
    out.push({
      text: m[5]!
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"'),
      x1: Number(m[1]),
      y1: Number(m[2]),
      x2: Number(m[3]),
      y2: Number(m[4]),
    });
  }
  return out;
}

/**
 * The smallest baseline greyscale JPEG: one 8×8 block, DC 0 (mid grey, 128), written by hand
 * (pdftoppm -gray still writes three components). One-code Huffman tables: DC category 0 and
 * AC end-of-block, both the 1-bit code 0.
 */
export function greyJpeg(): Uint8Array {
  const counts = `01${'00'.repeat(15)}`;
  const hex = [
    'ffd8', // SOI
    `ffdb004300${'01'.repeat(64)}`, // DQT: all ones
    'ffc0000b080008000801011100', // SOF0: 8 bits, 8×8, one component
    `ffc4001400${counts}00`, // DHT DC 0: one code, category 0
    `ffc4001410${counts}00`, // DHT AC 0: one code, end of block
    'ffda000801010000003f00', // SOS
    '3f', // DC "0", EOB "0", padded with ones
    'ffd9', // EOI
  ].join('');
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** An RGB JPEG made by pdftoppm from a one-page PDF. */
export async function jpegFrom(pdf: Uint8Array): Promise<Uint8Array> {
  const dir = workDir();
  writeFileSync(join(dir, 'in.pdf'), pdf);
  tool('pdftoppm', ['-r', '20', '-jpeg', '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
  return new Uint8Array(readFileSync(join(dir, 'out.jpg')));
}

// ---------- painting a FormXObject with pdf-lib ----------

function toLib(doc: PDFDocument, refs: Map<number, LibRef>, v: PdfValue | AppearanceStream): PDFObject {
  const ctx = doc.context;
  if (v === null) return PDFNull;
  if (typeof v === 'boolean') return v ? PDFBool.True : PDFBool.False;
  if (typeof v === 'number') return PDFNumber.of(v);
  if (v instanceof PdfName) return PDFName.of(v.name);
  if (v instanceof PdfRef) return refs.get(v.num)!;
  if (v instanceof PdfString) return PDFHexString.of(Buffer.from(v.bytes).toString('hex'));
  if (Array.isArray(v)) {
    const a = PDFArray.withContext(ctx);
    for (const x of v) a.push(toLib(doc, refs, x));
    return a;
  }
  if (v instanceof PdfDict) {
    const d = LibDict.withContext(ctx);
    for (const [k, x] of v.map) d.set(PDFName.of(k), toLib(doc, refs, x));
    return d;
  }
  if (v instanceof AppearanceStream) {
    const d = toLib(doc, refs, v.dict) as LibDict;
    d.set(PDFName.of('Length'), PDFNumber.of(v.data.length));
    return PDFRawStream.of(d, v.data);
  }
  throw new Error(`cannot convert ${String(v)}`);
}

/** Copies the form's objects into `doc` (fresh numbers) and returns the form's reference there. */
export function copyForm(doc: PDFDocument, form: FormXObject): LibRef {
  const refs = new Map<number, LibRef>();
  for (const o of form.objects) refs.set(o.ref.num, doc.context.nextRef());
  for (const o of form.objects) doc.context.assign(refs.get(o.ref.num)!, toLib(doc, refs, o.value));
  return refs.get(form.root.num)!;
}

/**
 * Paints `form` on `page` so that its BBox, transformed by its Matrix, fills `rect` (user space):
 * what a viewer does with a widget's normal appearance (ISO 32000-1 §12.5.5, Algorithm 8.1).
 */
export function paintForm(
  doc: PDFDocument,
  page: PDFPage,
  form: FormXObject,
  rect: readonly [number, number, number, number],
) {
  const ref = copyForm(doc, form);
  const [a, b, c, d, e, f] = form.matrix;
  const corners = [
    [0, 0],
    [form.width, 0],
    [0, form.height],
    [form.width, form.height],
  ].map(([x, y]) => [a * x! + c * y! + e, b * x! + d * y! + f]);
  const bx1 = Math.min(...corners.map((p) => p[0]!));
  const by1 = Math.min(...corners.map((p) => p[1]!));
  const bx2 = Math.max(...corners.map((p) => p[0]!));
  const by2 = Math.max(...corners.map((p) => p[1]!));
  const sx = (rect[2] - rect[0]) / (bx2 - bx1);
  const sy = (rect[3] - rect[1]) / (by2 - by1);
  const name = page.node.newXObject('KysoAp', ref);
  const ops = `q ${sx} 0 0 ${sy} ${rect[0] - bx1 * sx} ${rect[1] - by1 * sy} cm /${name.asString().slice(1)} Do Q\n`;
  const stream = doc.context.flateStream(ops);
  page.node.addContentStream(doc.context.register(stream));
}

/** Where `appearance`'s image lies on the page when the appearance fills `view` (unrotated): its imageBox moved to the view. */
export function drawnImageBox(
  view: { x: number; y: number },
  appearance: ImageAppearance,
): { x: number; y: number; width: number; height: number } {
  return {
    x: view.x + appearance.imageBox.x,
    y: view.y + appearance.imageBox.y,
    width: appearance.imageBox.width,
    height: appearance.imageBox.height,
  };
}
