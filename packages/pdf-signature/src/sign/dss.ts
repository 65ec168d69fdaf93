import { zlibSync } from 'fflate';
import { readDocumentSecurityStore } from '../reader/dss.js';
import { PdfDict, PdfName, PdfRef, type PdfValue } from '../reader/objects.js';
import { IncrementalUpdate } from '../writer/incremental.js';
import { PdfRawStream, pdfDict, withEntries } from '../writer/serialize.js';
import { catalogRef, dictAt, editCatalog } from './form.js';

/**
 * The Document Security Store (ISO 32000-2 §12.8.4.3, PAdES B-LT) as its own appended revision:
 * `/DSS` with `/Certs`, `/OCSPs` (full DER OCSPResponses) and `/CRLs`, each item a Flate stream,
 * and optionally `/VRI` entries keyed by the uppercase hex SHA-1 of a signature's whole /Contents
 * (zero padding included, Table 261 note a). What the file's DSS already holds is kept and not
 * written twice. Verifiers must never depend on VRI; kyso's do not.
 */

/** Validation data, DER. */
export interface ValidationData {
  certificates?: readonly Uint8Array[];
  ocspResponses?: readonly Uint8Array[];
  crls?: readonly Uint8Array[];
}

/** One VRI entry: the data that validates one signature or document timestamp. */
export interface VriEntry extends ValidationData {
  /** The signature's /Contents bytes as the file holds them, zero padding included. */
  signatureContents: Uint8Array;
}

/** Options of {@link appendDocumentSecurityStore}. */
export interface DocumentSecurityStoreOptions extends ValidationData {
  /** Per-signature entries (`/VRI`). Default: none. */
  vri?: readonly VriEntry[];
  /** The new second /ID element (default: random). */
  documentId?: Uint8Array;
}

const LISTS = [
  ['certificates', 'Certs', 'Cert'],
  ['ocspResponses', 'OCSPs', 'OCSP'],
  ['crls', 'CRLs', 'CRL'],
] as const;

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Appends a revision whose catalog's `/DSS` holds `data` besides what the file's DSS held. Allowed
 * under a DocMDP /P 1 certification: validation data is not a change (§12.8.2.2.1).
 *
 * Returns `pdf` itself when its DSS already holds everything given.
 *
 * @throws PdfError `PDF_ENCRYPTED`, or the reader's codes for a file it cannot read.
 */
export async function appendDocumentSecurityStore(
  pdf: Uint8Array,
  data: DocumentSecurityStoreOptions,
): Promise<Uint8Array> {
  const update = new IncrementalUpdate(pdf);
  const doc = update.document;
  const existing = readDocumentSecurityStore(doc);
  const known = new Set(
    [...existing.certificates, ...existing.crls, ...existing.ocspResponses].map((b) => hex(b)),
  );
  const root = catalogRef(update);
  const dssEntry = dictAt(update, root).get('DSS');
  const old = update.deref(dssEntry);
  const oldDss = old instanceof PdfDict ? old : undefined;
  /** Streams written now, by content: the lists and VRI entries share them. */
  const written = new Map<string, PdfRef>();
  const streamFor = (der: Uint8Array): PdfRef => {
    const key = hex(der);
    let ref = written.get(key);
    if (!ref) {
      ref = update.allocate();
      update.set(ref, new PdfRawStream(pdfDict({ Filter: new PdfName('FlateDecode') }), zlibSync(der)));
      written.set(key, ref);
    }
    return ref;
  };
  const changes: Record<string, PdfValue | undefined> = {};
  for (const [field, key] of LISTS) {
    const fresh = (data[field] ?? []).filter((der) => !known.has(hex(der)));
    if (fresh.length === 0) continue;
    const current = oldDss ? update.deref(oldDss.get(key)) : undefined;
    const kept = Array.isArray(current) ? current : [];
    const seen = new Set<string>();
    const added = fresh.filter((der) => !seen.has(hex(der)) && seen.add(hex(der)));
    changes[key] = [...kept, ...added.map(streamFor)];
  }
  if (data.vri && data.vri.length > 0) {
    const currentVri = oldDss ? update.deref(oldDss.get('VRI')) : undefined;
    const entries = new Map(currentVri instanceof PdfDict ? currentVri.map : []);
    for (const v of data.vri) {
      const sha1 = new Uint8Array(
        await globalThis.crypto.subtle.digest('SHA-1', new Uint8Array(v.signatureContents)),
      );
      const entry: Record<string, PdfValue | undefined> = {};
      for (const [field, , single] of LISTS) {
        const items = v[field] ?? [];
        if (items.length > 0) entry[single] = items.map(streamFor);
      }
      entries.set(hex(sha1).toUpperCase(), pdfDict(entry));
    }
    changes.VRI = new PdfDict(entries, -1, -1);
  }
  if (Object.keys(changes).length === 0 && oldDss) return pdf;
  const dss = withEntries(oldDss ?? pdfDict({ Type: new PdfName('DSS') }), changes);
  if (dssEntry instanceof PdfRef && oldDss) update.set(dssEntry, dss);
  else {
    const ref = update.allocate();
    update.set(ref, dss);
    editCatalog(update, { DSS: ref });
  }
  return update.finish(data.documentId ? { documentId: data.documentId } : {}).bytes;
}
