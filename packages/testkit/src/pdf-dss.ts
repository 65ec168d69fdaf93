import { appendIncrementalUpdate, lastObject, nextFree } from './pdf-attacks.js';

/** Validation data to put in a Document Security Store: DER certificates, CRLs, OCSP responses. */
export interface DssData {
  certificates?: readonly Uint8Array[];
  crls?: readonly Uint8Array[];
  ocspResponses?: readonly Uint8Array[];
}

/**
 * Adds a Document Security Store (ISO 32000-2 §12.8.4.3, what PAdES-LT adds after signing) in an
 * incremental update: one stream per item and `/DSS` in the catalog (object 1, as `minimalPdf`
 * and pdfsig leave it).
 */
export function addDocumentSecurityStore(input: Uint8Array, data: DssData): Uint8Array {
  let next = nextFree(input);
  const objects: Record<number, string> = {};
  const streams = (items: readonly Uint8Array[] | undefined): string => {
    const refs: string[] = [];
    for (const der of items ?? []) {
      objects[next] =
        `<< /Length ${der.length} >>\nstream\n${Buffer.from(der).toString('latin1')}\nendstream`;
      refs.push(`${next} 0 R`);
      next += 1;
    }
    return `[${refs.join(' ')}]`;
  };
  const dssNum = next++;
  objects[dssNum] =
    `<< /Type /DSS /Certs ${streams(data.certificates)} /CRLs ${streams(data.crls)} /OCSPs ${streams(data.ocspResponses)} >>`;
  const catalog = lastObject(input, 1).replace(/\/DSS \d+ 0 R/, '');
  objects[1] = catalog.replace(/>>\s*$/, ` /DSS ${dssNum} 0 R >>`);
  return appendIncrementalUpdate(input, objects);
}
