/**
 * Vietnamese text in appearances: a TrueType font embedded as a subset, Type0 / CIDFontType2 with
 * Identity-H, `/W` widths, `/CIDToGIDMap /Identity`, a ToUnicode CMap that maps every CID back to
 * its NFC code point, and a six-letter subset tag on the font name (ISO 32000-1 §9.6.4, §9.7.4,
 * §9.10.3). fontkit parses and subsets the font; kyso writes the PDF objects, because pdf-lib's
 * own Type0 fonts carry a random numeric suffix instead of a subset tag.
 *
 * One glyph per code point, no shaping: fontkit applies no GPOS mark positioning for PDF output,
 * so text is normalised to NFC first and every Vietnamese letter must have a precomposed glyph.
 */
import type * as FontkitModule from '@pdf-lib/fontkit';
import { PdfName, type PdfRef } from '../reader/objects.js';
import { AppearanceError } from './errors.js';
import { fontkitModule } from './fontkit-module.js';
import { bytesString, dict, flateStream, name, type ObjectAllocator } from './xobject.js';

type Fontkit = typeof FontkitModule;
type FontkitFont = ReturnType<Fontkit['create']>;

let fontkitInstance: Fontkit | undefined;

/**
 * fontkit, loaded on first use rather than at module load: in Node it is required only when a
 * font is loaded (importing the package to verify, or to sign without text, does not evaluate it);
 * a browser bundle imports it statically and drops it from a page that loads no font (see
 * `fontkit-module.ts`). The package declares named exports, but its builds export one default
 * object, which CommonJS interop may wrap once more: unwrap until the functions show.
 */
function fontkit(): Fontkit {
  if (!fontkitInstance) {
    let m = fontkitModule() as { create?: unknown; default?: unknown };
    while (typeof m.create !== 'function' && m.default) m = m.default as typeof m;
    fontkitInstance = m as unknown as Fontkit;
  }
  return fontkitInstance;
}

/** OS/2 fsType as fontkit decodes it. */
interface FsType {
  noEmbedding?: boolean;
  viewOnly?: boolean;
  editable?: boolean;
  noSubsetting?: boolean;
  bitmapOnly?: boolean;
}

/** A TrueType font ready to be subset into appearances. Make one with {@link loadFont}. */
export class AppearanceFont {
  /** @internal */
  constructor(
    /** @internal */ readonly font: FontkitFont,
    /** The PostScript name, without a subset tag. */
    readonly postscriptName: string,
  ) {}

  /** Font units per em. */
  get unitsPerEm(): number {
    return this.font.unitsPerEm;
  }

  /** Ascender and descender as fractions of the em (descender negative). */
  get ascent(): number {
    return this.font.ascent / this.font.unitsPerEm;
  }
  get descent(): number {
    return this.font.descent / this.font.unitsPerEm;
  }

  /**
   * The characters of `text` (after NFC) that the font has no glyph for; line breaks are ignored.
   * Empty when the font can draw the text.
   */
  missingCharacters(text: string): string[] {
    const missing = new Set<string>();
    for (const ch of text.normalize('NFC')) {
      if (ch === '\n' || ch === '\r') continue;
      if (!this.font.hasGlyphForCodePoint(ch.codePointAt(0)!)) missing.add(ch);
    }
    return [...missing];
  }

  /** The advance width of `text` (NFC) at `size` points, without kerning. */
  widthOf(text: string, size: number): number {
    let units = 0;
    for (const ch of text.normalize('NFC'))
      units += this.font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth;
    return (units * size) / this.font.unitsPerEm;
  }
}

/**
 * Reads a TrueType (or OpenType with TrueType outlines) font and checks that its licence bits allow
 * embedding a subset: OS/2 `fsType` must not be restricted (bit 1), forbid subsetting (bit 8) or
 * allow bitmaps only (bit 9). Throws `APPEARANCE_FONT_UNREADABLE` or `APPEARANCE_FONT_NOT_EMBEDDABLE`.
 */
export function loadFont(bytes: Uint8Array): AppearanceFont {
  const fk = fontkit(); // outside the try: fontkit failing to load is not an unreadable font
  let font: FontkitFont;
  try {
    font = fk.create(bytes);
  } catch (error) {
    throw new AppearanceError(
      'APPEARANCE_FONT_UNREADABLE',
      'the font cannot be read as TrueType or OpenType',
      {
        cause: error,
        messageVi: 'không đọc được phông chữ (TrueType hoặc OpenType)',
      },
    );
  }
  const f = font as FontkitFont & { 'OS/2'?: { fsType?: FsType } };
  const tables =
    (font as unknown as { directory?: { tables?: Record<string, unknown> } }).directory?.tables ?? {};
  if (!tables.glyf) {
    throw new AppearanceError(
      'APPEARANCE_FONT_UNREADABLE',
      'the font has no TrueType outlines (glyf table); CFF and collections are not supported',
      {
        messageVi:
          'phông chữ không có đường nét TrueType (bảng glyf); phông CFF và tập phông không được hỗ trợ',
      },
    );
  }
  const fsType = f['OS/2']?.fsType ?? {};
  const refusals: string[] = [];
  if (fsType.noEmbedding) refusals.push('restricted licence embedding');
  if (fsType.noSubsetting) refusals.push('no subsetting');
  if (fsType.bitmapOnly) refusals.push('bitmap embedding only');
  const psName = (font.postscriptName ?? 'Font').replace(/[^\x21-\x7e]|[()<>[\]{}/%#]/g, '');
  if (refusals.length > 0) {
    throw new AppearanceError(
      'APPEARANCE_FONT_NOT_EMBEDDABLE',
      `the licence bits of ${psName} (OS/2 fsType) forbid embedding a subset: ${refusals.join(', ')}`,
      {
        messageVi: `bit giấy phép của phông ${psName} (OS/2 fsType) không cho nhúng tập con: ${refusals.join(', ')}`,
      },
    );
  }
  return new AppearanceFont(font, psName || 'Font');
}

/** Text ready for a content stream: the hex string of its CIDs and its width in points. */
export interface EncodedText {
  /** `<…>` with two bytes per CID, for `Tj`. */
  readonly hex: string;
  /** Advance width at the size asked for, in points. */
  readonly width: number;
}

/**
 * The glyphs one appearance uses from an {@link AppearanceFont}. Encode every piece of text first
 * ({@link encode}), then {@link build} the font objects once.
 */
export class FontSubset {
  private readonly subset: ReturnType<FontkitFont['createSubset']>;
  /** CID (= glyph id in the subset) → code point, for ToUnicode. */
  private readonly unicode = new Map<number, number>();
  /** CID → advance width in 1/1000 em. */
  private readonly widths = new Map<number, number>();
  private readonly originalGlyphs: number[] = [];

  constructor(readonly font: AppearanceFont) {
    this.subset = font.font.createSubset();
  }

  /**
   * Normalises `text` to NFC and encodes it. Throws `APPEARANCE_GLYPH_MISSING`, naming the
   * characters, when the font cannot draw some of them.
   */
  encode(text: string, size: number): EncodedText {
    const nfc = text.normalize('NFC');
    const missing = this.font.missingCharacters(nfc);
    if (missing.length > 0) {
      const list = missing.map(describe).join(', ');
      throw new AppearanceError(
        'APPEARANCE_GLYPH_MISSING',
        `the font ${this.font.postscriptName} has no glyph for ${list}`,
        { characters: missing, messageVi: `phông ${this.font.postscriptName} không có hình chữ cho ${list}` },
      );
    }
    const f = this.font.font;
    let hex = '<';
    let units = 0;
    for (const ch of nfc) {
      const cp = ch.codePointAt(0)!;
      const glyph = f.glyphForCodePoint(cp);
      const cid = this.subset.includeGlyph(glyph.id);
      if (!this.unicode.has(cid)) {
        this.unicode.set(cid, cp);
        this.widths.set(cid, Math.round((glyph.advanceWidth * 1000) / f.unitsPerEm));
        this.originalGlyphs.push(glyph.id);
      }
      units += glyph.advanceWidth;
      hex += cid.toString(16).toUpperCase().padStart(4, '0');
    }
    return { hex: `${hex}>`, width: (units * size) / f.unitsPerEm };
  }

  /**
   * The subset tag: six capital letters derived from the font name and the glyphs used, so the same
   * text gives the same file and different subsets in one document get different tags.
   */
  tag(): string {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    const feed = (n: number) => {
      h1 = Math.imul(h1 ^ n, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ n, 0x85ebca6b) >>> 0;
    };
    for (const c of this.font.postscriptName) feed(c.charCodeAt(0));
    for (const g of [...this.originalGlyphs].sort((a, b) => a - b)) feed(g);
    let x = (h1 ^ (h2 >>> 3)) >>> 0;
    let tag = '';
    for (let i = 0; i < 6; i++) {
      tag += String.fromCharCode(65 + (x % 26));
      x = Math.floor(x / 26);
    }
    return tag;
  }

  /** Writes the Type0 font, its CIDFont, descriptor, subset file and ToUnicode; returns the Type0's reference. */
  async build(alloc: ObjectAllocator): Promise<PdfRef> {
    const file = await encodeSubset(this.subset);
    const f = this.font.font;
    const scale = 1000 / f.unitsPerEm;
    const baseFont = `${this.tag()}+${this.font.postscriptName}`;
    const fontFile = alloc.add(flateStream({ Length1: file.length }, file));
    const os2 = (f as unknown as { 'OS/2'?: { sFamilyClass?: number } })['OS/2'];
    const familyClass = (os2?.sFamilyClass ?? 0) >> 8;
    const serif = familyClass >= 1 && familyClass <= 7;
    const fixed = (f as unknown as { post?: { isFixedPitch?: number } }).post?.isFixedPitch ? 1 : 0;
    const flags = (fixed ? 1 : 0) | (serif ? 2 : 0) | 4 | (f.italicAngle !== 0 ? 64 : 0);
    const descriptor = alloc.add(
      dict({
        Type: name('FontDescriptor'),
        FontName: name(baseFont),
        Flags: flags,
        FontBBox: [f.bbox.minX, f.bbox.minY, f.bbox.maxX, f.bbox.maxY].map((v) => Math.round(v * scale)),
        ItalicAngle: f.italicAngle,
        Ascent: Math.round(f.ascent * scale),
        Descent: Math.round(f.descent * scale),
        CapHeight: Math.round((f.capHeight || f.ascent) * scale),
        StemV: 80,
        FontFile2: fontFile,
      }),
    );
    const cids = [...this.widths.keys()].sort((a, b) => a - b);
    const w: (number | number[])[] = [];
    for (const cid of cids) w.push(cid, [this.widths.get(cid)!]);
    const cidFont = alloc.add(
      dict({
        Type: name('Font'),
        Subtype: name('CIDFontType2'),
        BaseFont: name(baseFont),
        CIDSystemInfo: dict({
          Registry: bytesString(ascii('Adobe'), false),
          Ordering: bytesString(ascii('Identity'), false),
          Supplement: 0,
        }),
        FontDescriptor: descriptor,
        DW: 1000,
        W: w,
        CIDToGIDMap: name('Identity'),
      }),
    );
    const toUnicode = alloc.add(flateStream({}, ascii(toUnicodeCMap(this.unicode))));
    return alloc.add(
      dict({
        Type: name('Font'),
        Subtype: name('Type0'),
        BaseFont: name(baseFont),
        Encoding: new PdfName('Identity-H'),
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    );
  }
}

/** The ToUnicode CMap (Adobe technical note 5411): each CID to its code point in UTF-16BE. */
function toUnicodeCMap(map: ReadonlyMap<number, number>): string {
  const entries = [...map.entries()].sort((a, b) => a[0] - b[0]);
  const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  const utf16 = (cp: number) => {
    const s = String.fromCodePoint(cp);
    let out = '';
    for (let i = 0; i < s.length; i++) out += hex4(s.charCodeAt(i));
    return out;
  };
  let body = '';
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    body += `${chunk.length} beginbfchar\n`;
    for (const [cid, cp] of chunk) body += `<${hex4(cid)}> <${utf16(cp)}>\n`;
    body += 'endbfchar\n';
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    `${body}endcmap`,
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
    '',
  ].join('\n');
}

function encodeSubset(subset: { encodeStream(): unknown }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    const stream = subset.encodeStream() as {
      on(event: 'data', f: (b: Uint8Array) => void): typeof stream;
      on(event: 'end', f: () => void): typeof stream;
      on(event: 'error', f: (e: unknown) => void): typeof stream;
    };
    stream
      .on('data', (b: Uint8Array) => parts.push(b))
      .on('end', () => {
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          out.set(p, at);
          at += p.length;
        }
        resolve(out);
      })
      .on('error', reject);
  });
}

const ascii = (s: string) => new TextEncoder().encode(s);

function describe(ch: string): string {
  const cp = ch.codePointAt(0)!;
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const combining = /\p{M}/u.test(ch);
  return `${code} ${combining ? `◌${ch}` : ch}`;
}
