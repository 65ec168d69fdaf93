import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, rgb } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AppearanceError,
  AppearanceStream,
  agencySealAppearance,
  attachmentTextAppearance,
  copyTextAppearance,
  formatSigningTime,
  loadFont,
  mmToPt,
  PdfDict,
  PdfName,
  PdfRef,
  personalSignatureAppearance,
  placeInView,
  readImage,
  renumberAppearance,
  sealOverPersonal,
  sealSize,
  textAppearance,
  topRightBox,
  userToView,
  viewToUser,
} from '../src/index.js';
import { defaultFontBytes, loadDefaultFont } from '../src/node.js';
import {
  BLUE,
  drawnImageBox,
  encodePng,
  greyJpeg,
  isBlue,
  isRed,
  jpegFrom,
  paintForm,
  pixelBox,
  qpdfCheck,
  removeWorkDirs,
  render,
  sealImage,
  signatureImage,
  tool,
  words,
  workDir,
} from './support/appearance-kit.js';

const A4: [number, number] = [595.28, 841.89];
const SIGNED_AT = new Date('2026-12-01T02:30:12Z'); // 09:30:12 in Vietnam
// ư ơ đ Đ ạ ầ ẫ ỗ ự ỹ and capitals: words, because pdftotext finds word breaks from gaps.
const VIETNAMESE = 'Đường phố Hạ Long, quần đảo; mẫu mỗi thực sự kỹ lưỡng';
const HEADING = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'ỨNG DỤNG ĐẶC BIỆT ỸỶỴ Ữ Ặ',
];

let dir: string;
beforeAll(() => {
  dir = workDir();
});
afterAll(removeWorkDirs);

async function save(doc: PDFDocument, file: string): Promise<string> {
  const path = join(dir, file);
  writeFileSync(path, await doc.save({ useObjectStreams: false }));
  const check = qpdfCheck(path);
  expect(check.output).toContain('No syntax or stream encoding errors found');
  expect(check.status).toBe(0);
  return path;
}

function appearanceCodeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppearanceError) return error.code;
    throw error;
  }
  return undefined;
}

describe('Vietnamese text in a TrueType subset', () => {
  it('pdftotext returns exactly the Vietnamese input, even when it was given decomposed (NFD)', async () => {
    const font = loadDefaultFont();
    const lines = [VIETNAMESE, ...HEADING, 'Sở Nội vụ tỉnh Lào Cai'.normalize('NFD'), 'Nguyễn Văn An']; // NFD in, NFC out
    const form = await textAppearance({ font, lines, size: 12 });
    const doc = await PDFDocument.create();
    const page = doc.addPage(A4);
    paintForm(doc, page, form, [72, 600, 72 + form.width, 600 + form.height]);
    const file = await save(doc, 'vietnamese.pdf');
    const text = tool('pdftotext', ['-layout', file, '-'])
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    expect(text).toEqual(lines.map((l) => l.normalize('NFC')));
  });

  it('pdffonts shows a CID TrueType font, embedded as a subset with a six-letter tag, with ToUnicode', async () => {
    const form = await copyTextAppearance({
      font: loadDefaultFont(),
      copyForm: 'Sao y',
      agency: 'Văn phòng Ủy ban nhân dân tỉnh',
      signingTime: SIGNED_AT,
    });
    const doc = await PDFDocument.create();
    paintForm(doc, doc.addPage(A4), form, [300, 780, 300 + form.width, 780 + form.height]);
    const file = await save(doc, 'fonts.pdf');
    const rows = tool('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    expect(rows).toHaveLength(1);
    // name type encoding emb sub uni object ID
    expect(rows[0]).toMatch(/^[A-Z]{6}\+LiberationSerif\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/);
  });

  it('writes Type0 / CIDFontType2 with Identity-H, /W, CIDToGIDMap and a ToUnicode to NFC code points', async () => {
    const form = await textAppearance({ font: loadDefaultFont(), lines: ['Đỗ Thị Hữu'.normalize('NFD')] });
    const values = form.objects.map((o) => o.value);
    const dicts = values
      .map((v) => (v instanceof AppearanceStream ? v.dict : v))
      .filter((v) => v instanceof PdfDict);
    const type0 = dicts.find((d) => d.name('Subtype') === 'Type0')!;
    const cid = dicts.find((d) => d.name('Subtype') === 'CIDFontType2')!;
    expect(type0.name('Encoding')).toBe('Identity-H');
    expect(type0.name('BaseFont')).toMatch(/^[A-Z]{6}\+LiberationSerif$/);
    expect(cid.name('CIDToGIDMap')).toBe('Identity');
    expect(Array.isArray(cid.get('W'))).toBe(true);
    const toUnicodeRef = type0.get('ToUnicode') as PdfRef;
    const toUnicode = form.objects.find((o) => o.ref.num === toUnicodeRef.num)!.value as AppearanceStream;
    const { unzlibSync } = await import('fflate');
    const cmap = new TextDecoder().decode(unzlibSync(toUnicode.data));
    for (const ch of 'Đỗ Thị Hữu')
      expect(cmap).toContain(`<${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}>`);
    expect(cmap).not.toContain('<0303>'); // no combining tilde: NFC first
  });

  it('gives the same subset the same tag, and different subsets different tags', async () => {
    const font = loadDefaultFont();
    const tagOf = async (line: string) => {
      const form = await textAppearance({ font, lines: [line] });
      const d = form.objects
        .map((o) => o.value)
        .find((v) => v instanceof PdfDict && v.name('Subtype') === 'Type0') as PdfDict;
      return d.name('BaseFont');
    };
    expect(await tagOf('Sao y')).toBe(await tagOf('Sao y'));
    expect(await tagOf('Sao y')).not.toBe(await tagOf('Sao lục'));
  });

  it('refuses text the font cannot draw, naming the characters', async () => {
    let error: unknown;
    try {
      await textAppearance({ font: loadDefaultFont(), lines: ['Hà Nội 河内 ☃'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppearanceError);
    expect((error as AppearanceError).code).toBe('APPEARANCE_GLYPH_MISSING');
    expect((error as AppearanceError).characters).toEqual(['河', '内', '☃']);
    expect((error as AppearanceError).message).toContain('U+6CB3');
    expect((error as AppearanceError).messageVi).toContain('không có hình chữ');
  });

  it('refuses a font whose OS/2 fsType forbids embedding or subsetting', () => {
    const bytes = defaultFontBytes().slice();
    const view = new DataView(bytes.buffer);
    const tables = view.getUint16(4);
    let os2 = -1;
    for (let i = 0; i < tables; i++) {
      const rec = 12 + i * 16;
      if (String.fromCharCode(...bytes.subarray(rec, rec + 4)) === 'OS/2') os2 = view.getUint32(rec + 8);
    }
    expect(os2).toBeGreaterThan(0);
    expect(loadFont(bytes).postscriptName).toBe('LiberationSerif'); // fsType 0 (installable)
    view.setUint16(os2 + 8, 0x0002); // restricted licence embedding
    expect(appearanceCodeOf(() => loadFont(bytes))).toBe('APPEARANCE_FONT_NOT_EMBEDDABLE');
    view.setUint16(os2 + 8, 0x0100); // no subsetting
    expect(appearanceCodeOf(() => loadFont(bytes))).toBe('APPEARANCE_FONT_NOT_EMBEDDABLE');
    expect(appearanceCodeOf(() => loadFont(new Uint8Array([1, 2, 3, 4])))).toBe('APPEARANCE_FONT_UNREADABLE');
  });
});

describe('Nghị định 30/2020 Phụ lục I text blocks at the top right of page 1', () => {
  it('formats the signing time in ISO 8601 Vietnam time', () => {
    expect(formatSigningTime(SIGNED_AT)).toBe('2026-12-01T09:30:12+07:00');
    expect(formatSigningTime(new Date('2026-12-31T20:00:00Z'))).toBe('2027-01-01T03:00:00+07:00');
  });

  for (const rotate of [0, 90, 180, 270]) {
    it(`draws a copy's text at 10 pt, black, in the top margin at the top right (/Rotate ${rotate}, CropBox off the origin)`, async () => {
      const font = loadDefaultFont();
      const copy = { copyForm: 'Sao y', agency: 'Sở Nội vụ tỉnh Lào Cai', signingTime: SIGNED_AT };
      const cropBox = [30, 40, 30 + A4[0], 40 + A4[1]] as const;
      const geometry = { cropBox, rotate };
      const probe = await copyTextAppearance({ font, ...copy });
      const view = topRightBox(geometry, probe);
      const placed = placeInView(geometry, view);
      const form = await copyTextAppearance({ font, ...copy, matrix: placed.matrix });
      const doc = await PDFDocument.create();
      const page = doc.addPage([cropBox[2] + 30, cropBox[3] + 30]);
      page.setMediaBox(0, 0, cropBox[2] + 30, cropBox[3] + 30);
      page.setCropBox(cropBox[0], cropBox[1], A4[0], A4[1]);
      page.setRotation({ type: 'degrees', angle: rotate } as never);
      doc.registerFontkit(fontkit);
      paintForm(doc, page, form, placed.rect);
      const file = await save(doc, `copy-${rotate}.pdf`);

      const found = words(file);
      expect(found.map((w) => w.text).join(' ')).toBe(
        'Sao y Sở Nội vụ tỉnh Lào Cai 2026-12-01T09:30:12+07:00',
      );
      const pageWidth = rotate % 180 === 0 ? A4[0] : A4[1];
      const right = Math.max(...found.map((w) => w.x2));
      const bottom = Math.max(...found.map((w) => w.y2));
      const top = Math.min(...found.map((w) => w.y1));
      expect(pageWidth - right).toBeGreaterThan(mmToPt(15) - 1); // right margin kept
      expect(pageWidth - right).toBeLessThan(mmToPt(15) + 40); // and at the right
      expect(bottom).toBeLessThan(mmToPt(20)); // inside the top margin
      expect(top).toBeGreaterThan(mmToPt(3) - 1);
      // 10 pt: poppler's word box is the font's ascent to descent at that size.
      for (const w of found) expect(w.y2 - w.y1).toBeCloseTo(10 * (font.ascent - font.descent), 0);
      // black: the text's pixels are dark grey to black, nothing coloured.
      const img = render(file);
      const ink = pixelBox(img, (r, g, b) => r < 128 && g < 128 && b < 128);
      const coloured = pixelBox(img, (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 40);
      expect(ink.count).toBeGreaterThan(200);
      expect(coloured.count).toBe(0);
    });
  }

  it("draws an attachment's number and symbol and signing time as written, never re-cased", async () => {
    const form = await attachmentTextAppearance({
      font: loadDefaultFont(),
      documentNumber: '123/UBND-VP',
      signingTime: SIGNED_AT,
    });
    const geometry = { cropBox: [0, 0, A4[0], A4[1]] as const };
    const placed = placeInView(geometry, topRightBox(geometry, form));
    const doc = await PDFDocument.create();
    paintForm(doc, doc.addPage(A4), form, placed.rect);
    const file = await save(doc, 'attachment.pdf');
    expect(tool('pdftotext', [file, '-']).trim().split('\n')).toEqual([
      '123/UBND-VP',
      '2026-12-01T09:30:12+07:00',
    ]);
  });

  it('refuses a block that does not fit in the top margin', () => {
    const geometry = { cropBox: [0, 0, A4[0], A4[1]] as const };
    expect(appearanceCodeOf(() => topRightBox(geometry, { width: 100, height: 80 }))).toBe(
      'APPEARANCE_DOES_NOT_FIT',
    );
  });
});

describe('page geometry', () => {
  it('maps view space to user space and back for every /Rotate, a CropBox off the origin and a UserUnit', () => {
    for (const rotate of [0, 90, 180, 270, -90, 450])
      for (const userUnit of [1, 2.5]) {
        const page = { cropBox: [100, 50, 700, 900] as const, rotate, userUnit };
        const [ux, uy] = viewToUser(page, 33, 77);
        const [vx, vy] = userToView(page, ux, uy);
        expect(vx).toBeCloseTo(33, 9);
        expect(vy).toBeCloseTo(77, 9);
        const placed = placeInView(page, { x: 10, y: 20, width: 120, height: 40 });
        const [a, b, c, d] = placed.matrix;
        // BBox through Matrix has the Rect's size: no distortion when a viewer fits it.
        const w = Math.abs(a * 120) + Math.abs(c * 40);
        const h = Math.abs(b * 120) + Math.abs(d * 40);
        expect(w).toBeCloseTo(placed.rect[2] - placed.rect[0], 9);
        expect(h).toBeCloseTo(placed.rect[3] - placed.rect[1], 9);
      }
  });

  it('refuses a box off the page', () => {
    const page = { cropBox: [0, 0, 200, 200] as const };
    expect(appearanceCodeOf(() => placeInView(page, { x: 150, y: 10, width: 100, height: 20 }))).toBe(
      'APPEARANCE_DOES_NOT_FIT',
    );
  });
});

describe('signature and seal images', () => {
  const signaturePng = encodePng(signatureImage(400, 150));
  // 36 mm seal at 600 dpi = 850.4 px; 23622 px/m = 600 dpi.
  const sealPng = encodePng(sealImage(850), { phys: { x: 23622, y: 23622, unit: 1 } });

  async function letter(pdfA1: boolean) {
    const personal = personalSignatureAppearance({ image: signaturePng, width: 180, height: 80, pdfA1 });
    expect(personal.warnings).toEqual([]);
    const personalView = { x: 340, y: 200, width: 180, height: 80 };
    const seal = agencySealAppearance({ image: sealPng, pdfA1 });
    expect(seal.size.source).toBe('pHYs');
    expect(seal.size.widthMm).toBeCloseTo(36, 0);
    const drawn = drawnImageBox(personalView, personal);
    const sealView = sealOverPersonal(drawn, seal);
    const geometry = { cropBox: [0, 0, A4[0], A4[1]] as const };
    const doc = await PDFDocument.create();
    const page = doc.addPage(A4);
    paintForm(doc, page, personal, placeInView(geometry, personalView).rect);
    paintForm(doc, page, seal, placeInView(geometry, sealView).rect);
    const file = await save(doc, `letter-${pdfA1 ? 'pdfa1' : 'smask'}.pdf`);
    return { file, personal, seal, personalView, drawn, sealView };
  }

  for (const pdfA1 of [false, true]) {
    it(`paints the blue signature inside its rectangle and the red seal at its size in mm over the left third (${pdfA1 ? 'PDF/A-1 stencil mask' : 'SMask'})`, async () => {
      const { file, personal, seal, personalView, drawn } = await letter(pdfA1);
      const kinds = [...personal.objects, ...seal.objects]
        .map((o) => (o.value instanceof AppearanceStream ? o.value.dict : undefined))
        .filter((d) => d?.name('Subtype') === 'Image');
      expect(kinds.some((d) => d!.get('SMask') !== undefined)).toBe(!pdfA1);
      expect(kinds.some((d) => d!.get('ImageMask') === true)).toBe(pdfA1);

      const img = render(file, 1, 72);
      const top = (y: number, h: number) => A4[1] - y - h; // view y (bottom-left) → pixel row
      const blue = pixelBox(img, isBlue);
      expect(blue.count).toBeGreaterThan(500);
      expect(blue.x1).toBeGreaterThanOrEqual(Math.floor(personalView.x));
      expect(blue.x2).toBeLessThanOrEqual(Math.ceil(personalView.x + personalView.width));
      expect(blue.y1).toBeGreaterThanOrEqual(Math.floor(top(personalView.y, personalView.height)));
      expect(blue.y2).toBeLessThanOrEqual(Math.ceil(top(personalView.y, 0)));
      const red = pixelBox(img, isRed);
      const sealPx = mmToPt(36); // 72 dpi: one pixel a point
      expect(red.x2 - red.x1).toBeGreaterThan(sealPx - 3);
      expect(red.x2 - red.x1).toBeLessThan(sealPx + 3);
      expect(red.y2 - red.y1).toBeGreaterThan(sealPx - 3);
      expect(red.y2 - red.y1).toBeLessThan(sealPx + 3);
      // over about the left third of the personal image
      expect(red.x2).toBeCloseTo(drawn.x + drawn.width / 3, -1);
      // transparent around the rings: the page shows white between the seal's rings
      const centre = { x: Math.round((red.x1 + red.x2) / 2), y: Math.round((red.y1 + red.y2) / 2) };
      const between = ((centre.y - Math.round(sealPx * 0.4)) * img.width + centre.x) * 4;
      expect([...img.pixels.subarray(between, between + 3)].every((c) => c > 100)).toBe(true);
    });
  }

  it('accepts JPEG in RGB and grey with a warning naming the rule, and refuses CMYK', async () => {
    const src = await PDFDocument.create();
    src
      .addPage([200, 100])
      .drawRectangle({ x: 20, y: 20, width: 160, height: 60, color: rgb(0.1, 0.2, 0.8) });
    const pdf = await src.save();
    for (const gray of [false, true]) {
      const jpeg = gray ? greyJpeg() : await jpegFrom(pdf);
      const personal = personalSignatureAppearance({ image: jpeg, width: 100, height: 50 });
      expect(personal.warnings.map((w) => [w.code, w.rule])).toEqual([
        ['APPEARANCE_IMAGE_NOT_PNG', 'N30-PL1-1'],
      ]);
      const image = personal.objects
        .map((o) => o.value)
        .find((v) => v instanceof AppearanceStream && v.dict.name('Subtype') === 'Image') as AppearanceStream;
      expect(image.dict.name('Filter')).toBe('DCTDecode');
      expect(image.dict.name('ColorSpace')).toBe(gray ? 'DeviceGray' : 'DeviceRGB');
      const doc = await PDFDocument.create();
      paintForm(doc, doc.addPage(A4), personal, [100, 100, 200, 150]);
      const img = render(await save(doc, `jpeg-${gray}.pdf`));
      expect(
        pixelBox(img, gray ? (r, g, b) => r > 100 && r < 160 && r === g && g === b : isBlue).count,
      ).toBeGreaterThan(500);
    }
    // SOI, SOF0 with four components (CMYK), EOI: refused from the header alone.
    const cmyk = new Uint8Array([
      0xff, 0xd8, 0xff, 0xc0, 0, 20, 8, 0, 10, 0, 10, 4, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0, 4, 0x11, 0, 0xff,
      0xd9,
    ]);
    expect(appearanceCodeOf(() => readImage(cmyk))).toBe('APPEARANCE_IMAGE_CMYK');
  });

  it('warns, naming Nghị định 30/2020 Phụ lục I, about a PNG without transparency or of the wrong colour', () => {
    const opaque = personalSignatureAppearance({
      image: encodePng(signatureImage(200, 80, BLUE, true), { opaque: true }),
      width: 100,
      height: 40,
    });
    expect(opaque.warnings.map((w) => w.code)).toContain('APPEARANCE_IMAGE_NOT_TRANSPARENT');
    expect(opaque.warnings[0]!.message).toContain('Nghị định 30/2020 Phụ lục I');
    expect(opaque.warnings[0]!.rule).toBe('N30-PL1-1');
    const black = personalSignatureAppearance({
      image: encodePng(signatureImage(200, 80, [10, 10, 10])),
      width: 100,
      height: 40,
    });
    expect(black.warnings.map((w) => [w.code, w.rule])).toEqual([['APPEARANCE_IMAGE_COLOUR', 'N30-PL1-1']]);
    const blueSeal = agencySealAppearance({ image: encodePng(sealImage(300, BLUE)), widthMm: 40 });
    expect(blueSeal.warnings.map((w) => [w.code, w.rule])).toEqual([
      ['APPEARANCE_IMAGE_COLOUR', 'N30-PL1-2'],
    ]);
    expect(agencySealAppearance({ image: encodePng(sealImage(300)), widthMm: 40 }).warnings).toEqual([]);
  });

  it('refuses a 50 MB image before decoding it', () => {
    const huge = new Uint8Array(50 * 1024 * 1024);
    huge.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]); // a PNG signature over garbage
    expect(appearanceCodeOf(() => readImage(huge))).toBe('APPEARANCE_IMAGE_TOO_LARGE');
    expect(appearanceCodeOf(() => readImage(huge.subarray(0, 1000)))).toBe('APPEARANCE_IMAGE_UNREADABLE');
    // a small file that claims 100 000 × 100 000 pixels is refused from its header
    const bomb = encodePng(sealImage(4));
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(16, 100_000);
    new DataView(bomb.buffer, bomb.byteOffset).setUint32(20, 100_000);
    expect(appearanceCodeOf(() => readImage(bomb))).toBe('APPEARANCE_IMAGE_TOO_LARGE');
  });

  it("trusts a PNG's pHYs only in metres and when plausible, and takes the caller's millimetres first", () => {
    const read = (phys?: { x: number; y: number; unit: 0 | 1 }) =>
      readImage(encodePng(sealImage(600), { phys }));
    expect(sealSize(read({ x: 11811, y: 11811, unit: 1 })).widthMm).toBeCloseTo(50.8, 1); // 300 dpi
    expect(appearanceCodeOf(() => sealSize(read({ x: 11811, y: 11811, unit: 0 })))).toBe(
      'APPEARANCE_SEAL_SIZE_UNKNOWN',
    );
    expect(appearanceCodeOf(() => sealSize(read({ x: 1, y: 1, unit: 1 })))).toBe(
      'APPEARANCE_SEAL_SIZE_UNKNOWN',
    );
    expect(appearanceCodeOf(() => sealSize(read({ x: 2835, y: 2835, unit: 1 })))).toBe(
      'APPEARANCE_SEAL_SIZE_UNKNOWN',
    ); // 72 dpi → 212 mm
    expect(appearanceCodeOf(() => sealSize(read()))).toBe('APPEARANCE_SEAL_SIZE_UNKNOWN');
    expect(sealSize(read({ x: 11811, y: 11811, unit: 1 }), { widthMm: 42 })).toEqual({
      widthMm: 42,
      heightMm: 42,
      source: 'caller',
    });
  });
});

describe('copying an appearance into an increment', () => {
  it('renumbers every object and every reference between them, and nothing else', async () => {
    const form = await textAppearance({ font: loadDefaultFont(), lines: ['Ký số'] });
    const moved = renumberAppearance(form, 100);
    expect(moved.objects.map((o) => o.ref.num)).toEqual(form.objects.map((_, i) => 100 + i));
    expect(moved.root.num).toBe(100 + form.objects.findIndex((o) => o.ref === form.root));
    const refs: number[] = [];
    const walk = (v: unknown) => {
      if (v instanceof PdfRef) refs.push(v.num);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v instanceof PdfDict) for (const x of v.map.values()) walk(x);
      else if (v instanceof AppearanceStream) walk(v.dict);
    };
    for (const o of moved.objects) walk(o.value);
    expect(refs.length).toBeGreaterThan(4);
    for (const r of refs) expect(r).toBeGreaterThanOrEqual(100);
    expect((moved.objects[0]!.value as AppearanceStream).dict.get('Subtype')).toEqual(new PdfName('Form'));
  });
});

it('the default font ships in the package with its licence', () => {
  const dirOf = new URL('../fonts/', import.meta.url);
  expect(readFileSync(new URL('LICENSE-LiberationSerif.txt', dirOf), 'utf8')).toContain(
    'SIL OPEN FONT LICENSE Version 1.1',
  );
  expect(defaultFontBytes().length).toBe(393576);
});
