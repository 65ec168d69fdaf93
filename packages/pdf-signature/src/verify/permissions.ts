import type { PdfDocument } from '../reader/document.js';
import { PdfDict, PdfRef, PdfString, type PdfValue } from '../reader/objects.js';

/**
 * What the signer allowed to change after a signature (ISO 32000-2 §12.8.2.2–12.8.2.4), read from
 * the signed revision: the certification signature's DocMDP level and this signature's FieldMDP
 * field locks.
 */
export interface ModificationPermissions {
  /**
   * The DocMDP `/P` of the document's certification signature, when the signed revision has one:
   * 1 no changes (long-term validation data aside), 2 form filling and signing, 3 also annotations.
   * `null` when the document is not certified: kyso then allows form filling and signing (what
   * approval signatures exist for), not annotations, which paint over signed pages. A signature's
   * own FieldMDP `/P` (PDF 2.0, §12.8.2.4) can only lower it.
   */
  docMdp: 1 | 2 | 3 | null;
  /** The fields this signature locks (FieldMDP), or null when it locks none. */
  lock: FieldLock | null;
}

/** A FieldMDP lock: all fields, only those listed, or all but those listed. */
export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude';
  fields: string[];
}

/** A form field or widget of the signed revision, by object number. */
export interface FormNode {
  /** The fully qualified name of the field the node is, or whose widget it is. */
  name: string;
  /** Whether the field is a signature field (`/FT /Sig`, inherited). */
  signature: boolean;
  /** Whether the node is a widget annotation (possibly merged with its field). */
  widget: boolean;
}

const MAX_NODES = 100_000;

/** Every field and widget reachable from the form's /Fields, with its field's name and type. */
export function formNodes(doc: PdfDocument): Map<number, FormNode> {
  const out = new Map<number, FormNode>();
  const acroForm = doc.deref(doc.catalog().get('AcroForm'));
  const fields = acroForm instanceof PdfDict ? doc.deref(acroForm.get('Fields')) : undefined;
  if (!Array.isArray(fields)) return out;
  const walk = (items: PdfValue[], parentName: string, inheritedFt: string | undefined, depth: number) => {
    if (depth > 32) return;
    for (const item of items) {
      if (!(item instanceof PdfRef) || out.has(item.num) || out.size >= MAX_NODES) continue;
      const node = doc.deref(item);
      if (!(node instanceof PdfDict)) continue;
      const t = node.get('T');
      const partial = t instanceof PdfString ? t.text() : '';
      const name = partial ? (parentName ? `${parentName}.${partial}` : partial) : parentName;
      const ft = node.name('FT') ?? inheritedFt;
      out.set(item.num, { name, signature: ft === 'Sig', widget: node.name('Subtype') === 'Widget' });
      const kids = doc.deref(node.get('Kids'));
      if (Array.isArray(kids)) walk(kids, name, ft, depth + 1);
    }
  };
  walk(fields, '', undefined, 0);
  return out;
}

/** The permissions that govern changes after the signature whose dictionary is `signature`. */
export function permissionsOf(
  before: PdfDocument,
  signature: { dictionary: number | null; field: number | null },
): ModificationPermissions {
  const certified = docMdpLevel(before);
  const own = fieldMdp(before, signature);
  const levels = [certified, own.p].filter((p): p is 1 | 2 | 3 => p !== null);
  return {
    docMdp: levels.length > 0 ? (Math.min(...levels) as 1 | 2 | 3) : null,
    lock: own.lock,
  };
}

/** A /P value as a level: 2 when absent (§12.8.2.2), the strictest when out of range. */
function level(p: PdfValue | undefined): 1 | 2 | 3 {
  return p === undefined ? 2 : p === 2 || p === 3 ? p : 1;
}

/** The transform entries of a signature dictionary's /Reference array. */
function references(doc: PdfDocument, sig: PdfValue | undefined): PdfDict[] {
  const dict = doc.deref(sig);
  if (!(dict instanceof PdfDict)) return [];
  const refs = doc.deref(dict.get('Reference'));
  return Array.isArray(refs)
    ? refs.map((r) => doc.deref(r)).filter((r): r is PdfDict => r instanceof PdfDict)
    : [];
}

function docMdpLevel(before: PdfDocument): 1 | 2 | 3 | null {
  const perms = before.deref(before.catalog().get('Perms'));
  if (!(perms instanceof PdfDict) || perms.get('DocMDP') === undefined) return null;
  for (const ref of references(before, perms.get('DocMDP'))) {
    if (ref.name('TransformMethod') !== 'DocMDP') continue;
    const params = before.deref(ref.get('TransformParams'));
    return level(params instanceof PdfDict ? before.deref(params.get('P')) : undefined);
  }
  // A /DocMDP entry without a DocMDP transform still certifies: the default level.
  return 2;
}

/** A FieldMDP transform's parameters (or a field's /Lock): the fields it locks, and the /P it sets. */
export function readLock(
  doc: PdfDocument,
  params: PdfValue | undefined,
): { lock: FieldLock | null; p: 1 | 2 | 3 | null } {
  const d = doc.deref(params);
  if (!(d instanceof PdfDict)) return { lock: null, p: null };
  const p = d.get('P') === undefined ? null : level(doc.deref(d.get('P')));
  const action = d.name('Action');
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return { lock: null, p };
  const list = doc.deref(d.get('Fields'));
  const fields = Array.isArray(list)
    ? list.map((f) => doc.deref(f)).flatMap((f) => (f instanceof PdfString ? [f.text()] : []))
    : [];
  return { lock: { action, fields }, p };
}

/** The fields a signature dictionary's FieldMDP reference locks, or null. */
export function signatureLock(doc: PdfDocument, dictionary: PdfValue | undefined): FieldLock | null {
  for (const ref of references(doc, dictionary))
    if (ref.name('TransformMethod') === 'FieldMDP') return readLock(doc, ref.get('TransformParams')).lock;
  return null;
}

/** This signature's FieldMDP: the fields it locks, and the /P it sets, if any. */
function fieldMdp(
  before: PdfDocument,
  signature: { dictionary: number | null; field: number | null },
): { lock: FieldLock | null; p: 1 | 2 | 3 | null } {
  const read = (params: PdfValue | undefined) => readLock(before, params);
  if (signature.dictionary !== null) {
    for (const ref of references(before, new PdfRef(signature.dictionary, 0)))
      if (ref.name('TransformMethod') === 'FieldMDP') return read(ref.get('TransformParams'));
  }
  // The field's /Lock says what signing it locks, when the signature dictionary does not repeat it.
  if (signature.field !== null) {
    const field = before.deref(new PdfRef(signature.field, 0));
    if (field instanceof PdfDict) return read(field.get('Lock'));
  }
  return { lock: null, p: null };
}

/** Whether the field named `name` is locked by `lock` (a listed name covers its descendants). */
export function isLocked(lock: FieldLock | null, name: string): boolean {
  if (!lock) return false;
  if (lock.action === 'All') return true;
  const listed = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
  return lock.action === 'Include' ? listed : !listed;
}

/**
 * The permissions in force, for reasons, in both languages: "an approval signature" ("chữ ký phê
 * duyệt"), or the level, "/P 2".
 */
export function describePermissions(p: ModificationPermissions): { en: string; vi: string } {
  return p.docMdp === null
    ? { en: 'an approval signature', vi: 'chữ ký phê duyệt' }
    : { en: `/P ${p.docMdp}`, vi: `/P ${p.docMdp}` };
}
