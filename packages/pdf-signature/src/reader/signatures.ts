import { PdfError } from '../errors.js';
import type { PdfDocument } from './document.js';
import { PdfDict, PdfRef, PdfString, type PdfValue } from './objects.js';

/** A signature (or document timestamp) as the PDF declares it, before any cryptography. */
export interface PdfSignatureField {
  /** Fully qualified field name (`Signature1`, `form.sig2`). */
  fieldName: string;
  /**
   * `/Sig`, `/DocTimeStamp`, or a usage-rights signature (`/Perms /UR3` or `/UR`, or a signature
   * whose `/Reference` has `/TransformMethod /UR3`): the signature a vendor puts on a form to
   * unlock features in its reader (ISO 32000-2 §12.8.2.3), not a signature of the document.
   */
  type: 'signature' | 'timestamp' | 'usage-rights';
  filter: string | null;
  subFilter: string | null;
  /** The four numbers of /ByteRange, as written (validated later). */
  byteRange: number[] | null;
  /** The /Contents bytes (the CMS or timestamp token, zero-padded). */
  contents: Uint8Array | null;
  /** Offsets of the /Contents hex string: `<` and just past `>`. */
  contentsStart: number | null;
  contentsEnd: number | null;
  /** /M as written. */
  claimedSigningTime: string | null;
  reason: string | null;
  location: string | null;
  name: string | null;
  /** The object number of the signature dictionary, when indirect. */
  objectNumber: number | null;
  /** The object number of the signature field (its /Lock says what signing it locks). */
  fieldObjectNumber: number | null;
  /**
   * The certificates of /Cert (a string or an array of strings), the signer's first: where
   * `adbe.x509.rsa_sha1` keeps them (ISO 32000-1 §12.8.3.2). Null when there is no /Cert.
   */
  certificates: Uint8Array[] | null;
}

const MAX_FIELDS = 10_000;

/** Every signature field with a value, in the order the AcroForm lists them. */
export function findSignatures(doc: PdfDocument): PdfSignatureField[] {
  const catalog = doc.catalog();
  const acroForm = doc.deref(catalog.get('AcroForm'));
  if (!(acroForm instanceof PdfDict)) return [];
  const fields = doc.deref(acroForm.get('Fields'));
  if (!Array.isArray(fields)) return [];
  const out: PdfSignatureField[] = [];
  const seen = new Set<number>();
  let visited = 0;
  const walk = (items: PdfValue[], parentName: string, inheritedFt: string | undefined, depth: number) => {
    if (depth > 32)
      throw new PdfError('PDF_REFERENCE_LOOP', 'form fields nest too deeply', {
        messageVi: 'các trường biểu mẫu lồng quá sâu',
      });
    for (const item of items) {
      if (item instanceof PdfRef) {
        if (seen.has(item.num)) continue;
        seen.add(item.num);
      }
      visited += 1;
      if (visited > MAX_FIELDS)
        throw new PdfError('PDF_BUDGET_EXCEEDED', 'too many form fields', {
          messageVi: 'quá nhiều trường biểu mẫu',
        });
      const field = doc.deref(item);
      if (!(field instanceof PdfDict)) continue;
      const t = field.get('T');
      const partial = t instanceof PdfString ? t.text() : '';
      const name = partial ? (parentName ? `${parentName}.${partial}` : partial) : parentName;
      const ft = field.name('FT') ?? inheritedFt;
      const kids = doc.deref(field.get('Kids'));
      if (Array.isArray(kids)) walk(kids, name, ft, depth + 1);
      if (ft !== 'Sig') continue;
      const vRef = field.get('V');
      const v = doc.deref(vRef);
      if (!(v instanceof PdfDict)) continue;
      out.push({
        ...describe(doc, v, name, vRef instanceof PdfRef ? vRef.num : null),
        fieldObjectNumber: item instanceof PdfRef ? item.num : null,
      });
    }
  };
  walk(fields, '', undefined, 0);
  out.push(...usageRights(doc, catalog, out));
  return out;
}

/**
 * The usage-rights signatures of the catalog's /Perms (ISO 32000-2 §12.8.4: /UR3, and /UR of
 * PDF 1.5), when no field already holds the same dictionary.
 */
function usageRights(doc: PdfDocument, catalog: PdfDict, found: PdfSignatureField[]): PdfSignatureField[] {
  const perms = doc.deref(catalog.get('Perms'));
  if (!(perms instanceof PdfDict)) return [];
  const out: PdfSignatureField[] = [];
  for (const key of ['UR3', 'UR']) {
    const ref = perms.get(key);
    const v = doc.deref(ref);
    if (!(v instanceof PdfDict)) continue;
    const num = ref instanceof PdfRef ? ref.num : null;
    if (num !== null && found.some((f) => f.objectNumber === num)) continue;
    out.push({ ...describe(doc, v, `Perms/${key}`, num), type: 'usage-rights', fieldObjectNumber: null });
  }
  return out;
}

/** Whether a signature dictionary's /Reference names the UR3 transform (usage rights). */
function isUsageRights(doc: PdfDocument, v: PdfDict): boolean {
  const refs = doc.deref(v.get('Reference'));
  if (!Array.isArray(refs)) return false;
  return refs.some((r) => {
    const d = doc.deref(r);
    return (
      d instanceof PdfDict && (d.name('TransformMethod') === 'UR3' || d.name('TransformMethod') === 'UR')
    );
  });
}

function text(doc: PdfDocument, v: PdfValue | undefined): string | null {
  const d = doc.deref(v);
  return d instanceof PdfString ? d.text() : null;
}

function describe(
  doc: PdfDocument,
  v: PdfDict,
  fieldName: string,
  objectNumber: number | null,
): Omit<PdfSignatureField, 'fieldObjectNumber'> {
  const br = doc.deref(v.get('ByteRange'));
  const contents = v.get('Contents');
  const c = contents instanceof PdfString ? contents : null;
  const cert = doc.deref(v.get('Cert'));
  const certs = (Array.isArray(cert) ? cert.map((x) => doc.deref(x)) : [cert]).filter(
    (x): x is PdfString => x instanceof PdfString,
  );
  return {
    fieldName,
    type: isUsageRights(doc, v)
      ? 'usage-rights'
      : v.name('Type') === 'DocTimeStamp' || v.name('SubFilter') === 'ETSI.RFC3161'
        ? 'timestamp'
        : 'signature',
    filter: v.name('Filter') ?? null,
    subFilter: v.name('SubFilter') ?? null,
    byteRange: Array.isArray(br) && br.every((x) => typeof x === 'number') ? (br as number[]) : null,
    contents: c ? c.bytes : null,
    contentsStart: c ? c.start : null,
    contentsEnd: c ? c.end : null,
    claimedSigningTime: text(doc, v.get('M')),
    reason: text(doc, v.get('Reason')),
    location: text(doc, v.get('Location')),
    name: text(doc, v.get('Name')),
    objectNumber,
    certificates: cert === undefined ? null : certs.map((x) => x.bytes),
  };
}
