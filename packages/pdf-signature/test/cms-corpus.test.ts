import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseCrlDer, parseOcspResponse, parseSignedData } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { findSignatures, PdfDocument } from '../src/index.js';
import { CORPUS, corpusPdfs } from './support/corpus.js';

/**
 * Every signature's /Contents in the corpus parses as CMS SignedData through @kyso/core (BER
 * included, as real signers write it), except the ones listed with the reason they cannot.
 */

const NOT_CMS: Record<string, string> = {
  'attacks/itext/byterange/adbe.x509.rsa_sha1_signature.pdf Signature1':
    'adbe.x509.rsa_sha1 holds a bare PKCS#1 signature, not CMS',
  'attacks/itext/byterange/spacesBeforeContentsTest01.pdf Signature1':
    'an attack: /Contents is not a signature',
  'attacks/itext/byterange/twoContentsTest01.pdf Signature1':
    'an attack: two /Contents, the one read is not a signature',
  'dss/pdf-with-empty-sig.pdf Signature1': 'an empty signature placeholder (all zeros)',
  'dss/pdf-with-two-empty-sigs.pdf Signature1': 'an empty signature placeholder',
  'dss/pdf-with-two-empty-sigs.pdf Signature2': 'an empty signature placeholder',
  'node-signpdf/with-placeholder.pdf Signature1': 'an unsigned placeholder',
  'pyhanko/coverage-anomalies/base.pdf Sig1': 'an unsigned placeholder',
  'pyhanko/ed448-shake256-nolen.pdf Sig1': 'SHAKE256 digest, which kyso does not support',
};

const cases: [string, Uint8Array][] = [];
for (const file of corpusPdfs()) {
  let sigs: ReturnType<typeof findSignatures>;
  try {
    sigs = findSignatures(PdfDocument.load(new Uint8Array(readFileSync(file))));
  } catch {
    continue; // files that cannot be read are covered by reader-corpus.test.ts
  }
  for (const s of sigs) if (s.contents) cases.push([`${relative(CORPUS, file)} ${s.fieldName}`, s.contents]);
}

describe('CMS inside the corpus signatures', () => {
  it.each(cases)('%s', (name, contents) => {
    if (NOT_CMS[name]) {
      expect(() => parseSignedData(contents)).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/CMS_MALFORMED|ALGORITHM_UNSUPPORTED/) }),
      );
      return;
    }
    const sd = parseSignedData(contents);
    expect(sd.signers.length).toBeGreaterThan(0);
  });

  it('reads the revocation data Adobe-style signers archive in a signed attribute, all of it parsing', () => {
    let signers = 0;
    let crls = 0;
    let ocsps = 0;
    for (const [name, contents] of cases) {
      if (NOT_CMS[name]) continue;
      const archive = parseSignedData(contents).signers[0]?.archivedRevocation;
      if (!archive) continue;
      signers += 1;
      for (const der of archive.crls) expect(parseCrlDer(der).issuer, name).toBeDefined();
      for (const der of archive.ocspResponses)
        expect(parseOcspResponse(der).responseStatus, name).toBe('successful');
      crls += archive.crls.length;
      ocsps += archive.ocspResponses.length;
    }
    // Counted on the corpus when this was written: 34 signatures, 16 CRLs, 30 OCSP responses; since
    // usage-rights signatures are found too (issue 15), the /Perms /UR3 signature of
    // dss/DSS-2601.pdf adds one signer and its two archived CRLs.
    expect([signers, crls, ocsps]).toEqual([35, 18, 30]);
  });

  it('covers the corpus', () => {
    expect(cases.length).toBeGreaterThan(450);
  });
});
