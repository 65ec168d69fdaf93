import type { PageGeometry } from '../appearance/geometry.js';
import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { PdfDict, PdfRef, PdfString, type PdfValue } from '../reader/objects.js';
import type { IncrementalUpdate } from '../writer/incremental.js';
import { pdfDict, withEntries } from '../writer/serialize.js';

/**
 * The form and page plumbing a signature needs (ISO 32000-2 §12.7): the pages in order, the form's
 * fields by name, and the edits that add a widget to a page's /Annots and a field to the
 * AcroForm's /Fields with /SigFlags 3 — each written where the original keeps it (an indirect
 * array is rewritten as itself, an inline AcroForm through the catalog), /NeedAppearances removed.
 */

/** A form field of the document, with its fully qualified name. */
export interface FormField {
  ref: PdfRef;
  dict: PdfDict;
  name: string;
  /** `/FT`, inherited. */
  type: string | undefined;
}

/** Whether `field` is a signature field that is not signed yet (no /V). */
export function isEmptySignatureField(field: FormField): boolean {
  return field.type === 'Sig' && field.dict.get('V') === undefined;
}

/** A rectangle (`/Rect`, `/BBox`) as `[x1 y1 x2 y2]` with x1 ≤ x2, y1 ≤ y2; undefined unless four finite numbers. */
export function normalisedRect(value: unknown): [number, number, number, number] | undefined {
  if (!Array.isArray(value) || value.length !== 4) return undefined;
  const [a, b, c, d] = value;
  if (![a, b, c, d].every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  const [x1, y1, x2, y2] = [a, b, c, d] as number[];
  return [Math.min(x1!, x2!), Math.min(y1!, y2!), Math.max(x1!, x2!), Math.max(y1!, y2!)];
}

const MAX_NODES = 100_000;
const MAX_DEPTH = 32;

/** Every field (terminal or not) reachable from the AcroForm's /Fields, by fully qualified name. */
export function formFields(doc: PdfDocument): FormField[] {
  const acroForm = doc.deref(doc.catalog().get('AcroForm'));
  const fields = acroForm instanceof PdfDict ? doc.deref(acroForm.get('Fields')) : undefined;
  const out: FormField[] = [];
  if (!Array.isArray(fields)) return out;
  const seen = new Set<number>();
  const walk = (items: PdfValue[], parent: string, ft: string | undefined, depth: number) => {
    if (depth > MAX_DEPTH) return;
    for (const item of items) {
      if (!(item instanceof PdfRef) || seen.has(item.num) || seen.size >= MAX_NODES) continue;
      seen.add(item.num);
      const dict = doc.deref(item);
      if (!(dict instanceof PdfDict)) continue;
      const t = dict.get('T');
      const partial = t instanceof PdfString ? t.text() : '';
      const name = partial ? (parent ? `${parent}.${partial}` : partial) : parent;
      const type = dict.name('FT') ?? ft;
      if (partial) out.push({ ref: item, dict, name, type });
      const kids = doc.deref(dict.get('Kids'));
      if (Array.isArray(kids)) walk(kids, name, type, depth + 1);
    }
  };
  walk(fields, '', undefined, 0);
  return out;
}

/** The page objects in document order (the page tree walked depth first, §7.7.3). */
export function pageRefs(doc: PdfDocument): PdfRef[] {
  const out: PdfRef[] = [];
  const seen = new Set<number>();
  const walk = (node: PdfValue | undefined, depth: number) => {
    if (!(node instanceof PdfRef) || seen.has(node.num) || depth > MAX_DEPTH || seen.size > MAX_NODES) return;
    seen.add(node.num);
    const dict = doc.deref(node);
    if (!(dict instanceof PdfDict)) return;
    const kids = doc.deref(dict.get('Kids'));
    if (dict.name('Type') === 'Page' || (!Array.isArray(kids) && dict.name('Type') !== 'Pages')) {
      out.push(node);
      return;
    }
    if (Array.isArray(kids)) for (const kid of kids) walk(kid, depth + 1);
  };
  walk(doc.catalog().get('Pages'), 0);
  return out;
}

/** The page numbered `page` (from 1), or a refusal naming how many there are. */
export function pageAt(doc: PdfDocument, page: number): PdfRef {
  const pages = pageRefs(doc);
  const ref = Number.isInteger(page) && page >= 1 ? pages[page - 1] : undefined;
  if (!ref)
    throw new PdfError(
      'PDF_SIGN_PAGE_OUT_OF_RANGE',
      `page ${page} does not exist: the document has ${pages.length} page(s)`,
      { messageVi: `trang ${page} không tồn tại: tài liệu có ${pages.length} trang` },
    );
  return ref;
}

/**
 * The geometry `placeInView` needs of page `page`: its CropBox (else MediaBox), `/Rotate` (both
 * inherited through the page tree, ISO 32000-2 §7.7.3.4) and `/UserUnit`. The CropBox is clipped
 * to the MediaBox, as viewers show it (§14.11.2).
 */
export function pageGeometry(update: IncrementalUpdate, page: PdfRef): PageGeometry {
  const own = dictAt(update, page);
  const inherited = (key: string): PdfValue | undefined => {
    let node: PdfDict | undefined = own;
    for (let depth = 0; node && depth <= MAX_DEPTH; depth += 1) {
      const v = node.get(key);
      if (v !== undefined) return update.deref(v) as PdfValue | undefined;
      const parent = update.deref(node.get('Parent'));
      node = parent instanceof PdfDict ? parent : undefined;
    }
    return undefined;
  };
  const box = (v: PdfValue | undefined): [number, number, number, number] | undefined => {
    const a = Array.isArray(v) ? v.map((x) => update.deref(x)) : [];
    if (a.length !== 4 || !a.every((n): n is number => typeof n === 'number' && Number.isFinite(n)))
      return undefined;
    return [Math.min(a[0]!, a[2]!), Math.min(a[1]!, a[3]!), Math.max(a[0]!, a[2]!), Math.max(a[1]!, a[3]!)];
  };
  const media = box(inherited('MediaBox')) ?? [0, 0, 612, 792];
  const crop = box(inherited('CropBox'));
  const clipped: [number, number, number, number] = crop
    ? [
        Math.max(crop[0], media[0]),
        Math.max(crop[1], media[1]),
        Math.min(crop[2], media[2]),
        Math.min(crop[3], media[3]),
      ]
    : media;
  const visible = clipped[2] > clipped[0] && clipped[3] > clipped[1] ? clipped : media;
  const rotate = inherited('Rotate');
  const unit = own.get('UserUnit');
  const userUnit = update.deref(unit);
  return {
    cropBox: visible,
    rotate: typeof rotate === 'number' && Number.isInteger(rotate) && rotate % 90 === 0 ? rotate : 0,
    userUnit: typeof userUnit === 'number' && userUnit > 0 ? userUnit : 1,
  };
}

/** A dictionary object as this update sees it. */
export function dictAt(update: IncrementalUpdate, ref: PdfRef): PdfDict {
  const v = update.resolve(ref);
  if (!(v instanceof PdfDict))
    throw new PdfError('PDF_MALFORMED', `object ${ref.num} should be a dictionary`, {
      messageVi: `đối tượng ${ref.num} phải là một từ điển`,
    });
  return v;
}

/** The catalog's reference (the trailer's /Root). */
export function catalogRef(update: IncrementalUpdate): PdfRef {
  const root = update.document.trailer.get('Root');
  if (!(root instanceof PdfRef))
    throw new PdfError('PDF_MALFORMED', 'the trailer /Root is not an indirect reference', {
      messageVi: '/Root trong trailer không phải là tham chiếu gián tiếp',
    });
  return root;
}

/** Changes the catalog's entries in this update. */
export function editCatalog(update: IncrementalUpdate, changes: Record<string, PdfValue | undefined>): void {
  const ref = catalogRef(update);
  update.set(ref, withEntries(dictAt(update, ref), changes));
}

/** Appends `item` to the array under `key` of the dictionary `owner` (written where the array lives). */
function appendToArray(update: IncrementalUpdate, owner: PdfDict, key: string, item: PdfRef): PdfDict {
  const current = owner.get(key);
  if (current instanceof PdfRef) {
    const list = update.deref(current);
    if (Array.isArray(list)) {
      update.set(current, [...list, item]);
      return owner;
    }
  }
  const list = update.deref(current);
  return withEntries(owner, { [key]: [...(Array.isArray(list) ? list : []), item] });
}

/** Adds widget `widget` to page `page`'s /Annots. */
export function addToAnnots(update: IncrementalUpdate, page: PdfRef, widget: PdfRef): void {
  const dict = dictAt(update, page);
  const next = appendToArray(update, dict, 'Annots', widget);
  if (next !== dict) update.set(page, next);
}

/**
 * Makes the AcroForm ready for signing: `/SigFlags 3` (SignaturesExist, AppendOnly), no
 * `/NeedAppearances` (a viewer would regenerate appearances, which signatures forbid), and `field`
 * appended to /Fields when given.
 */
export function prepareAcroForm(update: IncrementalUpdate, field?: PdfRef): void {
  const root = catalogRef(update);
  const catalog = dictAt(update, root);
  const formEntry = catalog.get('AcroForm');
  const existing = update.deref(formEntry);
  let form = existing instanceof PdfDict ? existing : pdfDict({ Fields: [] });
  const flags = form.get('SigFlags');
  const sigFlags = (typeof flags === 'number' ? flags : 0) | 3;
  const changes: Record<string, PdfValue | undefined> = {};
  if (flags !== sigFlags) changes.SigFlags = sigFlags;
  if (form.get('NeedAppearances') !== undefined) changes.NeedAppearances = undefined;
  let changed = Object.keys(changes).length > 0;
  if (changed) form = withEntries(form, changes);
  if (field) {
    const next = appendToArray(update, form, 'Fields', field);
    changed ||= next !== form;
    form = next;
  }
  if (formEntry instanceof PdfRef && existing instanceof PdfDict) {
    if (changed) update.set(formEntry, form);
  } else if (existing instanceof PdfDict) {
    if (changed) editCatalog(update, { AcroForm: form });
  } else {
    const ref = update.allocate();
    update.set(ref, form);
    editCatalog(update, { AcroForm: ref });
  }
}

/** A new field's partial name: not empty, no period (§12.7.4.2), unique among the form's fields. */
export function checkNewFieldName(doc: PdfDocument, name: string): void {
  if (name.length === 0 || name.includes('.'))
    throw new PdfError(
      'PDF_SIGN_FIELD_NAME_INVALID',
      `"${name}" cannot name a new field: empty, or with a period`,
      {
        messageVi: `"${name}" không thể làm tên trường mới: rỗng hoặc có dấu chấm`,
      },
    );
  if (formFields(doc).some((f) => f.name === name))
    throw new PdfError('PDF_SIGN_FIELD_EXISTS', `a form field named "${name}" already exists`, {
      messageVi: `đã có một trường biểu mẫu tên "${name}"`,
    });
}

/** The page a widget is on: its /P, or the page whose /Annots lists it. */
export function widgetPage(update: IncrementalUpdate, widget: PdfRef, dict: PdfDict): PdfRef | undefined {
  const p = dict.get('P');
  if (p instanceof PdfRef) return p;
  const doc = update.document;
  return pageRefs(doc).find((page) => {
    const annots = doc.deref(dictAt(update, page).get('Annots'));
    return Array.isArray(annots) && annots.some((a) => a instanceof PdfRef && a.num === widget.num);
  });
}
