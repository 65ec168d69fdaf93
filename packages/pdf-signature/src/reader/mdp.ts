import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, PdfString, type PdfValue } from './objects.js';

/**
 * What signers permit to change after they sign (modification detection and prevention, ISO 32000-2
 * §12.8.2.2–12.8.2.4), as the PDF declares it: the certification's DocMDP level, and what signing a
 * field locks (FieldMDP, with the PDF 2.0 `/P` a lock may carry). Signing (what earlier signatures
 * forbid a new one) and verification (what may have changed after a signature) both read it here,
 * so that kyso never signs what its own verification then refuses. A value outside what the
 * standard allows reads as the strictest it could mean.
 */

/** A DocMDP level (§12.8.2.2): 1 no changes, 2 form filling and signing, 3 also annotations. */
export type MdpLevel = 1 | 2 | 3;

/** A FieldMDP lock (§12.8.2.4): all fields, only those listed, or all but those listed. */
export interface FieldLock {
  action: 'All' | 'Include' | 'Exclude';
  /** Fully qualified field names (empty for All). */
  fields: string[];
}

/** What signing a signature field locked, and the level its PDF 2.0 `/P` set. */
export interface FieldMdp {
  /** Every lock that applies (a signature may carry more than one FieldMDP reference). */
  locks: FieldLock[];
  /** The lowest `/P` among them, or null when none sets one. */
  p: MdpLevel | null;
}

/** A signature as the reader finds it: its dictionary and its field, by object number. */
export interface SignatureObjects {
  dictionary: number | null;
  field: number | null;
}

/**
 * A `/P` value as a level: 2 when absent (the default, §12.8.2.2), and 1, the strictest, when it is
 * anything but 1, 2 or 3 — a value the standard does not define must not grant more.
 */
export function mdpLevel(p: PdfValue | undefined): MdpLevel {
  return p === undefined ? 2 : p === 2 || p === 3 ? p : 1;
}

/** The lowest of `levels` (the strictest), or null when none is given. */
export function lowestLevel(...levels: (MdpLevel | null)[]): MdpLevel | null {
  const given = levels.filter((l): l is MdpLevel => l !== null);
  return given.length > 0 ? (Math.min(...given) as MdpLevel) : null;
}

/** The signature reference dictionaries of a signature dictionary's `/Reference` with this method. */
function references(doc: PdfDocument, signature: PdfValue | undefined, method: string): PdfDict[] {
  const dict = doc.deref(signature);
  if (!(dict instanceof PdfDict)) return [];
  const refs = doc.deref(dict.get('Reference'));
  return Array.isArray(refs)
    ? refs
        .map((r) => doc.deref(r))
        .filter((r): r is PdfDict => r instanceof PdfDict && r.name('TransformMethod') === method)
    : [];
}

/**
 * The DocMDP level of the document's certification signature (the catalog's `/Perms /DocMDP`), or
 * null when it has none.
 */
export function certificationLevel(doc: PdfDocument): MdpLevel | null {
  const perms = doc.deref(doc.catalog().get('Perms'));
  if (!(perms instanceof PdfDict) || perms.get('DocMDP') === undefined) return null;
  const [docMdp] = references(doc, perms.get('DocMDP'), 'DocMDP');
  // A /DocMDP entry without a DocMDP transform still certifies: the default level.
  if (!docMdp) return 2;
  const params = doc.deref(docMdp.get('TransformParams'));
  return mdpLevel(params instanceof PdfDict ? doc.deref(params.get('P')) : undefined);
}

/**
 * A FieldMDP transform's parameters (§12.8.2.4), or a signature field's `/Lock` (§12.7.5.5, whose
 * entries the transform copies): the fields it locks, null when `/Action` is not one the standard
 * defines; and the `/P` it sets, null when absent.
 */
export function readLock(
  doc: PdfDocument,
  params: PdfValue | undefined,
): { lock: FieldLock | null; p: MdpLevel | null } {
  const d = doc.deref(params);
  if (!(d instanceof PdfDict)) return { lock: null, p: null };
  const p = d.get('P') === undefined ? null : mdpLevel(doc.deref(d.get('P')));
  const action = d.name('Action');
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return { lock: null, p };
  const list = doc.deref(d.get('Fields'));
  const fields = Array.isArray(list)
    ? list.map((f) => doc.deref(f)).flatMap((f) => (f instanceof PdfString ? [f.text()] : []))
    : [];
  return { lock: { action, fields }, p };
}

/** What a signature dictionary's FieldMDP references lock: all of them apply, the lowest `/P` wins. */
export function referencedFieldMdp(doc: PdfDocument, signature: PdfValue | undefined): FieldMdp {
  const read = references(doc, signature, 'FieldMDP').map((ref) => readLock(doc, ref.get('TransformParams')));
  return {
    locks: read.flatMap((r) => (r.lock ? [r.lock] : [])),
    p: lowestLevel(...read.map((r) => r.p)),
  };
}

/**
 * What signing locked: the signature dictionary's FieldMDP references, and when none of them names
 * fields that can be read, the field's `/Lock` — which a signer copies into them (§12.8.2.4), so an
 * unreadable reference does not unlock what the field says signing it locks.
 */
export function signatureFieldMdp(doc: PdfDocument, signature: SignatureObjects): FieldMdp {
  const dictionary = signature.dictionary === null ? undefined : new PdfRef(signature.dictionary, 0);
  const referenced = dictionary === undefined ? { locks: [], p: null } : referencedFieldMdp(doc, dictionary);
  if (referenced.locks.length > 0) return referenced;
  const field = signature.field === null ? undefined : doc.deref(new PdfRef(signature.field, 0));
  const own = field instanceof PdfDict ? readLock(doc, field.get('Lock')) : { lock: null, p: null };
  if (own.lock) return { locks: [own.lock], p: lowestLevel(referenced.p, own.p) };
  // A FieldMDP reference that names no fields kyso can read, with no /Lock to read instead, locks
  // what it might have locked: every field (a verifier reads the strictest).
  const unreadable = dictionary !== undefined && references(doc, dictionary, 'FieldMDP').length > 0;
  return { locks: unreadable ? [{ action: 'All', fields: [] }] : [], p: lowestLevel(referenced.p, own.p) };
}

/** Whether one of `locks` covers the field named `name` (a listed name covers its descendants). */
export function isLocked(locks: readonly FieldLock[], name: string): boolean {
  return locks.some((lock) => {
    if (lock.action === 'All') return true;
    const listed = lock.fields.some((f) => name === f || name.startsWith(`${f}.`));
    return lock.action === 'Include' ? listed : !listed;
  });
}
