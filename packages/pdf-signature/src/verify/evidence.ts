import {
  type Certificate,
  type Crl,
  type OcspResponse,
  parseCertificateDer,
  parseCrlDer,
  parseOcspResponse,
} from '@kyso/core';

/** Validation data found in the file: the DSS, or one signature's archive; each item parsed or dropped. */
export interface Evidence {
  certificates: Certificate[];
  crls: Crl[];
  ocspResponses: OcspResponse[];
}

/** Parses what a DSS or an archive holds; an item that does not parse adds nothing and breaks nothing. */
export function parsedEvidence(raw: {
  certificates?: Uint8Array[];
  crls: Uint8Array[];
  ocspResponses: Uint8Array[];
}): Evidence {
  const keep = <T>(items: Uint8Array[] | undefined, parse: (der: Uint8Array) => T): T[] =>
    (items ?? []).flatMap((der) => {
      try {
        return [parse(der)];
      } catch {
        return []; // unreadable revocation data is no revocation data
      }
    });
  return {
    certificates: keep(raw.certificates, parseCertificateDer),
    crls: keep(raw.crls, parseCrlDer),
    ocspResponses: keep(raw.ocspResponses, parseOcspResponse),
  };
}
