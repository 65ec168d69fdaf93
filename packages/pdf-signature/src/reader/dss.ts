import type { PdfDocument } from './document.js';
import { decodeStream } from './filters.js';
import { PdfDict, PdfRef, PdfStream, type PdfValue } from './objects.js';

/** The validation data of a PDF's Document Security Store (ISO 32000-2 §12.8.4.3), decoded DER. */
export interface DocumentSecurityStore {
  certificates: Uint8Array[];
  crls: Uint8Array[];
  ocspResponses: Uint8Array[];
}

const LISTS = [
  ['Certs', 'Cert', 'certificates'],
  ['CRLs', 'CRL', 'crls'],
  ['OCSPs', 'OCSP', 'ocspResponses'],
] as const;

/**
 * Reads the `/DSS` of the document's catalog: its `/Certs`, `/CRLs` and `/OCSPs`, and those of its
 * `/VRI` entries, each stream once. A stream that cannot be decoded is left out: the DSS is
 * unsigned data that anyone can append, so it may add evidence but never break verification.
 */
export function readDocumentSecurityStore(doc: PdfDocument): DocumentSecurityStore {
  const out: DocumentSecurityStore = { certificates: [], crls: [], ocspResponses: [] };
  let dss: PdfValue | undefined;
  try {
    dss = doc.deref(doc.catalog().get('DSS'));
  } catch {
    return out;
  }
  if (!(dss instanceof PdfDict)) return out;
  const seen = new Set<string>();
  const collect = (holder: PdfDict, key: string, into: Uint8Array[]) => {
    try {
      const list = doc.deref(holder.get(key));
      if (!Array.isArray(list)) return;
      for (const item of list) {
        const id = item instanceof PdfRef ? `${item.num} ${item.gen}` : undefined;
        if (id !== undefined && seen.has(id)) continue;
        if (id !== undefined) seen.add(id);
        try {
          const stream = doc.deref(item);
          if (stream instanceof PdfStream) into.push(decodeStream(stream.dict, doc.streamData(stream)));
        } catch {
          // An undecodable entry is skipped (see above).
        }
      }
    } catch {
      // An unreadable list is skipped too.
    }
  };
  for (const [key, , field] of LISTS) collect(dss, key, out[field]);
  let vri: PdfValue | undefined;
  try {
    vri = doc.deref(dss.get('VRI'));
  } catch {
    vri = undefined;
  }
  if (vri instanceof PdfDict) {
    for (const key of vri.map.keys()) {
      let entry: PdfValue | undefined;
      try {
        entry = doc.deref(vri.get(key));
      } catch {
        continue;
      }
      if (entry instanceof PdfDict) for (const [, vriKey, field] of LISTS) collect(entry, vriKey, out[field]);
    }
  }
  return out;
}
