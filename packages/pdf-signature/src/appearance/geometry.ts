/**
 * Where an appearance goes. Callers think of the page as it is displayed ("view" space: points,
 * origin at the bottom left of the visible page, after `/Rotate`); PDF wants a widget `/Rect` in
 * user space (CropBox offsets, rotation, `/UserUnit`) and a form `/Matrix` that makes the
 * appearance upright. These helpers keep the two in agreement: the form's `/BBox [0 0 w h]`
 * transformed by its `/Matrix` has exactly the size of the `/Rect` (ISO 32000-1 §12.5.5), so a
 * viewer maps it without distortion.
 */
import { AppearanceError } from './errors.js';

/** A page's geometry, as read from its dictionary (inherited values resolved). */
export interface PageGeometry {
  /** The CropBox (or MediaBox when there is no CropBox), `[x1 y1 x2 y2]` in user space. */
  readonly cropBox: readonly [number, number, number, number];
  /** `/Rotate`, a multiple of 90 (normalised here). Default 0. */
  readonly rotate?: number;
  /** `/UserUnit`, points per user-space unit. Default 1. */
  readonly userUnit?: number;
}

/** A rectangle on the page as displayed, in points, origin at the bottom left. */
export interface ViewRect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A form matrix `[a b c d e f]`. */
export type Matrix = readonly [number, number, number, number, number, number];

/** A rectangle in user space and the matrix its form needs. */
export interface Placement {
  /** The widget's `/Rect`, `[x1 y1 x2 y2]`, in user space. */
  readonly rect: readonly [number, number, number, number];
  /** The form's `/Matrix`: rotation against `/Rotate` and scaling by `1 / UserUnit`. */
  readonly matrix: Matrix;
  /** The form's `/BBox` size, in points (the view rectangle's size). */
  readonly width: number;
  readonly height: number;
}

function normalised(page: PageGeometry): {
  x1: number;
  y1: number;
  w: number;
  h: number;
  r: number;
  u: number;
} {
  const [a, b, c, d] = page.cropBox;
  const r = ((((page.rotate ?? 0) % 360) + 360) % 360) as number;
  if (r % 90 !== 0) {
    throw new AppearanceError('APPEARANCE_INVALID_OPTION', `/Rotate ${page.rotate} is not a multiple of 90`, {
      messageVi: `/Rotate ${page.rotate} không phải bội số của 90`,
    });
  }
  const u = page.userUnit ?? 1;
  if (!(u > 0)) {
    throw new AppearanceError('APPEARANCE_INVALID_OPTION', `/UserUnit ${u} is not positive`, {
      messageVi: `/UserUnit ${u} không dương`,
    });
  }
  return { x1: Math.min(a, c), y1: Math.min(b, d), w: Math.abs(c - a), h: Math.abs(d - b), r, u };
}

/** The page's displayed size in points. */
export function viewSize(page: PageGeometry): { width: number; height: number } {
  const { w, h, r, u } = normalised(page);
  return r % 180 === 0 ? { width: w * u, height: h * u } : { width: h * u, height: w * u };
}

/** A point of the displayed page (points) in user space. */
export function viewToUser(page: PageGeometry, vx: number, vy: number): [number, number] {
  const { x1, y1, w, h, r, u } = normalised(page);
  const x = vx / u;
  const y = vy / u;
  switch (r) {
    case 90:
      return [x1 + w - y, y1 + x];
    case 180:
      return [x1 + w - x, y1 + h - y];
    case 270:
      return [x1 + y, y1 + h - x];
    default:
      return [x1 + x, y1 + y];
  }
}

/** A point of user space on the displayed page (points). */
export function userToView(page: PageGeometry, ux: number, uy: number): [number, number] {
  const { x1, y1, w, h, r, u } = normalised(page);
  const px = ux - x1;
  const py = uy - y1;
  switch (r) {
    case 90:
      return [py * u, (w - px) * u];
    case 180:
      return [(w - px) * u, (h - py) * u];
    case 270:
      return [(h - py) * u, px * u];
    default:
      return [px * u, py * u];
  }
}

/** A user-space rectangle `[x1 y1 x2 y2]` on the displayed page. */
export function userRectToView(
  page: PageGeometry,
  rect: readonly [number, number, number, number],
): ViewRect {
  const [ax, ay] = userToView(page, rect[0], rect[1]);
  const [bx, by] = userToView(page, rect[2], rect[3]);
  return { x: Math.min(ax, bx), y: Math.min(ay, by), width: Math.abs(bx - ax), height: Math.abs(by - ay) };
}

/**
 * The `/Rect` and `/Matrix` for an appearance that shows upright in `view` on `page`. Throws
 * `APPEARANCE_DOES_NOT_FIT` when `view` leaves the visible page.
 */
export function placeInView(page: PageGeometry, view: ViewRect): Placement {
  const size = viewSize(page);
  const eps = 1e-6;
  if (
    !(view.width > 0 && view.height > 0) ||
    view.x < -eps ||
    view.y < -eps ||
    view.x + view.width > size.width + eps ||
    view.y + view.height > size.height + eps
  ) {
    throw new AppearanceError(
      'APPEARANCE_DOES_NOT_FIT',
      `a ${round(view.width)}×${round(view.height)} pt box at (${round(view.x)}, ${round(view.y)}) does not fit on the ${round(size.width)}×${round(size.height)} pt page`,
      {
        messageVi: `khung ${round(view.width)}×${round(view.height)} pt tại (${round(view.x)}, ${round(view.y)}) không nằm trong trang ${round(size.width)}×${round(size.height)} pt`,
      },
    );
  }
  const { r, u } = normalised(page);
  const [ax, ay] = viewToUser(page, view.x, view.y);
  const [bx, by] = viewToUser(page, view.x + view.width, view.y + view.height);
  const rect = [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)] as const;
  const w = view.width / u;
  const h = view.height / u;
  const s = 1 / u;
  const matrix: Matrix =
    r === 90
      ? [0, s, -s, 0, h, 0]
      : r === 180
        ? [-s, 0, 0, -s, w, h]
        : r === 270
          ? [0, -s, s, 0, 0, w]
          : [s, 0, 0, s, 0, 0];
  return { rect, matrix, width: view.width, height: view.height };
}

const MM = 72 / 25.4;
/** Millimetres to points. */
export const mmToPt = (mm: number): number => mm * MM;
/** Points to millimetres. */
export const ptToMm = (pt: number): number => pt / MM;

/** Options of {@link topRightBox}. */
export interface TopRightOptions {
  /** The top margin, in mm. Default 20 (Nghị định 30/2020 Phụ lục I: 20–25 mm). */
  topMarginMm?: number;
  /** The right margin, in mm. Default 15 (Phụ lục I: 15–20 mm). */
  rightMarginMm?: number;
  /** The least distance between the box and the page's top edge, in mm. Default 3. */
  edgeMm?: number;
}

/**
 * A box of `width`×`height` points at the top right of a page as displayed, inside the top margin
 * (above the national heading): right-aligned on the right margin, centred in the band between the
 * page's top edge (less `edgeMm`) and the top margin. Throws `APPEARANCE_DOES_NOT_FIT` when the box
 * is taller than that band or wider than the page less its right margin.
 */
export function topRightBox(
  page: PageGeometry,
  box: { width: number; height: number },
  options: TopRightOptions = {},
): ViewRect {
  const size = viewSize(page);
  const top = mmToPt(options.topMarginMm ?? 20);
  const right = mmToPt(options.rightMarginMm ?? 15);
  const edge = mmToPt(options.edgeMm ?? 3);
  const band = top - edge;
  if (box.height > band || box.width > size.width - right) {
    throw new AppearanceError(
      'APPEARANCE_DOES_NOT_FIT',
      `a ${round(box.width)}×${round(box.height)} pt box does not fit in the top margin (${round(band)} pt high) at the top right of the page`,
      {
        messageVi: `khung ${round(box.width)}×${round(box.height)} pt không vừa lề trên (cao ${round(band)} pt) ở góc trên bên phải trang`,
      },
    );
  }
  return {
    x: size.width - right - box.width,
    y: size.height - edge - (band + box.height) / 2,
    width: box.width,
    height: box.height,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
