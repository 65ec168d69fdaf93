import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { degrees, PDFDocument, PDFName, PDFNumber, rgb, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AppearanceError,
  type PageGeometry,
  personalRectBetween,
  personalSignatureAppearance,
  placeInView,
  viewSize,
  viewToUser,
} from '../src/index.js';
import { defaultFontBytes, findSignatureAnchors } from '../src/node.js';
import {
  encodePng,
  isBlue,
  paintForm,
  pixelBox,
  qpdfCheck,
  removeWorkDirs,
  render,
  signatureImage,
  words,
  workDir,
} from './support/appearance-kit.js';

/**
 * The signature block of an official letter (Nghị định 30/2020 layout): "Nơi nhận:" on the left,
 * the title over two lines and the name on the right, and "Giám đốc" once more in the body so
 * that a one-line match would find the wrong place. Text is placed in view space (as displayed)
 * and mapped to user space, so the same letter can sit on a rotated page with an offset CropBox.
 */
async function letter(geometry: PageGeometry): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(defaultFontBytes(), { subset: true });
  const [x1, y1, x2, y2] = geometry.cropBox;
  const page = doc.addPage([x2 + 20, y2 + 20]);
  page.setMediaBox(0, 0, x2 + 20, y2 + 20);
  page.setCropBox(x1, y1, x2 - x1, y2 - y1);
  page.setRotation(degrees(geometry.rotate ?? 0));
  if (geometry.userUnit) page.node.set(PDFName.of('UserUnit'), PDFNumber.of(geometry.userUnit));
  const { height } = viewSize(geometry);
  const text = (s: string, vx: number, vyFromTop: number, size: number) => {
    const [x, y] = viewToUser(geometry, vx, height - vyFromTop);
    page.drawText(s, {
      x,
      y,
      size: size / (geometry.userUnit ?? 1),
      font,
      rotate: degrees(geometry.rotate ?? 0),
    });
  };
  const centred = (s: string, cx: number, vyFromTop: number, size: number) =>
    text(s, cx - font.widthOfTextAtSize(s, size) / 2, vyFromTop, size); // size in points as displayed
  text('Giám đốc Sở Nội vụ đề nghị các đơn vị thực hiện nghiêm túc nội dung trên.', 85, 150, 13);
  text('Nơi nhận:', 85, 300, 12);
  centred('KT. GIÁM ĐỐC', 430, 300, 13);
  text('- Như trên;', 85, 315, 11);
  centred('PHÓ GIÁM ĐỐC', 430, 316, 13);
  text('- Lưu: VT, VP.', 85, 330, 11);
  centred('Nguyễn Văn An', 430, 420, 13);
  return doc.save({ useObjectStreams: false });
}

function codeOf(error: unknown): string | undefined {
  return error instanceof AppearanceError ? error.code : undefined;
}

afterAll(removeWorkDirs);

describe('anchors: the title and the name found with pdf.js', () => {
  const cases: { label: string; geometry: PageGeometry }[] = [
    { label: 'an upright A4 page', geometry: { cropBox: [0, 0, 595.28, 841.89] } },
    {
      label: '/Rotate 90 and a CropBox off the origin',
      geometry: { cropBox: [25, 35, 25 + 841.89, 35 + 595.28], rotate: 90 },
    },
    {
      label: '/Rotate 270 and a CropBox off the origin',
      geometry: { cropBox: [25, 35, 25 + 841.89, 35 + 595.28], rotate: 270 },
    },
  ];
  for (const { label, geometry } of cases) {
    it(`matches across lines after NFC and case folding, and centres the signature between them (${label})`, async () => {
      const pdf = await letter(geometry);
      const anchors = await findSignatureAnchors(pdf, {
        title: 'kt. giám đốc / phó giám đốc',
        name: 'NGUYỄN VĂN AN'.normalize('NFD'),
      });
      expect(anchors.page).toBe(1);
      expect(anchors.geometry.rotate ?? 0).toBe(geometry.rotate ?? 0);
      expect(anchors.title.text).toBe('KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC');
      expect(anchors.name.text).toBe('Nguyễn Văn An');

      // pdftotext -bbox (poppler, in displayed coordinates from the top) agrees on where they are.
      const dir = workDir();
      const file = join(dir, 'letter.pdf');
      writeFileSync(file, pdf);
      const { height } = viewSize(geometry);
      const found = words(file);
      const titleWords = found.filter(
        (w) => ['KT.', 'PHÓ'].includes(w.text) || (w.text === 'ĐỐC' && w.y1 > 280),
      );
      const nameWords = found.filter((w) => ['Nguyễn', 'Văn', 'An'].includes(w.text));
      const box = (ws: typeof found) => ({
        x1: Math.min(...ws.map((w) => w.x1)),
        x2: Math.max(...ws.map((w) => w.x2)),
        top: height - Math.min(...ws.map((w) => w.y1)),
        bottom: height - Math.max(...ws.map((w) => w.y2)),
      });
      for (const [match, ws] of [
        [anchors.title, titleWords],
        [anchors.name, nameWords],
      ] as const) {
        const p = box(ws);
        expect(match.view.x).toBeCloseTo(p.x1, 0);
        expect(match.view.x + match.view.width).toBeCloseTo(p.x2, 0);
        expect(Math.abs(match.view.y - p.bottom)).toBeLessThan(3);
        expect(Math.abs(match.view.y + match.view.height - p.top)).toBeLessThan(3);
      }

      // The personal signature drawn there is blue, between the title and the name, centred on them.
      const view = personalRectBetween(anchors.title.view, anchors.name.view, { width: 150, height: 70 });
      const placed = placeInView(anchors.geometry, view);
      const form = personalSignatureAppearance({
        image: encodePng(signatureImage(300, 140)),
        width: placed.width,
        height: placed.height,
        matrix: placed.matrix,
      });
      const doc = await PDFDocument.load(pdf);
      paintForm(doc, doc.getPage(0), form, placed.rect);
      const signed = join(dir, 'signed.pdf');
      writeFileSync(signed, await doc.save({ useObjectStreams: false }));
      expect(qpdfCheck(signed).status).toBe(0);
      const img = render(signed);
      const blue = pixelBox(img, isBlue);
      expect(blue.count).toBeGreaterThan(300);
      const titleBox = box(titleWords);
      const nameBox = box(nameWords);
      expect(blue.y1).toBeGreaterThan(height - titleBox.bottom); // below the title (pixel rows grow downwards)
      expect(blue.y2).toBeLessThan(height - nameBox.top); // above the name
      expect((blue.x1 + blue.x2) / 2).toBeCloseTo(430, -1); // centred on the title and name (±5 pt)
    });
  }

  it('reads /UserUnit through pdf.js and gives the anchors in points as displayed', async () => {
    // A half-size page in user units with UserUnit 2 displays as A4; the letter is laid out in points.
    const geometry = { cropBox: [0, 0, 595.28 / 2, 841.89 / 2] as const, userUnit: 2 };
    const anchors = await findSignatureAnchors(await letter(geometry), {
      title: 'KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC',
      name: 'Nguyễn Văn An',
    });
    expect(anchors.geometry.userUnit).toBe(2);
    const { height } = viewSize(geometry);
    expect(height).toBeCloseTo(841.89, 6);
    expect(anchors.name.view.x + anchors.name.view.width / 2).toBeCloseTo(430, 0);
    const baseline = height - 420;
    expect(anchors.name.view.y).toBeLessThan(baseline);
    expect(anchors.name.view.y + anchors.name.view.height).toBeGreaterThan(baseline + 8); // 13 pt text, not 6.5
    expect(anchors.title.view.y).toBeGreaterThan(anchors.name.view.y + anchors.name.view.height);
  });

  it('says the text cannot be read when the page uses a legacy TCVN3 font without ToUnicode', async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.TimesRoman);
    const page = doc.addPage([595.28, 841.89]);
    // "Cộng hòa xã hội chủ nghĩa Việt Nam", "KT. GIÁM ĐỐC" in TCVN3 (ABC) code points
    page.drawText('Céng hßa x· héi chñ nghÜa ViÖt Nam', { x: 72, y: 760, size: 13, font });
    page.drawText('KT. GI¸M §èC', { x: 360, y: 300, size: 13, font });
    const error = await findSignatureAnchors(await doc.save(), {
      title: 'KT. GIÁM ĐỐC',
      name: 'Nguyễn Văn An',
    }).catch((e) => e);
    expect(codeOf(error)).toBe('APPEARANCE_TEXT_UNREADABLE');
    expect((error as AppearanceError).message).toContain('TCVN3');
  });

  it('says the text cannot be read when the page has no text layer (a scan)', async () => {
    const doc = await PDFDocument.create();
    doc
      .addPage([595.28, 841.89])
      .drawRectangle({ x: 50, y: 50, width: 400, height: 600, color: rgb(0.9, 0.9, 0.85) });
    const error = await findSignatureAnchors(await doc.save(), {
      title: 'GIÁM ĐỐC',
      name: 'Nguyễn Văn An',
    }).catch((e) => e);
    expect(codeOf(error)).toBe('APPEARANCE_TEXT_UNREADABLE');
  });

  it('names the anchor it cannot find, and does not match lines in the wrong order', async () => {
    const pdf = await letter({ cropBox: [0, 0, 595.28, 841.89] });
    const missing = await findSignatureAnchors(pdf, { title: 'KT. GIÁM ĐỐC', name: 'Trần Thị Bình' }).catch(
      (e) => e,
    );
    expect(codeOf(missing)).toBe('APPEARANCE_ANCHOR_NOT_FOUND');
    expect((missing as AppearanceError).message).toContain('Trần Thị Bình');
    const reversed = await findSignatureAnchors(pdf, {
      title: 'PHÓ GIÁM ĐỐC / KT. GIÁM ĐỐC',
      name: 'Nguyễn Văn An',
    }).catch((e) => e);
    expect(codeOf(reversed)).toBe('APPEARANCE_ANCHOR_NOT_FOUND');
  });
});

/** Lines of text on an upright A4 page, `y` from the top (points), at `x` or centred on `cx`. */
interface Placed {
  s: string;
  y: number;
  x?: number;
  cx?: number;
  size?: number;
}
const A4_HEIGHT = 841.89;

async function page(lines: readonly Placed[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(defaultFontBytes(), { subset: true });
  const p = doc.addPage([595.28, A4_HEIGHT]);
  for (const l of lines) {
    const size = l.size ?? 13;
    const x = l.x ?? l.cx! - font.widthOfTextAtSize(l.s, size) / 2;
    p.drawText(l.s, { x, y: A4_HEIGHT - l.y, size, font });
  }
  return doc.save({ useObjectStreams: false });
}

/** Where `part` starts and ends horizontally in a line of 13 pt text drawn at `x`. */
async function span(line: string, x: number, part: string): Promise<[number, number]> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(defaultFontBytes());
  const start = x + font.widthOfTextAtSize(line.slice(0, line.indexOf(part)), 13);
  return [start, start + font.widthOfTextAtSize(part, 13)];
}

/** The signature block of Phụ lục I on the right: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", the name 104 pt lower. */
const block = (name: string, cx = 430): Placed[] => [
  { s: 'KT. CHỦ TỊCH', cx, y: 300 },
  { s: 'PHÓ CHỦ TỊCH', cx, y: 316 },
  { s: name, cx, y: 420 },
];

/** The centre of a match, and its last line's baseline from the top (the box goes 0.25 em below it; 13 pt text). */
const centreX = (m: { view: { x: number; width: number } }) => m.view.x + m.view.width / 2;
const lineOf = (m: { view: { y: number } }) => A4_HEIGHT - (m.view.y + 0.25 * 13);

describe('anchors: the signature block, not the body, when the title or the name occurs twice', () => {
  it('takes the block when the body names the signer under a lower-case title ("Kính gửi: Chủ tịch …, đồng chí Nguyễn Văn An.")', async () => {
    const pdf = await page([
      { s: 'Kính gửi: Chủ tịch UBND huyện, đồng chí Nguyễn Văn An.', x: 85, y: 180 },
      { s: 'Ủy ban nhân dân tỉnh đề nghị đồng chí triển khai ký số văn bản điện tử./.', x: 85, y: 215 },
      ...block('Nguyễn Văn An'),
    ]);
    for (const title of ['CHỦ TỊCH', 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH', 'chủ tịch']) {
      const anchors = await findSignatureAnchors(pdf, { title, name: 'Nguyễn Văn An' });
      expect(lineOf(anchors.name)).toBeCloseTo(420, 0);
      expect(centreX(anchors.name)).toBeCloseTo(430, 0);
      // "CHỦ TỊCH" alone is the one of "PHÓ CHỦ TỊCH", the nearest to the name.
      expect(lineOf(anchors.title)).toBeCloseTo(316, 0);
      expect(anchors.title.text).toBe(title.includes('/') ? 'KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH' : 'CHỦ TỊCH');
      const rect = personalRectBetween(anchors.title.view, anchors.name.view, { width: 150, height: 70 });
      expect(rect.x + rect.width / 2).toBeCloseTo(430, -1);
    }
  });

  it('prefers the title in capitals: a body line "Chủ tịch" right above a body line naming the signer is not the block', async () => {
    const first = 'Đề nghị Chủ tịch UBND các xã, thị trấn phối hợp với';
    const second = 'đồng chí Nguyễn Văn An triển khai thực hiện./.';
    const [t1, t2] = await span(first, 85, 'Chủ tịch');
    const [n1, n2] = await span(second, 85, 'Nguyễn Văn An');
    expect(n1 < t2 && n2 > t1).toBe(true); // the body's own pair is nearer than the block's
    const pdf = await page([
      { s: first, x: 85, y: 215 },
      { s: second, x: 85, y: 232 },
      ...block('Nguyễn Văn An'),
    ]);
    const anchors = await findSignatureAnchors(pdf, { title: 'CHỦ TỊCH', name: 'Nguyễn Văn An' });
    expect(anchors.title.text).toBe('CHỦ TỊCH');
    expect(lineOf(anchors.title)).toBeCloseTo(316, 0);
    expect(lineOf(anchors.name)).toBeCloseTo(420, 0);

    // With no title in capitals on the page, the nearest pair under the title is taken.
    const lower = await page([
      { s: 'Chủ tịch hội đồng đề nghị các thành viên có ý kiến', x: 380, y: 150 },
      { s: 'Chủ tịch hội đồng', cx: 430, y: 300 },
      { s: 'Nguyễn Văn An', cx: 430, y: 420 },
    ]);
    const nearest = await findSignatureAnchors(lower, { title: 'chủ tịch', name: 'Nguyễn Văn An' });
    expect(lineOf(nearest.title)).toBeCloseTo(300, 0);
  });

  const geometries: PageGeometry[] = [
    { cropBox: [0, 0, 595.28, 841.89] },
    { cropBox: [25, 35, 25 + 841.89, 35 + 595.28], rotate: 90 },
    { cropBox: [25, 35, 25 + 841.89, 35 + 595.28], rotate: 270 },
  ];
  for (const geometry of geometries) {
    it(`takes "GIÁM ĐỐC" of the block's "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", not of the body's "Giám đốc Sở Nội vụ …" (/Rotate ${geometry.rotate ?? 0})`, async () => {
      const pdf = await letter(geometry);
      const anchors = await findSignatureAnchors(pdf, { title: 'GIÁM ĐỐC', name: 'Nguyễn Văn An' });
      const { height } = viewSize(geometry);
      expect(anchors.title.text).toBe('GIÁM ĐỐC');
      const baseline = height - 316; // "PHÓ GIÁM ĐỐC"
      expect(anchors.title.view.y).toBeLessThan(baseline);
      expect(anchors.title.view.y + anchors.title.view.height).toBeGreaterThan(baseline);
      expect(centreX(anchors.title)).toBeGreaterThan(430);
      expect(centreX(anchors.name)).toBeCloseTo(430, 0);
      const rect = personalRectBetween(anchors.title.view, anchors.name.view, { width: 150, height: 70 });
      expect(rect.x + rect.width / 2).toBeCloseTo(430, -1);
    });
  }

  it('takes the column of the given name in a joint document (two titles and two names side by side)', async () => {
    const pdf = await page([
      { s: 'Kính gửi: Ủy ban nhân dân tỉnh Lào Cai.', x: 85, y: 180 },
      ...block('Nguyễn Văn An', 150),
      ...block('Trần Thị Bình', 430),
    ]);
    for (const title of ['KT. CHỦ TỊCH / PHÓ CHỦ TỊCH', 'CHỦ TỊCH']) {
      const right = await findSignatureAnchors(pdf, { title, name: 'Trần Thị Bình' });
      expect(centreX(right.name)).toBeCloseTo(430, 0);
      expect(Math.abs(centreX(right.title) - 430)).toBeLessThan(20);
      expect(lineOf(right.title)).toBeCloseTo(316, 0);
      const left = await findSignatureAnchors(pdf, { title, name: 'Nguyễn Văn An' });
      expect(centreX(left.name)).toBeCloseTo(150, 0);
      expect(Math.abs(centreX(left.title) - 150)).toBeLessThan(20);
      expect(lineOf(left.title)).toBeCloseTo(316, 0);
    }
  });

  it('refuses an inverted pair with APPEARANCE_ANCHOR_PAIR_NOT_FOUND rather than returning it', async () => {
    // The name asked for is only in the body, above the title; the block is signed by someone else.
    const body = await page([
      { s: 'Kính gửi: Chủ tịch UBND huyện, đồng chí Nguyễn Văn An.', x: 85, y: 180 },
      ...block('Trần Thị Bình'),
    ]);
    const error = await findSignatureAnchors(body, {
      title: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH',
      name: 'Nguyễn Văn An',
    }).catch((e) => e);
    expect(codeOf(error)).toBe('APPEARANCE_ANCHOR_PAIR_NOT_FOUND');
    expect((error as AppearanceError).message).toContain('"Nguyễn Văn An"');
    expect((error as AppearanceError).message).toContain('page 1');
    expect((error as AppearanceError).messageVi).toContain('trang 1');

    // The name above the title in the same column, and the name below but in the other column.
    for (const lines of [
      [
        { s: 'Nguyễn Văn An', cx: 430, y: 300 },
        { s: 'GIÁM ĐỐC', cx: 430, y: 420 },
      ],
      [
        { s: 'GIÁM ĐỐC', cx: 150, y: 300 },
        { s: 'Nguyễn Văn An', cx: 430, y: 420 },
      ],
    ]) {
      const inverted = await findSignatureAnchors(await page(lines), {
        title: 'GIÁM ĐỐC',
        name: 'Nguyễn Văn An',
      }).catch((e) => e);
      expect(codeOf(inverted)).toBe('APPEARANCE_ANCHOR_PAIR_NOT_FOUND');
    }
  });
});
