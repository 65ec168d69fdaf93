import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import {
  certificationLevel,
  type FieldMdp,
  isLocked,
  type MdpLevel,
  readLock,
  signatureFieldMdp,
} from '../reader/mdp.js';
import { PdfDict, PdfName, type PdfValue } from '../reader/objects.js';
import { findSignatures } from '../reader/signatures.js';
import { pdfDict, pdfTextString } from '../writer/serialize.js';

/**
 * What earlier signatures permit a new one (ISO 32000-2 §12.8.2): the certification's DocMDP
 * level, forbidding any approval signature at /P 1 (document timestamps and the DSS are not changes,
 * §12.8.2.2.1), and the FieldMDP locks of signed fields and the /P they set, read by
 * `reader/mdp.ts` as verification reads them; and the /Reference entries a new signature carries
 * for its own DocMDP or FieldMDP transform.
 */

/** A FieldMDP lock (§12.8.2.4): all fields, only those listed, or all but those listed. */
export interface FieldLockSpec {
  action: 'All' | 'Include' | 'Exclude';
  /** Fully qualified field names (for Include and Exclude). */
  fields?: string[];
}

// The certification level is read where verification reads it; the official flow imports it from here.
export { certificationLevel } from '../reader/mdp.js';

/** An earlier signature and what signing it locked. */
interface EarlierSignature extends FieldMdp {
  fieldName: string;
}

/** The document's signatures (not its timestamps) and what each locked. */
function earlierSignatures(doc: PdfDocument): EarlierSignature[] {
  return findSignatures(doc)
    .filter((sig) => sig.type === 'signature')
    .map((sig) => ({
      fieldName: sig.fieldName,
      ...signatureFieldMdp(doc, { dictionary: sig.objectNumber, field: sig.fieldObjectNumber }),
    }));
}

/**
 * Refuses what earlier signatures forbid: an approval signature under DocMDP /P 1, a certification
 * that would not be the first signature, a field an earlier signature locked, and an approval
 * signature after one whose FieldMDP lock sets /P 1 (PDF 2.0, §12.8.2.4: no changes after it —
 * verification holds that signature broken by any later one).
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
  const earlier = earlierSignatures(doc);
  const locker = earlier.find((sig) => isLocked(sig.locks, intent.fieldName));
  if (locker)
    throw new PdfError(
      'PDF_SIGN_FIELD_LOCKED',
      `the field "${intent.fieldName}" is locked by the signature "${locker.fieldName}" (FieldMDP)`,
      { messageVi: `trường "${intent.fieldName}" đã bị chữ ký "${locker.fieldName}" khóa (FieldMDP)` },
    );
  const final = earlier.find((sig) => sig.p === 1);
  if (intent.kind !== 'timestamp' && final)
    throw new PdfError(
      'PDF_SIGN_DOCMDP_FORBIDS',
      `the signature "${final.fieldName}" permits no changes after it (FieldMDP /P 1): no further signature may be added`,
      {
        messageVi: `chữ ký "${final.fieldName}" không cho phép thay đổi nào sau nó (FieldMDP /P 1): không thể thêm chữ ký nào nữa`,
      },
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

/**
 * The lock an existing field carries (its /Lock), for the signature that fills it to repeat, with
 * its PDF 2.0 /P as a level (one the standard does not define is copied as 1, the strictest).
 */
export function fieldLock(doc: PdfDocument, field: PdfDict): { lock: FieldLockSpec; p?: MdpLevel } | null {
  const entry = field.get('Lock');
  const { lock, p } = readLock(doc, entry);
  // A lock kyso cannot read would be dropped by signing: refuse rather than sign the field unlocked.
  if (!lock && doc.deref(entry) instanceof PdfDict)
    throw new PdfError(
      'PDF_SIGN_FIELD_LOCK_INVALID',
      "the field's /Lock has an /Action the standard does not define (All, Include or Exclude): signing it could not apply the lock its author meant",
      {
        messageVi:
          '/Lock của trường có /Action không được tiêu chuẩn định nghĩa (All, Include hoặc Exclude): ký vào trường này không áp dụng được khóa mà người tạo muốn',
      },
    );
  if (!lock) return null;
  return p === null ? { lock } : { lock, p };
}
