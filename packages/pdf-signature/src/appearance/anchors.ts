/**
 * Finding the signer's title and name on a page, to centre the personal signature between them
 * (N30-PL1-1). Text positions come from pdf.js (`pdfjs-dist`, its legacy build for Node), a
 * well-kept reader of PDF text, not from an extractor of kyso's own. pdf.js is large and loaded
 * only when an anchor is looked for; this module is reached from the `node` subpath only.
 *
 * Matching: NFC, lower case (Vietnamese rules), runs of white space as one space; a query with
 * `/` or a line break ("KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC") matches consecutive lines, each part in the
 * next line below, overlapping horizontally.
 *
 * Pairing: the title and the name may also occur in the body ("Kính gửi: Chủ tịch UBND huyện, đồng
 * chí Nguyễn Văn An."), so every match of each is found on the page and the pair kept is one where
 * the name lies below the title on the page as displayed (its top under the title's bottom) and
 * overlaps it horizontally (Phụ lục I centres the name on the title; in a joint document's two
 * columns, each name is under its own title). Among those: a title printed in capitals first (Phụ
 * lục I prints the signer's title in capitals, the body writes "Chủ tịch"), then the nearest pair
 * (the smallest gap: "PHÓ CHỦ TỊCH" rather than "KT. CHỦ TỊCH" for "CHỦ TỊCH"), then the lowest on
 * the page (the signature block ends the letter).
 */
import { AppearanceError } from './errors.js';
import { type PageGeometry, userRectToView, type ViewRect } from './geometry.js';

/** A piece of text found on a page. */
export interface AnchorMatch {
  /** The text as the page has it (NFC), lines joined with `\n`. */
  readonly text: string;
  /** Its box in user space, `[x1 y1 x2 y2]`. */
  readonly rect: readonly [number, number, number, number];
  /** Its box on the page as displayed (points, after `/Rotate`, CropBox offset and UserUnit). */
  readonly view: ViewRect;
}

/** Options of {@link findSignatureAnchors}. */
export interface FindAnchorsOptions {
  /**
   * The page, 1-based. Default: the last page, where Nghị định 30 puts the signature block; only
   * that page is searched (give `page` when an appendix follows the signature block).
   */
  page?: number;
  /** The signer's title as printed, such as "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC". */
  title: string;
  /** The signer's name as printed, such as "Nguyễn Văn An". */
  name: string;
}

/** The anchors of a personal signature. */
export interface SignatureAnchors {
  readonly page: number;
  readonly geometry: PageGeometry;
  readonly title: AnchorMatch;
  readonly name: AnchorMatch;
}

interface Glyphs {
  chars: string[]; // folded characters
  raw: string[]; // original (NFC) characters, same length as chars
  items: number[]; // item index of each character
  offsets: number[]; // offset of each character inside its item's string, in NFC code points
}

interface Item {
  str: string; // NFC
  angle: number;
  along: number;
  baseline: number;
  width: number;
  height: number;
  transform: number[];
}

interface Line {
  angle: number;
  baseline: number;
  height: number;
  items: Item[];
  glyphs: Glyphs;
}

/**
 * Finds the title and the name of the signature block on a page (see the module's comment for the
 * pair chosen when either occurs more than once). Throws `APPEARANCE_TEXT_UNREADABLE` when the page
 * has no text layer or its text cannot be read as Unicode (legacy TCVN3/VNI fonts without
 * ToUnicode), `APPEARANCE_ANCHOR_NOT_FOUND` when either is not there, and
 * `APPEARANCE_ANCHOR_PAIR_NOT_FOUND` when both are but no match of the name lies below a match of
 * the title, overlapping it horizontally.
 */
export async function findSignatureAnchors(
  pdf: Uint8Array,
  options: FindAnchorsOptions,
): Promise<SignatureAnchors> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({
    data: new Uint8Array(pdf), // a copy: pdf.js takes ownership, and a Buffer's slice() shares memory
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pageNumber = options.page ?? doc.numPages;
    if (!(pageNumber >= 1 && pageNumber <= doc.numPages)) {
      throw new AppearanceError(
        'APPEARANCE_INVALID_OPTION',
        `page ${pageNumber} does not exist (1–${doc.numPages})`,
        {
          messageVi: `không có trang ${pageNumber} (1–${doc.numPages})`,
        },
      );
    }
    const page = await doc.getPage(pageNumber);
    const [x1, y1, x2, y2] = page.view as [number, number, number, number];
    const geometry: PageGeometry = {
      cropBox: [x1, y1, x2, y2],
      rotate: page.rotate,
      userUnit: (page as unknown as { userUnit?: number }).userUnit ?? 1,
    };
    const content = await page.getTextContent();
    const items: Item[] = [];
    for (const it of content.items) {
      if (!('str' in it) || it.str.length === 0) continue;
      const [a, b, , , e, f] = it.transform as number[];
      const angle = Math.atan2(b!, a!);
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      items.push({
        str: it.str.normalize('NFC'),
        angle,
        along: cos * e! + sin * f!,
        baseline: -sin * e! + cos * f!,
        width: it.width,
        height: it.height || Math.hypot(a!, b!),
        transform: it.transform as number[],
      });
    }
    checkReadable(items);
    const lines = groupLines(items);
    const titles = findAll(lines, options.title, geometry);
    if (titles.length === 0) throw notFound(options.title);
    const names = findAll(lines, options.name, geometry);
    if (names.length === 0) throw notFound(options.name);
    const chosen = pair(titles, names);
    if (!chosen) {
      throw new AppearanceError(
        'APPEARANCE_ANCHOR_PAIR_NOT_FOUND',
        `"${options.name}" and "${options.title}" are on page ${pageNumber}, but the name is nowhere below the title, overlapping it horizontally`,
        {
          messageVi: `trang ${pageNumber} có "${options.name}" và "${options.title}", nhưng không có chỗ nào họ tên nằm dưới chức vụ và thẳng hàng với chức vụ theo chiều ngang`,
        },
      );
    }
    return { page: pageNumber, geometry, title: chosen.title, name: chosen.name };
  } finally {
    await task.destroy();
  }
}

/** Letters that exist only in Vietnamese (ă â đ ê ô ơ ư and the tone-marked vowels of Latin Extended Additional). */
const VIETNAMESE = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]/u;
/** Latin-1 letters that Vietnamese also uses. */
const VIETNAMESE_LATIN1 = /[àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ]/u;

function checkReadable(items: Item[]): void {
  const text = items.map((i) => i.str).join('');
  const letters = [...text].filter((c) => /\S/u.test(c));
  if (letters.length === 0) {
    throw new AppearanceError(
      'APPEARANCE_TEXT_UNREADABLE',
      'the page has no text layer (a scanned image?): give the signature rectangle instead of anchors',
      { messageVi: 'trang không có lớp chữ (bản quét?): hãy cho vị trí chữ ký thay vì văn bản neo' },
    );
  }
  if (VIETNAMESE.test(text)) return;
  // TCVN3 (ABC) and VNI fonts put Vietnamese letters on Latin-1 code points: ® for đ, ¸ µ ¶ ·
  // ¹ for tone marks, ä ë ï ö ø ñ in VNI. Without ToUnicode they come out as those.
  const legacy = letters.filter((c) => /[\u00a0-\u00ff]/u.test(c) && !VIETNAMESE_LATIN1.test(c)).length;
  if (legacy / letters.length > 0.02) {
    throw new AppearanceError(
      'APPEARANCE_TEXT_UNREADABLE',
      'the page text cannot be read as Unicode: it looks like a legacy TCVN3 (ABC) or VNI font without ToUnicode; give the signature rectangle instead of anchors',
      {
        messageVi:
          'không đọc được chữ trên trang dưới dạng Unicode: có vẻ là phông TCVN3 (ABC) hoặc VNI cũ không có ToUnicode; hãy cho vị trí chữ ký thay vì văn bản neo',
      },
    );
  }
}

function groupLines(items: Item[]): Line[] {
  const lines: Line[] = [];
  for (const item of items) {
    const line = lines.find(
      (l) =>
        Math.abs(l.angle - item.angle) < 0.01 &&
        Math.abs(l.baseline - item.baseline) < 0.3 * Math.max(l.height, item.height),
    );
    if (line) {
      line.items.push(item);
      line.height = Math.max(line.height, item.height);
    } else
      lines.push({
        angle: item.angle,
        baseline: item.baseline,
        height: item.height,
        items: [item],
        glyphs: emptyGlyphs(),
      });
  }
  for (const line of lines) {
    line.items.sort((a, b) => a.along - b.along);
    const g = line.glyphs;
    let end = Number.NEGATIVE_INFINITY;
    line.items.forEach((item, index) => {
      const gap = item.along - end;
      const lastSpace = g.chars.length === 0 || g.chars[g.chars.length - 1] === ' ';
      if (!lastSpace && gap > 0.15 * item.height) push(g, ' ', ' ', index, 0);
      [...item.str].forEach((ch, offset) => {
        for (const folded of ch.toLocaleLowerCase('vi')) push(g, folded, ch, index, offset);
      });
      end = item.along + item.width;
    });
  }
  // Top to bottom in each direction.
  return lines.sort((a, b) =>
    Math.abs(a.angle - b.angle) < 0.01 ? b.baseline - a.baseline : a.angle - b.angle,
  );
}

const emptyGlyphs = (): Glyphs => ({ chars: [], raw: [], items: [], offsets: [] });

function push(g: Glyphs, folded: string, raw: string, item: number, offset: number): void {
  const space = /\s/u.test(folded);
  if (space && (g.chars.length === 0 || g.chars[g.chars.length - 1] === ' ')) return;
  g.chars.push(space ? ' ' : folded);
  g.raw.push(space ? ' ' : raw);
  g.items.push(item);
  g.offsets.push(offset);
}

const fold = (s: string): string => s.normalize('NFC').toLocaleLowerCase('vi').replace(/\s+/gu, ' ').trim();

const notFound = (query: string): AppearanceError =>
  new AppearanceError('APPEARANCE_ANCHOR_NOT_FOUND', `"${query}" was not found on the page`, {
    messageVi: `không tìm thấy "${query}" trên trang`,
  });

/** Letters, some upper case and none lower case: "KT. CHỦ TỊCH", not "Chủ tịch". */
const inCapitals = (text: string): boolean => /\p{Lu}/u.test(text) && !/\p{Ll}/u.test(text);

/** Gaps closer than this (points) are the same gap: the lowest pair is then taken. */
const SAME_GAP = 0.5;

/**
 * The signature block's title and name among every match of each: the name below the title (its
 * top under the title's bottom, as displayed) and overlapping it horizontally; a title in capitals
 * first, then the smallest gap, then the lowest name. `undefined` when no pair is so placed.
 */
function pair(
  titles: readonly AnchorMatch[],
  names: readonly AnchorMatch[],
): { title: AnchorMatch; name: AnchorMatch } | undefined {
  let best: Pair | undefined;
  for (const title of titles) {
    const t = title.view;
    const capitals = inCapitals(title.text);
    for (const name of names) {
      const n = name.view;
      const gap = t.y - (n.y + n.height); // view space: y grows upwards
      if (!(gap > 0)) continue;
      if (!(n.x < t.x + t.width && n.x + n.width > t.x)) continue;
      const candidate = { title, name, capitals, gap };
      if (!best || preferred(candidate, best)) best = candidate;
    }
  }
  return best && { title: best.title, name: best.name };
}

interface Pair {
  title: AnchorMatch;
  name: AnchorMatch;
  capitals: boolean;
  gap: number;
}

function preferred(a: Pair, b: Pair): boolean {
  if (a.capitals !== b.capitals) return a.capitals;
  if (Math.abs(a.gap - b.gap) > SAME_GAP) return a.gap < b.gap;
  return a.name.view.y < b.name.view.y;
}

/** Every match of `query` on the page, from the top; a multi-line query starts once per first line's match. */
function findAll(lines: Line[], query: string, geometry: PageGeometry): AnchorMatch[] {
  const found: AnchorMatch[] = [];
  const parts = query
    .split(/[/\n]/u)
    .map(fold)
    .filter((p) => p.length > 0);
  for (let i = 0; i < lines.length && parts.length > 0; i++) {
    const first = indexOf(lines[i]!, parts[0]!);
    for (const start of first) {
      const matched = [{ line: lines[i]!, start, length: parts[0]!.length }];
      let ok = true;
      for (let p = 1; p < parts.length && ok; p++) {
        ok = false;
        const prev = matched[matched.length - 1]!;
        const prevBox = box(prev.line, prev.start, prev.length);
        for (let j = lines.indexOf(prev.line) + 1; j < lines.length; j++) {
          const line = lines[j]!;
          if (Math.abs(line.angle - prev.line.angle) > 0.01) break;
          if (prev.line.baseline - line.baseline > 3 * Math.max(prev.line.height, line.height)) break;
          const hit = indexOf(line, parts[p]!).find((s) => {
            const b = box(line, s, parts[p]!.length);
            return b.along1 < prevBox.along2 && b.along2 > prevBox.along1;
          });
          if (hit !== undefined) {
            matched.push({ line, start: hit, length: parts[p]!.length });
            ok = true;
            break;
          }
        }
      }
      if (!ok) continue;
      const boxes = matched.map((m) => box(m.line, m.start, m.length));
      const angle = matched[0]!.line.angle;
      const along1 = Math.min(...boxes.map((b) => b.along1));
      const along2 = Math.max(...boxes.map((b) => b.along2));
      const low = Math.min(...boxes.map((b) => b.low));
      const high = Math.max(...boxes.map((b) => b.high));
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const corners = [
        [along1, low],
        [along1, high],
        [along2, low],
        [along2, high],
      ].map(([u, v]) => [cos * u! - sin * v!, sin * u! + cos * v!] as const);
      const rect = [
        Math.min(...corners.map((c) => c[0])),
        Math.min(...corners.map((c) => c[1])),
        Math.max(...corners.map((c) => c[0])),
        Math.max(...corners.map((c) => c[1])),
      ] as const;
      const text = matched
        .map((m) => m.line.glyphs.raw.slice(m.start, m.start + m.length).join(''))
        .join('\n');
      found.push({ text, rect, view: userRectToView(geometry, rect) });
    }
  }
  return found;
}

function indexOf(line: Line, part: string): number[] {
  const text = line.glyphs.chars.join('');
  const found: number[] = [];
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
    // chars are one code unit each after folding except astral letters, which anchors never contain
    found.push(at);
  }
  return found;
}

/** The box of `length` folded characters from `start`, in the line's rotated frame. */
function box(
  line: Line,
  start: number,
  length: number,
): { along1: number; along2: number; low: number; high: number } {
  const g = line.glyphs;
  const edge = (k: number, after: boolean) => {
    const item = line.items[g.items[k]!]!;
    const count = [...item.str].length;
    const offset = g.offsets[k]! + (after ? 1 : 0);
    return item.along + (item.width * offset) / Math.max(1, count);
  };
  const along1 = edge(start, false);
  const along2 = edge(start + length - 1, true);
  return { along1, along2, low: line.baseline - 0.25 * line.height, high: line.baseline + 0.8 * line.height };
}
