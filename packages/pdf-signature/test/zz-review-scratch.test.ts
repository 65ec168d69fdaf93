import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Certificate, type Crl, isKysoError, parseCertificate, parseCrlDer, type Signer } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import { createTestPki, type IssuedCertificate, type TestPki } from '@kyso/testkit';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SignerValidationOptions, signAgency, signPersonal, type VerifyPdfOptions, verifyPdf } from '../src/index.js';
import { defaultFontBytes, findSignatureAnchors } from '../src/node.js';
import { IncrementalUpdate } from '../src/writer/incremental.js';
import { latin1Bytes, PdfRawStream, pdfDict, pdfTextString, withEntries } from '../src/writer/serialize.js';
import { PdfDict, PdfName, PdfRef } from '../src/reader/objects.js';
import { addToAnnots, dictAt, formFields, pageAt, prepareAcroForm, catalogRef } from '../src/sign/form.js';
import { encodePng, isRed, pixelBox, render, sealImage, signatureImage } from './support/appearance-kit.js';

let pki: TestPki;
let root: Certificate;
let crls: Crl[];
let validation: SignerValidationOptions;
let check: VerifyPdfOptions;
const H = 842;
const OUT = '/tmp/review12';
mkdirSync(OUT, { recursive: true });
const signerOf = (leaf: IssuedCertificate): Signer =>
  createSoftwareSigner({ privateKey: readFileSync(leaf.keyPath), certificate: leaf.der, chain: [pki.subCa.certificate.der] });

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
  validation = { trustAnchors: [root], crls, revocation: 'hard-fail' };
  check = { trustAnchors: [root], crls, revocation: 'hard-fail' };
}, 120_000);
afterAll(() => pki?.cleanup());

async function letter(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(defaultFontBytes(), { subset: true });
  const page = doc.addPage([595, H]);
  const text = (s: string, x: number, top: number, size = 13) => page.drawText(s, { x, y: H - top, size, font });
  text('Kính gửi: Chủ tịch UBND huyện, đồng chí Nguyễn Văn An.', 85, 180);
  text('KT. CHỦ TỊCH', 390, 300);
  text('PHÓ CHỦ TỊCH', 390, 316);
  text('Nguyễn Văn An', 390, 420);
  return doc.save({ useObjectStreams: false });
}
const sigPng = encodePng(signatureImage(400, 150));
const sealPng = encodePng(sealImage(600));

async function certified() {
  return signPersonal(await letter(), {
    signer: signerOf(pki.leaves.personal),
    validation,
    certify: 2,
    fieldName: 'ChuKy',
    image: sigPng,
    placement: { page: 1, rect: { x: 340, y: H - 400, width: 180, height: 70 } },
    agencyFields: { sealMm: 36, number: { page: 1, rect: { x: 102, y: H - 117, width: 140, height: 18 } } },
  });
}

function stream(content: string, extra: Record<string, unknown> = {}) {
  return new PdfRawStream(
    pdfDict({ Type: new PdfName('XObject'), Subtype: new PdfName('Form'), BBox: [0, 0, 100, 100], Resources: pdfDict({}), ...(extra as object) }),
    latin1Bytes(content),
  );
}

/** A new unsigned signature widget on page 1. */
function addWidget(pdf: Uint8Array, entries: Record<string, unknown>, formChanges?: Record<string, unknown>): Uint8Array {
  const u = new IncrementalUpdate(pdf);
  const page = pageAt(u.document, 1);
  const w = u.allocate();
  const built: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entries)) built[k] = typeof v === 'function' ? (v as (u: IncrementalUpdate) => unknown)(u) : v;
  u.set(w, pdfDict({ Type: new PdfName('Annot'), Subtype: new PdfName('Widget'), FT: new PdfName('Sig'), T: pdfTextString('X' + w.num), F: 4, Rect: [100, 500, 300, 700], P: page, ...(built as object) }));
  addToAnnots(u, page, w);
  prepareAcroForm(u, w);
  if (formChanges) {
    const cat = dictAt(u, catalogRef(u));
    const formRef = cat.get('AcroForm');
    const form = u.deref(formRef) as PdfDict;
    if (formRef instanceof PdfRef) u.set(formRef, withEntries(form, formChanges as never));
  }
  return u.finish().bytes;
}

/** Changes the existing reserved field `name`. */
function changeField(pdf: Uint8Array, name: string, f: (u: IncrementalUpdate, d: PdfDict) => Record<string, unknown>): Uint8Array {
  const u = new IncrementalUpdate(pdf);
  const field = formFields(u.document).find((x) => x.name === name)!;
  const d = dictAt(u, field.ref);
  u.set(field.ref, withEntries(d, f(u, d) as never));
  return u.finish().bytes;
}

async function judge(label: string, bytes: Uint8Array) {
  const file = join(OUT, `${label}.pdf`);
  writeFileSync(file, bytes);
  const r = await verifyPdf(bytes, check);
  const red = pixelBox(render(file), isRed).count;
  const black = pixelBox(render(file), (r, g, b) => r < 60 && g < 60 && b < 60).count;
  const out = {
    label,
    indication: r.indication,
    sigs: r.signatures.map((s) => [s.fieldName, s.indication, s.modifiedAfter]),
    red,
    black,
  };
  console.log(JSON.stringify(out));
  return out;
}

describe('review: verifier relaxation', () => {
  it('attacks', async () => {
    const base = (await certified()).bytes;
    writeFileSync(join(OUT, 'base.pdf'), base);
    const b = await judge('base', base);
    const redBox = '1 0 0 rg 0 0 100 100 re f';
    // A: empty AP + MK background + NeedAppearances
    await judge('A-mk-needapp', addWidget(base, { AP: (u: IncrementalUpdate) => { const r = u.allocate(); u.set(r, stream(' ')); return pdfDict({ N: r }); }, MK: pdfDict({ BG: [1, 0, 0], BC: [1, 0, 0] }) }, { NeedAppearances: true }));
    // A2: no AP + MK
    await judge('A2-noap-mk', addWidget(base, { MK: pdfDict({ BG: [1, 0, 0], BC: [1, 0, 0] }) }));
    // A3: empty AP + MK, no NeedAppearances
    await judge('A3-emptyap-mk', addWidget(base, { AP: (u: IncrementalUpdate) => { const r = u.allocate(); u.set(r, stream('')); return pdfDict({ N: r }); }, MK: pdfDict({ BG: [1, 0, 0], BC: [1, 0, 0] }) }));
    // B: reserved field gets a drawing AP and /V 0
    await judge('B-reserved-V0', changeField(base, 'CoQuan', (u) => { const r = u.allocate(); u.set(r, stream(redBox)); return { V: 0, AP: pdfDict({ N: r }) }; }));
    // B2: new field with V 0 and drawing AP
    await judge('B2-new-V0', addWidget(base, { V: 0, AP: (u: IncrementalUpdate) => { const r = u.allocate(); u.set(r, stream(redBox)); return pdfDict({ N: r }); } }));
    // B3: reserved field /V -> the personal signature's dictionary
    const personalV = (() => {
      const u = new IncrementalUpdate(base);
      return formFields(u.document).find((x) => x.name === 'ChuKy')!.dict.get('V');
    })();
    await judge('B3-reserved-Vreuse', changeField(base, 'CoQuan', (u) => { const r = u.allocate(); u.set(r, stream(redBox)); return { V: personalV, AP: pdfDict({ N: r }) }; }));
    // C: overwrite the reserved field's own empty AP stream object
    {
      const u = new IncrementalUpdate(base);
      const field = formFields(u.document).find((x) => x.name === 'CoQuan')!;
      const ap = (u.deref(field.dict.get('AP')) as PdfDict).get('N') as PdfRef;
      u.set(ap, stream(redBox));
      await judge('C-overwrite-ap-stream', u.finish().bytes);
    }
    // D: AP /N is an image XObject of zeros (black)
    await judge('D-image-ap', addWidget(base, { AP: (u: IncrementalUpdate) => { const r = u.allocate(); u.set(r, new PdfRawStream(pdfDict({ Type: new PdfName('XObject'), Subtype: new PdfName('Image'), Width: 64, Height: 64, ColorSpace: new PdfName('DeviceGray'), BitsPerComponent: 8 }), new Uint8Array(4096))); return pdfDict({ N: r }); } }));
    // E: reserved field /F changed to hidden? and /MK added
    await judge('E-reserved-MK', changeField(base, 'CoQuan', () => ({ MK: pdfDict({ BG: [1, 0, 0] }) })));
    expect(b.indication).toBeDefined();
  }, 300_000);
});
