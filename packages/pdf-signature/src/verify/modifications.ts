import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from '../reader/objects.js';

/**
 * What changed after a signature, judged conservatively: the only updates kyso allows after a
 * signature are the ones that add later signatures and long-term validation data — a new signature
 * field with its widget, signature dictionary and appearance; the catalog gaining /AcroForm or
 * /DSS; the form's /Fields and a page's /Annots growing by signature fields; DSS/VRI dictionaries
 * and the certificates, CRLs and OCSP responses they hold; document timestamps; the update's own
 * xref and object streams. Anything else — page content, pages, resources, fonts, annotations that
 * are not signature widgets, a signed object overridden with other content — is disallowed, with
 * the object named. (Form filling within DocMDP/FieldMDP permissions is not yet recognised, so it
 * is reported as disallowed: stricter than needed, never laxer.)
 */

export type ModificationLevel = 'none' | 'allowed' | 'disallowed';

export interface ModificationReport {
  level: ModificationLevel;
  /** Why each change was judged as it was (English; the report translates the level). */
  reasons: string[];
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
 * `signatureObjects` are the signature dictionaries of later signatures (allowed to appear).
 */
export function analyseModifications(doc: PdfDocument, signedEnd: number): ModificationReport {
  try {
    return analyse(doc, signedEnd);
  } catch (error) {
    // An object the later updates bring (or one they make us compare) that cannot be read: what
    // it shows cannot be judged, so it is a change kyso does not allow, not a crash.
    if (!(error instanceof PdfError)) throw error;
    return {
      level: 'disallowed',
      reasons: [`an object changed after signing cannot be read (${error.code}: ${error.message})`],
    };
  }
}

function analyse(doc: PdfDocument, signedEnd: number): ModificationReport {
  if (signedEnd >= doc.length) return { level: 'none', reasons: [] };
  // Bytes after the last revision that no cross-reference section describes: a viewer that
  // repairs files may show them (the incremental saving attack without an xref).
  if (!onlyWhitespace(doc, Math.max(doc.lastRevisionEnd(), signedEnd))) {
    return {
      level: 'disallowed',
      reasons: ['data was appended after the last revision without a cross-reference section'],
    };
  }
  const before = doc.asOf(signedEnd);
  const changed = doc.objectsDefinedFrom(signedEnd);
  const reasons: string[] = [];
  let disallowed = false;
  const reject = (why: string) => {
    disallowed = true;
    reasons.push(why);
  };
  for (const num of doc.objectsFreedFrom(signedEnd)) {
    if (before.has(num)) reject(`object ${num} of the signed revision was deleted`);
  }
  // New objects that later updates are allowed to add, found from the allowed containers.
  const allowedNew = new Set<number>();
  const allowNew = (n: number) => {
    if (!before.has(n)) allowedNew.add(n);
  };
  const kinds = new Map<number, string>();
  for (const num of changed) {
    const after = doc.resolve(new PdfRef(num, 0));
    const dict = after instanceof PdfStream ? after.dict : after instanceof PdfDict ? after : undefined;
    const type = dict?.name('Type');
    if (type === 'XRef' || type === 'ObjStm') {
      kinds.set(num, 'structure');
      continue;
    }
    if (!dict) continue;
    if (type === 'Sig' || type === 'DocTimeStamp' || dict.get('ByteRange') !== undefined)
      kinds.set(num, 'signature');
    else if (
      dict.name('FT') === 'Sig' ||
      (dict.name('Subtype') === 'Widget' && (dict.name('FT') === 'Sig' || isSigParent(doc, dict)))
    ) {
      kinds.set(num, 'signature-field');
      // A signature field that shows an appearance but carries no signature is how the Sneaky
      // Signature attack paints content over a signed page.
      const rect = doc.deref(dict.get('Rect'));
      const visible = Array.isArray(rect) && rect.length === 4 && rect[0] !== rect[2] && rect[1] !== rect[3];
      const parent = doc.deref(dict.get('Parent'));
      const hasValue =
        dict.get('V') !== undefined || (parent instanceof PdfDict && parent.get('V') !== undefined);
      if (visible && dict.get('AP') !== undefined && !hasValue) {
        reject(`a signature field ${num} with a visible appearance but no signature was added`);
      }
      // The widget's appearance streams and the field's value come with it.
      const ap = doc.deref(dict.get('AP'));
      if (ap instanceof PdfDict) for (const v of ap.map.values()) if (v instanceof PdfRef) allowNew(v.num);
      const v = dict.get('V');
      if (v instanceof PdfRef) allowNew(v.num);
    } else if (
      type === 'DSS' ||
      dict.get('VRI') !== undefined ||
      dict.get('Certs') !== undefined ||
      dict.get('OCSPs') !== undefined ||
      dict.get('CRLs') !== undefined
    ) {
      kinds.set(num, 'dss');
      for (const key of ['Certs', 'OCSPs', 'CRLs', 'VRI', 'Cert', 'OCSP', 'CRL']) {
        const v = dict.get(key);
        if (v instanceof PdfRef) allowNew(v.num);
        for (const n of refsIn(doc.deref(v))) allowNew(n);
        const vri = doc.deref(v);
        if (key === 'VRI' && vri instanceof PdfDict) {
          for (const entry of vri.map.values()) {
            if (entry instanceof PdfRef) allowNew(entry.num);
            const e = doc.deref(entry);
            if (e instanceof PdfDict)
              for (const k of ['Cert', 'OCSP', 'CRL', 'TS'])
                for (const n of refsIn(doc.deref(e.get(k)))) allowNew(n);
          }
        }
      }
    }
  }
  let referrersCache: Map<number, Set<number>> | undefined;
  const referrers = () => {
    if (!referrersCache) referrersCache = referrersOf(before);
    return referrersCache;
  };
  const oldRefs = () => new Set(referrers().keys());
  // Arrays that are the form's /Fields or a page's /Annots in the signed revision.
  const structuralArrays = new Set<number>();
  const oldForm = before.deref(before.catalog().get('AcroForm'));
  if (oldForm instanceof PdfDict && oldForm.get('Fields') instanceof PdfRef)
    structuralArrays.add((oldForm.get('Fields') as PdfRef).num);
  /** An object changed under a form rule must be reachable only through the form and pages. */
  const onlyStructural = (num: number): boolean => {
    for (const r of referrers().get(num) ?? []) {
      if (r === -1) return false;
      if (!structuralReferrer(before, r, structuralArrays)) return false;
    }
    return true;
  };
  const catalogNum = refNum(doc.trailer.get('Root'));
  // The DSS dictionary of the final catalog (direct or not) and everything it holds.
  const catalog = doc.catalog();
  const dss = doc.deref(catalog.get('DSS'));
  if (catalog.get('DSS') instanceof PdfRef) allowNew((catalog.get('DSS') as PdfRef).num);
  if (dss instanceof PdfDict) allowReachable(doc, dss, allowNew, 0);
  // Document metadata may change with every save: the /Info dictionary and the XMP stream.
  const infoNum = refNum(doc.trailer.get('Info'));
  const metadataNum = refNum(catalog.get('Metadata'));
  const metadataBefore = refNum(before.catalog().get('Metadata'));
  for (const num of changed) {
    if (num === infoNum || num === metadataNum || num === metadataBefore) {
      kinds.set(num, 'metadata');
      continue;
    }
    if (kinds.has(num)) {
      if (!before.has(num) && oldRefs().has(num)) {
        reject(
          `the signed revision already referred to object ${num}, which a later update defines as a signature part`,
        );
      } else if (before.has(num) && kinds.get(num) === 'signature-field') {
        // An existing, empty signature field may receive its value and appearance — if nothing
        // but the form and its page reach it (else the change shows somewhere unchecked).
        if (!onlyStructural(num))
          reject(`signature field ${num} is also reachable from outside the form and the pages`);
        const old = before.resolve(new PdfRef(num, 0));
        const now = doc.resolve(new PdfRef(num, 0));
        if (old instanceof PdfDict && now instanceof PdfDict) {
          const keys = changedKeys(old, now).filter((k) => !['V', 'AP', 'AS', 'F', 'M'].includes(k));
          if (old.get('V') !== undefined && !same(old.get('V'), now.get('V')))
            reject(`signature field ${num} already had a value and it was replaced`);
          else if (keys.length > 0) reject(`signature field ${num} changed in ${keys.join(', ')}`);
        }
      } else if (before.has(num) && kinds.get(num) === 'signature') {
        reject(`the signature dictionary ${num} of the signed revision was overridden`);
      }
      continue;
    }
    if (!before.has(num)) {
      // A new object matters only through what refers to it. Changed objects that refer to it are
      // judged by the rules here; but if the signed revision already referred to this number, the
      // update fills in something that was signed as empty: disallowed (a reference redirect).
      if (oldRefs().has(num)) {
        reject(
          `the signed revision already referred to object ${num}, which a later update defines (${describe(doc.resolve(new PdfRef(num, 0)))})`,
        );
      }
      continue;
    }
    const old = before.resolve(new PdfRef(num, 0));
    const now = doc.resolve(new PdfRef(num, 0));
    if (old instanceof PdfStream || now instanceof PdfStream) {
      reject(`object ${num} (${describe(old)}) of the signed revision was overridden`);
      continue;
    }
    if (Array.isArray(old) && Array.isArray(now)) {
      // An indirect /Fields or /Annots array may grow by signature fields and widgets.
      const added = grewOnly(old, now);
      if (added === null) reject(`the array object ${num} of the signed revision lost or replaced entries`);
      else
        for (const n of added)
          if (kinds.get(n) !== 'signature-field')
            reject(`object ${n}, not a signature field, was added to the array ${num}`);
      continue;
    }
    if (!(old instanceof PdfDict) || !(now instanceof PdfDict)) {
      if (!same(old, now)) reject(`object ${num} of the signed revision was overridden`);
      continue;
    }
    const keys = changedKeys(old, now);
    if (keys.length === 0) continue;
    if (num === catalogNum) {
      const bad = keys.filter((k) => k !== 'AcroForm' && k !== 'DSS' && k !== 'Metadata');
      if (bad.length > 0) reject(`the catalog changed in ${bad.join(', ')}`);
      continue;
    }
    if (old.get('Fields') !== undefined || now.get('Fields') !== undefined) {
      // The AcroForm: fields may only be added, and only signature fields.
      const bad = keys.filter((k) => !['Fields', 'SigFlags', 'DR', 'DA', 'NeedAppearances'].includes(k));
      if (bad.length > 0) reject(`the form changed in ${bad.join(', ')}`);
      const added = grewOnly(
        doc.deref(old.get('Fields')) as PdfValue,
        doc.deref(now.get('Fields')) as PdfValue,
      );
      if (added === null) reject('form fields were removed or replaced');
      else
        for (const n of added)
          if (kinds.get(n) !== 'signature-field')
            reject(`a form field ${n} that is not a signature was added`);
      continue;
    }
    if (old.name('Type') === 'Page') {
      const bad = keys.filter((k) => k !== 'Annots');
      if (bad.length > 0) reject(`page object ${num} changed in ${bad.join(', ')}`);
      const added = grewOnly(
        doc.deref(old.get('Annots')) as PdfValue,
        doc.deref(now.get('Annots')) as PdfValue,
      );
      if (added === null) reject(`annotations were removed from page object ${num}`);
      else
        for (const n of added)
          if (kinds.get(n) !== 'signature-field')
            reject(`an annotation ${n} that is not a signature widget was added to page object ${num}`);
      continue;
    }
    reject(`object ${num} (${describe(old)}) of the signed revision changed in ${keys.join(', ')}`);
  }
  if (disallowed) return { level: 'disallowed', reasons };
  return {
    level: changed.size > 0 ? 'allowed' : 'none',
    reasons: changed.size > 0 ? ['later updates only add signatures or validation data'] : [],
  };
}

function onlyWhitespace(doc: PdfDocument, from: number): boolean {
  // Read a megabyte at a time: the tail is normally a line break, but an attacker's may be long.
  for (let start = from; start < doc.length; start += 1 << 20) {
    for (const b of doc.source.read(start, start + (1 << 20)))
      if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x00 && b !== 0x0c) return false;
  }
  return true;
}

/** Who refers to whom in `doc`: object number → the objects referring to it (-1 for the trailer). */
function referrersOf(doc: PdfDocument): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  const visit = (from: number, v: PdfValue | undefined, depth: number) => {
    if (depth > 64 || v === undefined) return;
    if (v instanceof PdfRef) {
      const set = out.get(v.num) ?? new Set<number>();
      set.add(from);
      out.set(v.num, set);
    } else if (Array.isArray(v)) for (const x of v) visit(from, x, depth + 1);
    else if (v instanceof PdfDict) for (const x of v.map.values()) visit(from, x, depth + 1);
    else if (v instanceof PdfStream) visit(from, v.dict, depth + 1);
  };
  visit(-1, doc.trailer, 0);
  let count = 0;
  for (const num of doc.objectNumbers()) {
    if (++count > 500_000) break;
    try {
      visit(num, doc.resolve(new PdfRef(num, 0)), 0);
    } catch {
      // an unreadable old object refers to nothing we can see
    }
  }
  return out;
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

/** Allows, as new objects, everything a DSS holds (certificates, CRLs, OCSP responses, VRI). */
function allowReachable(
  doc: PdfDocument,
  value: PdfValue | undefined,
  allow: (n: number) => void,
  depth: number,
): void {
  if (depth > 4 || value === undefined) return;
  if (value instanceof PdfRef) {
    allow(value.num);
    const target = doc.resolve(value);
    if (!(target instanceof PdfStream)) allowReachable(doc, target, allow, depth + 1);
    return;
  }
  if (Array.isArray(value)) for (const v of value) allowReachable(doc, v, allow, depth + 1);
  else if (value instanceof PdfDict)
    for (const v of value.map.values()) allowReachable(doc, v, allow, depth + 1);
}

function isSigParent(doc: PdfDocument, dict: PdfDict): boolean {
  const parent = doc.deref(dict.get('Parent'));
  return parent instanceof PdfDict && parent.name('FT') === 'Sig';
}

function refNum(v: PdfValue | undefined): number | undefined {
  return v instanceof PdfRef ? v.num : undefined;
}

function describe(value: PdfValue | undefined): string {
  if (value instanceof PdfStream)
    return `a stream${value.dict.name('Subtype') ? ` /${value.dict.name('Subtype')}` : ''}`;
  if (value instanceof PdfDict) {
    const t = value.name('Type') ?? value.name('Subtype');
    return t ? `/${t}` : 'a dictionary';
  }
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
