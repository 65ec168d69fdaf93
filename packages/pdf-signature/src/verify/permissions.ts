import type { PdfDocument } from '../reader/document.js';
import {
  certificationLevel,
  type FieldLock,
  lowestLevel,
  type MdpLevel,
  type SignatureObjects,
  signatureFieldMdp,
} from '../reader/mdp.js';
import { PdfDict, PdfRef, PdfString, type PdfValue } from '../reader/objects.js';

/**
 * What the signer allowed to change after a signature (ISO 32000-2 §12.8.2.2–12.8.2.4), read from
 * the signed revision by `reader/mdp.ts`, as signing reads it: the certification signature's DocMDP
 * level and this signature's FieldMDP field locks.
 */
export interface ModificationPermissions {
  /**
   * The DocMDP `/P` of the document's certification signature, when the signed revision has one:
   * 1 no changes (long-term validation data aside), 2 form filling and signing, 3 also annotations.
   * `null` when the document is not certified: kyso then allows form filling and signing (what
   * approval signatures exist for), not annotations, which paint over signed pages. A signature's
   * own FieldMDP `/P` (PDF 2.0, §12.8.2.4) can only lower it.
   */
  docMdp: MdpLevel | null;
  /** Where {@link docMdp} comes from: the certification, or this signature's own FieldMDP `/P`. */
  docMdpFrom: 'certification' | 'lock' | null;
  /** What this signature locks (FieldMDP): every lock applies; empty when it locks nothing. */
  locks: FieldLock[];
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
export function permissionsOf(before: PdfDocument, signature: SignatureObjects): ModificationPermissions {
  const own = signatureFieldMdp(before, signature);
  const certified = certificationLevel(before);
  const docMdp = lowestLevel(certified, own.p);
  const docMdpFrom = docMdp === null ? null : docMdp === certified ? 'certification' : 'lock';
  return { docMdp, docMdpFrom, locks: own.locks };
}

/** Who forbids every change (`/P 1`), in both languages, for reasons. */
export function noChangesBy(p: ModificationPermissions): { en: string; vi: string } {
  return p.docMdpFrom === 'lock'
    ? {
        en: "this signature's FieldMDP lock permits no changes (/P 1)",
        vi: 'khóa FieldMDP của chữ ký này không cho phép thay đổi nào (/P 1)',
      }
    : {
        en: 'the certification permits no changes (/P 1)',
        vi: 'chữ ký chứng nhận không cho phép thay đổi nào (/P 1)',
      };
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
