import { readFileSync } from 'node:fs';
import { type Certificate, parseCertificate, type Signer } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import { createTestPki, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAgency, signPersonal, verifyPdf } from '../src/index.js';
import { type PdfDict, PdfName, PdfRef, type PdfValue } from '../src/reader/objects.js';
import { addToAnnots, catalogRef, dictAt, formFields, pageRefs, prepareAcroForm } from '../src/sign/form.js';
import { IncrementalUpdate } from '../src/writer/incremental.js';
import {
  latin1Bytes,
  PdfRawStream,
  pdfDict,
  pdfHexString,
  pdfTextString,
  withEntries,
} from '../src/writer/serialize.js';
import { encodePng, sealImage, signatureImage } from './support/appearance-kit.js';

/**
 * The fields a certified personal signature reserves for the agency draw nothing until the agency
 * signs them. Nothing else may make a signature widget show something without a signature of its
 * own: each unsigned update below paints over the signed page (a red square, as `pdftoppm` draws
 * it) and must fail the personal signature (Sneaky Signature, Mainka et al. 2021), beside the
 * honest neighbour — the agency's signature filling the same field — that passes.
 */

let pki: TestPki;
let root: Certificate;
let certified: Uint8Array;

const signerOf = (leaf: 'personal' | 'organisation'): Signer =>
  createSoftwareSigner({
    privateKey: readFileSync(pki.leaves[leaf].keyPath),
    certificate: pki.leaves[leaf].der,
    chain: [pki.subCa.certificate.der],
  });

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  const letter = await (await import('pdf-lib')).PDFDocument.create();
  letter.addPage([595, 842]);
  const signed = await signPersonal(await letter.save({ useObjectStreams: false }), {
    signer: signerOf('personal'),
    unsafeSkipSignerValidation: true,
    fieldName: 'ChuKy',
    certify: 2,
    image: encodePng(signatureImage(400, 150)),
    placement: { page: 1, rect: { x: 340, y: 300, width: 180, height: 70 } },
    agencyFields: { sealMm: 36, number: { page: 1, rect: { x: 100, y: 720, width: 140, height: 18 } } },
  });
  certified = signed.bytes;
}, 120_000);
afterAll(() => pki?.cleanup());

/** A red square, as a form XObject's content. */
const RED_SQUARE = 'q 1 0 0 rg 0 0 100 100 re f Q';

/** Appends one unsigned update made by `edit` to the certified letter. */
function tamper(edit: (u: IncrementalUpdate, at: Refs) => void): Uint8Array {
  const update = new IncrementalUpdate(certified);
  const doc = update.document;
  const field = (name: string) => formFields(doc).find((f) => f.name === name)!.ref;
  const refs: Refs = {
    page: pageRefs(doc)[0]!,
    reserved: field('CoQuan'),
    personal: field('ChuKy'),
    form: (stream: string, subtype = 'Form') => {
      const ref = update.allocate();
      update.set(
        ref,
        new PdfRawStream(
          pdfDict({ Type: new PdfName('XObject'), Subtype: new PdfName(subtype), BBox: [0, 0, 100, 100] }),
          latin1Bytes(stream),
        ),
      );
      return ref;
    },
  };
  edit(update, refs);
  return update.finish().bytes;
}

interface Refs {
  page: PdfRef;
  reserved: PdfRef;
  personal: PdfRef;
  form(content: string, subtype?: string): PdfRef;
}

/** A new signature widget on the page (and in /Fields unless `parent` is given). */
function addWidget(u: IncrementalUpdate, at: Refs, entries: Record<string, PdfValue | undefined>): PdfRef {
  const widget = u.allocate();
  u.set(
    widget,
    pdfDict({
      Type: new PdfName('Annot'),
      Subtype: new PdfName('Widget'),
      Rect: [100, 400, 200, 500],
      F: 4,
      P: at.page,
      ...entries,
    }),
  );
  addToAnnots(u, at.page, widget);
  if (entries.Parent === undefined) prepareAcroForm(u, widget);
  return widget;
}

async function personalAfter(pdf: Uint8Array) {
  const report = await verifyPdf(pdf, { trustAnchors: [root], revocation: 'none' });
  const personal = report.signatures.find((s) => s.fieldName === 'ChuKy')!;
  const check = personal.checks.find((c) => c.id === 'modifications');
  return { modifiedAfter: personal.modifiedAfter, why: check?.message.en ?? '', report };
}

describe('fields reserved by a certified personal signature', () => {
  it('the honest neighbour: the agency fills the reserved field, and the personal signature stays valid', async () => {
    const issued = await signAgency(certified, {
      signer: signerOf('organisation'),
      unsafeSkipSignerValidation: true,
      personalCheck: { trustAnchors: [root], revocation: 'none' },
      appearance: { kind: 'seal', seal: encodePng(sealImage(600)), sealMm: 36 },
    });
    expect((await personalAfter(issued.bytes)).modifiedAfter).toBe('allowed');
  });

  it('refuses a new unsigned widget whose empty appearance a viewer draws over from /MK', async () => {
    for (const ap of [true, false]) {
      const pdf = tamper((u, at) => {
        addWidget(u, at, {
          FT: new PdfName('Sig'),
          T: pdfTextString('Khung'),
          MK: pdfDict({ BG: [1, 0, 0] }),
          ...(ap ? { AP: pdfDict({ N: at.form('') }) } : {}),
        });
      });
      const after = await personalAfter(pdf);
      expect(after.modifiedAfter, `with AP: ${ap}`).toBe('disallowed');
      expect(after.why).toContain('unsigned-signature-field');
    }
  });

  it('refuses a new unsigned widget with an empty appearance when the form tells viewers to redraw (/NeedAppearances)', async () => {
    const pdf = tamper((u, at) => {
      addWidget(u, at, {
        FT: new PdfName('Sig'),
        T: pdfTextString('Khung'),
        AP: pdfDict({ N: at.form('') }),
      });
      const root = catalogRef(u);
      const catalog = dictAt(u, root);
      const form = catalog.get('AcroForm');
      if (form instanceof PdfRef) u.set(form, withEntries(dictAt(u, form), { NeedAppearances: true }));
      else
        u.set(
          root,
          withEntries(catalog, { AcroForm: withEntries(form as PdfDict, { NeedAppearances: true }) }),
        );
    });
    expect((await personalAfter(pdf)).modifiedAfter).toBe('disallowed');
  });

  it('refuses a new unsigned widget whose appearance is an image, not a form', async () => {
    const pdf = tamper((u, at) => {
      addWidget(u, at, {
        FT: new PdfName('Sig'),
        T: pdfTextString('Khung'),
        AP: pdfDict({ N: at.form('', 'Image') }),
      });
    });
    expect((await personalAfter(pdf)).modifiedAfter).toBe('disallowed');
  });

  it('refuses the reserved field given a value that is no signature of its own (0, or the personal signature’s) and an appearance that draws', async () => {
    for (const value of ['zero', 'personal'] as const) {
      const pdf = tamper((u, at) => {
        const reserved = dictAt(u, at.reserved);
        const personalValue = dictAt(u, at.personal).get('V');
        u.set(
          at.reserved,
          withEntries(reserved, {
            V: value === 'zero' ? 0 : personalValue,
            AP: pdfDict({ N: at.form(RED_SQUARE) }),
          }),
        );
      });
      const after = await personalAfter(pdf);
      expect(after.modifiedAfter, value).toBe('disallowed');
    }
  });

  it('refuses the reserved field’s appearance replaced without a signature', async () => {
    const pdf = tamper((u, at) => {
      u.set(at.reserved, withEntries(dictAt(u, at.reserved), { AP: pdfDict({ N: at.form(RED_SQUARE) }) }));
    });
    const after = await personalAfter(pdf);
    expect(after.modifiedAfter).toBe('disallowed');
    expect(after.why).toContain('unsigned-signature-field');
  });

  it('refuses a new widget of the signed personal field (its /Parent), which borrows that signature’s value', async () => {
    const pdf = tamper((u, at) => {
      addWidget(u, at, { Parent: at.personal, AP: pdfDict({ N: at.form(RED_SQUARE) }) });
    });
    const after = await personalAfter(pdf);
    expect(after.modifiedAfter).toBe('disallowed');
  });

  it('refuses a drawing widget whose value is a signature nobody verifies: not in the form, or without /ByteRange and /Contents', async () => {
    for (const listed of [false, true]) {
      const pdf = tamper((u, at) => {
        const fake = u.allocate();
        u.set(fake, pdfDict({ Type: new PdfName('Sig'), Filter: new PdfName('Adobe.PPKLite') }));
        const entries = {
          FT: new PdfName('Sig'),
          T: pdfTextString('Gia'),
          V: fake,
          AP: pdfDict({ N: at.form(RED_SQUARE) }),
        };
        if (listed) addWidget(u, at, entries);
        else {
          // On the page only: findSignatures walks /Fields, so this "signature" is never checked.
          const widget = u.allocate();
          u.set(
            widget,
            pdfDict({
              Type: new PdfName('Annot'),
              Subtype: new PdfName('Widget'),
              Rect: [100, 400, 200, 500],
              F: 4,
              P: at.page,
              ...entries,
            }),
          );
          addToAnnots(u, at.page, widget);
        }
      });
      const after = await personalAfter(pdf);
      expect(after.modifiedAfter, `listed in the form: ${listed}`).toBe('disallowed');
    }
  });

  it('refuses a drawing widget hung under a listed field (its /Parent) but missing from that field’s /Kids', async () => {
    const pdf = tamper((u, at) => {
      // The field is listed, hidden and invisible, its value shaped like a signature (and broken);
      // its orphan widget draws.
      const fake = u.allocate();
      u.set(
        fake,
        pdfDict({
          Type: new PdfName('Sig'),
          Filter: new PdfName('Adobe.PPKLite'),
          ByteRange: [0, 0, 0, 0],
          Contents: pdfHexString(new Uint8Array(8)),
        }),
      );
      const field = addWidget(u, at, {
        FT: new PdfName('Sig'),
        T: pdfTextString('An'),
        V: fake,
        Rect: [0, 0, 0, 0],
        F: 2,
      });
      const orphan = u.allocate();
      u.set(
        orphan,
        pdfDict({
          Type: new PdfName('Annot'),
          Subtype: new PdfName('Widget'),
          Parent: field,
          Rect: [100, 400, 200, 500],
          F: 4,
          P: at.page,
          AP: pdfDict({ N: at.form(RED_SQUARE) }),
        }),
      );
      addToAnnots(u, at.page, orphan);
    });
    expect((await personalAfter(pdf)).modifiedAfter).toBe('disallowed');
  });

  it('judges an annotation that only claims /FT /Sig (a Square) as the annotation it is', async () => {
    const pdf = tamper((u, at) => {
      const square = u.allocate();
      u.set(
        square,
        pdfDict({
          Type: new PdfName('Annot'),
          Subtype: new PdfName('Square'),
          FT: new PdfName('Sig'),
          Rect: [100, 400, 200, 500],
          IC: [1, 0, 0],
          F: 4,
          P: at.page,
        }),
      );
      addToAnnots(u, at.page, square);
    });
    const after = await personalAfter(pdf);
    expect(after.modifiedAfter).toBe('disallowed');
    expect(after.why).toContain('rule: annotations');
  });

  it('takes a /Rect it cannot read as numbers (indirect ones) as visible', async () => {
    const pdf = tamper((u, at) => {
      const numbers = [100, 400, 200, 500].map((n) => {
        const ref = u.allocate();
        u.set(ref, n);
        return ref;
      });
      addWidget(u, at, {
        FT: new PdfName('Sig'),
        T: pdfTextString('Khung'),
        Rect: numbers,
        AP: pdfDict({ N: at.form(RED_SQUARE) }),
      });
    });
    expect((await personalAfter(pdf)).modifiedAfter).toBe('disallowed');
  });

  it('refuses the signed personal widget redrawn or hidden; locking it is allowed', async () => {
    for (const [change, verdict] of [
      ['redrawn', 'disallowed'],
      ['hidden', 'disallowed'],
      ['locked', 'allowed'],
    ] as const) {
      const pdf = tamper((u, at) => {
        const widget = dictAt(u, at.personal);
        u.set(
          at.personal,
          withEntries(
            widget,
            change === 'redrawn'
              ? { AP: pdfDict({ N: at.form(RED_SQUARE) }) }
              : { F: change === 'hidden' ? 6 : 4 | 128 },
          ),
        );
      });
      const after = await personalAfter(pdf);
      expect(after.modifiedAfter, change).toBe(verdict);
      if (verdict === 'disallowed') expect(after.why, change).toContain('rule: appearance-replaced');
    }
  });

  it('the agency does not sign a document whose signature after the personal one is broken', async () => {
    const pdf = tamper((u, at) => {
      const fake = u.allocate();
      u.set(fake, pdfDict({ Type: new PdfName('Sig'), Filter: new PdfName('Adobe.PPKLite') }));
      addWidget(u, at, { FT: new PdfName('Sig'), T: pdfTextString('Gia'), V: fake, Rect: [0, 0, 0, 0] });
    });
    await expect(
      signAgency(pdf, {
        signer: signerOf('organisation'),
        unsafeSkipSignerValidation: true,
        personalCheck: { trustAnchors: [root], revocation: 'none' },
        appearance: { kind: 'seal', seal: encodePng(sealImage(600)), sealMm: 36 },
      }),
    ).rejects.toMatchObject({ code: 'OFFICIAL_DOCUMENT_NOT_VALID' });
  });

  it('allows a new unsigned widget that draws nothing and that no viewer redraws', async () => {
    const pdf = tamper((u, at) => {
      addWidget(u, at, {
        FT: new PdfName('Sig'),
        T: pdfTextString('DanhCho'),
        AP: pdfDict({ N: at.form(' \n') }),
      });
    });
    const after = await personalAfter(pdf);
    expect(after.modifiedAfter).toBe('allowed');
    expect(after.why).toContain('(rule: reserved-signature-field)');
  });
});
