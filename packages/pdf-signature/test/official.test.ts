import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Certificate, type Crl, isKysoError, type Signer } from '@kyso/core';
import type { IssuedCertificate, TestPki } from '@kyso/testkit';
import fontkit from '@pdf-lib/fontkit';
import { degrees, PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addEmptySignatureField,
  completePdfSignature,
  formatDocumentDate,
  formatSigningTime,
  mmToPt,
  personalSignatureAppearance,
  prepareAgencySignature,
  preparePersonalSignature,
  type SignerValidationOptions,
  signAgency,
  signPdf,
  signPersonal,
  type VerifyPdfOptions,
  verifyPdf,
} from '../src/index.js';
import { defaultFontBytes, findSignatureAnchors, loadDefaultFont, signPdfFile } from '../src/node.js';
import {
  blank,
  encodePng,
  isBlue,
  isRed,
  pixelBox,
  qpdfCheck,
  removeWorkDirs,
  render,
  sealImage,
  signatureImage,
  tool,
  workDir,
} from './support/appearance-kit.js';
import { codeOf } from './support/codes.js';
import { useTestPki } from './support/pki.js';

/**
 * The personal-then-agency flow of Nghị định 30/2020: a Vietnamese letter signed by the leader
 * (image between the title and the name), then issued by the văn thư (seal over the left third,
 * number and date in the agency signature's own widgets), and the refusals of Điều 32 khoản 2.
 * Judged by pdftoppm pixels, pdftotext, pdffonts, pdfsig, qpdf --check and verifyPdf.
 */

const env = useTestPki();
let pki: TestPki;
let root: Certificate;
let crls: Crl[];
let validation: SignerValidationOptions;
let check: VerifyPdfOptions;
let dir: string;
let counter = 0;
const H = 842;

const signerOf = (leaf: IssuedCertificate): Signer => env.signer(leaf);

beforeAll(() => {
  ({ pki, root, crls, validation } = env);
  check = { trustAnchors: [root], crls, revocation: 'hard-fail' };
  dir = workDir();
});
afterAll(() => removeWorkDirs());

function save(bytes: Uint8Array, name: string): string {
  counter += 1;
  const file = join(dir, `${counter}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

const pdfsig = (bytes: Uint8Array): Promise<string[]> => env.pdfsig(bytes);

/** A one-page letter of a provincial People's Committee, in Vietnamese, with blanks for number and date. */
async function letter(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(defaultFontBytes(), { subset: true });
  const page = doc.addPage([595, H]);
  const text = (s: string, x: number, top: number, size = 13) =>
    page.drawText(s, { x, y: H - top, size, font });
  const centred = (s: string, cx: number, top: number, size = 13) =>
    text(s, cx - font.widthOfTextAtSize(s, size) / 2, top, size);
  centred('ỦY BAN NHÂN DÂN', 150, 60, 12);
  centred('TỈNH LÀO CAI', 150, 76, 12);
  centred('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 420, 60, 12);
  centred('Độc lập - Tự do - Hạnh phúc', 420, 76, 13);
  text('Số:', 80, 110);
  text('Lào Cai,', 330, 110);
  centred('V/v triển khai chữ ký số trong cơ quan nhà nước', 150, 130, 11);
  text('Kính gửi: Các sở, ban, ngành thuộc tỉnh.', 150, 180);
  text('Ủy ban nhân dân tỉnh đề nghị các cơ quan, đơn vị thực hiện ký số', 85, 215);
  text('đối với văn bản điện tử theo đúng quy định hiện hành./.', 85, 232);
  centred('KT. CHỦ TỊCH', 430, 300);
  centred('PHÓ CHỦ TỊCH', 430, 316);
  centred('Nguyễn Văn An', 430, 420);
  return doc.save({ useObjectStreams: false });
}

const signaturePng = encodePng(signatureImage(400, 150));
const sealPng = encodePng(sealImage(600));
const SIGNED_AT = new Date('2026-12-01T02:30:12.345Z');
const ISSUED_AT = new Date('2026-12-01T03:15:40.000Z');

async function personallySigned() {
  const pdf = await letter();
  const anchors = await findSignatureAnchors(pdf, {
    title: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH',
    name: 'Nguyễn Văn An',
  });
  const result = await signPersonal(pdf, {
    signer: signerOf(pki.leaves.personal),
    validation,
    fieldName: 'ChuKyLanhDao',
    signingTime: SIGNED_AT,
    image: signaturePng,
    placement: { anchors, width: 180, height: 70 },
  });
  return { pdf, anchors, result };
}

describe('signPersonal then signAgency', () => {
  it('signs as the leader between the anchors, then issues with seal, number and date; every judge agrees after each', async () => {
    const { anchors, result: personal } = await personallySigned();
    expect(await pdfsig(personal.bytes)).toEqual(['Signature is Valid.']);
    expect(personal.verification.indication).toBe('TOTAL_PASSED');
    const personalImg = render(save(personal.bytes, 'personal.pdf'));
    const blue = pixelBox(personalImg, isBlue);
    expect(blue.count).toBeGreaterThan(500);
    // between the title's bottom and the name's top, centred on them
    expect(blue.y1).toBeGreaterThanOrEqual(H - anchors.title.view.y);
    expect(blue.y2).toBeLessThanOrEqual(H - (anchors.name.view.y + anchors.name.view.height));
    expect(Math.abs((blue.x1 + blue.x2) / 2 - 430)).toBeLessThan(4);

    const issued = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      fieldName: 'ChuKyCoQuan',
      signingTime: ISSUED_AT,
      personalCheck: check,
      lock: { action: 'All' }, // goes on the last of the three agency signatures
      appearance: {
        kind: 'seal',
        seal: sealPng,
        sealMm: 36,
        font: loadDefaultFont(),
        documentNumber: { text: '123/UBND-VP', page: 1, at: { x: 102, y: H - 113 } },
        documentDate: { date: '2026-12-01', page: 1, at: { x: 378, y: H - 113 } },
      },
    });
    expect(await pdfsig(issued.bytes)).toEqual(Array(4).fill('Signature is Valid.'));
    const latin = Buffer.from(issued.bytes).toString('latin1');
    expect(latin.split('/TransformMethod /FieldMDP').length - 1).toBe(1);
    expect(latin.indexOf('/TransformMethod /FieldMDP')).toBeGreaterThan(
      latin.lastIndexOf('ChuKyCoQuan_SoKyHieu'),
    );
    const file = save(issued.bytes, 'issued.pdf');
    const q = qpdfCheck(file);
    expect(q.status).toBe(0);
    const report = await verifyPdf(issued.bytes, check);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => [s.fieldName, s.signer.kind, s.indication])).toEqual([
      ['ChuKyLanhDao', 'personal', 'TOTAL_PASSED'],
      ['ChuKyCoQuan', 'organisation', 'TOTAL_PASSED'],
      ['ChuKyCoQuan_SoKyHieu', 'organisation', 'TOTAL_PASSED'],
      ['ChuKyCoQuan_NgayThang', 'organisation', 'TOTAL_PASSED'],
    ]);
    for (const s of report.signatures.slice(0, 3)) expect(s.modifiedAfter).toBe('allowed');
    expect(report.signatures.slice(1).map((s) => s.reason)).toEqual([
      'Chữ ký số của cơ quan: ban hành văn bản',
      'Chữ ký số của cơ quan: số, ký hiệu văn bản',
      'Chữ ký số của cơ quan: ngày, tháng, năm ban hành',
    ]);
    expect(report.signatures[1]!.claimedSigningTime ?? report.signatures[1]!.signingTime).toContain(
      '2026-12-01T03:15:40',
    );

    const img = render(file);
    const red = pixelBox(img, isRed);
    const sealPt = mmToPt(36);
    expect(Math.abs(red.x2 - red.x1 - sealPt)).toBeLessThan(3);
    expect(Math.abs(red.y2 - red.y1 - sealPt)).toBeLessThan(3);
    // over the left third of the personal image: the seal's right edge a third of the way across
    expect(Math.abs(red.x2 - (blue.x1 + (blue.x2 - blue.x1) / 3))).toBeLessThan(6);

    const text = tool('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('123/UBND-VP');
    expect(text).toContain('ngày 01 tháng 12 năm 2026');
    expect(text).toContain('KT. CHỦ TỊCH');
    expect(text).toContain('Nguyễn Văn An');
    const fonts = tool('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
    // The number's and the date's widgets: kyso's subsets, tagged (the letter's own fonts are pdf-lib's).
    const kyso = fonts.filter((row) => /^[A-Z]{6}\+LiberationSerif\s/.test(row));
    expect(kyso).toHaveLength(2);
    for (const row of kyso) expect(row).toMatch(/\sCID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s/);
  });

  it('draws the copy text at the top right with the time of /M, and records the copy and the declared basis in /Reason', async () => {
    const pdf = await letter();
    const copied = await signAgency(pdf, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      signingTime: ISSUED_AT,
      basis: 'agency-copy',
      appearance: {
        kind: 'copy',
        copyForm: 'Sao y',
        agency: 'Văn phòng Ủy ban nhân dân tỉnh',
        font: loadDefaultFont(),
      },
    });
    expect(await pdfsig(copied.bytes)).toEqual(['Signature is Valid.']);
    const file = save(copied.bytes, 'copy.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    const report = await verifyPdf(copied.bytes, check);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.reason).toBe(
      'Chữ ký số của cơ quan: bản sao điện tử: Sao y (bản sao do cơ quan thực hiện)',
    );
    const text = tool('pdftotext', [
      '-f',
      '1',
      '-l',
      '1',
      '-y',
      '0',
      '-H',
      '60',
      '-W',
      '595',
      '-x',
      '0',
      file,
      '-',
    ]);
    expect(text).toContain('Sao y');
    expect(text).toContain('Văn phòng Ủy ban nhân dân tỉnh');
    expect(text).toContain(formatSigningTime(ISSUED_AT));
    expect(formatSigningTime(ISSUED_AT)).toBe('2026-12-01T10:15:40+07:00');
  });

  it('adds the Lào Cai urgency stamp as a further agency signature, and the personal signature stays valid', async () => {
    const { result } = await personallySigned();
    const urgent = await signAgency(result.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: {
        kind: 'urgent',
        stamp: encodePng(sealImage(300)),
        stampMm: 30,
        page: 1,
        at: { x: 60, y: H - 190 },
        provincialRule: 'lao-cai',
      },
    });
    expect(await pdfsig(urgent.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    const report = await verifyPdf(urgent.bytes, check);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');
    const red = pixelBox(render(save(urgent.bytes, 'urgent.pdf')), isRed);
    expect(Math.abs(red.x2 - red.x1 - mmToPt(30))).toBeLessThan(3);
  });

  it('refuses with stable codes: no personal signature, the wrong kind of certificate, a personal signature that cannot be checked, a DocMDP lock without later fields', async () => {
    const pdf = await letter();
    const seal = { kind: 'seal' as const, seal: sealPng, sealMm: 36 };
    expect(
      await codeOf(
        signAgency(pdf, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          personalCheck: check,
          appearance: seal,
        }),
      ),
    ).toBe('OFFICIAL_PERSONAL_SIGNATURE_REQUIRED');
    const { result } = await personallySigned();
    expect(
      await codeOf(
        signAgency(result.bytes, {
          signer: signerOf(pki.leaves.personal),
          validation,
          personalCheck: check,
          appearance: seal,
        }),
      ),
    ).toBe('OFFICIAL_CERTIFICATE_KIND');
    expect(
      await codeOf(
        signPersonal(pdf, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          image: signaturePng,
          placement: { page: 1, rect: { x: 340, y: 450, width: 180, height: 70 } },
        }),
      ),
    ).toBe('OFFICIAL_CERTIFICATE_KIND');
    // No CRL and no transport: the revocation of the personal certificate is unknown now.
    expect(
      await codeOf(
        signAgency(result.bytes, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          personalCheck: { trustAnchors: [root], revocation: 'hard-fail' },
          appearance: seal,
        }),
      ),
    ).toBe('OFFICIAL_PERSONAL_SIGNATURE_UNCHECKED');
    expect(
      await codeOf(
        signPersonal(pdf, {
          signer: signerOf(pki.leaves.personal),
          validation,
          certify: 2,
          image: signaturePng,
          placement: { page: 1, rect: { x: 340, y: 450, width: 180, height: 70 } },
        }),
      ),
    ).toBe('OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS');
  });

  it('works in two steps (two people, two tokens): personal, then the seal with a FieldMDP lock that refuses a later field', async () => {
    const stateKey = new Uint8Array(32).fill(9);
    const personalLeaf = pki.leaves.personal;
    const agencyLeaf = pki.leaves.organisation;
    const chain = [pki.subCa.certificate.der];
    const p1 = await preparePersonalSignature(await letter(), {
      certificate: personalLeaf.der,
      chain,
      stateKey,
      validation,
      signingTime: SIGNED_AT,
      image: signaturePng,
      placement: { page: 1, rect: { x: 340, y: H - 400, width: 180, height: 70 } },
    });
    const v1 = await signerOf(personalLeaf).sign(p1.toBeSigned.signedAttributes);
    const personal = await completePdfSignature(p1.preparedBytes, p1.state, v1, {
      stateKey,
      certificate: personalLeaf.der,
      chain,
      validation,
    });
    const p2 = await prepareAgencySignature(personal.bytes, {
      certificate: agencyLeaf.der,
      chain,
      stateKey,
      validation,
      fieldName: 'DongDau',
      lock: { action: 'All' },
      signingTime: ISSUED_AT,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
    });
    const v2 = await signerOf(agencyLeaf).sign(p2.toBeSigned.signedAttributes);
    const sealed = await completePdfSignature(p2.preparedBytes, p2.state, v2, {
      stateKey,
      certificate: agencyLeaf.der,
      chain,
      validation,
    });
    expect(await pdfsig(sealed.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    const report = await verifyPdf(sealed.bytes, check);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures[0]!.modifiedAfter).toBe('allowed');
    expect(report.signatures[1]!.claimedSigningTime ?? report.signatures[1]!.signingTime).toContain(
      '2026-12-01T03:15:40',
    );
    // The seal's FieldMDP lock (All) makes every later field change a disallowed one: a number prepared now is refused.
    expect(
      await codeOf(
        prepareAgencySignature(sealed.bytes, {
          certificate: agencyLeaf.der,
          chain,
          stateKey,
          validation,
          personalCheck: check,
          appearance: {
            kind: 'number',
            text: '123/UBND-VP',
            page: 1,
            at: { x: 102, y: H - 113 },
            font: loadDefaultFont(),
          },
        }),
      ),
    ).toBe('PDF_SIGN_FIELD_LOCKED');
  });

  it('draws the attachment text (number and time) at the top right of page 1', async () => {
    const { result } = await personallySigned();
    const attached = await signAgency(result.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      signingTime: ISSUED_AT,
      personalCheck: check,
      appearance: { kind: 'attachment', documentNumber: '123/UBND-VP', font: loadDefaultFont() },
    });
    expect(await pdfsig(attached.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    const file = save(attached.bytes, 'attachment.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    const top = tool('pdftotext', [
      '-f',
      '1',
      '-l',
      '1',
      '-y',
      '0',
      '-H',
      '60',
      '-W',
      '595',
      '-x',
      '300',
      file,
      '-',
    ]);
    expect(top).toContain('123/UBND-VP');
    expect(top).toContain('2026-12-01T10:15:40+07:00');
    expect((await verifyPdf(attached.bytes, check)).signatures[0]!.modifiedAfter).toBe('allowed');
  });

  it("refuses the agency's signature on a certified document without a field reserved for it, whose new field would be flagged", async () => {
    const withField = addEmptySignatureField(await letter(), { fieldName: 'Khac' });
    const certified = await signPersonal(withField, {
      signer: signerOf(pki.leaves.personal),
      validation,
      certify: 2,
      image: signaturePng,
      placement: { page: 1, rect: { x: 340, y: H - 400, width: 180, height: 70 } },
    });
    expect(await pdfsig(certified.bytes)).toEqual(['Signature is Valid.']);
    expect(
      await codeOf(
        signAgency(certified.bytes, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          personalCheck: check,
          appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
        }),
      ),
    ).toBe('OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS');
  });

  it('certifies the personal signature (DocMDP /P 2) with the agency fields reserved, and the văn thư fills them: seal, number, date', async () => {
    const pdf = await letter();
    const anchors = await findSignatureAnchors(pdf, {
      title: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH',
      name: 'Nguyễn Văn An',
    });
    const numberBox = { x: 102, y: H - 117, width: 140, height: 18 };
    const dateBox = { x: 378, y: H - 117, width: 180, height: 18 };
    const personal = await signPersonal(pdf, {
      signer: signerOf(pki.leaves.personal),
      validation,
      certify: 2,
      fieldName: 'ChuKyLanhDao',
      signingTime: SIGNED_AT,
      image: signaturePng,
      placement: { anchors, width: 180, height: 70 },
      agencyFields: {
        sealMm: 36,
        number: { page: 1, rect: numberBox },
        date: { page: 1, rect: dateBox },
        lock: { action: 'All' },
      },
    });
    // The reserved fields show nothing before the agency signs: only the blue signature is drawn.
    const personalFile = save(personal.bytes, 'certified-personal.pdf');
    expect(pixelBox(render(personalFile), isRed).count).toBe(0);
    expect(await pdfsig(personal.bytes)).toEqual(['Signature is Valid.']);
    const blue = pixelBox(render(personalFile), isBlue);

    // A seal larger than the square reserved for it is refused, and nothing is written.
    expect(
      await codeOf(
        signAgency(personal.bytes, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          personalCheck: check,
          appearance: { kind: 'seal', seal: sealPng, sealMm: 40 },
        }),
      ),
    ).toBe('APPEARANCE_DOES_NOT_FIT');
    // A place for a reserved field is refused: it has its own.
    expect(
      await codeOf(
        signAgency(personal.bytes, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          personalCheck: check,
          appearance: {
            kind: 'seal',
            seal: sealPng,
            sealMm: 36,
            personalImage: { page: 1, rect: numberBox },
          },
        }),
      ),
    ).toBe('PDF_SIGN_INVALID_OPTION');

    const issued = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      signingTime: ISSUED_AT,
      personalCheck: check,
      appearance: {
        kind: 'seal',
        seal: sealPng,
        sealMm: 36,
        font: loadDefaultFont(),
        documentNumber: { text: '123/UBND-VP' },
        documentDate: { date: '2026-12-01' },
      },
    });
    expect(await pdfsig(issued.bytes)).toEqual(Array(4).fill('Signature is Valid.'));
    const file = save(issued.bytes, 'certified-issued.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    const report = await verifyPdf(issued.bytes, check);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => [s.fieldName, s.signer.kind, s.indication, s.modifiedAfter])).toEqual(
      [
        ['ChuKyLanhDao', 'personal', 'TOTAL_PASSED', 'allowed'],
        ['CoQuan', 'organisation', 'TOTAL_PASSED', 'allowed'],
        ['CoQuan_SoKyHieu', 'organisation', 'TOTAL_PASSED', 'allowed'],
        ['CoQuan_NgayThang', 'organisation', 'TOTAL_PASSED', 'none'],
      ],
    );
    // Every field was reserved and signed in place: the personal revision's widgets, no new ones.
    const latin = Buffer.from(issued.bytes).toString('latin1');
    const fields = [...latin.matchAll(/\/Fields \[([^\]]*)\]/g)].map((m) => m[1]!.match(/\d+ 0 R/g));
    expect(fields.at(-1)).toEqual(fields[0]); // the AcroForm's last /Fields is the personal revision's
    expect(fields[0]).toHaveLength(4);
    expect(latin.split('/TransformMethod /DocMDP').length - 1).toBe(1);
    expect(latin.split('/TransformMethod /FieldMDP').length - 1).toBe(1);

    const img = render(file);
    const red = pixelBox(img, isRed);
    const sealPt = mmToPt(36);
    expect(Math.abs(red.x2 - red.x1 - sealPt)).toBeLessThan(3);
    expect(Math.abs(red.y2 - red.y1 - sealPt)).toBeLessThan(3);
    expect(Math.abs(red.x2 - (blue.x1 + (blue.x2 - blue.x1) / 3))).toBeLessThan(6);
    expect(Math.abs((red.y1 + red.y2) / 2 - (blue.y1 + blue.y2) / 2)).toBeLessThan(6);

    // The number and the date are drawn at 13 pt inside the boxes reserved for them.
    const bbox = tool('pdftotext', ['-bbox', file, '-']);
    const word = (w: string) => {
      const m = new RegExp(`xMin="([\\d.]+)" yMin="([\\d.]+)" xMax="([\\d.]+)" yMax="([\\d.]+)">${w}<`).exec(
        bbox,
      );
      expect(m, w).not.toBeNull();
      return m!.slice(1).map(Number) as [number, number, number, number];
    };
    const inBox = (w: [number, number, number, number], box: typeof numberBox) => {
      expect(w[0]).toBeGreaterThanOrEqual(box.x - 0.5);
      expect(w[2]).toBeLessThanOrEqual(box.x + box.width + 0.5);
      expect(w[1]).toBeGreaterThanOrEqual(H - (box.y + box.height) - 0.5);
      expect(w[3]).toBeLessThanOrEqual(H - box.y + 0.5);
    };
    const number = word('123/UBND-VP');
    inBox(number, numberBox);
    expect(Math.abs(number[0] - numberBox.x)).toBeLessThan(1); // at the box's left
    inBox(word('ngày'), dateBox);
    inBox(word('2026'), dateBox);
    expect(tool('pdftotext', ['-layout', file, '-'])).toContain('ngày 01 tháng 12 năm 2026');

    // The date's signature applied the lock the field was reserved with: nothing may follow.
    expect(
      await codeOf(
        signAgency(issued.bytes, {
          signer: signerOf(pki.leaves.organisation),
          validation,
          basis: 'agency-copy',
          fieldName: 'SaoY',
          appearance: {
            kind: 'copy',
            copyForm: 'Sao y',
            agency: 'UBND tỉnh Lào Cai',
            font: loadDefaultFont(),
          },
        }),
      ),
    ).toBe('OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS');
  });

  it('reserves and fills the agency fields in two steps, as two people with two tokens do', async () => {
    const stateKey = new Uint8Array(32).fill(7);
    const chain = [pki.subCa.certificate.der];
    const personalLeaf = pki.leaves.personal;
    const agencyLeaf = pki.leaves.organisation;
    const complete = async (
      prepared: Awaited<ReturnType<typeof preparePersonalSignature>>,
      leaf: IssuedCertificate,
    ) =>
      completePdfSignature(
        prepared.preparedBytes,
        prepared.state,
        await signerOf(leaf).sign(prepared.toBeSigned.signedAttributes),
        {
          stateKey,
          certificate: leaf.der,
          chain,
          validation,
        },
      );
    const personal = await complete(
      await preparePersonalSignature(await letter(), {
        certificate: personalLeaf.der,
        chain,
        stateKey,
        validation,
        certify: 2,
        signingTime: SIGNED_AT,
        image: signaturePng,
        placement: { page: 1, rect: { x: 340, y: H - 400, width: 180, height: 70 } },
        agencyFields: {
          fieldName: 'VanThu',
          sealMm: 38,
          number: { page: 1, rect: { x: 102, y: H - 117, width: 140, height: 18 } },
        },
      }),
      personalLeaf,
    );
    const agency = { certificate: agencyLeaf.der, chain, stateKey, validation, personalCheck: check };
    const sealed = await complete(
      await prepareAgencySignature(personal.bytes, {
        ...agency,
        fieldName: 'VanThu',
        signingTime: ISSUED_AT,
        appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
      }),
      agencyLeaf,
    );
    const numbered = await complete(
      await prepareAgencySignature(sealed.bytes, {
        ...agency,
        // No field name: the one empty number field, reserved under the seal's name "VanThu".
        signingTime: ISSUED_AT,
        appearance: { kind: 'number', text: '45/UBND-VP', font: loadDefaultFont() },
      }),
      agencyLeaf,
    );
    expect(await pdfsig(numbered.bytes)).toEqual(Array(3).fill('Signature is Valid.'));
    const report = await verifyPdf(numbered.bytes, check);
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.signatures.map((s) => s.fieldName)).toEqual(['Signature1', 'VanThu', 'VanThu_SoKyHieu']);
    const file = save(numbered.bytes, 'two-step-certified.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    // A 36 mm seal in the 38 mm square reserved for it: at its own size, centred in it.
    const red = pixelBox(render(file), isRed);
    expect(Math.abs(red.x2 - red.x1 - mmToPt(36))).toBeLessThan(3);
    expect(tool('pdftotext', ['-layout', file, '-'])).toContain('45/UBND-VP');
  });

  it('reserves the agency fields after an earlier signature without disturbing it; a reserved field that draws is disallowed', async () => {
    // An incoming document already signed (an approval by another office), then signed by the leader.
    const earlier = await signPdf(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      fieldName: 'DonViKhac',
    });
    const personal = await signPersonal(earlier.bytes, {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: signaturePng,
      placement: { page: 1, rect: { x: 340, y: H - 400, width: 180, height: 70 } },
      agencyFields: { sealMm: 36, number: { page: 1, rect: { x: 102, y: H - 117, width: 140, height: 18 } } },
    });
    const report = await verifyPdf(personal.bytes, check);
    expect(report.signatures.map((s) => [s.fieldName, s.indication, s.modifiedAfter])).toEqual([
      ['DonViKhac', 'TOTAL_PASSED', 'allowed'],
      ['Signature1', 'TOTAL_PASSED', 'none'],
    ]);
    // The neighbour: an unsigned signature field whose appearance draws a box over the signed page.
    const boxed = addEmptySignatureField(earlier.bytes, {
      fieldName: 'KhungVe',
      visible: { page: 1, rect: { x: 100, y: 100, width: 120, height: 40 } },
    });
    const judged = await verifyPdf(boxed, check);
    expect(judged.signatures[0]!.modifiedAfter).toBe('disallowed');
    expect(JSON.stringify(judged.signatures[0])).toContain('unsigned-signature-field');
  });

  it('fills a reserved field upright and at its size on a page displayed rotated (/Rotate 90)', async () => {
    const doc = await PDFDocument.load(await letter());
    doc.getPage(0).setRotation(degrees(90));
    const rotated = await doc.save({ useObjectStreams: false });
    // Displayed 842 × 595 (landscape); rectangles are on the page as displayed.
    const personalRect = { x: 500, y: 150, width: 180, height: 70 };
    const personal = await signPersonal(rotated, {
      signer: signerOf(pki.leaves.personal),
      validation,
      certify: 2,
      image: signaturePng,
      placement: { page: 1, rect: personalRect },
      agencyFields: { sealMm: 36 },
    });
    // A wide red bar as the "seal": 2:1, so drawn sideways it would be taller than wide.
    const bar = blank(600, 300);
    for (let i = 0; i < bar.pixels.length; i += 4) bar.pixels.set([220, 20, 30, 255], i);
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: encodePng(bar), sealMm: 36 },
    });
    expect(await pdfsig(sealed.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    const file = save(sealed.bytes, 'rotated-reserved.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    const img = render(file);
    expect(img.width).toBe(842);
    const red = pixelBox(img, isRed);
    const side = mmToPt(36);
    // Upright: 36 mm wide, 18 mm high, centred in the square reserved over the left third.
    expect(Math.abs(red.x2 - red.x1 - side)).toBeLessThan(3);
    expect(Math.abs(red.y2 - red.y1 - side / 2)).toBeLessThan(3);
    expect(Math.abs(red.x2 - (personalRect.x + personalRect.width / 3))).toBeLessThan(3);
    const centreY = 595 - (personalRect.y + personalRect.height / 2);
    expect(Math.abs((red.y1 + red.y2) / 2 - centreY)).toBeLessThan(3);
    expect((await verifyPdf(sealed.bytes, check)).indication).toBe('TOTAL_PASSED');
  });

  it('on a scanned letter (an image, no text), draws nothing over its ink: personal, seal, and a copy of the digitised document', async () => {
    // The letter as a scan: rendered at 150 dpi and laid on a page as one image.
    const source = save(await letter(), 'to-scan.pdf');
    const prefix = join(dir, `scan-${counter}`);
    tool('pdftoppm', ['-r', '150', '-png', '-singlefile', source, prefix]);
    const scanDoc = await PDFDocument.create();
    const scan = await scanDoc.embedPng(readFileSync(`${prefix}.png`));
    scanDoc.addPage([595, H]).drawImage(scan, { x: 0, y: 0, width: 595, height: H });
    const scanned = await scanDoc.save({ useObjectStreams: false });
    // The anchors cannot be read from an image: a named error, not a guess.
    expect(
      await codeOf(
        findSignatureAnchors(scanned, { title: 'KT. CHỦ TỊCH / PHÓ CHỦ TỊCH', name: 'Nguyễn Văn An' }),
      ),
    ).toMatch(/^APPEARANCE_/);
    const before = render(save(scanned, 'scanned.pdf'));
    const ink = (img: typeof before, i: number) =>
      img.pixels[i]! + img.pixels[i + 1]! + img.pixels[i + 2]! < 3 * 128;
    /** Pixels the signing changed that lie on (or next to) the scan's ink: none may. */
    const coveredInk = (after: typeof before) => {
      let covered = 0;
      let changed = 0;
      for (let y = 1; y < before.height - 1; y++)
        for (let x = 1; x < before.width - 1; x++) {
          const i = (y * before.width + x) * 4;
          const differs = [0, 1, 2].some((c) => Math.abs(after.pixels[i + c]! - before.pixels[i + c]!) > 40);
          if (!differs) continue;
          changed += 1;
          const near = [-1, 0, 1].some((dy) =>
            [-1, 0, 1].some((dx) => ink(before, ((y + dy) * before.width + x + dx) * 4)),
          );
          if (near) covered += 1;
        }
      return { covered, changed };
    };
    // Between the title (its bottom at 316 + 4 pt from the top) and the name (its top at 420 − 13).
    const personal = await signPersonal(scanned, {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: signaturePng,
      placement: { page: 1, rect: { x: 340, y: H - 400, width: 180, height: 70 } },
    });
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
    });
    const issued = coveredInk(render(save(sealed.bytes, 'scanned-issued.pdf')));
    expect(issued.changed).toBeGreaterThan(1000); // the blue signature and the red seal were drawn
    expect(issued.covered).toBe(0);
    // A copy of the digitised document: the text at the top right, in the margin above the heading.
    const copied = await signAgency(scanned, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      basis: 'digitised-incoming',
      appearance: { kind: 'copy', copyForm: 'Sao y', agency: 'UBND tỉnh Lào Cai', font: loadDefaultFont() },
    });
    const copy = coveredInk(render(save(copied.bytes, 'scanned-copy.pdf')));
    expect(copy.changed).toBeGreaterThan(100);
    expect(copy.covered).toBe(0);
    expect(await pdfsig(copied.bytes)).toEqual(['Signature is Valid.']);
  });

  it('writes dates as Phụ lục I does', () => {
    expect(formatDocumentDate('2026-12-01')).toBe('ngày 01 tháng 12 năm 2026');
    expect(formatDocumentDate('2026-02-15')).toBe('ngày 15 tháng 02 năm 2026');
    expect(formatDocumentDate('2026-03-09')).toBe('ngày 09 tháng 3 năm 2026');
    expect(() => formatDocumentDate('2026-02-30')).toThrow();
  });
});

/** The error a promise is refused with (a KysoError: code, message, messageVi). */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isKysoError(error)) return error;
    throw error;
  }
  throw new Error('not refused');
}

/** A signer that counts its signatures: a refusal before the first leaves it at 0. */
function counting(leaf: IssuedCertificate): Signer & { calls: number } {
  const inner = signerOf(leaf);
  const counted = {
    certificate: inner.certificate,
    chain: inner.chain,
    algorithm: inner.algorithm,
    calls: 0,
    sign: (data: Uint8Array) => {
      counted.calls += 1;
      return inner.sign(data);
    },
  };
  return counted;
}

/** The letter with an empty signature field made by another tool (pdf-lib): no /P, optionally /MK /R. */
async function withForeignField(
  name: string,
  rect: { x: number; y: number; width: number; height: number },
  extra: { rotate?: number } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await letter());
  const widget = doc.context.register(
    doc.context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      FT: 'Sig',
      T: PDFString.of(name),
      F: 4,
      Rect: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
      ...(extra.rotate !== undefined ? { MK: { R: extra.rotate } } : {}),
    }),
  );
  doc.getPage(0).node.addAnnot(widget);
  doc.catalog.set(PDFName.of('AcroForm'), doc.context.register(doc.context.obj({ Fields: [widget] })));
  return doc.save({ useObjectStreams: false });
}

/** The letter claiming PDF/A-1b in its XMP: `pdfaid:part` as an element or as an attribute. */
async function pdfA1Letter(form: 'element' | 'attribute'): Promise<Uint8Array> {
  const doc = await PDFDocument.load(await letter());
  const id =
    form === 'element'
      ? '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>1</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>'
      : '<rdf:Description rdf:about="" xmlns:a="http://www.aiim.org/pdfa/ns/id/" a:part="1" a:conformance="B"/>';
  const xmp = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${id}</rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
  const metadata = doc.context.stream(xmp, { Type: 'Metadata', Subtype: 'XML' });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(metadata));
  const intent = doc.context.obj({
    Type: 'OutputIntent',
    S: 'GTS_PDFA1',
    OutputConditionIdentifier: PDFString.of('sRGB IEC61966-2.1'),
  });
  doc.catalog.set(PDFName.of('OutputIntents'), doc.context.obj([doc.context.register(intent)]));
  return doc.save({ useObjectStreams: false });
}

const squarePng = encodePng(signatureImage(200, 200));
const wideRect = { x: 340, y: H - 400, width: 180, height: 70 };
const centreY = (b: { y1: number; y2: number }) => (b.y1 + b.y2) / 2;
const third = (b: { x1: number; x2: number }) => b.x1 + (b.x2 - b.x1) / 3;

describe('review fixes of the official flow', () => {
  it('places the seal over the left third of the signature IMAGE, not of its rectangle (square image, wide rectangle)', async () => {
    const personal = await signPersonal(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: squarePng,
      placement: { page: 1, rect: wideRect },
    });
    const blue = pixelBox(render(save(personal.bytes, 'square-personal.pdf')), isBlue);
    // The 200×200 image is drawn 70×70, centred in the 180×70 rectangle.
    expect(blue.x2 - blue.x1).toBeLessThan(75);
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 20 },
    });
    expect(sealed.warnings.map((w) => w.code)).not.toContain('APPEARANCE_PERSONAL_IMAGE_NOT_FOUND');
    const file = save(sealed.bytes, 'square-sealed.pdf');
    expect(await pdfsig(sealed.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(qpdfCheck(file).status).toBe(0);
    expect((await verifyPdf(sealed.bytes, check)).indication).toBe('TOTAL_PASSED');
    const red = pixelBox(render(file), isRed);
    expect(Math.abs(red.x2 - red.x1 - mmToPt(20))).toBeLessThan(3);
    expect(Math.abs(red.x2 - third(blue))).toBeLessThan(3);
    expect(Math.abs(centreY(red) - centreY(blue))).toBeLessThan(3);
  });

  it('reserves the seal square over the left third of the signature IMAGE (square image, wide rectangle)', async () => {
    const personal = await signPersonal(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      certify: 2,
      image: squarePng,
      placement: { page: 1, rect: wideRect },
      agencyFields: { sealMm: 20 },
    });
    const blue = pixelBox(render(save(personal.bytes, 'square-reserved.pdf')), isBlue);
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 20 },
    });
    expect(sealed.fieldName).toBe('CoQuan');
    const file = save(sealed.bytes, 'square-reserved-sealed.pdf');
    expect(await pdfsig(sealed.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    expect(qpdfCheck(file).status).toBe(0);
    const red = pixelBox(render(file), isRed);
    expect(Math.abs(red.x2 - third(blue))).toBeLessThan(3);
    expect(Math.abs(centreY(red) - centreY(blue))).toBeLessThan(3);
  });

  it('finds the image in a personal widget another tool made (no /P, the image in a nested form)', async () => {
    const pdf = await withForeignField('LanhDao', wideRect);
    const personal = await signPdf(pdf, {
      signer: signerOf(pki.leaves.personal),
      validation,
      fieldName: 'LanhDao',
      fieldAppearance: {
        appearance: personalSignatureAppearance({ image: squarePng, width: 180, height: 70 }),
      },
    });
    expect(Buffer.from(personal.bytes).toString('latin1')).not.toMatch(/\/FT \/Sig[^>]*\/P \d+ 0 R/);
    const blue = pixelBox(render(save(personal.bytes, 'foreign-personal.pdf')), isBlue);
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 20 },
    });
    expect(await pdfsig(sealed.bytes)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
    const red = pixelBox(render(save(sealed.bytes, 'foreign-sealed.pdf')), isRed);
    expect(Math.abs(red.x2 - third(blue))).toBeLessThan(3);
    expect(Math.abs(centreY(red) - centreY(blue))).toBeLessThan(3);
  });

  it('places the seal over the widget, with a warning, when its appearance shows no image', async () => {
    const personal = await signPdf(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      visible: { page: 1, rect: wideRect },
    });
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 20 },
    });
    const warning = sealed.warnings.find((w) => w.code === 'APPEARANCE_PERSONAL_IMAGE_NOT_FOUND');
    expect(warning?.en).toContain('N30-PL1-2');
    expect(warning?.vi).toContain('N30-PL1-2');
    const red = pixelBox(render(save(sealed.bytes, 'box-sealed.pdf')), isRed);
    expect(Math.abs(red.x2 - (wideRect.x + wideRect.width / 3))).toBeLessThan(3);
    expect(Math.abs(centreY(red) - (H - wideRect.y - wideRect.height / 2))).toBeLessThan(3);
  });

  it("returns the appearance's warnings (opaque, not blue, not red) from one call and from both steps; nothing is refused", async () => {
    const opaqueBlack = encodePng(signatureImage(400, 150, [0, 0, 0], true), { opaque: true });
    const codes = (ws: readonly { code?: string }[]) => ws.map((w) => w.code);
    const personal = await signPersonal(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: opaqueBlack,
      placement: { page: 1, rect: wideRect },
    });
    expect(codes(personal.warnings)).toEqual(
      expect.arrayContaining(['APPEARANCE_IMAGE_NOT_TRANSPARENT', 'APPEARANCE_IMAGE_COLOUR']),
    );
    for (const w of personal.warnings.filter((x) => x.code)) {
      expect(w.en).toContain('N30-PL1-1');
      expect(w.vi).toContain('N30-PL1-1');
    }
    expect(await pdfsig(personal.bytes)).toEqual(['Signature is Valid.']);

    const stateKey = new Uint8Array(32).fill(5);
    const chain = [pki.subCa.certificate.der];
    const prepared = await preparePersonalSignature(await letter(), {
      certificate: pki.leaves.personal.der,
      chain,
      stateKey,
      validation,
      image: opaqueBlack,
      placement: { page: 1, rect: wideRect },
    });
    expect(codes(prepared.warnings)).toEqual(
      expect.arrayContaining(['APPEARANCE_IMAGE_NOT_TRANSPARENT', 'APPEARANCE_IMAGE_COLOUR']),
    );
    const completed = await completePdfSignature(
      prepared.preparedBytes,
      prepared.state,
      await signerOf(pki.leaves.personal).sign(prepared.toBeSigned.signedAttributes),
      { stateKey, certificate: pki.leaves.personal.der, chain, validation },
    );
    expect(codes(completed.warnings)).toEqual(
      expect.arrayContaining(['APPEARANCE_IMAGE_NOT_TRANSPARENT', 'APPEARANCE_IMAGE_COLOUR']),
    );

    // The seal's warnings survive the number's signature that follows it.
    const opaqueSeal = encodePng(sealImage(300, [0, 0, 0]), { opaque: true });
    const issued = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: {
        kind: 'seal',
        seal: opaqueSeal,
        sealMm: 20,
        font: loadDefaultFont(),
        documentNumber: { text: '123/UBND-VP', page: 1, at: { x: 102, y: H - 113 } },
      },
    });
    const sealWarnings = issued.warnings.filter((w) => w.en.includes('N30-PL1-2'));
    expect(codes(sealWarnings)).toEqual(
      expect.arrayContaining(['APPEARANCE_IMAGE_NOT_TRANSPARENT', 'APPEARANCE_IMAGE_COLOUR']),
    );
    expect(await pdfsig(issued.bytes)).toEqual(Array(3).fill('Signature is Valid.'));

    // Streaming from disk (signPdfFile) with the same appearance returns them too.
    const input = save(await letter(), 'stream-in.pdf');
    const streamed = await signPdfFile(input, `${input}.signed.pdf`, {
      signer: signerOf(pki.leaves.personal),
      validation,
      visible: {
        page: 1,
        at: { x: wideRect.x, y: wideRect.y },
        appearance: personalSignatureAppearance({
          image: opaqueBlack,
          width: wideRect.width,
          height: wideRect.height,
        }),
      },
    });
    expect(codes(streamed.warnings)).toEqual(
      expect.arrayContaining(['APPEARANCE_IMAGE_NOT_TRANSPARENT', 'APPEARANCE_IMAGE_COLOUR']),
    );
    expect(await pdfsig(readFileSync(`${input}.signed.pdf`))).toEqual(['Signature is Valid.']);
  });

  it('refuses certify: 1 on the personal signature, before signing: the agency could never sign after it', async () => {
    const signer = counting(pki.leaves.personal);
    const options = {
      validation,
      certify: 1 as const,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
      agencyFields: { sealMm: 36 },
    };
    expect(await codeOf(signPersonal(await letter(), { ...options, signer }))).toBe(
      'OFFICIAL_DOCMDP_NO_CHANGES',
    );
    expect(signer.calls).toBe(0);
    const error = await refusal(
      preparePersonalSignature(await letter(), {
        ...options,
        certificate: pki.leaves.personal.der,
        stateKey: new Uint8Array(32).fill(1),
      }),
    );
    expect(error.code).toBe('OFFICIAL_DOCMDP_NO_CHANGES');
    expect(error.message).toContain('Điều 32 khoản 2');
    expect(error.messageVi).toContain('Điều 32 khoản 2');
  });

  it('keeps a PDF/A-1 letter free of soft masks in both flows, read from its XMP; pdfA1 overrides', async () => {
    const pdf = await pdfA1Letter('element');
    const personal = await signPersonal(pdf, {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
    });
    const issued = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: {
        kind: 'seal',
        seal: sealPng,
        sealMm: 36,
        font: loadDefaultFont(),
        documentNumber: { text: '123/UBND-VP', page: 1, at: { x: 102, y: H - 113 } },
      },
    });
    const latin = Buffer.from(issued.bytes).toString('latin1');
    expect(latin).not.toContain('/SMask');
    expect(latin).toContain('/ImageMask true');
    expect(await pdfsig(issued.bytes)).toEqual(Array(3).fill('Signature is Valid.'));
    const file = save(issued.bytes, 'pdfa1-issued.pdf');
    expect(qpdfCheck(file).status).toBe(0);
    expect((await verifyPdf(issued.bytes, check)).indication).toBe('TOTAL_PASSED');
    const img = render(file);
    expect(pixelBox(img, isBlue).count).toBeGreaterThan(300);
    expect(pixelBox(img, isRed).count).toBeGreaterThan(300);

    // The claim as an attribute, under another prefix, is read too; an explicit pdfA1 overrides it.
    const attribute = await pdfA1Letter('attribute');
    const personalA = await signPersonal(attribute, {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
    });
    expect(Buffer.from(personalA.bytes).toString('latin1')).not.toContain('/SMask');
    const overridden = await signPersonal(attribute, {
      signer: signerOf(pki.leaves.personal),
      validation,
      pdfA1: false,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
    });
    expect(Buffer.from(overridden.bytes).toString('latin1')).toContain('/SMask');
    const sealedA = await signAgency(personalA.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
    });
    expect(Buffer.from(sealedA.bytes).toString('latin1')).not.toContain('/SMask');
  });

  it('checks every step of signAgency before the first signature: an invalid date, a number too wide for its box, a date with no field on a certified document', async () => {
    const seal = { kind: 'seal' as const, seal: sealPng, sealMm: 36, font: loadDefaultFont() };
    const number = { text: '123/UBND-VP', page: 1, at: { x: 102, y: H - 113 } };
    // An invalid date after the seal and the number.
    const { result: personal } = await personallySigned();
    const a = counting(pki.leaves.organisation);
    expect(
      await codeOf(
        signAgency(personal.bytes, {
          signer: a,
          validation,
          personalCheck: check,
          appearance: {
            ...seal,
            documentNumber: number,
            documentDate: { date: '2026-02-30', page: 1, at: { x: 378, y: H - 113 } },
          },
        }),
      ),
    ).toBe('PDF_SIGN_INVALID_OPTION');
    expect(a.calls).toBe(0);

    // A number wider than the box the personal signature reserved for it.
    const narrow = await signPersonal(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
      agencyFields: { sealMm: 36, number: { page: 1, rect: { x: 102, y: H - 117, width: 30, height: 18 } } },
    });
    const b = counting(pki.leaves.organisation);
    expect(
      await codeOf(
        signAgency(narrow.bytes, {
          signer: b,
          validation,
          personalCheck: check,
          appearance: { ...seal, documentNumber: { text: '123/UBND-VP' } },
        }),
      ),
    ).toBe('APPEARANCE_DOES_NOT_FIT');
    expect(b.calls).toBe(0);

    // A certified document with the seal's and the number's fields reserved, but not the date's.
    const certified = await signPersonal(await letter(), {
      signer: signerOf(pki.leaves.personal),
      validation,
      certify: 2,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
      agencyFields: { sealMm: 36, number: { page: 1, rect: { x: 102, y: H - 117, width: 140, height: 18 } } },
    });
    const c = counting(pki.leaves.organisation);
    expect(
      await codeOf(
        signAgency(certified.bytes, {
          signer: c,
          validation,
          personalCheck: check,
          appearance: {
            ...seal,
            documentNumber: { text: '123/UBND-VP' },
            documentDate: { date: '2026-12-01', page: 1, at: { x: 378, y: H - 113 } },
          },
        }),
      ),
    ).toBe('OFFICIAL_DOCMDP_WITHOUT_LATER_FIELDS');
    expect(c.calls).toBe(0);
  });

  it("accepts a lock on a reserved field only when it is the field's own, and refuses any other before signing", async () => {
    const reserve = async (lock?: { action: 'All' }) =>
      signPersonal(await letter(), {
        signer: signerOf(pki.leaves.personal),
        validation,
        certify: 2,
        image: signaturePng,
        placement: { page: 1, rect: wideRect },
        agencyFields: {
          sealMm: 36,
          number: { page: 1, rect: { x: 102, y: H - 117, width: 140, height: 18 } },
          ...(lock ? { lock } : {}),
        },
      });
    const appearance = {
      kind: 'seal' as const,
      seal: sealPng,
      sealMm: 36,
      font: loadDefaultFont(),
      documentNumber: { text: '123/UBND-VP' },
    };
    const locked = await reserve({ action: 'All' });
    const other = counting(pki.leaves.organisation);
    const mismatch = await refusal(
      signAgency(locked.bytes, {
        signer: other,
        validation,
        personalCheck: check,
        lock: { action: 'Include', fields: ['CoQuan'] },
        appearance,
      }),
    );
    expect(mismatch.code).toBe('PDF_SIGN_INVALID_OPTION');
    expect(mismatch.message).toContain('agencyFields.lock');
    expect(mismatch.messageVi).toContain('agencyFields.lock');
    expect(other.calls).toBe(0);

    const same = counting(pki.leaves.organisation);
    const issued = await signAgency(locked.bytes, {
      signer: same,
      validation,
      personalCheck: check,
      lock: { action: 'All' },
      appearance,
    });
    expect(same.calls).toBe(2);
    expect(await pdfsig(issued.bytes)).toEqual(Array(3).fill('Signature is Valid.'));
    const latin = Buffer.from(issued.bytes).toString('latin1');
    expect(latin.split('/TransformMethod /FieldMDP').length - 1).toBe(1);

    // Reserved without a lock: a lock now cannot be applied, and is refused before the seal is signed.
    const unlocked = await reserve();
    const late = counting(pki.leaves.organisation);
    expect(
      await codeOf(
        signAgency(unlocked.bytes, {
          signer: late,
          validation,
          personalCheck: check,
          lock: { action: 'All' },
          appearance,
        }),
      ),
    ).toBe('PDF_SIGN_INVALID_OPTION');
    expect(late.calls).toBe(0);
  });

  it('leaves an unrelated empty field named CoQuan alone, and fills it when the caller names it', async () => {
    const unrelated = { x: 60, y: H - 300, width: 120, height: 120 };
    const pdf = addEmptySignatureField(await letter(), {
      fieldName: 'CoQuan',
      visible: { page: 1, rect: unrelated },
    });
    const personal = await signPersonal(pdf, {
      signer: signerOf(pki.leaves.personal),
      validation,
      image: signaturePng,
      placement: { page: 1, rect: wideRect },
    });
    const blue = pixelBox(render(save(personal.bytes, 'coquan-personal.pdf')), isBlue);
    const sealed = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      appearance: { kind: 'seal', seal: sealPng, sealMm: 20 },
    });
    expect(sealed.fieldName).not.toBe('CoQuan');
    const red = pixelBox(render(save(sealed.bytes, 'coquan-sealed.pdf')), isRed);
    expect(Math.abs(red.x2 - third(blue))).toBeLessThan(3);
    const report = await verifyPdf(sealed.bytes, check);
    expect(report.signatures.map((s) => s.fieldName)).not.toContain('CoQuan');

    const named = await signAgency(personal.bytes, {
      signer: signerOf(pki.leaves.organisation),
      validation,
      personalCheck: check,
      fieldName: 'CoQuan',
      appearance: { kind: 'seal', seal: sealPng, sealMm: 20 },
    });
    expect(named.fieldName).toBe('CoQuan');
    const inField = pixelBox(render(save(named.bytes, 'coquan-named.pdf')), isRed);
    expect(inField.x1).toBeGreaterThanOrEqual(unrelated.x - 1);
    expect(inField.x2).toBeLessThanOrEqual(unrelated.x + unrelated.width + 1);
  });

  it('refuses personalCheck.at: the personal signature is checked now', async () => {
    const { result } = await personallySigned();
    const signer = counting(pki.leaves.organisation);
    const error = await refusal(
      signAgency(result.bytes, {
        signer,
        validation,
        personalCheck: { ...check, at: new Date('2026-12-01T00:00:00Z') },
        appearance: { kind: 'seal', seal: sealPng, sealMm: 36 },
      }),
    );
    expect(error.code).toBe('PDF_SIGN_INVALID_OPTION');
    expect(error.message).toContain('personalCheck.at');
    expect(signer.calls).toBe(0);
  });

  it('refuses fieldAppearance in a widget rotated by its /MK /R, which would turn it twice', async () => {
    const turned = await withForeignField('Xoay', wideRect, { rotate: 90 });
    const error2 = await refusal(
      signPdf(turned, {
        signer: signerOf(pki.leaves.personal),
        validation,
        fieldName: 'Xoay',
        fieldAppearance: {
          appearance: personalSignatureAppearance({ image: signaturePng, width: 70, height: 70 }),
        },
      }),
    );
    expect(error2.code).toBe('PDF_SIGN_INVALID_OPTION');
    expect(error2.message).toContain('/MK /R 90');
  });
});
