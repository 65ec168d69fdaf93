import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { PdfDict, PdfName, PdfRef, PdfString, type PdfValue } from '../reader/objects.js';
import { findSignatures } from '../reader/signatures.js';
import { pdfDict, pdfTextString } from '../writer/serialize.js';

/**
 * What earlier signatures permit a new one (ISO 32000-2 §12.8.2): the certification's DocMDP
 * level, forbidding any approval signature at /P 1 (document timestamps and the DSS are not changes,
 * §12.8.2.2.1), and the FieldMDP locks of signed fields; and the /Reference entries a new
 * signature carries for its own DocMDP or FieldMDP transform.
 */

/** A FieldMDP lock (§12.8.2.4): all fields, only those listed, or all but those listed. */
export interface FieldLockSpec {
  action: 'All' | 'Include' | 'Exclude';
  /** Fully qualified field names (for Include and Exclude). */
  fields?: string[];
}

/** The DocMDP level of the document's certification signature, or null when it has none. */
export function certificationLevel(doc: PdfDocument): 1 | 2 | 3 | null {
  const perms = doc.deref(doc.catalog().get('Perms'));
  if (!(perms instanceof PdfDict) || perms.get('DocMDP') === undefined) return null;
  const sig = doc.deref(perms.get('DocMDP'));
  const refs = sig instanceof PdfDict ? doc.deref(sig.get('Reference')) : undefined;
  for (const r of Array.isArray(refs) ? refs : []) {
    const ref = doc.deref(r);
    if (!(ref instanceof PdfDict) || ref.name('TransformMethod') !== 'DocMDP') continue;
    const params = doc.deref(ref.get('TransformParams'));
    const p = params instanceof PdfDict ? doc.deref(params.get('P')) : undefined;
    return p === undefined ? 2 : p === 2 || p === 3 ? p : 1;
  }
  return 2;
}

/** Reads `/Action` and `/Fields` of a lock or FieldMDP transform parameters. */
function readLock(doc: PdfDocument, value: PdfValue | undefined): FieldLockSpec | null {
  const d = doc.deref(value);
  if (!(d instanceof PdfDict)) return null;
  const action = d.name('Action');
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return null;
  const list = doc.deref(d.get('Fields'));
  const fields = Array.isArray(list)
    ? list.map((f) => doc.deref(f)).flatMap((f) => (f instanceof PdfString ? [f.text()] : []))
    : [];
  return { action, fields };
}

/** Whether `lock` covers the field named `name` (a listed name covers its descendants). */
function covers(lock: FieldLockSpec, name: string): boolean {
  if (lock.action === 'All') return true;
  const listed = (lock.fields ?? []).some((f) => name === f || name.startsWith(`${f}.`));
  return lock.action === 'Include' ? listed : !listed;
}

/** The name of the signed field whose FieldMDP lock covers `name`, if one does. */
export function lockedBy(doc: PdfDocument, name: string): string | null {
  for (const sig of findSignatures(doc)) {
    if (sig.type !== 'signature') continue;
    const locks: FieldLockSpec[] = [];
    if (sig.objectNumber !== null) {
      const dict = doc.resolve(new PdfRef(sig.objectNumber, 0));
      const refs = dict instanceof PdfDict ? doc.deref(dict.get('Reference')) : undefined;
      for (const r of Array.isArray(refs) ? refs : []) {
        const ref = doc.deref(r);
        if (ref instanceof PdfDict && ref.name('TransformMethod') === 'FieldMDP') {
          const lock = readLock(doc, ref.get('TransformParams'));
          if (lock) locks.push(lock);
        }
      }
    }
    if (locks.length === 0 && sig.fieldObjectNumber !== null) {
      const field = doc.resolve(new PdfRef(sig.fieldObjectNumber, 0));
      const lock = field instanceof PdfDict ? readLock(doc, field.get('Lock')) : null;
      if (lock) locks.push(lock);
    }
    if (locks.some((l) => covers(l, name))) return sig.fieldName;
  }
  return null;
}

/**
 * Refuses what earlier signatures forbid: an approval signature under DocMDP /P 1, a certification
 * that would not be the first signature, a field an earlier signature locked.
 */
export function checkPermitted(
  doc: PdfDocument,
  intent: { kind: 'approval' | 'certification' | 'timestamp'; fieldName: string },
): void {
  const level = certificationLevel(doc);
  if (intent.kind !== 'timestamp' && level === 1)
    throw new PdfError(
      'PDF_SIGN_DOCMDP_FORBIDS',
      'the document is certified with no changes permitted (DocMDP /P 1): no further signature may be added',
      {
        messageVi:
          'tài liệu đã được chứng nhận không cho phép thay đổi (DocMDP /P 1): không thể thêm chữ ký nào nữa',
      },
    );
  if (intent.kind === 'certification' && findSignatures(doc).length > 0)
    throw new PdfError(
      'PDF_SIGN_CERTIFICATION_NOT_FIRST',
      'a certification signature must be the first signature of the document, and this one is already signed',
      { messageVi: 'chữ ký chứng nhận phải là chữ ký đầu tiên của tài liệu, mà tài liệu này đã được ký' },
    );
  const locker = lockedBy(doc, intent.fieldName);
  if (locker !== null)
    throw new PdfError(
      'PDF_SIGN_FIELD_LOCKED',
      `the field "${intent.fieldName}" is locked by the signature "${locker}" (FieldMDP)`,
      { messageVi: `trường "${intent.fieldName}" đã bị chữ ký "${locker}" khóa (FieldMDP)` },
    );
}

/** The DocMDP signature reference (§12.8.2.2): a direct object, /V /1.2. */
export function docMdpReference(p: 1 | 2 | 3): PdfDict {
  return pdfDict({
    Type: new PdfName('SigRef'),
    TransformMethod: new PdfName('DocMDP'),
    TransformParams: pdfDict({ Type: new PdfName('TransformParams'), P: p, V: new PdfName('1.2') }),
  });
}

/** The lock's entries: `/Action` and `/Fields` (field names as text strings). */
export function lockEntries(lock: FieldLockSpec): Record<string, PdfValue | undefined> {
  return {
    Action: new PdfName(lock.action),
    Fields: lock.action === 'All' ? undefined : (lock.fields ?? []).map((f) => pdfTextString(f)),
  };
}

/** The FieldMDP signature reference (§12.8.2.4) for `lock`, a direct object. */
export function fieldMdpReference(lock: FieldLockSpec, p?: number): PdfDict {
  return pdfDict({
    Type: new PdfName('SigRef'),
    TransformMethod: new PdfName('FieldMDP'),
    TransformParams: pdfDict({
      Type: new PdfName('TransformParams'),
      ...lockEntries(lock),
      P: p,
      V: new PdfName('1.2'),
    }),
  });
}

/** The lock an existing field carries (its /Lock), with its PDF 2.0 /P, if any. */
export function fieldLock(doc: PdfDocument, field: PdfDict): { lock: FieldLockSpec; p?: number } | null {
  const lock = readLock(doc, field.get('Lock'));
  if (!lock) return null;
  const d = doc.deref(field.get('Lock'));
  const p = d instanceof PdfDict ? doc.deref(d.get('P')) : undefined;
  return typeof p === 'number' ? { lock, p } : { lock };
}
