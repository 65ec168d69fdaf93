/**
 * Images in appearances: PNG (with alpha → an image XObject with an `/SMask`; for PDF/A-1 a
 * stencil `/ImageMask` painted in the image's colour instead) and JPEG (DeviceRGB or DeviceGray,
 * passed through as DCTDecode). PNG is decoded with `@pdf-lib/upng` (pdf-lib's own PNG decoder);
 * JPEG headers are read here, the data is never decoded.
 */
import type * as UpngModule from '@pdf-lib/upng';
import type { PdfRef } from '../reader/objects.js';
import { AppearanceError, type AppearanceWarning } from './errors.js';
import { upngModule } from './upng-module.js';
import { AppearanceStream, dict, flateStream, name, num, type ObjectAllocator } from './xobject.js';

/** Default largest image file accepted: 10 MiB. */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Largest decoded image accepted: 40 megapixels (a 200 mm seal at 1200 dpi is 89 Mpx… of which nobody needs more than 1). */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** The colour Nghị định 30/2020 Phụ lục I expects: blue for a personal signature, red for a seal. */
export type ExpectedColour = 'blue' | 'red';

/** Options of {@link readImage}. */
export interface ReadImageOptions {
  /** Largest file accepted, checked before anything is decoded. Default {@link MAX_IMAGE_BYTES}. */
  maxBytes?: number;
  /** Checks the image's colour against this and warns when it differs. Default: no check. */
  expectedColour?: ExpectedColour;
  /** The rule id the colour and transparency warnings name. Default `N30-PL1-1` for blue, `N30-PL1-2` for red. */
  rule?: string;
}

/** An image read and checked, ready for {@link imageXObject}. */
export interface AppearanceImage {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
  /** True when some pixel is not fully opaque. */
  readonly transparent: boolean;
  /**
   * Pixels per metre from a PNG `pHYs` chunk whose unit is the metre; `undefined` otherwise
   * (no chunk, or unit "unknown", which only gives an aspect ratio).
   */
  readonly pixelsPerMetre: { x: number; y: number } | undefined;
  /** The mean colour of the visible pixels, 0–255 (alpha-weighted); `undefined` for JPEG. */
  readonly colour: { r: number; g: number; b: number } | undefined;
  readonly warnings: readonly AppearanceWarning[];
  /** @internal RGB (3 bytes a pixel) and alpha (1 byte), or the JPEG bytes and colour space. */
  readonly data:
    | { kind: 'raw'; rgb: Uint8Array; alpha: Uint8Array | undefined }
    | { kind: 'dct'; bytes: Uint8Array; components: 1 | 3 };
}

type Upng = typeof UpngModule;

let upngInstance: Upng | undefined;

/**
 * UPNG (and the pako it inflates with), loaded on first use rather than at module load: in Node it
 * is required only when a PNG is decoded; a browser bundle imports it statically and drops it from
 * a page that reads no PNG (see `upng-module.ts`). The package declares named exports, but its
 * builds export one default object, which CommonJS interop may wrap once more: unwrap until the
 * functions show.
 */
function upng(): Upng {
  if (!upngInstance) {
    let m = upngModule() as { decode?: unknown; default?: unknown };
    while (typeof m.decode !== 'function' && m.default) m = m.default as typeof m;
    upngInstance = m as unknown as Upng;
  }
  return upngInstance;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Reads a PNG or JPEG. Refuses a file over `maxBytes` (`APPEARANCE_IMAGE_TOO_LARGE`, before
 * decoding), a CMYK JPEG (`APPEARANCE_IMAGE_CMYK`) and anything unreadable
 * (`APPEARANCE_IMAGE_UNREADABLE`). A JPEG, a PNG without transparency or an image far from the
 * expected colour is accepted with a warning naming the rule (Nghị định 30/2020 Phụ lục I).
 */
export function readImage(bytes: Uint8Array, options: ReadImageOptions = {}): AppearanceImage {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  if (bytes.length > maxBytes) {
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    throw new AppearanceError(
      'APPEARANCE_IMAGE_TOO_LARGE',
      `the image is ${mb(bytes.length)}, more than the ${mb(maxBytes)} accepted`,
      { messageVi: `ảnh có dung lượng ${mb(bytes.length)}, vượt quá mức cho phép ${mb(maxBytes)}` },
    );
  }
  const rule = options.rule ?? (options.expectedColour === 'red' ? 'N30-PL1-2' : 'N30-PL1-1');
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return readPng(bytes, options.expectedColour, rule);
  if (bytes[0] === 0xff && bytes[1] === 0xd8)
    return readJpeg(bytes, options.expectedColour !== undefined, rule);
  throw unreadable('the image is neither PNG nor JPEG', 'ảnh không phải PNG hay JPEG');
}

function unreadable(message: string, messageVi: string, cause?: unknown): AppearanceError {
  return new AppearanceError('APPEARANCE_IMAGE_UNREADABLE', message, { messageVi, cause });
}

function checkPixels(width: number, height: number): void {
  if (!(width > 0 && height > 0))
    throw unreadable(`the image is ${width}×${height} pixels`, `ảnh có ${width}×${height} điểm ảnh`);
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new AppearanceError(
      'APPEARANCE_IMAGE_TOO_LARGE',
      `the image is ${width}×${height} pixels; at most ${MAX_IMAGE_PIXELS} pixels are accepted`,
      { messageVi: `ảnh có ${width}×${height} điểm ảnh; tối đa ${MAX_IMAGE_PIXELS} điểm ảnh` },
    );
  }
}

function readPng(bytes: Uint8Array, expected: ExpectedColour | undefined, rule: string): AppearanceImage {
  // IHDR first: width and height are checked before the data is inflated.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33) throw unreadable('the PNG is truncated', 'tệp PNG bị cắt cụt');
  checkPixels(view.getUint32(16), view.getUint32(20));
  const decoder = upng(); // outside the try: UPNG failing to load is not an unreadable PNG
  let decoded: ReturnType<Upng['decode']>;
  let rgba: Uint8Array;
  try {
    // A copy: UPNG takes an ArrayBuffer, and a Node Buffer's `.buffer` is a shared pool.
    const copy = new Uint8Array(bytes).buffer;
    decoded = decoder.decode(copy);
    rgba = new Uint8Array(decoder.toRGBA8(decoded)[0]!);
  } catch (error) {
    throw unreadable('the PNG cannot be decoded', 'không giải mã được tệp PNG', error);
  }
  const { width, height } = decoded;
  const n = width * height;
  const rgb = new Uint8Array(n * 3);
  const alpha = new Uint8Array(n);
  let transparent = false;
  let sr = 0;
  let sg = 0;
  let sb = 0;
  let sa = 0;
  for (let i = 0; i < n; i++) {
    const r = rgba[i * 4]!;
    const g = rgba[i * 4 + 1]!;
    const b = rgba[i * 4 + 2]!;
    const a = rgba[i * 4 + 3]!;
    rgb[i * 3] = r;
    rgb[i * 3 + 1] = g;
    rgb[i * 3 + 2] = b;
    alpha[i] = a;
    if (a < 255) transparent = true;
    sr += r * a;
    sg += g * a;
    sb += b * a;
    sa += a;
  }
  const colour = sa > 0 ? { r: sr / sa, g: sg / sa, b: sb / sa } : undefined;
  const phys = decoded.tabs.pHYs;
  const pixelsPerMetre =
    phys && phys[2] === 1 && phys[0]! > 0 && phys[1]! > 0 ? { x: phys[0]!, y: phys[1]! } : undefined;
  const warnings: AppearanceWarning[] = [];
  if (expected && !transparent) warnings.push(notTransparent(rule));
  if (expected && colour && !looksLike(colour, expected)) warnings.push(wrongColour(rule, expected, colour));
  return {
    format: 'png',
    width,
    height,
    transparent,
    pixelsPerMetre,
    colour,
    warnings,
    data: { kind: 'raw', rgb, alpha: transparent ? alpha : undefined },
  };
}

/** Hue-based: blue is a hue of 190°–270°, red 330°–20°, both with some saturation. */
function looksLike(c: { r: number; g: number; b: number }, expected: ExpectedColour): boolean {
  const max = Math.max(c.r, c.g, c.b);
  const min = Math.min(c.r, c.g, c.b);
  if (max - min < 40) return false; // grey or black
  let hue: number;
  if (max === c.r) hue = (((c.g - c.b) / (max - min)) * 60 + 360) % 360;
  else if (max === c.g) hue = ((c.b - c.r) / (max - min)) * 60 + 120;
  else hue = ((c.r - c.g) / (max - min)) * 60 + 240;
  return expected === 'blue' ? hue >= 190 && hue <= 270 : hue >= 330 || hue <= 20;
}

const COLOUR_VI: Record<ExpectedColour, string> = { blue: 'màu xanh', red: 'màu đỏ' };

function notTransparent(rule: string): AppearanceWarning {
  return {
    code: 'APPEARANCE_IMAGE_NOT_TRANSPARENT',
    rule,
    message: `the image has no transparent background, which Nghị định 30/2020 Phụ lục I asks for (${rule})`,
    messageVi: `ảnh không có nền trong suốt như Nghị định 30/2020 Phụ lục I yêu cầu (${rule})`,
  };
}

function wrongColour(
  rule: string,
  expected: ExpectedColour,
  c: { r: number; g: number; b: number },
): AppearanceWarning {
  const rgb = `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
  return {
    code: 'APPEARANCE_IMAGE_COLOUR',
    rule,
    message: `the image's colour ${rgb} is not ${expected}, as Nghị định 30/2020 Phụ lục I asks (${rule})`,
    messageVi: `màu của ảnh ${rgb} không phải ${COLOUR_VI[expected]} như Nghị định 30/2020 Phụ lục I yêu cầu (${rule})`,
  };
}

function readJpeg(bytes: Uint8Array, checked: boolean, rule: string): AppearanceImage {
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) throw unreadable('the JPEG has a broken marker', 'tệp JPEG có mã đánh dấu hỏng');
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (at + 10 > bytes.length) break;
      const precision = bytes[at + 4]!;
      const height = (bytes[at + 5]! << 8) | bytes[at + 6]!;
      const width = (bytes[at + 7]! << 8) | bytes[at + 8]!;
      const components = bytes[at + 9]!;
      if (components === 4) {
        throw new AppearanceError(
          'APPEARANCE_IMAGE_CMYK',
          'the JPEG is CMYK; its colours depend on the printer profile: convert it to RGB (or use a PNG)',
          {
            messageVi:
              'ảnh JPEG ở hệ màu CMYK, màu phụ thuộc cấu hình máy in: hãy chuyển sang RGB (hoặc dùng PNG)',
          },
        );
      }
      if ((components !== 1 && components !== 3) || precision !== 8 || height === 0) {
        throw unreadable(
          `the JPEG has ${components} components at ${precision} bits${height === 0 ? ' and no height' : ''}; 8-bit grey or RGB is accepted`,
          `ảnh JPEG có ${components} thành phần màu, ${precision} bit; chỉ nhận ảnh xám hoặc RGB 8 bit`,
        );
      }
      checkPixels(width, height);
      return {
        format: 'jpeg',
        width,
        height,
        transparent: false,
        pixelsPerMetre: undefined,
        colour: undefined,
        warnings: checked
          ? [
              {
                code: 'APPEARANCE_IMAGE_NOT_PNG',
                rule,
                message: `the image is a JPEG, without transparency; Nghị định 30/2020 Phụ lục I asks for a PNG with a transparent background (${rule})`,
                messageVi: `ảnh là JPEG, không có nền trong suốt; Nghị định 30/2020 Phụ lục I yêu cầu ảnh PNG nền trong suốt (${rule})`,
              },
            ]
          : [],
        data: { kind: 'dct', bytes, components: components as 1 | 3 },
      };
    }
    if (marker === 0xd9 || marker === 0xda) break;
    at += 2 + length;
  }
  throw unreadable('the JPEG has no frame header', 'tệp JPEG không có phần đầu khung ảnh');
}

/** Options of {@link imageXObject}. */
export interface ImageXObjectOptions {
  /**
   * Write a PDF/A-1 conformant image: no `/SMask`; a transparent PNG becomes a stencil `/ImageMask`
   * painted in its mean colour (or {@link stencilColour}). Default false.
   */
  pdfA1?: boolean;
  /** The colour of the stencil mask, 0–1 RGB. Default: the image's mean visible colour. */
  stencilColour?: readonly [number, number, number];
}

/** An image XObject written, and the operators that paint it into the unit square. */
export interface PlacedImage {
  readonly ref: PdfRef;
  /** Content to paint the image into the current unit square (`cm` first): sets the colour for a stencil. */
  paint(resourceName: string): string;
}

/** Writes `image` as an image XObject (and its soft mask). */
export function imageXObject(
  image: AppearanceImage,
  alloc: ObjectAllocator,
  options: ImageXObjectOptions = {},
): PlacedImage {
  const { width, height, data } = image;
  if (data.kind === 'dct') {
    const ref = alloc.add(
      new AppearanceStream(
        dict({
          Type: name('XObject'),
          Subtype: name('Image'),
          Width: width,
          Height: height,
          ColorSpace: name(data.components === 1 ? 'DeviceGray' : 'DeviceRGB'),
          BitsPerComponent: 8,
          Filter: name('DCTDecode'),
        }),
        data.bytes,
      ),
    );
    return { ref, paint: (n) => `/${n} Do\n` };
  }
  if (options.pdfA1 && data.alpha) {
    const alpha = data.alpha;
    const rowBytes = Math.ceil(width / 8);
    const bits = new Uint8Array(rowBytes * height);
    // Sample 1 = not painted (/Decode [1 0] is not needed: with the default [0 1], 0 paints).
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        if (alpha[y * width + x]! < 128) bits[y * rowBytes + (x >> 3)]! |= 0x80 >> (x & 7);
    const ref = alloc.add(
      flateStream(
        {
          Type: name('XObject'),
          Subtype: name('Image'),
          Width: width,
          Height: height,
          ImageMask: true,
          BitsPerComponent: 1,
        },
        bits,
      ),
    );
    const c =
      options.stencilColour ??
      (image.colour ? [image.colour.r / 255, image.colour.g / 255, image.colour.b / 255] : [0, 0, 0]);
    return { ref, paint: (n) => `${c.map(num).join(' ')} rg /${n} Do\n` };
  }
  const smask = data.alpha
    ? alloc.add(
        flateStream(
          {
            Type: name('XObject'),
            Subtype: name('Image'),
            Width: width,
            Height: height,
            ColorSpace: name('DeviceGray'),
            BitsPerComponent: 8,
          },
          data.alpha,
        ),
      )
    : undefined;
  const ref = alloc.add(
    flateStream(
      {
        Type: name('XObject'),
        Subtype: name('Image'),
        Width: width,
        Height: height,
        ColorSpace: name('DeviceRGB'),
        BitsPerComponent: 8,
        SMask: smask,
      },
      data.rgb,
    ),
  );
  return { ref, paint: (n) => `/${n} Do\n` };
}
