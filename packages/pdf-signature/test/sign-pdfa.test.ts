/**
 * Signing a PDF/A input (issue 11, item 7): what kyso writes keeps the file conformant. The
 * document's /Info and XMP metadata are left as they are (so they stay consistent), the widget is
 * printable and not hidden (ISO 19005-1 §6.5.3), and the appearance kyso draws uses no font,
 * transparency or soft mask (§6.3, §6.4). veraPDF is not packaged for Debian; these are the
 * clauses the writer can break, checked on the objects it writes.
 */
import { readFileSync } from 'node:fs';
import { type Certificate, parseCertificate, parseCrlDer } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import { createTestPki, minimalPdf, pdfAttacks, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PdfDict, PdfDocument, PdfRef, type PdfStream, signPdf } from '../src/index.js';

let pki: TestPki;
let root: Certificate;

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
}, 120_000);
afterAll(() => pki?.cleanup());

/** A one-page letter that declares PDF/A-1b: XMP with pdfaid, an sRGB-like output intent, /Info. */
function pdfA1Letter(): Uint8Array {
  const base = minimalPdf('CONG VAN PDF/A');
  const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  return pdfAttacks.appendIncrementalUpdate(base, {
    1: '<< /Type /Catalog /Pages 2 0 R /Metadata 6 0 R /OutputIntents [7 0 R] >>',
    6: `<< /Type /Metadata /Subtype /XML /Length ${xmp.length} >>\nstream\n${xmp}\nendstream`,
    7: '<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) >>',
  });
}

describe('signing a PDF/A-1b letter', () => {
  it('leaves its metadata alone and writes a printable widget whose appearance needs no font or transparency', async () => {
    const input = pdfA1Letter();
    const before = PdfDocument.load(input);
    const signer = createSoftwareSigner({
      privateKey: readFileSync(pki.leaves.personal.keyPath),
      certificate: pki.leaves.personal.der,
      chain: [pki.subCa.certificate.der],
    });
    const { bytes, verification } = await signPdf(input, {
      signer,
      validation: {
        trustAnchors: [root],
        crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
        revocation: 'hard-fail',
      },
      visible: { page: 1, rect: { x: 350, y: 80, width: 180, height: 60 } },
    });
    expect(verification.indication).toBe('TOTAL_PASSED');
    const after = PdfDocument.load(bytes);
    // The XMP stream and the output intents are the signed input's, untouched.
    const catalog = after.catalog();
    expect((catalog.get('Metadata') as PdfRef).num).toBe(6);
    expect(after.offsetOf(6)).toBe(before.offsetOf(6));
    expect(catalog.get('OutputIntents')).toEqual(before.catalog().get('OutputIntents'));
    expect(after.trailer.get('Info')).toEqual(before.trailer.get('Info'));
    // The widget: printable (/F 4), neither hidden nor invisible.
    const page = after.deref(new PdfRef(3, 0)) as PdfDict;
    const annots = after.deref(page.get('Annots')) as PdfRef[];
    const widget = after.deref(annots.at(-1)) as PdfDict;
    expect(widget.get('F')).toBe(4);
    // Its appearance: no font, no soft mask, no transparency group.
    const ap = after.deref((after.deref(widget.get('AP')) as PdfDict).get('N')) as PdfStream;
    const resources = after.deref(ap.dict.get('Resources'));
    const text = JSON.stringify(
      [ap.dict, resources].map((d) => (d instanceof PdfDict ? [...d.map.keys()] : [])),
    );
    expect(text).not.toMatch(/Font|SMask|Group/);
  });
});
