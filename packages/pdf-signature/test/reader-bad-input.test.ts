import { isKysoError } from '@kyso/core';
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { findSignatures, PdfDocument, PdfRef } from '../src/index.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** A minimal PDF with the given objects (bodies without `n 0 obj`), a classic xref and a trailer. */
function pdf(objects: string[], trailerExtra = '', xrefOverride?: number): Uint8Array {
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) body += `${String(o).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xrefOverride ?? xref}\n%%EOF\n`;
  return enc(body);
}

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (error) {
    expect(isKysoError(error), String(error)).toBe(true);
    expect((error as { code: string }).code).toBe(code);
    return;
  }
  expect.unreachable(`expected ${code}`);
}

describe('the PDF reader on hostile input', () => {
  it('reads a well-formed minimal file', () => {
    const doc = PdfDocument.load(pdf(['<< /Type /Catalog >>']));
    expect(doc.catalog().name('Type')).toBe('Catalog');
    expect(findSignatures(doc)).toEqual([]);
  });

  it('truncated files', () => {
    const full = pdf(['<< /Type /Catalog >>']);
    for (const cut of [10, 40, full.length - 30]) {
      expect(() => PdfDocument.load(full.subarray(0, cut)).catalog()).toThrow(
        expect.objectContaining({ code: expect.stringMatching(/^PDF_/) }),
      );
    }
  });

  it('a cross-reference chain that loops: read by a scan for objects, and said so', () => {
    const base = new TextDecoder().decode(pdf(['<< /Type /Catalog >>']));
    const xrefAt = base.lastIndexOf('xref\n0');
    const looping = base.replace('/Root 1 0 R ', `/Root 1 0 R /Prev ${xrefAt} `);
    const doc = PdfDocument.load(enc(looping));
    expect(doc.reconstruction).toMatchObject({ intactEnd: 0, objectsFound: 1 });
    expect(doc.reconstruction!.reason).toMatch(/loops/);
    expect(doc.catalog().name('Type')).toBe('Catalog');
  });

  it('a startxref that points past the end: read by a scan for objects, and said so', () => {
    const doc = PdfDocument.load(pdf(['<< /Type /Catalog >>'], '', 999_999));
    expect(doc.reconstruction!.reason).toMatch(/outside the file/);
    expect(doc.catalog().name('Type')).toBe('Catalog');
  });

  it('keeps the intact revision and scans only the damaged tail after it', () => {
    const first = pdf(['<< /Type /Catalog /Version /1.7 >>']);
    const tail = `1 0 obj\n<< /Type /Catalog /Version /2.0 >>\nendobj\nxref\ngarbage\nstartxref\n${first.length + 50}\n%%EOF\n`;
    const doc = PdfDocument.load(new Uint8Array([...first, ...enc(tail)]));
    expect(doc.reconstruction).toMatchObject({ intactEnd: first.length, objectsFound: 1 });
    // The scan's definition is the newest: what a viewer that repairs the file shows.
    expect(doc.catalog().name('Version')).toBe('2.0');
    expect(doc.revisionAt(first.length).catalog().name('Version')).toBe('1.7');
  });

  it('a PDF with no readable object at all stays unreadable', () => {
    expectCode(
      () => PdfDocument.load(enc('%PDF-1.7\nnothing here\nstartxref\n5\n%%EOF\n')),
      'PDF_XREF_BROKEN',
    );
  });

  it('bytes that are not a PDF (a JPEG, an empty file) get PDF_NOT_PDF', () => {
    const jpeg = new Uint8Array([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...enc('JFIF\0'),
      ...new Uint8Array(2000),
    ]);
    expectCode(() => PdfDocument.load(jpeg), 'PDF_NOT_PDF');
    expectCode(() => PdfDocument.load(new Uint8Array(0)), 'PDF_NOT_PDF');
  });

  it('references that point to references in a loop', () => {
    const doc = PdfDocument.load(pdf(['<< /Type /Catalog /AcroForm 2 0 R >>', '3 0 R', '2 0 R']));
    expect(() => doc.deref(new PdfRef(2, 0))).toThrow(
      expect.objectContaining({ code: expect.stringMatching(/PDF_REFERENCE_LOOP/) }),
    );
  });

  it('a compressed stream that would inflate beyond the limit', async () => {
    const { inflate } = await import('../src/reader/filters.js');
    const bomb = deflateSync(new Uint8Array(8 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(20_000);
    expectCode(() => inflate(bomb, 1024 * 1024), 'PDF_STREAM_TOO_LARGE');
  });

  it('an encrypted file', () => {
    expectCode(
      () => PdfDocument.load(pdf(['<< /Type /Catalog >>', '<< /Filter /Standard >>'], '/Encrypt 2 0 R ')),
      'PDF_ENCRYPTED',
    );
  });

  it.each([
    ['a certificate security handler', '<< /Filter /Adobe.PubSec /V 4 /R 4 >>', 'PDF_ENCRYPTED'],
    ['an unknown algorithm version', '<< /Filter /Standard /V 3 /R 3 >>', 'PDF_ENCRYPTED'],
    [
      'an unknown crypt filter method',
      '<< /Filter /Standard /V 4 /R 4 /CF << /StdCF << /CFM /Foo >> >> /StmF /StdCF /StrF /StdCF >>',
      'PDF_ENCRYPTED',
    ],
    [
      'a crypt filter named but not defined',
      '<< /Filter /Standard /V 4 /R 4 /StmF /Nope /O <00> /U <00> /P -4 >>',
      'PDF_MALFORMED',
    ],
    ['no /O and /U', '<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 >>', 'PDF_MALFORMED'],
    [
      'an /O and /U no password matches (RC4)',
      `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <${'11'.repeat(32)}> /U <${'22'.repeat(32)}> >>`,
      'PDF_PASSWORD_REQUIRED',
    ],
    [
      'an /O and /U no password matches (AES-256)',
      `<< /Filter /Standard /V 5 /R 6 /P -4 /O <${'11'.repeat(48)}> /U <${'22'.repeat(48)}> /OE <${'33'.repeat(32)}> /UE <${'44'.repeat(32)}> >>`,
      'PDF_PASSWORD_REQUIRED',
    ],
    ['an /Encrypt that is not a dictionary', '(secret)', 'PDF_MALFORMED'],
  ])('an encrypted file with %s: a PdfError, never a crash', async (_, encrypt, code) => {
    await expect(
      PdfDocument.open(pdf(['<< /Type /Catalog >>', encrypt], '/Encrypt 2 0 R /ID [<0102> <0102>] ')),
    ).rejects.toMatchObject({ code });
  });

  it('a wrong password is its own error', async () => {
    const encrypt = `<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <${'11'.repeat(32)}> /U <${'22'.repeat(32)}> >>`;
    await expect(
      PdfDocument.open(pdf(['<< /Type /Catalog >>', encrypt], '/Encrypt 2 0 R /ID [<0102> <0102>] '), {
        password: 'sai',
      }),
    ).rejects.toMatchObject({ code: 'PDF_PASSWORD_INCORRECT' });
  });

  it('a /Contents that is not hex', () => {
    const doc = PdfDocument.load(
      pdf([
        '<< /Type /Catalog /AcroForm << /Fields [2 0 R] >> >>',
        '<< /FT /Sig /T (Sig1) /V << /Type /Sig /ByteRange [0 10 20 30] /Contents <30zz> >> >>',
      ]),
    );
    expectCode(() => findSignatures(doc), 'PDF_MALFORMED');
  });

  it('deeply nested arrays', () => {
    const doc = PdfDocument.load(pdf([`<< /Type /Catalog /X ${'['.repeat(1000)}${']'.repeat(1000)} >>`]));
    expectCode(() => doc.catalog(), 'PDF_MALFORMED');
  });

  it('finds a signature field with its ByteRange and /Contents offsets', () => {
    const doc = PdfDocument.load(
      pdf([
        '<< /Type /Catalog /AcroForm << /Fields [2 0 R] >> >>',
        '<< /FT /Sig /T (Ch\\375 k\\375) /V 3 0 R >>',
        "<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 100 200 50] /Contents <3082> /M (D:20261122090000+07'00') >>",
      ]),
    );
    const [sig] = findSignatures(doc);
    expect(sig).toMatchObject({
      subFilter: 'ETSI.CAdES.detached',
      byteRange: [0, 100, 200, 50],
      type: 'signature',
      objectNumber: 3,
    });
    expect(Array.from(sig!.contents!)).toEqual([0x30, 0x82]);
    expect(sig!.claimedSigningTime).toBe("D:20261122090000+07'00'");
  });
});
