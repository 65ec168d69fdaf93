/**
 * Form XObjects for signature widgets: an image centred in a box, and a block of text lines. Each
 * builder returns a self-contained {@link FormXObject} whose objects the signing engine copies into
 * its increment (after {@link renumberAppearance}).
 */

import { AppearanceError, type AppearanceWarning } from './errors.js';
import { type AppearanceFont, FontSubset } from './font.js';
import type { Matrix } from './geometry.js';
import { type AppearanceImage, type ExpectedColour, imageXObject, readImage } from './image.js';
import { dict, type FormXObject, flateStream, name, num, ObjectAllocator } from './xobject.js';

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

/** Options of {@link imageAppearance}. */
export interface ImageAppearanceOptions {
  /** PNG or JPEG bytes, or an image already read with `readImage`. */
  image: Uint8Array | AppearanceImage;
  /** The box, in points. */
  width: number;
  height: number;
  /**
   * `contain` (default) scales the image to fit inside the box, centred, keeping its aspect ratio;
   * `fill` stretches it to the box (use when the box already has the image's proportions).
   */
  fit?: 'contain' | 'fill';
  /** Warn when the image is not of this colour. Default: no check. */
  expectedColour?: ExpectedColour;
  /** The rule id the warnings name. Default from `expectedColour` (see `readImage`). */
  rule?: string;
  /** Largest image file accepted, in bytes. Default `MAX_IMAGE_BYTES` (10 MiB). */
  maxImageBytes?: number;
  /** No SMask: a transparent PNG becomes a stencil mask in its colour (PDF/A-1). Default false. */
  pdfA1?: boolean;
  /** The form's `/Matrix`, from `placeInView` on rotated pages. Default identity. */
  matrix?: Matrix;
}

/** An image appearance and where the image lies in it. */
export interface ImageAppearance extends FormXObject {
  /** The area the image covers, in form space. */
  readonly imageBox: { x: number; y: number; width: number; height: number };
  /** The image as read (its size, transparency, colour). */
  readonly image: AppearanceImage;
}

/** An image centred in a `width`×`height` point box. */
export function imageAppearance(options: ImageAppearanceOptions): ImageAppearance {
  const { width, height } = positiveBox(options.width, options.height);
  const image =
    options.image instanceof Uint8Array
      ? readImage(options.image, {
          expectedColour: options.expectedColour,
          rule: options.rule,
          maxBytes: options.maxImageBytes,
        })
      : options.image;
  let w = width;
  let h = height;
  if ((options.fit ?? 'contain') === 'contain') {
    const scale = Math.min(width / image.width, height / image.height);
    w = image.width * scale;
    h = image.height * scale;
  }
  const x = (width - w) / 2;
  const y = (height - h) / 2;
  const alloc = new ObjectAllocator();
  const root = alloc.reserve();
  const placed = imageXObject(image, alloc, { pdfA1: options.pdfA1 });
  const content = `q\n${[w, 0, 0, h, x, y].map(num).join(' ')} cm\n${placed.paint('Im0')}Q\n`;
  const matrix = options.matrix ?? IDENTITY;
  alloc.set(root, formStream(width, height, matrix, dict({ XObject: dict({ Im0: placed.ref }) }), content));
  return {
    root,
    objects: alloc.objects(),
    width,
    height,
    matrix,
    warnings: image.warnings,
    imageBox: { x, y, width: w, height: h },
    image,
  };
}

/** Options of {@link textAppearance}. */
export interface TextAppearanceOptions {
  /** The font, from `loadFont` (or `loadDefaultFont` in the `node` subpath). */
  font: AppearanceFont;
  /** The lines, drawn as given (NFC-normalised, never re-cased). */
  lines: readonly string[];
  /** Font size in points. Default 10. */
  size?: number;
  /** Distance between baselines as a multiple of the size. Default 1.15. */
  leading?: number;
  /** `left` (default) or `right` alignment of the lines inside the block. */
  align?: 'left' | 'right';
  /** Fill colour, RGB 0–1. Default black `[0, 0, 0]` (drawn with `0 g`). */
  colour?: readonly [number, number, number];
  /** The form's `/Matrix`, from `placeInView` on rotated pages. Default identity. */
  matrix?: Matrix;
  /** Box size in points; default the text's own size (widest line × lines). */
  width?: number;
  height?: number;
}

/** The size of a block of lines, in points, as {@link textAppearance} lays it out. */
export function measureText(
  font: AppearanceFont,
  lines: readonly string[],
  size = 10,
  leading = 1.15,
): { width: number; height: number } {
  const missing = new Set(lines.flatMap((l) => font.missingCharacters(l)));
  if (missing.size > 0) new FontSubset(font).encode([...missing].join(''), size); // throws, naming them
  const width = Math.max(0, ...lines.map((l) => font.widthOf(l, size)));
  const height = size * (font.ascent - font.descent) + size * leading * Math.max(0, lines.length - 1);
  return { width, height };
}

/** Lines of text in one font, upright, top to bottom; the font embedded as a subset. */
export async function textAppearance(options: TextAppearanceOptions): Promise<FormXObject> {
  const size = options.size ?? 10;
  const leading = options.leading ?? 1.15;
  if (!(size > 0) || !(leading > 0)) {
    throw new AppearanceError(
      'APPEARANCE_INVALID_OPTION',
      `font size ${size} and leading ${leading} must be positive`,
      {
        messageVi: `cỡ chữ ${size} và giãn dòng ${leading} phải dương`,
      },
    );
  }
  if (options.lines.length === 0) {
    throw new AppearanceError('APPEARANCE_INVALID_OPTION', 'a text appearance needs at least one line', {
      messageVi: 'cần ít nhất một dòng chữ',
    });
  }
  const { font } = options;
  const natural = measureText(font, options.lines, size, leading);
  const { width, height } = positiveBox(options.width ?? natural.width, options.height ?? natural.height);
  const subset = new FontSubset(font);
  const colour = options.colour ?? [0, 0, 0];
  const fill = colour.every((c) => c === 0) ? '0 g' : `${colour.map(num).join(' ')} rg`;
  let content = `BT\n/F0 ${num(size)} Tf\n${fill}\n`;
  let baseline = height - size * font.ascent;
  let previous = { x: 0, y: 0 };
  for (const line of options.lines) {
    const text = subset.encode(line, size);
    const x = options.align === 'right' ? width - text.width : 0;
    content += `${num(x - previous.x)} ${num(baseline - previous.y)} Td\n${text.hex} Tj\n`;
    previous = { x, y: baseline };
    baseline -= size * leading;
  }
  content += 'ET\n';
  const alloc = new ObjectAllocator();
  const root = alloc.reserve();
  const fontRef = await subset.build(alloc);
  const matrix = options.matrix ?? IDENTITY;
  alloc.set(root, formStream(width, height, matrix, dict({ Font: dict({ F0: fontRef }) }), content));
  return { root, objects: alloc.objects(), width, height, matrix, warnings: [] as AppearanceWarning[] };
}

function formStream(
  width: number,
  height: number,
  matrix: Matrix,
  resources: ReturnType<typeof dict>,
  content: string,
) {
  return flateStream(
    {
      Type: name('XObject'),
      Subtype: name('Form'),
      FormType: 1,
      BBox: [0, 0, width, height].map(round4),
      Matrix: matrix.every((v, i) => v === IDENTITY[i]) ? undefined : matrix.map(round4),
      Resources: resources,
    },
    new TextEncoder().encode(content),
  );
}

const round4 = (n: number) => Number(num(n));

function positiveBox(width: number, height: number): { width: number; height: number } {
  if (!(width > 0 && height > 0 && Number.isFinite(width) && Number.isFinite(height))) {
    throw new AppearanceError(
      'APPEARANCE_INVALID_OPTION',
      `the box ${width}×${height} pt is not a positive size`,
      {
        messageVi: `khung ${width}×${height} pt không có kích thước dương`,
      },
    );
  }
  return { width, height };
}
