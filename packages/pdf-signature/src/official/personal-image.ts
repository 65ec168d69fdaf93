/**
 * Where a signature field's widget is on the page as displayed, and where inside it its
 * appearance paints its image: the seal goes over the left third of the personal signature's
 * IMAGE (Nghị định 30/2020 Phụ lục I, N30-PL1-2), which `personalSignatureAppearance` centres in
 * the widget keeping its aspect ratio, so a square signature in a wide rectangle leaves most of
 * the rectangle empty.
 *
 * The image is found by reading the widget's normal appearance as a viewer draws it: its content
 * stream's `q`/`Q`/`cm` and every `Do` of an image XObject (the unit square through the current
 * matrix), nested forms followed through their `/Matrix`, each form's painting clipped to its
 * `/BBox`, then the form mapped onto the widget's `/Rect` (ISO 32000-1 §12.5.5, Algorithm 8.1).
 * This holds for any signer's widget, not only kyso's. An appearance it cannot read (an inline
 * image, a filter it does not decode, no image at all) gives no image box: the caller falls back
 * to the widget's rectangle and says so.
 *
 * Reading costs at most a budget, whatever the appearance holds: each form's content is decoded
 * once (cached by object), every content byte read counts (whitespace and comments too, and a
 * form drawn again is read again), as does every operator; a decode is refused as it passes the
 * bytes left. A budget run out stops the whole reading with no image box (fail closed, the reason
 * named in {@link readAppearanceImage}'s result): the caller's fallback and warning
 * (`APPEARANCE_PERSONAL_IMAGE_NOT_FOUND`) follow.
 */
import { type Matrix, userRectToView, type ViewRect } from '../appearance/geometry.js';
import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { decodeStream } from '../reader/filters.js';
import { latin1 } from '../reader/lexer.js';
import { PdfDict, PdfName, PdfRef, PdfStream, type PdfValue } from '../reader/objects.js';
import { type FormField, normalisedRect, pageGeometry, pageRefs, widgetPage } from '../sign/form.js';
import type { IncrementalUpdate } from '../writer/incremental.js';

/** A signature field's (first) widget on the page as displayed. */
export interface WidgetPlace {
  /** The page, from 1. */
  page: number;
  /** The widget's rectangle. */
  rect: ViewRect;
  /** The area its appearance paints its image(s) in, within `rect`; undefined when it cannot be told. */
  image: ViewRect | undefined;
}

type Box = [number, number, number, number];

const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];
/** Forms nested deeper than this are not followed (a signature's appearance nests two or three). */
const MAX_FORM_DEPTH = 8;

/** What reading one widget's appearance may cost, over all its forms. */
export interface AppearanceBudget {
  /** Content bytes read: decoded once per form, counted at every read of it. */
  bytes: number;
  /** Operators read. */
  operations: number;
}

/** kyso's budget: a signature's appearance is a few kilobytes and a few dozen operators. */
export const APPEARANCE_BUDGET: Readonly<AppearanceBudget> = { bytes: 16 * 1024 * 1024, operations: 200_000 };

/** The work a reading did, to show it bounded. */
export interface AppearanceReadStats {
  /** Content bytes read (the budget's `bytes` spent). */
  bytesRead: number;
  /** Bytes decoded, each form's once (a decode refused at the budget counts none). */
  decodedBytes: number;
  /** Forms whose content was decoded. */
  decodes: number;
  /** Reads of a form already decoded, served from the cache. */
  cacheHits: number;
  /** Operators read. */
  operations: number;
}

/** Why a reading stopped before its end: a budget spent (`bytes`, `operations`). */
export type AppearanceStop = 'bytes' | 'operations';

/** The image box a widget's appearance paints, and what reading it cost. */
export interface AppearanceReading {
  /** In the page's user space, within the widget's `/Rect`; undefined when it cannot be told. */
  image: Box | undefined;
  /** Set when a budget ran out (then `image` is undefined). */
  stopped?: AppearanceStop;
  stats: AppearanceReadStats;
}

/** The widget of `field` (its first kid, or the field itself when merged), or null when it has no place on a page. */
export function widgetPlace(update: IncrementalUpdate, field: FormField): WidgetPlace | null {
  const doc = update.document;
  const kids = doc.deref(field.dict.get('Kids'));
  const ref = Array.isArray(kids) && kids[0] instanceof PdfRef ? kids[0] : field.ref;
  const dict = doc.deref(ref);
  if (!(dict instanceof PdfDict)) return null;
  const rect = normalisedRect(doc.deref(dict.get('Rect')));
  const pageRef = widgetPage(update, ref, dict);
  if (!rect || !pageRef) return null;
  const index = pageRefs(doc).findIndex((r) => r.num === pageRef.num);
  if (index < 0) return null;
  const geometry = pageGeometry(update, pageRef);
  const view = userRectToView(geometry, rect);
  if (!(view.width > 0 && view.height > 0)) return null;
  const drawn = readAppearanceImage(doc, dict, rect).image;
  return { page: index + 1, rect: view, image: drawn ? userRectToView(geometry, drawn) : undefined };
}

/** Whether two places on pages share some area. */
export function overlaps(a: { page: number; rect: ViewRect }, b: { page: number; rect: ViewRect }): boolean {
  return (
    a.page === b.page &&
    Math.min(a.rect.x + a.rect.width, b.rect.x + b.rect.width) > Math.max(a.rect.x, b.rect.x) &&
    Math.min(a.rect.y + a.rect.height, b.rect.y + b.rect.height) > Math.max(a.rect.y, b.rect.y)
  );
}

/**
 * The user-space area the widget's normal appearance paints images in, within its `/Rect`, read
 * within `budget`.
 */
export function readAppearanceImage(
  doc: PdfDocument,
  widget: PdfDict,
  rect: Box,
  budget: AppearanceBudget = APPEARANCE_BUDGET,
): AppearanceReading {
  const reader = new AppearanceReader(doc, budget);
  const image = reader.imageInWidget(widget, rect);
  return reader.stopped
    ? { image: undefined, stopped: reader.stopped, stats: reader.stats }
    : { image, stats: reader.stats };
}

/** One reading of an appearance: its budget, its cache of decoded contents. */
class AppearanceReader {
  readonly stats: AppearanceReadStats = {
    bytesRead: 0,
    decodedBytes: 0,
    decodes: 0,
    cacheHits: 0,
    operations: 0,
  };
  stopped: AppearanceStop | undefined;
  /** Decoded contents by object number (or by stream for a direct one); null when it cannot be decoded. */
  private readonly contents = new Map<number | PdfStream, Uint8Array | null>();

  constructor(
    private readonly doc: PdfDocument,
    private readonly budget: AppearanceBudget,
  ) {}

  imageInWidget(widget: PdfDict, rect: Box): Box | undefined {
    const doc = this.doc;
    const ap = doc.deref(widget.get('AP'));
    const entry = ap instanceof PdfDict ? ap.get('N') : undefined;
    const form = doc.deref(entry);
    // A dictionary of appearance states is a check box's, not a signature's.
    if (!(form instanceof PdfStream)) return undefined;
    const bbox = normalisedRect(doc.deref(form.dict.get('BBox')));
    if (!bbox) return undefined;
    const matrix = matrixOf(doc.deref(form.dict.get('Matrix')));
    const painted = this.paintedImages(form, entry instanceof PdfRef ? entry.num : form, bbox, 0);
    if (!painted || this.stopped) return undefined;
    // Algorithm 8.1: the BBox through the Matrix, its bounds fitted onto the Rect.
    const [tx1, ty1, tx2, ty2] = bounds(bbox, matrix);
    if (!(tx2 > tx1 && ty2 > ty1)) return undefined;
    const sx = (rect[2] - rect[0]) / (tx2 - tx1);
    const sy = (rect[3] - rect[1]) / (ty2 - ty1);
    const fit: Matrix = [sx, 0, 0, sy, rect[0] - tx1 * sx, rect[1] - ty1 * sy];
    return clip(bounds(painted, multiply(matrix, fit)), rect);
  }

  /**
   * The form's content, decoded once, its length counted against the budget at every read;
   * undefined when it cannot be decoded or the budget has run out (then `stopped` says so).
   */
  private content(form: PdfStream, key: number | PdfStream): Uint8Array | undefined {
    const left = this.budget.bytes - this.stats.bytesRead;
    let content = this.contents.get(key);
    if (content !== undefined) this.stats.cacheHits += 1;
    else {
      try {
        content = decodeStream(form.dict, this.doc.streamData(form), Math.max(0, left));
        this.stats.decodes += 1;
        this.stats.decodedBytes += content.length;
      } catch (error) {
        if (error instanceof PdfError && error.code === 'PDF_STREAM_TOO_LARGE') {
          this.stopped = 'bytes';
          return undefined;
        }
        content = null;
      }
      this.contents.set(key, content);
    }
    if (content === null) return undefined;
    if (content.length > left) {
      this.stopped = 'bytes';
      return undefined;
    }
    this.stats.bytesRead += content.length;
    return content;
  }

  /**
   * The bounds, in the form's own space and clipped to its BBox, of the images the form paints,
   * directly or through nested forms; undefined when there are none, the content cannot be read
   * or the budget has run out.
   */
  private paintedImages(form: PdfStream, key: number | PdfStream, bbox: Box, depth: number): Box | undefined {
    if (depth > MAX_FORM_DEPTH) return undefined;
    const doc = this.doc;
    const content = this.content(form, key);
    if (!content) return undefined;
    const resources = doc.deref(form.dict.get('Resources'));
    const xobjects = resources instanceof PdfDict ? doc.deref(resources.get('XObject')) : undefined;
    const stack: Matrix[] = [];
    let ctm: Matrix = IDENTITY;
    let found: Box | undefined;
    for (const { op, operands } of operations(content)) {
      if (++this.stats.operations > this.budget.operations) {
        this.stats.operations = this.budget.operations;
        this.stopped = 'operations';
        return undefined;
      }
      if (op === 'q') {
        if (stack.length >= 64) return undefined;
        stack.push(ctm);
      } else if (op === 'Q') ctm = stack.pop() ?? IDENTITY;
      else if (op === 'cm') {
        const m = operands.slice(-6);
        if (m.length !== 6 || !m.every((n) => typeof n === 'number')) return undefined;
        ctm = multiply(m as unknown as Matrix, ctm);
      } else if (op === 'BI')
        return undefined; // an inline image, whose data this reader does not skip
      else if (op === 'Do') {
        const name = operands.at(-1);
        const entry =
          name instanceof PdfName && xobjects instanceof PdfDict ? xobjects.get(name.name) : undefined;
        const target = doc.deref(entry);
        if (!(target instanceof PdfStream)) continue;
        let box: Box | undefined;
        if (target.dict.name('Subtype') === 'Image') box = bounds([0, 0, 1, 1], ctm);
        else if (target.dict.name('Subtype') === 'Form') {
          const inner = normalisedRect(doc.deref(target.dict.get('BBox')));
          const key = entry instanceof PdfRef ? entry.num : target;
          const painted = inner && this.paintedImages(target, key, inner, depth + 1);
          if (this.stopped) return undefined;
          if (painted) box = bounds(painted, multiply(matrixOf(doc.deref(target.dict.get('Matrix'))), ctm));
        }
        if (box) found = found ? union(found, box) : box;
      }
    }
    return found && clip(found, bbox);
  }
}

/** A content stream's operators with their number and name operands (strings, arrays and dictionaries skipped). */
function* operations(bytes: Uint8Array): Generator<{ op: string; operands: (number | PdfName)[] }> {
  let operands: (number | PdfName)[] = [];
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const c = bytes[i]!;
    if (WHITE.has(c)) i += 1;
    else if (c === 0x25) while (i < n && bytes[i] !== 0x0a && bytes[i] !== 0x0d) i += 1;
    else if (c === 0x2f) {
      let j = i + 1;
      while (j < n && regular(bytes[j]!)) j += 1;
      keep(operands, new PdfName(latin1(bytes, i + 1, j)));
      i = j;
    } else if (c === 0x28) {
      // A literal string: balanced parentheses, backslash escapes.
      let depth = 1;
      i += 1;
      while (i < n && depth > 0) {
        const b = bytes[i]!;
        if (b === 0x5c) i += 2;
        else {
          if (b === 0x28) depth += 1;
          else if (b === 0x29) depth -= 1;
          i += 1;
        }
      }
    } else if (c === 0x3c && bytes[i + 1] === 0x3c) i += 2;
    else if (c === 0x3c) {
      while (i < n && bytes[i] !== 0x3e) i += 1; // a hex string
      i += 1;
    } else if (!regular(c)) {
      i += 1; // >> [ ] { }
    } else {
      let j = i;
      while (j < n && regular(bytes[j]!)) j += 1;
      const word = latin1(bytes, i, j);
      i = j;
      // Unambiguous, so linear: `\d+\.?\d*` backtracks quadratically over a long run of digits.
      if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(word)) keep(operands, Number(word));
      else {
        yield { op: word, operands };
        operands = [];
      }
    }
  }
}

/** Keeps the last operands only: no operator this reader acts on takes more than six. */
function keep(operands: (number | PdfName)[], value: number | PdfName): void {
  operands.push(value);
  if (operands.length > 16) operands.shift();
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const regular = (b: number) => !WHITE.has(b) && !DELIMITERS.has(b);

function matrixOf(value: PdfValue | undefined): Matrix {
  return Array.isArray(value) &&
    value.length === 6 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v))
    ? (value as unknown as Matrix)
    : IDENTITY;
}

/** `m` then `n`: a point through `m`, then through `n` (the order `cm` concatenates in). */
function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

/** The bounds of a box's four corners through `m`. */
function bounds(box: Box, m: Matrix): Box {
  const corners = [
    [box[0], box[1]],
    [box[2], box[1]],
    [box[0], box[3]],
    [box[2], box[3]],
  ].map(([x, y]) => [m[0] * x! + m[2] * y! + m[4], m[1] * x! + m[3] * y! + m[5]] as const);
  const xs = corners.map((p) => p[0]);
  const ys = corners.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

function union(a: Box, b: Box): Box {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

/** `a` clipped to `b`; undefined when nothing of it is left. */
function clip(a: Box, b: Box): Box | undefined {
  const out: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return out[2] > out[0] && out[3] > out[1] ? out : undefined;
}
