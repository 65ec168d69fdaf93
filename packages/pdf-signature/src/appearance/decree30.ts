/**
 * The visible signatures of Nghị định 30/2020/NĐ-CP, Phụ lục I (and one provincial addition).
 *
 * The rules below are kyso's graded restatements of Phụ lục I, ids N30-PL1-* in kyso's legal
 * extract: the national text was read through provincial regulations that restate it (Đồng Tháp
 * QĐ 144/2025 Đ13) and public summaries, so each carries a confidence grade (B: restated, C:
 * provincial only). They are not the decree's own words.
 *
 * - N30-PL1-1: the personal signature is the person's handwritten signature, blue, PNG with a
 *   transparent background, centred between the signer's title and name.
 * - N30-PL1-2: the agency signature is the seal, red, PNG transparent, at the seal's actual size,
 *   covering about the left third of the personal signature image.
 * - N30-PL1-4/5/6: on a copy or a separate attachment, the agency signature is at the top right of
 *   the first page, no image, text only: Times New Roman, lowercase (the caller's text, never
 *   re-cased), upright, 10 pt, black; a copy shows the copy form, the copying agency and the
 *   signing time; an attachment its document's number and symbol and the signing time (ISO 8601,
 *   Vietnam time, `+07:00`).
 * - N30-PL1-10 (provincial, grade C: Lào Cai QĐ 52/2019 Đ5 k2b): an urgent document gets an extra
 *   agency signature at the urgency mark, with the red urgency-stamp image at its actual size.
 *   Opt-in: other provinces have no such rule.
 */

import { type ImageAppearance, imageAppearance, textAppearance } from './appearance.js';
import { AppearanceError } from './errors.js';
import type { AppearanceFont } from './font.js';
import { type Matrix, mmToPt, type ViewRect } from './geometry.js';
import { type AppearanceImage, readImage } from './image.js';
import type { FormXObject } from './xobject.js';

/** Font size of the copy and attachment text, in points (Phụ lục I: cỡ chữ 10). */
export const DECREE30_TEXT_SIZE = 10;

/** Common options of the image kinds. */
export interface Decree30ImageOptions {
  /** Largest image file accepted, in bytes. Default 10 MiB. */
  maxImageBytes?: number;
  /** PDF/A-1 target: a stencil mask in the image's colour instead of an SMask. Default false. */
  pdfA1?: boolean;
  /** The form's `/Matrix`, from `placeInView` on rotated pages. Default identity. */
  matrix?: Matrix;
}

/** Options of {@link personalSignatureAppearance}. */
export interface PersonalSignatureOptions extends Decree30ImageOptions {
  /** The handwritten-signature image: PNG with a transparent background, blue (N30-PL1-1). */
  image: Uint8Array;
  /** The rectangle's size in points; the image is centred in it, aspect ratio kept. */
  width: number;
  height: number;
}

/**
 * The competent person's signature: the handwritten image centred in a `width`×`height` box.
 * A JPEG, a PNG without transparency or an image that is not blue gives a warning naming N30-PL1-1.
 */
export function personalSignatureAppearance(options: PersonalSignatureOptions): ImageAppearance {
  return imageAppearance({ ...options, expectedColour: 'blue', rule: 'N30-PL1-1' });
}

/** A seal's printed size. */
export interface SealSize {
  readonly widthMm: number;
  readonly heightMm: number;
  /** Where the size came from: the caller, or the PNG's `pHYs` chunk in pixels per metre. */
  readonly source: 'caller' | 'pHYs';
}

/** Options of {@link sealSize}. */
export interface SealSizeOptions {
  /** The seal's width in mm (a round seal: its diameter). Height follows the image's aspect ratio. */
  widthMm?: number;
  /** The smallest and largest width a seal may plausibly have, in mm. Default 15 and 80. */
  plausibleMm?: readonly [number, number];
}

/**
 * The seal's actual size: the caller's `widthMm`, else the PNG's `pHYs` when its unit is the metre
 * and the size it gives is plausible (15–80 mm wide, 72–2400 dpi). Throws
 * `APPEARANCE_SEAL_SIZE_UNKNOWN` otherwise, asking for the size in mm.
 */
export function sealSize(image: AppearanceImage, options: SealSizeOptions = {}): SealSize {
  const aspect = image.height / image.width;
  const [least, most] = options.plausibleMm ?? [15, 80];
  if (options.widthMm !== undefined) {
    if (!(options.widthMm > 0) || !Number.isFinite(options.widthMm)) {
      throw new AppearanceError(
        'APPEARANCE_INVALID_OPTION',
        `a seal ${options.widthMm} mm wide is not a size`,
        {
          messageVi: `con dấu rộng ${options.widthMm} mm không phải một kích thước hợp lệ`,
        },
      );
    }
    return { widthMm: options.widthMm, heightMm: options.widthMm * aspect, source: 'caller' };
  }
  const ppm = image.pixelsPerMetre;
  if (ppm) {
    const dpiX = ppm.x * 0.0254;
    const dpiY = ppm.y * 0.0254;
    const widthMm = (image.width / ppm.x) * 1000;
    const heightMm = (image.height / ppm.y) * 1000;
    const plausible = [dpiX, dpiY].every((d) => d >= 72 && d <= 2400) && widthMm >= least && widthMm <= most;
    if (plausible) return { widthMm, heightMm, source: 'pHYs' };
  }
  throw new AppearanceError(
    'APPEARANCE_SEAL_SIZE_UNKNOWN',
    ppm
      ? `the seal image's resolution (pHYs) gives an implausible size; give the seal's width in millimetres`
      : `the seal image does not state its resolution in pixels per metre; give the seal's width in millimetres`,
    {
      messageVi: ppm
        ? 'độ phân giải của ảnh con dấu (pHYs) cho kích thước không hợp lý; hãy cho biết chiều rộng con dấu theo milimét'
        : 'ảnh con dấu không ghi độ phân giải theo điểm ảnh trên mét; hãy cho biết chiều rộng con dấu theo milimét',
    },
  );
}

/** Options of {@link agencySealAppearance} and {@link urgentStampAppearance}. */
export interface SealAppearanceOptions extends Decree30ImageOptions, SealSizeOptions {
  /** The seal (or stamp) image: PNG with a transparent background, red. */
  image: Uint8Array;
}

/** A seal appearance and the size it was drawn at. */
export interface SealAppearance extends ImageAppearance {
  readonly size: SealSize;
}

function sealLike(options: SealAppearanceOptions, rule: string): SealAppearance {
  const image = readImage(options.image, { expectedColour: 'red', rule, maxBytes: options.maxImageBytes });
  const size = sealSize(image, options);
  const appearance = imageAppearance({
    ...options,
    image,
    width: mmToPt(size.widthMm),
    height: mmToPt(size.heightMm),
    fit: 'fill',
  });
  return { ...appearance, size };
}

/**
 * The agency's signature: the red seal at its actual size in mm (N30-PL1-2). Place it with
 * {@link sealOverPersonal}. Warnings name N30-PL1-2.
 */
export function agencySealAppearance(options: SealAppearanceOptions): SealAppearance {
  return sealLike(options, 'N30-PL1-2');
}

/**
 * The urgency stamp of an urgent document, at its actual size: a provincial rule (Lào Cai QĐ
 * 52/2019 Đ5 k2b, kyso rule N30-PL1-10, grade C), opt-in. Warnings name N30-PL1-10.
 */
export function urgentStampAppearance(options: SealAppearanceOptions): SealAppearance {
  return sealLike(options, 'N30-PL1-10');
}

/**
 * Where the seal goes (view space): over about the left third of the personal signature image,
 * centred on it vertically, so that the seal's right edge is a third of the way across the image
 * (N30-PL1-2). `personalImage` is the personal image's drawn area on the page (the widget's
 * rectangle offset by `imageBox`).
 */
export function sealOverPersonal(personalImage: ViewRect, seal: { width: number; height: number }): ViewRect {
  return {
    x: personalImage.x + personalImage.width / 3 - seal.width,
    y: personalImage.y + personalImage.height / 2 - seal.height / 2,
    width: seal.width,
    height: seal.height,
  };
}

/**
 * A signing time as Phụ lục I shows it: ISO 8601 in Vietnam time, `2026-12-01T09:30:12+07:00`
 * (Vietnam keeps UTC+7 all year). Give it the time written in the signature's `/M`.
 */
export function formatSigningTime(time: Date): string {
  if (Number.isNaN(time.getTime())) {
    throw new AppearanceError('APPEARANCE_INVALID_OPTION', 'the signing time is not a valid date', {
      messageVi: 'thời gian ký không phải một ngày hợp lệ',
    });
  }
  const t = new Date(time.getTime() + 7 * 3600 * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}+07:00`;
}

/** Common options of the text kinds. */
export interface Decree30TextOptions {
  /** The font: Times New Roman or one with its metrics (`loadDefaultFont()` gives Liberation Serif). */
  font: AppearanceFont;
  /** The signing time, equal to the signature's `/M`. */
  signingTime: Date;
  /** The form's `/Matrix`, from `placeInView` on rotated pages. Default identity. */
  matrix?: Matrix;
}

/** Options of {@link copyTextAppearance}. */
export interface CopyTextOptions extends Decree30TextOptions {
  /** The copy form as the caller writes it, such as "Sao y", "Sao lục", "Trích sao". */
  copyForm: string;
  /** The copying agency's name, as the caller writes it. */
  agency: string;
}

/** Options of {@link attachmentTextAppearance}. */
export interface AttachmentTextOptions extends Decree30TextOptions {
  /** The document's number and symbol, such as "123/UBND-VP". */
  documentNumber: string;
}

/** The lines a copy shows: copy form, copying agency, signing time (N30-PL1-6). */
export function copyTextLines(options: Omit<CopyTextOptions, 'font' | 'matrix'>): string[] {
  return [options.copyForm, options.agency, formatSigningTime(options.signingTime)];
}

/** The lines an attachment shows: number and symbol, signing time (N30-PL1-4, N30-PL1-5). */
export function attachmentTextLines(options: Omit<AttachmentTextOptions, 'font' | 'matrix'>): string[] {
  return [options.documentNumber, formatSigningTime(options.signingTime)];
}

/**
 * The agency's signature on an electronic copy (sao y, sao lục, trích sao; N30-PL1-6): three lines
 * of 10 pt black upright text, the caller's text untransformed. Place it with `topRightBox` on
 * page 1.
 */
export function copyTextAppearance(options: CopyTextOptions): Promise<FormXObject> {
  return textAppearance({
    font: options.font,
    lines: copyTextLines(options),
    size: DECREE30_TEXT_SIZE,
    matrix: options.matrix,
  });
}

/** The agency's signature on a separate attachment or appendix file (N30-PL1-4, N30-PL1-5). */
export function attachmentTextAppearance(options: AttachmentTextOptions): Promise<FormXObject> {
  return textAppearance({
    font: options.font,
    lines: attachmentTextLines(options),
    size: DECREE30_TEXT_SIZE,
    matrix: options.matrix,
  });
}

/** Options of {@link personalRectBetween}. */
export interface PersonalRectOptions {
  /** The rectangle's width in points. Default: the wider of the title and the name. */
  width?: number;
  /** The rectangle's height in points. Default: the whole gap between the title and the name, less `paddingPt` above and below. */
  height?: number;
  /** Space kept free under the title and over the name, in points. Default 2. */
  paddingPt?: number;
}

/**
 * The personal signature's rectangle (view space), centred between the signer's title and name
 * (N30-PL1-1): horizontally on the centre of both, vertically in the gap between the title's
 * bottom and the name's top. Throws `APPEARANCE_DOES_NOT_FIT` when the name is not below the title
 * or the gap is smaller than `height`.
 */
export function personalRectBetween(
  title: ViewRect,
  name: ViewRect,
  options: PersonalRectOptions = {},
): ViewRect {
  const padding = options.paddingPt ?? 2;
  const top = title.y - padding;
  const bottom = name.y + name.height + padding;
  const gap = top - bottom;
  const height = options.height ?? gap;
  if (!(gap > 0) || height > gap + 1e-6 || !(height > 0)) {
    throw new AppearanceError(
      'APPEARANCE_DOES_NOT_FIT',
      `the space between the title and the name is ${Math.round(gap)} pt high; the signature needs ${Math.round(height)} pt`,
      {
        messageVi: `khoảng trống giữa chức vụ và họ tên cao ${Math.round(gap)} pt; chữ ký cần ${Math.round(height)} pt`,
      },
    );
  }
  const width = options.width ?? Math.max(title.width, name.width);
  const centreX = (Math.min(title.x, name.x) + Math.max(title.x + title.width, name.x + name.width)) / 2;
  return { x: centreX - width / 2, y: bottom + (gap - height) / 2, width, height };
}
