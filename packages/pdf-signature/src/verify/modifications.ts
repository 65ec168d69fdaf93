import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { type FieldLock, isLocked, readLock, referencedFieldMdp } from '../reader/mdp.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../reader/objects.js';
import {
  describePermissions,
  type FormNode,
  formNodes,
  type ModificationPermissions,
  noChangesBy,
  permissionsOf,
} from './permissions.js';
import { REFERRER_LIMITS, ReferrerIndex } from './referrers.js';
import { widgetShows } from './widget-visibility.js';

/**
 * What changed after a signature, judged conservatively: the only updates kyso allows after a
 * signature are the ones that add later signatures and long-term validation data — a new signature
 * field with its widget, signature dictionary and appearance; the catalog gaining /AcroForm or
 * /DSS; the form's /Fields and a page's /Annots growing by signature fields; DSS/VRI dictionaries
 * and the certificates, CRLs and OCSP responses they hold; document timestamps; the update's own
 * xref and object streams. Anything else — page content, pages, resources, fonts, annotations that
 * are not signature widgets, a signed object overridden with other content — is disallowed, with
 * the object named. Within the signer's permissions (`permissions.ts`: the certification's DocMDP
 * level and this signature's FieldMDP locks) form filling is allowed too — a field's value and its
 * widgets' appearance, including an appearance stream no one else uses being replaced — and, at
 * DocMDP level 3 only, annotations.
 */

import type { ModificationLevel } from '@kyso/core';

export type { ModificationLevel } from '@kyso/core';

/**
 * The named rules of the modification analysis: each change after a signature is judged by one of
 * them, and the report names it (pyHanko's diff analysis and ISO 32000-2 §12.8.2 after which they
 * are modelled grade the same kinds of change).
 */
export type ModificationRule =
  /** Later signatures: new signature fields, widgets, signature dictionaries and their appearances. */
  | 'later-signature'
  /** Certification at /P 1 permits no further signature or form filling (§12.8.2.2.2). */
  | 'docmdp-no-changes'
  /** Long-term validation data: the DSS dictionary, its certificates, CRLs, OCSP responses, VRI. */
  | 'validation-data'
  /** Document metadata: the /Info dictionary and the XMP stream. */
  | 'metadata'
  /** Form filling: a field's value and its widgets' appearance and state (approval, /P 2, /P 3). */
  | 'form-filling'
  /** FieldMDP: a field locked by the signature being analysed. */
  | 'field-lock'
  /** A later signer's lock setting ReadOnly on exactly the fields it locks. */
  | 'lock-read-only'
  /** The form's default resources (/DR, /DA) filled, which no page or appearance uses. */
  | 'form-default-resources'
  /** Annotations, permitted only at DocMDP /P 3. */
  | 'annotations'
  /** The logical structure gaining what a new annotation needs. */
  | 'logical-structure'
  /** Developer extensions and /Version raised, never lowered. */
  | 'developer-extensions'
  /** iText's version stamp on the page tree's root. */
  | 'producer-stamp'
  /** An appearance replaced without the value it shows (Shadow attacks) or a signed signature's appearance. */
  | 'appearance-replaced'
  /** A signature field that shows something without a signature (Sneaky Signature). */
  | 'unsigned-signature-field'
  /** An empty signature field that shows nothing, reserved for a later signer. */
  | 'reserved-signature-field'
  /** A number the signed revision referred to, defined only later (a reference redirect). */
  | 'reference-redirect'
  /** An object of the signed revision deleted. */
  | 'object-deleted'
  /** The form changed other than by signature fields. */
  | 'form-structure'
  /** A page changed other than in its annotations. */
  | 'page-content'
  /** Anything else an update overrides in the signed revision. */
  | 'object-overridden'
  /** Bytes appended without a cross-reference section. */
  | 'appended-data'
  /** The final revision's cross-reference chain does not build on the signed one (rollback). */
  | 'revision-chain'
  /** The file after the signed revision is damaged and was read by a scan. */
  | 'damaged-file'
  /** The analysis hit a limit or could not read an object. */
  | 'analysis-limit';

/** Every {@link ModificationRule}, for reports and for the test that each has a sample. */
export const MODIFICATION_RULES: readonly ModificationRule[] = [
  'later-signature',
  'docmdp-no-changes',
  'validation-data',
  'metadata',
  'form-filling',
  'field-lock',
  'lock-read-only',
  'form-default-resources',
  'annotations',
  'logical-structure',
  'developer-extensions',
  'producer-stamp',
  'appearance-replaced',
  'unsigned-signature-field',
  'reserved-signature-field',
  'reference-redirect',
  'object-deleted',
  'form-structure',
  'page-content',
  'object-overridden',
  'appended-data',
  'revision-chain',
  'damaged-file',
  'analysis-limit',
];

/** One change after a signature and the rule that judged it. */
export interface ModificationFinding {
  rule: ModificationRule;
  verdict: 'allowed' | 'disallowed';
  /** What changed, in English. */
  reason: string;
  /** What changed, in Vietnamese (the same finding as {@link ModificationFinding.reason}). */
  reasonVi: string;
}

/** What changed after a signature: the level, each finding, and the deciding findings as text. */
export interface ModificationReport {
  level: ModificationLevel;
  /** Each change and the rule that judged it. */
  findings: ModificationFinding[];
  /** The findings that decided the level, in English, the rule named in each: `… (rule: form-filling)`. */
  reasons: string[];
  /**
   * The same findings in Vietnamese, in the same order, the rule named in each with its id
   * unchanged: `… (quy tắc: 'form-filling')`.
   */
  reasonsVi: string[];
}

/** A finding's text in both languages. */
interface Reason {
  en: string;
  vi: string;
}

/** A report from findings: disallowed if any finding is; the reasons that decided it, each naming its rule. */
function reportOf(level: ModificationLevel, findings: ModificationFinding[]): ModificationReport {
  const deciding = level === 'disallowed' ? findings.filter((f) => f.verdict === 'disallowed') : findings;
  return {
    level,
    findings,
    reasons: deciding.map((f) => `${f.reason} (rule: ${f.rule})`),
    reasonsVi: deciding.map((f) => `${f.reasonVi} (quy tắc: '${f.rule}')`),
  };
}

function same(a: PdfValue | undefined, b: PdfValue | undefined, depth = 0): boolean {
  if (depth > 64) return false;
  if (a === b) return true;
  if (a instanceof PdfRef && b instanceof PdfRef) return a.num === b.num && a.gen === b.gen;
  if (a instanceof PdfName && b instanceof PdfName) return a.name === b.name;
  if (a instanceof PdfString && b instanceof PdfString)
    return a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => same(x, b[i], depth + 1));
  if (a instanceof PdfDict && b instanceof PdfDict) {
    if (a.map.size !== b.map.size) return false;
    for (const [k, v] of a.map) if (!same(v, b.map.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof PdfStream && b instanceof PdfStream) return false;
  return false;
}

/**
 * Why the final revision does not build on the signed one, or undefined when it does: its
 * cross-reference chain must reach the signed revision's own section, through sections appended
 * after the signature, each one's `/Prev` pointing further back than itself. (A linearized file's
 * first-page section and a hybrid file's `/XRefStm` belong to the revisions they were written in,
 * so they are never on this stretch of the chain.)
 */
function chainsToSignedRevision(
  doc: PdfDocument,
  signed: PdfDocument,
  signedEnd: number,
): Reason | undefined {
  const target = signed.sections[0]!.offset;
  const at = doc.sections.findIndex((s) => s.offset === target);
  if (at < 0)
    return {
      en: `the final revision's cross-reference chain does not lead to the signed revision's (at byte ${target}): a later /Prev skips it, so a viewer shows a state that was never signed`,
      vi: `chuỗi bảng tham chiếu chéo của phiên bản cuối không dẫn về bảng của phiên bản đã ký (tại byte ${target}): một /Prev về sau bỏ qua nó, nên trình xem hiển thị một trạng thái chưa từng được ký`,
    };
  for (let i = 0; i < at; i += 1) {
    const section = doc.sections[i]!;
    if (section.offset < signedEnd)
      return {
        en: `the cross-reference section at byte ${section.offset}, in the chain after the signature, lies inside the signed revision`,
        vi: `bảng tham chiếu chéo tại byte ${section.offset}, trong chuỗi sau chữ ký, lại nằm trong phiên bản đã ký`,
      };
    const next = doc.sections[i + 1]!;
    if (next.offset >= section.offset)
      return {
        en: `the cross-reference section at byte ${section.offset} points forward with /Prev to byte ${next.offset}`,
        vi: `bảng tham chiếu chéo tại byte ${section.offset} dùng /Prev trỏ về phía sau, tới byte ${next.offset}`,
      };
  }
  return undefined;
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(a: PdfDict, b: PdfDict): string[] {
  const keys = new Set([...a.map.keys(), ...b.map.keys()]);
  return [...keys].filter((k) => !same(a.get(k), b.get(k)));
}

function refsIn(value: PdfValue | undefined): number[] {
  return Array.isArray(value) ? value.filter((v): v is PdfRef => v instanceof PdfRef).map((r) => r.num) : [];
}

/** Whether `after` keeps every reference of `before` and only adds. */
function grewOnly(before: PdfValue | undefined, after: PdfValue | undefined): number[] | null {
  const b = refsIn(before);
  const a = refsIn(after);
  if (!Array.isArray(after) || (before !== undefined && !Array.isArray(before))) return null;
  if (!b.every((n) => a.includes(n))) return null;
  return a.filter((n) => !b.includes(n));
}

/**
 * Compares the document after the signed revision (ending at `signedEnd`) with the final one.
 * `signature` names the signature's dictionary and field objects, whose FieldMDP locks apply.
 */
export function analyseModifications(
  doc: PdfDocument,
  signedEnd: number,
  signature: { dictionary: number | null; field: number | null } = { dictionary: null, field: null },
  limits: { maxObjects: number; maxReferences: number } = REFERRER_LIMITS,
): ModificationReport {
  try {
    return analyse(doc, signedEnd, signature, limits);
  } catch (error) {
    // An object the later updates bring (or one they make us compare) that cannot be read: what
    // it shows cannot be judged, so it is a change kyso does not allow, not a crash.
    if (!(error instanceof PdfError)) throw error;
    if (error.code === 'PDF_BUDGET_EXCEEDED')
      return reportOf('indeterminate', [
        {
          rule: 'analysis-limit',
          verdict: 'disallowed',
          reason: `${error.message} (${error.code})`,
          reasonVi: `${error.messageVi} (${error.code})`,
        },
      ]);
    return reportOf('disallowed', [
      {
        rule: 'analysis-limit',
        verdict: 'disallowed',
        reason: `an object changed after signing cannot be read (${error.code}: ${error.message})`,
        reasonVi: `không đọc được một đối tượng bị thay đổi sau khi ký (${error.code}: ${error.messageVi})`,
      },
    ]);
  }
}

function analyse(
  doc: PdfDocument,
  signedEnd: number,
  signature: { dictionary: number | null; field: number | null },
  limits: { maxObjects: number; maxReferences: number },
): ModificationReport {
  if (signedEnd >= doc.length) return reportOf('none', []);
  // Bytes after the last revision that no cross-reference section describes: a viewer that
  // repairs files may show them (the incremental saving attack without an xref).
  if (!onlyWhitespace(doc, Math.max(doc.lastRevisionEnd(), signedEnd))) {
    return reportOf('disallowed', [
      {
        rule: 'appended-data',
        verdict: 'disallowed',
        reason: 'data was appended after the last revision without a cross-reference section',
        reasonVi: 'có dữ liệu được nối thêm sau phiên bản cuối cùng mà không có bảng tham chiếu chéo',
      },
    ]);
  }
  // Nothing read by a scan can be judged acceptable (ISO 32000-2 does not define repair).
  if (doc.reconstruction && signedEnd < doc.length) {
    return reportOf('disallowed', [
      {
        rule: 'damaged-file',
        verdict: 'disallowed',
        reason: `the file after byte ${doc.reconstruction.intactEnd} is damaged (${doc.reconstruction.reason}) and could only be read by scanning for objects: what it shows is not covered by this signature`,
        reasonVi: `tệp bị hỏng từ sau byte ${doc.reconstruction.intactEnd} (${doc.reconstruction.reasonVi}) và chỉ đọc được bằng cách dò tìm từng đối tượng: những gì phần đó hiển thị không được chữ ký này bảo đảm`,
      },
    ]);
  }
  const before = doc.revisionAt(signedEnd);
  const chainProblem = chainsToSignedRevision(doc, before, signedEnd);
  if (chainProblem)
    return reportOf('disallowed', [
      { rule: 'revision-chain', verdict: 'disallowed', reason: chainProblem.en, reasonVi: chainProblem.vi },
    ]);
  const { changed, freed } = doc.differencesFrom(before);
  const permissions = permissionsOf(before, signature);
  const form = formNodes(before);
  const findings: ModificationFinding[] = [];
  const reject = (rule: ModificationRule, reason: string, reasonVi: string) =>
    findings.push({ rule, verdict: 'disallowed', reason, reasonVi });
  const permit = (rule: ModificationRule, reason: string, reasonVi: string) =>
    findings.push({ rule, verdict: 'allowed', reason, reasonVi });
  const permits = describePermissions(permissions);
  /** A page's annotation list: signature widgets may join; other annotations only at /P 3. */
  const judgeAnnots = (oldList: PdfValue | undefined, newList: PdfValue | undefined, where: Reason) => {
    const oldAnnots = refsIn(oldList);
    const newAnnots = refsIn(newList);
    for (const n of oldAnnots.filter((x) => !newAnnots.includes(x))) {
      if (permissions.docMdp === 3 && !form.has(n) && isAnnotation(before.resolve(new PdfRef(n, 0))))
        permit(
          'annotations',
          `annotation ${n} was removed from ${where.en} (the certification permits annotations, /P 3)`,
          `chú thích ${n} bị gỡ khỏi ${where.vi} (chữ ký chứng nhận cho phép chú thích, /P 3)`,
        );
      else
        reject(
          'annotations',
          `annotation ${n} was removed from ${where.en}`,
          `chú thích ${n} bị gỡ khỏi ${where.vi}`,
        );
    }
    for (const n of newAnnots.filter((x) => !oldAnnots.includes(x))) {
      if (kinds.get(n) === 'signature-field') continue;
      const annot = doc.resolve(new PdfRef(n, 0));
      if (permissions.docMdp === 3 && isAnnotation(annot) && !isWidget(annot))
        permit(
          'annotations',
          `annotation ${n} was added to ${where.en} (the certification permits annotations, /P 3)`,
          `chú thích ${n} được thêm vào ${where.vi} (chữ ký chứng nhận cho phép chú thích, /P 3)`,
        );
      else
        reject(
          'annotations',
          `an annotation ${n} that is not a signature widget was added to ${where.en} (${permits.en} permits no annotations)`,
          `một chú thích ${n} không phải widget của chữ ký được thêm vào ${where.vi} (${permits.vi} không cho phép chú thích)`,
        );
    }
  };
  const kinds = new Map<number, string>();
  for (const num of changed) {
    const after = doc.resolve(new PdfRef(num, 0));
    const dict = after instanceof PdfStream ? after.dict : after instanceof PdfDict ? after : undefined;
    const type = dict?.name('Type');
    // A stream of the file's structure, or validation data: kinds only a new object may take. An
    // object the signed revision had is judged by what it was, whatever keys it now shows.
    const added = !before.has(num);
    if (type === 'XRef' || type === 'ObjStm') {
      if (added) kinds.set(num, 'structure');
      continue;
    }
    if (!dict) continue;
    if (type === 'Sig' || type === 'DocTimeStamp' || dict.get('ByteRange') !== undefined) {
      kinds.set(num, 'signature');
      // Level 1 forbids signing; document timestamps are validation data (ISO 32000-2 §12.8.2.2.2).
      if (permissions.docMdp === 1 && type !== 'DocTimeStamp' && dict.name('SubFilter') !== 'ETSI.RFC3161')
        reject(
          'docmdp-no-changes',
          `a signature (object ${num}) was added although ${noChangesBy(permissions).en}`,
          `một chữ ký (đối tượng ${num}) được thêm vào dù ${noChangesBy(permissions).vi}`,
        );
    } else if (
      // A signature field, or its widget (a dictionary, never a stream): an annotation of another
      // kind claiming /FT /Sig is judged as the annotation it is, and an object the signed revision
      // had counts only if it was one then.
      after instanceof PdfDict &&
      isSignatureFieldShape(doc, after) &&
      (added || isSignatureFieldShape(before, before.resolve(new PdfRef(num, 0))))
    ) {
      kinds.set(num, 'signature-field');
    } else if (
      type === 'DSS' ||
      dict.get('VRI') !== undefined ||
      dict.get('Certs') !== undefined ||
      dict.get('OCSPs') !== undefined ||
      dict.get('CRLs') !== undefined
    ) {
      if (added) kinds.set(num, 'dss');
    }
  }
  // Widgets a signature field lists as /Kids are part of it, with or without a /Parent back.
  const kidOf = new Map<number, number>();
  for (const [num, kind] of [...kinds]) {
    if (kind !== 'signature-field') continue;
    const field = doc.resolve(new PdfRef(num, 0));
    const kidList = field instanceof PdfDict ? doc.deref(field.get('Kids')) : undefined;
    for (const kid of refsIn(kidList)) {
      if (!changed.has(kid) || !isWidget(doc.resolve(new PdfRef(kid, 0)))) continue;
      kidOf.set(kid, num);
      if (!kinds.has(kid)) kinds.set(kid, 'signature-field');
    }
  }
  const finalForm = doc.deref(doc.catalog().get('AcroForm'));
  // With /NeedAppearances true a viewer redraws fields from the default resources: then they show.
  const needAppearances =
    finalForm instanceof PdfDict && doc.deref(finalForm.get('NeedAppearances')) === true;
  /**
   * Whether signature field or widget `num` now carries a signature of its own: its value (its /V,
   * or its parent's) is a signature dictionary added after the signed revision that no other field
   * names. A /V that is not one (0, an earlier signature's dictionary, a shared one) signs nothing.
   */
  let valueOwners: Map<number, number> | undefined;
  let listedFields: Map<number, FormNode> | undefined;
  const signedNow = (num: number): boolean => {
    // Only a field the form lists (through /Fields and /Kids) is a signature anyone verifies.
    listedFields ??= formNodes(doc);
    if (!listedFields.has(num)) return false;
    const parent = kidOf.get(num);
    const v = fieldValue(doc, num) ?? (parent === undefined ? undefined : fieldValue(doc, parent));
    if (!(v instanceof PdfRef) || before.has(v.num) || kinds.get(v.num) !== 'signature') return false;
    const signature = doc.resolve(v);
    if (
      !(signature instanceof PdfDict) ||
      !Array.isArray(doc.deref(signature.get('ByteRange'))) ||
      !(doc.deref(signature.get('Contents')) instanceof PdfString)
    )
      return false;
    if (!valueOwners) {
      valueOwners = new Map();
      for (const [n, kind] of kinds) {
        if (kind !== 'signature-field') continue;
        const own = doc.resolve(new PdfRef(n, 0));
        const value = own instanceof PdfDict ? own.get('V') : undefined;
        if (value instanceof PdfRef) valueOwners.set(value.num, (valueOwners.get(value.num) ?? 0) + 1);
      }
    }
    return (valueOwners.get(v.num) ?? 0) <= 1;
  };
  /**
   * A signature widget that shows something without a signature of its own is how the Sneaky
   * Signature attack paints over a signed page. A widget whose appearance draws nothing (a field
   * reserved for a later signer) shows nothing, unless a viewer draws it from /MK or is told to
   * redraw fields (/NeedAppearances).
   */
  const paintsUnsigned = (num: number): boolean => {
    if (signedNow(num)) return false;
    const dict = doc.resolve(new PdfRef(num, 0));
    return dict instanceof PdfDict && widgetShows(doc, dict, needAppearances);
  };
  for (const [num, kind] of kinds) {
    if (kind === 'signature-field' && !before.has(num) && paintsUnsigned(num))
      reject(
        'unsigned-signature-field',
        `a signature field ${num} that shows something but carries no new signature was added`,
        `một trường chữ ký ${num} có hiển thị nhưng không mang chữ ký mới nào được thêm vào`,
      );
  }
  let referrersCache: ReferrerIndex | undefined;
  const referrers = () => {
    referrersCache ??= ReferrerIndex.build(before, limits);
    return referrersCache;
  };
  // Arrays that are the form's /Fields or a page's /Annots in the signed revision.
  const structuralArrays = new Set<number>();
  const oldForm = before.deref(before.catalog().get('AcroForm'));
  if (oldForm instanceof PdfDict && oldForm.get('Fields') instanceof PdfRef)
    structuralArrays.add((oldForm.get('Fields') as PdfRef).num);
  /** An object changed under a form rule must be reachable only through the form and pages. */
  const onlyStructural = (num: number): boolean => {
    for (const r of referrers().get(num)) {
      if (r === -1) return false;
      if (!structuralReferrer(before, r, structuralArrays)) return false;
    }
    return true;
  };
  const catalogNum = refNum(doc.trailer.get('Root'));
  const beforeCatalogNum = refNum(before.trailer.get('Root'));
  // What only long-term validation data, the logical structure or the developer extensions of the
  // signed revision use: none of it changes what a page shows.
  const territoryOf = (key: string) =>
    beforeCatalogNum === undefined
      ? new Set<number>()
      : exclusiveTerritory(before, beforeCatalogNum, key, referrers);
  const dssTerritory = territoryOf('DSS');
  const structure = beforeCatalogNum === undefined ? new Map() : structureObjects(before, referrers);
  let annotated: Set<number> | undefined;
  /** Every annotation a page of the final document lists. */
  const annotatedNow = () => {
    annotated ??= pageAnnotations(doc);
    return annotated;
  };
  const extensionsTerritory = territoryOf('Extensions');
  let defaultResources: Set<number> | undefined;
  const inDefaultResources = (n: number) => {
    defaultResources ??= formDefaultResources(before, beforeCatalogNum, referrers);
    return defaultResources.has(n);
  };
  /** The fields that signatures added after this one lock (their /Lock, or their FieldMDP). */
  let laterLocks: FieldLock[] | undefined;
  const lockedLater = (name: string) => {
    laterLocks ??= [...kinds]
      .flatMap(([n, kind]) => {
        const v = doc.resolve(new PdfRef(n, 0));
        if (!(v instanceof PdfDict)) return [];
        if (kind === 'signature') return referencedFieldMdp(doc, v).locks;
        if (kind === 'signature-field' && !before.has(n)) return [readLock(doc, v.get('Lock')).lock];
        return [];
      })
      .filter((l): l is FieldLock => l !== null);
    return isLocked(laterLocks, name);
  };
  /** Whether a field's /Ff changed only by gaining ReadOnly (bit 1), as a later signer's lock sets it. */
  const readOnlyAdded = (old: PdfDict, now: PdfDict) => {
    const was = before.deref(old.get('Ff'));
    const is = doc.deref(now.get('Ff'));
    const a = typeof was === 'number' ? was : 0;
    return typeof is === 'number' && (is | 1) === is && (a | 1) === is;
  };
  for (const num of freed) {
    if (!before.has(num) || dssTerritory.has(num)) continue;
    if (permissions.docMdp === 3 && !form.has(num) && isAnnotation(before.resolve(new PdfRef(num, 0))))
      permit(
        'annotations',
        `annotation ${num} was deleted (the certification permits annotations, /P 3)`,
        `chú thích ${num} bị xóa (chữ ký chứng nhận cho phép chú thích, /P 3)`,
      );
    else if (permissions.docMdp === 3 && isAnnotsArray(before, num, referrers()))
      // Its entries are judged where the page's /Annots changed.
      permit(
        'annotations',
        `the annotation array ${num} was deleted (the certification permits annotations, /P 3)`,
        `mảng chú thích ${num} bị xóa (chữ ký chứng nhận cho phép chú thích, /P 3)`,
      );
    else
      reject(
        'object-deleted',
        `object ${num} of the signed revision was deleted`,
        `đối tượng ${num} của phiên bản đã ký bị xóa`,
      );
  }
  // The trailer names the catalog and the encryption every object is read with: an update may keep
  // them, never change them (a new catalog can carry a new page tree; a new /Encrypt turns the
  // signed streams into noise for a viewer).
  for (const key of ['Root', 'Encrypt'] as const)
    if (!same(before.trailer.get(key), doc.trailer.get(key)))
      reject(
        'object-overridden',
        `the trailer's /${key} changed after signing`,
        `/${key} của phần trailer bị thay đổi sau khi ký`,
      );
  const catalog = doc.catalog();
  let metadataAdded = false;
  // Document metadata may change with every save: the /Info dictionary and the XMP stream.
  // Only the objects that were the Info dictionary and the XMP stream when it was signed, still of
  // their kind and used by nothing else: a final /Info or /Metadata can point anywhere.
  const infoBefore = refNum(before.trailer.get('Info'));
  const metadataBefore = refNum(before.catalog().get('Metadata'));
  const metadataNow = new Set(
    [refNum(doc.trailer.get('Info')), refNum(catalog.get('Metadata'))].filter((n) => n !== undefined),
  );
  for (const num of changed) {
    // What a viewer reads for this number must be what kyso reads: the object the cross-reference
    // names, under the generation the signed revision gave it.
    if (!doc.definesItself(num))
      reject(
        'damaged-file',
        `the cross-reference places object ${num} where another object (or none) is defined`,
        `bảng tham chiếu chéo đặt đối tượng ${num} ở chỗ định nghĩa một đối tượng khác (hoặc không có gì)`,
      );
    if (before.has(num) && doc.generationOf(num) !== before.generationOf(num))
      reject(
        'object-overridden',
        `object ${num} of the signed revision was redefined under generation ${doc.generationOf(num)}`,
        `đối tượng ${num} của phiên bản đã ký bị định nghĩa lại với thế hệ ${doc.generationOf(num)}`,
      );
    if (
      (num === infoBefore && isInfoDictionary(before, num) && isInfoDictionary(doc, num)) ||
      (num === metadataBefore && isMetadataStream(before, num) && isMetadataStream(doc, num))
    ) {
      // Referred to by a trailer (a cross-reference stream's dictionary is one) or the catalog only.
      const fromTrailerOrCatalog = (r: number) => {
        if (r === -1 || r === beforeCatalogNum) return true;
        const v = before.resolve(new PdfRef(r, 0));
        return v instanceof PdfStream && v.dict.name('Type') === 'XRef';
      };
      if (referrers().get(num).every(fromTrailerOrCatalog)) {
        kinds.set(num, 'metadata');
        continue;
      }
    }
    // New metadata objects are judged as any new object (one the signed revision referred to is a
    // redirect); they are named in what the update added.
    if (!before.has(num) && metadataNow.has(num)) metadataAdded = true;
    if (kinds.has(num)) {
      if (!before.has(num) && referrers().has(num)) {
        // A catalog signed with /DSS naming an object never written: filling it with a DSS adds
        // validation data and shows nothing (Acrobat and others leave such dangling references).
        if (kinds.get(num) === 'dss' && onlyCatalogDss(before, beforeCatalogNum, num, referrers()))
          permit(
            'validation-data',
            `the DSS the signed catalog already named (object ${num}) was written`,
            `DSS mà từ điển gốc (Catalog) đã ký đã trỏ tới (đối tượng ${num}) được ghi vào`,
          );
        else
          reject(
            'reference-redirect',
            `the signed revision already referred to object ${num}, which a later update defines as a signature part`,
            `phiên bản đã ký đã tham chiếu tới đối tượng ${num}, mà một lần cập nhật sau mới định nghĩa thành một phần của chữ ký`,
          );
      } else if (before.has(num) && kinds.get(num) === 'signature-field') {
        // An existing, empty signature field may receive its value and appearance — if nothing
        // but the form and its page reach it (else the change shows somewhere unchecked).
        if (!onlyStructural(num))
          reject(
            'later-signature',
            `signature field ${num} is also reachable from outside the form and the pages`,
            `trường chữ ký ${num} còn được tham chiếu từ bên ngoài biểu mẫu và các trang`,
          );
        const old = before.resolve(new PdfRef(num, 0));
        const now = doc.resolve(new PdfRef(num, 0));
        const node = form.get(num);
        if (node && isLocked(permissions.locks, node.name) && !same(old, now))
          reject(
            'field-lock',
            `signature field "${node.name}" is locked by this signature (FieldMDP) and was changed`,
            `trường chữ ký "${node.name}" bị chữ ký này khóa (FieldMDP) nhưng đã bị thay đổi`,
          );
        if (old instanceof PdfDict && now instanceof PdfDict) {
          const keys = changedKeys(old, now).filter(
            (k) =>
              !['V', 'AP', 'AS', 'F', 'M'].includes(k) &&
              !(k === 'Ff' && node && readOnlyAdded(old, now) && lockedLater(node.name)),
          );
          if (old.get('V') !== undefined && !same(old.get('V'), now.get('V')))
            reject(
              'later-signature',
              `signature field ${num} already had a value and it was replaced`,
              `trường chữ ký ${num} đã có giá trị và giá trị đó bị thay thế`,
            );
          else if (keys.length > 0)
            reject(
              'later-signature',
              `signature field ${num} changed in ${keys.join(', ')}`,
              `trường chữ ký ${num} bị thay đổi ở ${keys.join(', ')}`,
            );
          else if (fieldValue(before, num) !== undefined) {
            // Signed when this signature was made: it keeps what it showed. Locking it is allowed.
            const flags = (d: PdfDict) => {
              const f = d.get('F');
              return typeof f === 'number' ? f : 0;
            };
            const hidden = ((flags(old) ^ flags(now)) & ~LOCK_FLAGS) !== 0;
            if (hidden || !same(old.get('AP'), now.get('AP')) || !same(old.get('AS'), now.get('AS')))
              reject(
                'appearance-replaced',
                `the ${hidden ? 'flags' : 'appearance'} of signature field ${num}, already signed, changed`,
                `${hidden ? 'cờ hiển thị' : 'hình hiển thị'} của trường chữ ký ${num}, vốn đã được ký, bị thay đổi`,
              );
          } else {
            // An empty field: it may receive a signature of its own, and nothing else that shows.
            if (fieldValue(doc, num) !== undefined && !signedNow(num))
              reject(
                'later-signature',
                `signature field ${num} received a value that is not a new signature of its own`,
                `trường chữ ký ${num} nhận một giá trị không phải chữ ký mới của chính nó`,
              );
            else if (PAINT_KEYS.some((k) => !same(old.get(k), now.get(k))) && paintsUnsigned(num))
              reject(
                'unsigned-signature-field',
                `signature field ${num}, empty when signed, now shows something but carries no new signature`,
                `trường chữ ký ${num}, còn trống khi ký, nay có hiển thị nhưng không mang chữ ký mới nào`,
              );
          }
        }
      } else if (before.has(num) && kinds.get(num) === 'signature') {
        reject(
          'later-signature',
          `the signature dictionary ${num} of the signed revision was overridden`,
          `từ điển chữ ký ${num} của phiên bản đã ký bị ghi đè`,
        );
      }
      continue;
    }
    if (!before.has(num)) {
      // A new object matters only through what refers to it. Changed objects that refer to it are
      // judged by the rules here; but if the signed revision already referred to this number, the
      // update fills in something that was signed as empty: disallowed (a reference redirect).
      if (referrers().has(num)) {
        reject(
          'reference-redirect',
          `the signed revision already referred to object ${num}, which a later update defines (${describe(doc.resolve(new PdfRef(num, 0))).en})`,
          `phiên bản đã ký đã tham chiếu tới đối tượng ${num}, mà một lần cập nhật sau mới định nghĩa (${describe(doc.resolve(new PdfRef(num, 0))).vi})`,
        );
      }
      continue;
    }
    // Long-term validation data of the signed revision may be updated, extended or replaced.
    if (dssTerritory.has(num)) {
      permit(
        'validation-data',
        `long-term validation data of the signed revision (object ${num}) was updated`,
        `dữ liệu xác thực dài hạn của phiên bản đã ký (đối tượng ${num}) được cập nhật`,
      );
      continue;
    }
    if (inDefaultResources(num)) {
      if (needAppearances)
        reject(
          'form-default-resources',
          `the form's default resources (object ${num}) changed while viewers are told to redraw fields from them (/NeedAppearances)`,
          `tài nguyên mặc định của biểu mẫu (đối tượng ${num}) bị thay đổi trong khi trình xem được yêu cầu vẽ lại các trường từ đó (/NeedAppearances)`,
        );
      else
        permit(
          'form-default-resources',
          `the form's default resources (object ${num}) were filled in`,
          `tài nguyên mặc định của biểu mẫu (đối tượng ${num}) được bổ sung`,
        );
      continue;
    }
    const old = before.resolve(new PdfRef(num, 0));
    const now = doc.resolve(new PdfRef(num, 0));
    if (structure.has(num)) {
      const why = structureChange(
        structure.get(num)!,
        old,
        now,
        permissions.docMdp === 3 ? (n) => !annotatedNow().has(n) : () => false,
      );
      if (why)
        reject(
          'logical-structure',
          `the logical structure changed: object ${num} ${why.en}`,
          `cấu trúc logic bị thay đổi: đối tượng ${num} ${why.vi}`,
        );
      else
        permit(
          'logical-structure',
          `the logical structure (object ${num}) gained what a new annotation needs`,
          `cấu trúc logic (đối tượng ${num}) được bổ sung phần một chú thích mới cần`,
        );
      continue;
    }
    if (extensionsTerritory.has(num)) {
      if (!extensionsRaised(before, doc, old, now))
        reject(
          'developer-extensions',
          `the developer extensions (object ${num}) were lowered or removed`,
          `phần mở rộng của nhà phát triển (đối tượng ${num}) bị hạ cấp hoặc bị gỡ bỏ`,
        );
      else
        permit(
          'developer-extensions',
          `the developer extensions (object ${num}) were raised`,
          `phần mở rộng của nhà phát triển (đối tượng ${num}) được nâng cấp`,
        );
      continue;
    }
    if (old instanceof PdfStream || now instanceof PdfStream) {
      const owners = appearanceOwners(before, num, form, referrers());
      const refusal = owners
        ? owners
            .map(({ node, widget }) =>
              node.signature
                ? // Only a signature field being signed now may get a new appearance: one that was
                  // already signed keeps the appearance it was signed with.
                  beingSigned(before, doc, widget) && signedNow(widget)
                  ? undefined
                  : {
                      en: `the appearance of signature field "${node.name}", already signed, was replaced`,
                      vi: `hình hiển thị của trường chữ ký "${node.name}", vốn đã được ký, bị thay thế`,
                    }
                : (fillRefusal(node, permissions) ??
                  (valueChanged(before, doc, widget)
                    ? undefined
                    : {
                        en: `the appearance of form field "${node.name}" was replaced but its value did not change`,
                        vi: `hình hiển thị của trường biểu mẫu "${node.name}" bị thay thế nhưng giá trị của trường không đổi`,
                      })),
            )
            .find(Boolean)
        : undefined;
      const signing = owners?.some(({ node }) => node.signature) && permissions.docMdp === 1;
      if (owners && owners.length > 0 && refusal === undefined && !signing && now instanceof PdfStream)
        permit(
          'form-filling',
          `the appearance of field "${owners[0]!.node.name}" was replaced`,
          `hình hiển thị của trường "${owners[0]!.node.name}" được thay mới`,
        );
      else if (refusal) reject('appearance-replaced', refusal.en, refusal.vi);
      else
        reject(
          'object-overridden',
          `object ${num} (${describe(old).en}) of the signed revision was overridden`,
          `đối tượng ${num} (${describe(old).vi}) của phiên bản đã ký bị ghi đè`,
        );
      continue;
    }
    if (Array.isArray(old) && Array.isArray(now)) {
      // An indirect /Annots array follows the page's rule; /Fields (or any other array) may only
      // grow by signature fields.
      if (!structuralArrays.has(num) && isAnnotsArray(before, num, referrers())) {
        judgeAnnots(old, now, { en: `the annotation array ${num}`, vi: `mảng chú thích ${num}` });
        continue;
      }
      // The form's /Fields may gain signature fields anywhere; any other array keeps its entries,
      // in order and unchanged (numbers too: a /MediaBox), and may only be followed by new ones.
      const added = structuralArrays.has(num)
        ? grewOnly(old, now)
        : old.length <= now.length && old.every((v, i) => same(v, now[i]))
          ? now.slice(old.length).map((v) => (v instanceof PdfRef ? v.num : -1))
          : null;
      if (added === null)
        reject(
          'form-structure',
          `the array object ${num} of the signed revision lost or replaced entries`,
          `mảng (đối tượng ${num}) của phiên bản đã ký bị mất hoặc bị thay phần tử`,
        );
      else
        for (const n of added)
          if (kinds.get(n) !== 'signature-field')
            reject(
              'form-structure',
              `${n < 0 ? 'a value' : `object ${n}`}, not a signature field, was added to the array ${num}`,
              `${n < 0 ? 'một giá trị' : `đối tượng ${n}`}, không phải trường chữ ký, được thêm vào mảng ${num}`,
            );
      continue;
    }
    if (!(old instanceof PdfDict) || !(now instanceof PdfDict)) {
      if (!same(old, now))
        reject(
          'object-overridden',
          `object ${num} of the signed revision was overridden`,
          `đối tượng ${num} của phiên bản đã ký bị ghi đè`,
        );
      continue;
    }
    const keys = changedKeys(old, now);
    if (keys.length === 0) continue;
    const node = form.get(num);
    if (node && !node.signature) {
      // Form filling: a field's value, its widgets' appearance and state; nothing else of either.
      // A later signer's lock sets ReadOnly on the fields it locks (ISO 32000-2 §12.7.5.5): that
      // changes nothing shown, and is allowed on exactly those fields.
      const readOnly = keys.includes('Ff') && readOnlyAdded(old, now) && lockedLater(node.name);
      const fillKeys = keys.filter((k) => !(k === 'Ff' && readOnly));
      if (readOnly)
        permit(
          'lock-read-only',
          `form field "${node.name}" was made read-only by the lock of a later signature`,
          `trường biểu mẫu "${node.name}" được đặt chỉ đọc theo khóa của một chữ ký sau`,
        );
      if (fillKeys.length === 0) continue;
      const other = fillKeys.filter(
        (k) => !FILL_KEYS.includes(k) && !(k === 'MK' && permissions.docMdp === 3),
      );
      const refusal = fillRefusal(node, permissions);
      if (refusal)
        reject(permissions.docMdp === 1 ? 'docmdp-no-changes' : 'field-lock', refusal.en, refusal.vi);
      else if (other.length > 0)
        reject(
          'form-filling',
          `form field "${node.name}" changed in ${other.join(', ')}`,
          `trường biểu mẫu "${node.name}" bị thay đổi ở ${other.join(', ')}`,
        );
      else if (!valueChanged(before, doc, num))
        // What a field shows changed but what it holds did not: not form filling, an overlay (the
        // Shadow "replace" attack prepares a value and swaps the appearance after signing).
        reject(
          'appearance-replaced',
          `form field "${node.name}" shows a new appearance but its value did not change`,
          `trường biểu mẫu "${node.name}" hiển thị hình mới nhưng giá trị của trường không đổi`,
        );
      else
        permit(
          'form-filling',
          `form field "${node.name}" was filled`,
          `trường biểu mẫu "${node.name}" được điền`,
        );
      continue;
    }
    if (permissions.docMdp === 3 && isAnnotation(old) && isAnnotation(now)) {
      permit(
        'annotations',
        `annotation ${num} was modified (the certification permits annotations, /P 3)`,
        `chú thích ${num} được sửa (chữ ký chứng nhận cho phép chú thích, /P 3)`,
      );
      continue;
    }
    if (num === catalogNum) {
      const bad = keys.filter(
        (k) =>
          !['AcroForm', 'DSS', 'Metadata'].includes(k) &&
          !(k === 'Version' && versionRaised(old.get('Version'), now.get('Version'))) &&
          !(
            k === 'Extensions' && extensionsRaised(before, doc, old.get('Extensions'), now.get('Extensions'))
          ),
      );
      if (bad.length > 0)
        reject(
          'object-overridden',
          `the catalog changed in ${bad.join(', ')}`,
          `từ điển gốc (Catalog) bị thay đổi ở ${bad.join(', ')}`,
        );
      if (old.get('DSS') !== undefined && now.get('DSS') === undefined)
        reject(
          'validation-data',
          'the long-term validation data (/DSS) was removed',
          'dữ liệu kiểm tra dài hạn (/DSS) bị gỡ bỏ',
        );
      for (const k of keys.filter((k) => (k === 'Extensions' || k === 'Version') && !bad.includes(k)))
        permit(
          'developer-extensions',
          `the catalog's /${k} was raised`,
          `/${k} của từ điển gốc (Catalog) được nâng cấp`,
        );
      continue;
    }
    if (old.get('Fields') !== undefined || now.get('Fields') !== undefined) {
      // The AcroForm: fields may only be added, and only signature fields.
      const bad = keys.filter((k) => !['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k));
      if (bad.length > 0)
        reject(
          'form-structure',
          `the form changed in ${bad.join(', ')}`,
          `biểu mẫu bị thay đổi ở ${bad.join(', ')}`,
        );
      const added = grewOnly(
        doc.deref(old.get('Fields')) as PdfValue,
        doc.deref(now.get('Fields')) as PdfValue,
      );
      if (added === null)
        reject(
          'form-structure',
          'form fields were removed or replaced',
          'các trường biểu mẫu bị gỡ bỏ hoặc bị thay thế',
        );
      else
        for (const n of added)
          if (kinds.get(n) !== 'signature-field')
            reject(
              'form-structure',
              `a form field ${n} that is not a signature was added`,
              `một trường biểu mẫu ${n} không phải trường chữ ký được thêm vào`,
            );
      continue;
    }
    if (old.name('Type') === 'Page') {
      // /StructParents ties the page to the logical structure; /Tabs is the keyboard order of its
      // annotations (an annotation change, so level 3): neither changes what the page shows.
      const bad = keys.filter(
        (k) => k !== 'Annots' && k !== 'StructParents' && !(k === 'Tabs' && permissions.docMdp === 3),
      );
      if (bad.length > 0)
        reject(
          'page-content',
          `page object ${num} changed in ${bad.join(', ')}`,
          `đối tượng trang ${num} bị thay đổi ở ${bad.join(', ')}`,
        );
      judgeAnnots(before.deref(old.get('Annots')), doc.deref(now.get('Annots')), {
        en: `page object ${num}`,
        vi: `đối tượng trang ${num}`,
      });
      continue;
    }
    // iText stamps its version (/ITXT) on the page tree's root with every save: it shows nothing.
    if (old.name('Type') === 'Pages' && keys.every((k) => k === 'ITXT')) {
      permit(
        'producer-stamp',
        `iText's version stamp on the page tree (object ${num}) was rewritten`,
        `dấu phiên bản của iText trên cây trang (đối tượng ${num}) được ghi lại`,
      );
      continue;
    }
    reject(
      'object-overridden',
      `object ${num} (${describe(old).en}) of the signed revision changed in ${keys.join(', ')}`,
      `đối tượng ${num} (${describe(old).vi}) của phiên bản đã ký bị thay đổi ở ${keys.join(', ')}`,
    );
  }
  if (findings.some((f) => f.verdict === 'disallowed')) return reportOf('disallowed', findings);
  if (changed.size === 0 && freed.size === 0) return reportOf('none', []);
  // What the update added that needs no permission, named by rule.
  const added = new Set(kinds.values());
  const newFields = [...kinds].filter(([n, kind]) => kind === 'signature-field' && !before.has(n));
  if (added.has('signature') || newFields.some(([n]) => signedNow(n)))
    permit(
      'later-signature',
      'a later signature or document timestamp was added',
      'một chữ ký số hoặc dấu thời gian văn bản được thêm vào sau',
    );
  if (newFields.some(([n]) => !signedNow(n)))
    permit(
      'reserved-signature-field',
      'an empty signature field that shows nothing was added for a later signer',
      'một trường chữ ký trống, không hiển thị gì, được thêm vào cho người ký sau',
    );
  if (added.has('dss'))
    permit(
      'validation-data',
      'long-term validation data (DSS) was added or updated',
      'dữ liệu kiểm tra dài hạn (DSS) được thêm vào hoặc cập nhật',
    );
  if (added.has('metadata') || metadataAdded)
    permit('metadata', 'the document metadata was updated', 'siêu dữ liệu của văn bản được cập nhật');
  if (findings.length === 0)
    permit(
      'later-signature',
      'later updates only add signatures or validation data',
      'các lần cập nhật sau chỉ thêm chữ ký số hoặc dữ liệu kiểm tra',
    );
  return reportOf('allowed', findings);
}

/**
 * What form filling may change: a field's value (/V, and /I, a choice field's selected indices),
 * a widget's appearance and appearance state. (/MK, how the widget is drawn, only at level 3.)
 */
const FILL_KEYS = ['V', 'I', 'AS', 'AP'];

/**
 * Objects of the signed revision reachable from the catalog's `key` that nothing else uses: every
 * referrer is inside the set, or the catalog under that key alone.
 */
function exclusiveTerritory(
  before: PdfDocument,
  catalogNum: number,
  key: string,
  referrers: () => ReferrerIndex,
): Set<number> {
  const catalog = before.resolve(new PdfRef(catalogNum, 0));
  if (!(catalog instanceof PdfDict)) return new Set();
  return territory(
    before,
    { num: catalogNum, value: catalog.get(key) },
    (n) => [...catalog.map].some(([k, v]) => k !== key && holdsRef(v, n)),
    referrers,
  );
}

/**
 * Objects of the signed revision reachable from `holder.value` (a value of object `holder.num`)
 * that nothing else uses: every referrer is inside the set, or the holder through that value
 * alone (`elsewhere(n)` says whether the holder also names `n` some other way).
 */
function territory(
  before: PdfDocument,
  holder: { num: number; value: PdfValue | undefined },
  elsewhere: (n: number) => boolean,
  referrers: () => ReferrerIndex,
): Set<number> {
  const reach = new Set<number>();
  // Without the value there is nothing to find, and no need to index every object's references.
  if (holder.value === undefined) return reach;
  const catalogNum = holder.num;
  const stack: (PdfValue | undefined)[] = [holder.value];
  while (stack.length > 0 && reach.size < 200_000) {
    const v = stack.pop();
    if (v instanceof PdfRef) {
      if (reach.has(v.num) || !before.has(v.num)) continue;
      reach.add(v.num);
      stack.push(before.resolve(v));
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v instanceof PdfDict) stack.push(...v.map.values());
    else if (v instanceof PdfStream) stack.push(...v.dict.map.values());
  }
  // Drop what something outside also uses, until nothing more drops.
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const n of reach) {
      for (const r of referrers().get(n)) {
        if (reach.has(r) || (r === catalogNum && !elsewhere(n))) continue;
        reach.delete(n);
        dropped = true;
        break;
      }
    }
  }
  return reach;
}

/** Whether the catalog's /DSS is the only reference the signed revision has to object `num`. */
function onlyCatalogDss(
  before: PdfDocument,
  catalogNum: number | undefined,
  num: number,
  referrers: ReferrerIndex,
): boolean {
  if (catalogNum === undefined) return false;
  const catalog = before.resolve(new PdfRef(catalogNum, 0));
  if (!(catalog instanceof PdfDict) || refNum(catalog.get('DSS')) !== num) return false;
  if ([...catalog.map].some(([k, v]) => k !== 'DSS' && holdsRef(v, num))) return false;
  return referrers.get(num).every((r) => r === catalogNum);
}

/**
 * The objects only the form's default resources (/DR) use in the signed revision: fonts and
 * encodings viewers use to draw fields that have no appearance of their own.
 */
function formDefaultResources(
  before: PdfDocument,
  catalogNum: number | undefined,
  referrers: () => ReferrerIndex,
): Set<number> {
  if (catalogNum === undefined) return new Set();
  const catalog = before.resolve(new PdfRef(catalogNum, 0));
  if (!(catalog instanceof PdfDict)) return new Set();
  const formRef = catalog.get('AcroForm');
  const form = before.deref(formRef);
  if (!(form instanceof PdfDict) || form.get('DR') === undefined) return new Set();
  const elsewhereInForm = (n: number) => [...form.map].some(([k, v]) => k !== 'DR' && holdsRef(v, n));
  if (formRef instanceof PdfRef)
    return territory(before, { num: formRef.num, value: form.get('DR') }, elsewhereInForm, referrers);
  // A form written inline in the catalog: the catalog holds the /DR, through /AcroForm only.
  return territory(
    before,
    { num: catalogNum, value: form.get('DR') },
    (n) => elsewhereInForm(n) || [...catalog.map].some(([k, v]) => k !== 'AcroForm' && holdsRef(v, n)),
    referrers,
  );
}

/** What part of the logical structure (§14.7) an object of the signed revision is. */
type StructurePart = 'root' | 'element' | 'parent-tree';

/**
 * The logical structure of the signed revision: its root, every structure element under it, and
 * the parent tree's nodes and arrays (kept only when nothing but the parent tree refers to them).
 */
function structureObjects(before: PdfDocument, referrers: () => ReferrerIndex): Map<number, StructurePart> {
  const out = new Map<number, StructurePart>();
  const rootRef = before.catalog().get('StructTreeRoot');
  const root = before.deref(rootRef);
  if (!(root instanceof PdfDict) || root.name('Type') !== 'StructTreeRoot') return out;
  if (rootRef instanceof PdfRef) out.set(rootRef.num, 'root');
  const isElement = (v: PdfValue | undefined) =>
    v instanceof PdfDict &&
    (v.name('Type') === 'StructElem' || (v.name('S') !== undefined && v.get('P') !== undefined));
  const elements: (PdfValue | undefined)[] = [root.get('K')];
  while (elements.length > 0 && out.size < 200_000) {
    const k = elements.pop();
    if (Array.isArray(k)) elements.push(...k);
    else if (k instanceof PdfRef && !out.has(k.num)) {
      const v = before.resolve(k);
      if (!isElement(v)) continue; // an object reference's target or marked content: not structure
      out.set(k.num, 'element');
      elements.push((v as PdfDict).get('K'));
    } else if (k instanceof PdfDict && isElement(k)) elements.push(k.get('K'));
  }
  const tree: (PdfValue | undefined)[] = [root.get('ParentTree')];
  const treeNodes = new Set<number>();
  const arrays: number[] = [];
  while (tree.length > 0 && treeNodes.size < 200_000) {
    const t = tree.pop();
    const node = before.deref(t);
    if (t instanceof PdfRef) {
      if (treeNodes.has(t.num)) continue;
      treeNodes.add(t.num);
    }
    if (!(node instanceof PdfDict)) continue;
    const kids = before.deref(node.get('Kids'));
    if (Array.isArray(kids)) tree.push(...kids);
    const nums = before.deref(node.get('Nums'));
    if (Array.isArray(nums))
      for (let i = 1; i < nums.length; i += 2)
        if (nums[i] instanceof PdfRef) arrays.push((nums[i] as PdfRef).num);
  }
  // A node or array that anything but the parent tree uses is judged as what else it is.
  const onlyTree = (n: number) =>
    referrers()
      .get(n)
      .every((r) => treeNodes.has(r) || out.get(r) === 'root');
  for (const n of treeNodes) if (!out.has(n) && onlyTree(n)) out.set(n, 'parent-tree');
  for (const n of arrays)
    if (!out.has(n) && Array.isArray(before.resolve(new PdfRef(n, 0))) && onlyTree(n))
      out.set(n, 'parent-tree');
  return out;
}

/**
 * Why a change to an object of the logical structure is not allowed, or undefined: structure
 * elements may gain kids (a new annotation's object reference) and, where annotations may be
 * removed, lose an annotation's; the root may change its parent tree, and the parent tree its
 * entries; nothing else of the structure (roles, alternate or actual text, removed
 * elements) may change. None of it changes what a page shows.
 */
function structureChange(
  part: StructurePart,
  old: PdfValue,
  now: PdfValue,
  removedAnnotation: (num: number) => boolean,
): Reason | undefined {
  const replaced = { en: 'was replaced', vi: 'bị thay thế' };
  const changedIn = (keys: string[]) => ({
    en: `changed in ${keys.join(', ')}`,
    vi: `bị thay đổi ở ${keys.join(', ')}`,
  });
  if (part === 'parent-tree') {
    if (Array.isArray(now)) return undefined;
    if (!(old instanceof PdfDict) || !(now instanceof PdfDict)) return replaced;
    const bad = changedKeys(old, now).filter((k) => !['Nums', 'Kids', 'Limits'].includes(k));
    return bad.length > 0 ? changedIn(bad) : undefined;
  }
  if (
    !(old instanceof PdfDict) ||
    !(now instanceof PdfDict) ||
    old instanceof PdfStream ||
    now instanceof PdfStream
  )
    return replaced;
  const keys = changedKeys(old, now);
  const allowed = part === 'root' ? ['K', 'ParentTree', 'ParentTreeNextKey'] : ['K'];
  const bad = keys.filter((k) => !allowed.includes(k));
  if (bad.length > 0) return changedIn(bad);
  if (keys.includes('K')) {
    const list = (v: PdfValue | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
    const after = list(now.get('K'));
    // A kid that refers to an annotation goes with the annotation, where annotations may go (/P 3).
    const goneAnnotation = (k: PdfValue) => {
      const obj = k instanceof PdfDict && k.name('Type') === 'OBJR' ? k.get('Obj') : undefined;
      return obj instanceof PdfRef && removedAnnotation(obj.num);
    };
    const lost = list(old.get('K')).filter((k) => !after.some((a) => same(a, k)));
    if (lost.some((k) => !goneAnnotation(k))) return { en: 'lost kids', vi: 'mất phần tử con' };
  }
  return undefined;
}

/** Page tree nodes walked before the analysis gives up (and says so): the reader's object limit. */
const MAX_PAGE_NODES = 10_000_000;

/** The annotations every page of `doc` lists (the page tree walked from the catalog, bounded). */
function pageAnnotations(doc: PdfDocument): Set<number> {
  const out = new Set<number>();
  const seen = new Set<number>();
  const stack: (PdfValue | undefined)[] = [doc.catalog().get('Pages')];
  while (stack.length > 0) {
    if (seen.size > MAX_PAGE_NODES)
      throw new PdfError('PDF_BUDGET_EXCEEDED', `the page tree has more than ${MAX_PAGE_NODES} nodes`, {
        messageVi: `cây trang có hơn ${MAX_PAGE_NODES} nút`,
      });
    const ref = stack.pop();
    if (!(ref instanceof PdfRef) || seen.has(ref.num)) continue;
    seen.add(ref.num);
    const node = doc.resolve(ref);
    if (!(node instanceof PdfDict)) continue;
    const kids = doc.deref(node.get('Kids'));
    if (Array.isArray(kids)) stack.push(...kids);
    for (const n of refsIn(doc.deref(node.get('Annots')))) out.add(n);
  }
  return out;
}

/** Whether a /Version name stayed or was raised (`/2.0` after `/1.7`), never lowered. */
function versionRaised(old: PdfValue | undefined, now: PdfValue | undefined): boolean {
  const v = (x: PdfValue | undefined) => (x instanceof PdfName ? Number.parseFloat(x.name) : Number.NaN);
  if (now === undefined) return old === undefined;
  return old === undefined ? !Number.isNaN(v(now)) : v(now) >= v(old);
}

/**
 * Whether developer extensions (§7.12) were only added or raised: every prefix of the signed
 * revision is still there, at the same or a higher base version and extension level.
 */
function extensionsRaised(
  before: PdfDocument,
  doc: PdfDocument,
  old: PdfValue | undefined,
  now: PdfValue | undefined,
): boolean {
  const levels = (d: PdfDocument, v: PdfValue | undefined) => {
    const out = new Map<string, { base: number; level: number }>();
    const dict = d.deref(v);
    if (!(dict instanceof PdfDict)) return out;
    for (const [prefix, entry] of dict.map) {
      if (prefix === 'Type') continue;
      const list = d.deref(entry);
      for (const e of Array.isArray(list) ? list : [list]) {
        const ext = d.deref(e);
        if (!(ext instanceof PdfDict)) continue;
        const base = ext.get('BaseVersion');
        const level = d.deref(ext.get('ExtensionLevel'));
        const seen = out.get(prefix);
        const next = {
          base: base instanceof PdfName ? Number.parseFloat(base.name) : 0,
          level: typeof level === 'number' ? level : 0,
        };
        if (!seen || next.base > seen.base || (next.base === seen.base && next.level > seen.level))
          out.set(prefix, next);
      }
    }
    return out;
  };
  const was = levels(before, old);
  const is = levels(doc, now);
  for (const [prefix, { base, level }] of was) {
    const n = is.get(prefix);
    if (!n || n.base < base || (n.base === base && n.level < level)) return false;
  }
  return true;
}

/** Why filling `node` is not permitted, or undefined when it is. */
function fillRefusal(node: FormNode, permissions: ModificationPermissions): Reason | undefined {
  if (permissions.docMdp === 1)
    return {
      en: `form field "${node.name}" changed although ${noChangesBy(permissions).en}`,
      vi: `trường biểu mẫu "${node.name}" bị thay đổi dù ${noChangesBy(permissions).vi}`,
    };
  if (isLocked(permissions.locks, node.name))
    return {
      en: `form field "${node.name}" is locked by this signature (FieldMDP) and was changed`,
      vi: `trường biểu mẫu "${node.name}" bị chữ ký này khóa (FieldMDP) nhưng đã bị thay đổi`,
    };
  return undefined;
}

/**
 * The widgets whose appearance stream `num` is, when every reference to it in the signed revision
 * comes from a widget's /AP (directly, or through an indirect appearance dictionary only widgets
 * use); undefined when anything else uses it (a page, a resource dictionary, a private key).
 */
function appearanceOwners(
  before: PdfDocument,
  num: number,
  form: Map<number, FormNode>,
  referrers: ReferrerIndex,
  depth = 0,
): { node: FormNode; widget: number }[] | undefined {
  const from = referrers.get(num);
  if (from.length === 0 || depth > 1) return undefined;
  const owners: { node: FormNode; widget: number }[] = [];
  for (const r of from) {
    const node = form.get(r);
    if (node?.widget) {
      const widget = before.resolve(new PdfRef(r, 0));
      const ap = widget instanceof PdfDict ? widget.get('AP') : undefined;
      if (!(widget instanceof PdfDict) || !(holdsRef(ap, num) || holdsRef(before.deref(ap), num)))
        return undefined;
      // The widget must not also name it elsewhere (under a key of its own).
      for (const [key, value] of widget.map) if (key !== 'AP' && holdsRef(value, num)) return undefined;
      owners.push({ node, widget: r });
      continue;
    }
    // An indirect appearance dictionary (/AP n 0 R): it must hold only appearances, used by widgets.
    const dict = r >= 0 ? before.resolve(new PdfRef(r, 0)) : undefined;
    if (!(dict instanceof PdfDict) || [...dict.map.keys()].some((k) => !['N', 'R', 'D'].includes(k)))
      return undefined;
    const via = appearanceOwners(before, r, form, referrers, depth + 1);
    if (!via) return undefined;
    owners.push(...via);
  }
  return owners;
}

/**
 * Whether the value of the field that node `num` is (or is a widget of) differs between the signed
 * revision and the final one: /V on the node or on its parents, or the widget's state /AS.
 */
function valueChanged(before: PdfDocument, doc: PdfDocument, num: number): boolean {
  let oldNode: PdfValue | undefined = before.resolve(new PdfRef(num, 0));
  let newNode: PdfValue | undefined = doc.resolve(new PdfRef(num, 0));
  if (oldNode instanceof PdfDict && newNode instanceof PdfDict && !same(oldNode.get('AS'), newNode.get('AS')))
    return true;
  for (let depth = 0; depth < 8 && oldNode instanceof PdfDict && newNode instanceof PdfDict; depth += 1) {
    if (!same(before.deref(oldNode.get('V')), doc.deref(newNode.get('V')))) return true;
    oldNode = before.deref(oldNode.get('Parent'));
    newNode = doc.deref(newNode.get('Parent'));
  }
  return false;
}

/** Annotation flags Locked (128) and LockedContents (512): they change nothing that is shown. */
const LOCK_FLAGS = 128 | 512;

/** The entries of a widget that decide what it shows. */
const PAINT_KEYS = ['AP', 'AS', 'MK', 'F', 'Rect'];

/** The value of field (or widget) `num`: its own /V, or the nearest parent's (not resolved). */
function fieldValue(d: PdfDocument, num: number): PdfValue | undefined {
  let node: PdfValue | undefined = d.resolve(new PdfRef(num, 0));
  for (let depth = 0; depth < 8 && node instanceof PdfDict; depth += 1) {
    if (node.get('V') !== undefined) return node.get('V');
    node = d.deref(node.get('Parent'));
  }
  return undefined;
}

/** Whether signature field (or widget) `num` had no value in the signed revision and has one now. */
function beingSigned(before: PdfDocument, doc: PdfDocument, num: number): boolean {
  return fieldValue(before, num) === undefined && fieldValue(doc, num) !== undefined;
}

/** Whether `value` holds a reference to `num` (in an appearance dictionary's states). */
function holdsRef(value: PdfValue | undefined, num: number, depth = 0): boolean {
  if (depth > 3 || value === undefined) return false;
  if (value instanceof PdfRef) return value.num === num;
  if (Array.isArray(value)) return value.some((v) => holdsRef(v, num, depth + 1));
  if (value instanceof PdfDict) return [...value.map.values()].some((v) => holdsRef(v, num, depth + 1));
  return false;
}

/** Whether array `num` is some page's /Annots in the signed revision. */
function isAnnotsArray(before: PdfDocument, num: number, referrers: ReferrerIndex): boolean {
  for (const r of referrers.get(num)) {
    const page = r >= 0 ? before.resolve(new PdfRef(r, 0)) : undefined;
    if (page instanceof PdfDict && page.name('Type') === 'Page' && refNum(page.get('Annots')) === num)
      return true;
  }
  return false;
}

function isAnnotation(value: PdfValue | undefined): boolean {
  return (
    value instanceof PdfDict &&
    (value.name('Type') === 'Annot' ||
      (value.get('Subtype') !== undefined && value.get('Rect') !== undefined))
  );
}

function isWidget(value: PdfValue | undefined): boolean {
  return value instanceof PdfDict && value.name('Subtype') === 'Widget';
}

function onlyWhitespace(doc: PdfDocument, from: number): boolean {
  // Read a megabyte at a time: the tail is normally a line break, but an attacker's may be long.
  for (let start = from; start < doc.length; start += 1 << 20) {
    for (const b of doc.source.read(start, start + (1 << 20)))
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x00 && b !== 0x0c) return false;
  }
  return true;
}

/**
 * Whether `referrer` (in the signed revision) is a place a form field or widget may legitimately
 * be reached from: the form, its /Fields array, a page or its /Annots array, or a parent field.
 */
function structuralReferrer(before: PdfDocument, referrer: number, structuralArrays: Set<number>): boolean {
  if (structuralArrays.has(referrer)) return true;
  const v = before.resolve(new PdfRef(referrer, 0));
  if (!(v instanceof PdfDict)) return false;
  return v.get('Fields') !== undefined || v.name('Type') === 'Page' || v.get('Kids') !== undefined;
}

/**
 * Whether `value` is shaped as a signature field or its widget. (A /Subtype given indirectly is not
 * absent: viewers resolve it, so such an annotation is judged as an annotation.)
 */
function isSignatureFieldShape(doc: PdfDocument, value: PdfValue | undefined): boolean {
  if (!(value instanceof PdfDict)) return false;
  return (
    (value.get('Subtype') === undefined && value.name('FT') === 'Sig') ||
    (value.name('Subtype') === 'Widget' && (value.name('FT') === 'Sig' || isSigParent(doc, value)))
  );
}

function isSigParent(doc: PdfDocument, dict: PdfDict): boolean {
  const parent = doc.deref(dict.get('Parent'));
  return parent instanceof PdfDict && parent.name('FT') === 'Sig';
}

/** Whether object `num` is an Info dictionary: a plain dictionary, not a stream, no /Type of a page part. */
function isInfoDictionary(doc: PdfDocument, num: number): boolean {
  const v = doc.resolve(new PdfRef(num, 0));
  return v instanceof PdfDict && v.get('Type') === undefined && v.get('Subtype') === undefined;
}

/** Whether object `num` is an XMP metadata stream (`/Type /Metadata`). */
function isMetadataStream(doc: PdfDocument, num: number): boolean {
  const v = doc.resolve(new PdfRef(num, 0));
  return v instanceof PdfStream && v.dict.name('Type') === 'Metadata';
}

function refNum(v: PdfValue | undefined): number | undefined {
  return v instanceof PdfRef ? v.num : undefined;
}

/** What kind of PDF value an object is, for a reason: `a stream /Image`, `/Page`, `an array`. */
function describe(value: PdfValue | undefined): Reason {
  if (value instanceof PdfStream) {
    const subtype = value.dict.name('Subtype') ? ` /${value.dict.name('Subtype')}` : '';
    return { en: `a stream${subtype}`, vi: `một luồng${subtype}` };
  }
  if (value instanceof PdfDict) {
    const t = value.name('Type') ?? value.name('Subtype');
    return t ? { en: `/${t}`, vi: `/${t}` } : { en: 'a dictionary', vi: 'một từ điển' };
  }
  if (Array.isArray(value)) return { en: 'an array', vi: 'một mảng' };
  const kind = typeof value;
  const vi: Partial<Record<typeof kind, string>> = {
    number: 'một số',
    boolean: 'một giá trị đúng/sai',
    undefined: 'không có giá trị',
  };
  return { en: kind, vi: vi[kind] ?? 'một giá trị' };
}
