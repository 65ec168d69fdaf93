import { formPdf, pdfAttacks } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import {
  addDocumentTimestampPlaceholder,
  addSignaturePlaceholder,
  findSignatures,
  type PdfDict,
  PdfDocument,
  PdfRef,
} from '../src/index.js';
import { isLocked, signatureFieldMdp } from '../src/reader/mdp.js';
import { noChangesBy, permissionsOf } from '../src/verify/permissions.js';

/**
 * Signing and verification read what earlier signers permitted (ISO 32000-2 §12.8.2.2–12.8.2.4)
 * through one reader, `reader/mdp.ts`. These are the cases where the two used to read differently;
 * each is now read the stricter way by both. The documents are testkit's form letter with a signed
 * signature field "ChuKy" added by hand (no cryptography: only the permissions are read).
 */

const SIGNATURE = 12;
const FIELD = 13;
const signature = { dictionary: SIGNATURE, field: FIELD };

/** A FieldMDP signature reference with these transform parameters. */
const fieldMdp = (params: string) =>
  `<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams ${params} /V /1.2 >> >>`;

/** The form letter with "ChuKy" signed: its signature dictionary carries `references`, its field `lock`. */
function signedForm(references: string[], lock?: string): Uint8Array {
  return pdfAttacks.appendIncrementalUpdate(formPdf(), {
    7: `<< /Fields [6 0 R 9 0 R ${FIELD} 0 R] /DR << /Font << /F1 5 0 R >> >> /DA (/F1 12 Tf 0 g) /SigFlags 3 >>`,
    [SIGNATURE]: `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /Reference [${references.join(' ')}] /ByteRange [0 0 0 0] /Contents <00> >>`,
    [FIELD]: `<< /FT /Sig /T (ChuKy) /Type /Annot /Subtype /Widget /F 132 /Rect [0 0 0 0] /P 3 0 R /V ${SIGNATURE} 0 R${lock ? ` /Lock ${lock}` : ''} >>`,
  });
}

const placeholder = { contentsSize: 8192, signingTime: new Date('2026-11-30T03:00:00Z') };

/** The error code signing a new field `fieldName` into `pdf` fails with, or 'signed'. */
function signingRefusal(pdf: Uint8Array, fieldName: string): string {
  try {
    addSignaturePlaceholder(pdf, { ...placeholder, fieldName });
    return 'signed';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

describe('one reader of DocMDP and FieldMDP for signing and verification', () => {
  it('applies every FieldMDP reference of a signature, not only the first (verification read one)', () => {
    const pdf = signedForm([
      fieldMdp('/Action /Include /Fields [(SoVanBan)]'),
      fieldMdp('/Action /Include /Fields [(KyDuyet)]'),
    ]);
    const doc = PdfDocument.load(pdf);
    expect(findSignatures(doc).map((s) => s.objectNumber)).toEqual([SIGNATURE]);
    const { locks } = permissionsOf(doc, signature);
    expect(locks).toHaveLength(2);
    expect(['SoVanBan', 'KyDuyet', 'NguoiNhan'].map((name) => isLocked(locks, name))).toEqual([
      true,
      true,
      false,
    ]);
    expect(signingRefusal(pdf, 'KyDuyet')).toBe('PDF_SIGN_FIELD_LOCKED');
    expect(signingRefusal(pdf, 'KyKhac')).toBe('signed');
  });

  it("reads the field's /Lock when the signature's FieldMDP reference cannot be read (verification read no lock)", () => {
    const pdf = signedForm(
      [fieldMdp('/Action /Bogus /P 2')],
      '<< /Type /SigFieldLock /Action /Include /Fields [(KyDuyet)] >>',
    );
    const doc = PdfDocument.load(pdf);
    expect(permissionsOf(doc, signature)).toEqual({
      docMdp: 2,
      docMdpFrom: 'lock',
      locks: [{ action: 'Include', fields: ['KyDuyet'] }],
    });
    expect(signingRefusal(pdf, 'KyDuyet')).toBe('PDF_SIGN_FIELD_LOCKED');
  });

  it('locks every field when a FieldMDP reference cannot be read and no /Lock stands in for it (the strictest reading)', () => {
    const pdf = signedForm([fieldMdp('/Action /Bogus /Fields [(SoVanBan)]')]);
    expect(signatureFieldMdp(PdfDocument.load(pdf), signature).locks).toEqual([
      { action: 'All', fields: [] },
    ]);
    expect(signingRefusal(pdf, 'KyDuyet')).toBe('PDF_SIGN_FIELD_LOCKED');
    // Without any FieldMDP reference nothing is locked.
    expect(signatureFieldMdp(PdfDocument.load(signedForm([])), signature).locks).toEqual([]);
  });

  it('takes the lowest /P of the references and the /Lock read in their stead', () => {
    const pdf = signedForm([fieldMdp('/Action /Bogus /P 3')], '<< /Type /SigFieldLock /Action /All /P 2 >>');
    expect(signatureFieldMdp(PdfDocument.load(pdf), signature).p).toBe(2);
  });

  it('refuses a signature after one whose FieldMDP /P is 1, or a value the standard does not define (signing ignored it)', () => {
    for (const p of ['1', '7', '/Two']) {
      const pdf = signedForm([fieldMdp(`/Action /Include /Fields [(SoVanBan)] /P ${p}`)]);
      const permissions = permissionsOf(PdfDocument.load(pdf), signature);
      expect(permissions.docMdp, p).toBe(1);
      // A refusal names the lock, not a certification the document does not have.
      expect(noChangesBy(permissions).en).toBe("this signature's FieldMDP lock permits no changes (/P 1)");
      expect(signingRefusal(pdf, 'KyDuyet'), p).toBe('PDF_SIGN_DOCMDP_FORBIDS');
      // A document timestamp changes nothing (§12.8.2.2.1).
      expect(addDocumentTimestampPlaceholder(pdf, { contentsSize: 8192 }).fieldName).toBe('DocTimeStamp1');
    }
    const approval = signedForm([fieldMdp('/Action /Include /Fields [(SoVanBan)] /P 2')]);
    expect(signingRefusal(approval, 'KyDuyet')).toBe('signed');
  });

  it("copies an empty field's /Lock /P into the new signature as a level: 1 when the standard does not define it", () => {
    for (const [p, copied] of [
      ['2', 2],
      ['7', 1],
      ['/Two', 1],
    ] as const) {
      const pdf = pdfAttacks.appendIncrementalUpdate(formPdf(), {
        7: `<< /Fields [6 0 R 9 0 R ${FIELD} 0 R] /DR << /Font << /F1 5 0 R >> >> /DA (/F1 12 Tf 0 g) >>`,
        11: `[6 0 R 9 0 R ${FIELD} 0 R]`,
        [FIELD]: `<< /FT /Sig /T (KyDuyet) /Type /Annot /Subtype /Widget /F 4 /Rect [72 500 272 560] /P 3 0 R /Lock << /Type /SigFieldLock /Action /All /P ${p} >> >>`,
      });
      const signed = PdfDocument.load(
        addSignaturePlaceholder(pdf, { ...placeholder, fieldName: 'KyDuyet' }).bytes,
      );
      const [sig] = findSignatures(signed);
      const dict = signed.resolve(new PdfRef(sig!.objectNumber!, 0)) as PdfDict;
      const [reference] = signed.deref(dict.get('Reference')) as PdfDict[];
      expect(reference!.name('TransformMethod')).toBe('FieldMDP');
      expect(signed.deref((signed.deref(reference!.get('TransformParams')) as PdfDict).get('P')), p).toBe(
        copied,
      );
    }
  });

  it('refuses to sign an empty field whose /Lock has an /Action the standard does not define (signing would drop the lock)', () => {
    const withLock = (lock: string) =>
      pdfAttacks.appendIncrementalUpdate(formPdf(), {
        7: `<< /Fields [6 0 R 9 0 R ${FIELD} 0 R] /DR << /Font << /F1 5 0 R >> >> /DA (/F1 12 Tf 0 g) >>`,
        11: `[6 0 R 9 0 R ${FIELD} 0 R]`,
        [FIELD]: `<< /FT /Sig /T (KyDuyet) /Type /Annot /Subtype /Widget /F 4 /Rect [72 500 272 560] /P 3 0 R /Lock ${lock} >>`,
      });
    const attempt = (pdf: Uint8Array) => {
      try {
        addSignaturePlaceholder(pdf, { ...placeholder, fieldName: 'KyDuyet' });
        return 'signed';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    expect(attempt(withLock('<< /Type /SigFieldLock /Action /Bogus /P 2 >>'))).toBe(
      'PDF_SIGN_FIELD_LOCK_INVALID',
    );
    expect(attempt(withLock('<< /Type /SigFieldLock /Action /Include /Fields [(SoVanBan)] >>'))).toBe(
      'signed',
    );
  });
});
