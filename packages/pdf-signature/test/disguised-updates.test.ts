import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Certificate, parseCertificate } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import { createTestPki, softwareKey, type TestPki } from '@kyso/testkit';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPersonal, verifyPdf } from '../src/index.js';
import { PdfDocument } from '../src/reader/document.js';
import { type PdfDict, PdfName, PdfRef } from '../src/reader/objects.js';
import { addToAnnots, catalogRef, dictAt, pageRefs } from '../src/sign/form.js';
import { IncrementalUpdate } from '../src/writer/incremental.js';
import {
  latin1Bytes,
  PdfRawStream,
  pdfDict,
  pdfTextString,
  serializeValue,
  withEntries,
} from '../src/writer/serialize.js';
import { encodePng, signatureImage } from './support/appearance-kit.js';

/**
 * Unsigned updates that disguise a change to a signed page as something the analysis lets pass:
 * a DSS key or a cross-reference-stream type on the page or its content, the document metadata
 * pointed at the page, an annotation whose /Subtype is given indirectly, an object stream holding
 * the page twice or at an index that names another object. Each draws a red square on the signed
 * page in poppler (found by a probe of the verifier) and must fail the signature before it.
 */

let pki: TestPki;
let root: Certificate;
let signed: Uint8Array;

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  const letter = await PDFDocument.create();
  letter.addPage([595, 842]).drawText('Signed page', { x: 72, y: 760, size: 14 });
  signed = (
    await signPersonal(await letter.save({ useObjectStreams: false }), {
      signer: createSoftwareSigner(softwareKey(pki, pki.leaves.personal)),
      unsafeSkipSignerValidation: true,
      image: encodePng(signatureImage(400, 150)),
      placement: { page: 1, rect: { x: 340, y: 300, width: 180, height: 70 } },
    })
  ).bytes;
}, 120_000);
afterAll(() => pki?.cleanup());

const RED_PAGE = 'q 1 0 0 rg 100 400 200 200 re f Q';
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** The first signature's verdict on what came after it, and why. */
async function firstAfter(pdf: Uint8Array) {
  const report = await verifyPdf(pdf, { trustAnchors: [root], revocation: 'none' });
  const first = report.signatures[0]!;
  return {
    modifiedAfter: first.modifiedAfter,
    why: first.checks.find((c) => c.id === 'modifications')?.message.en ?? '',
  };
}

/** One unsigned update made by `edit`, over the signed letter. */
function tamper(edit: (u: IncrementalUpdate, page: PdfRef, contents: PdfRef) => void): Uint8Array {
  const u = new IncrementalUpdate(signed);
  const page = pageRefs(u.document)[0]!;
  const value = dictAt(u, page).get('Contents');
  const contents = (Array.isArray(value) ? value[0] : value) as PdfRef;
  edit(u, page, contents);
  return u.finish().bytes;
}

function redStream(u: IncrementalUpdate, extra: Record<string, PdfName | number[]> = {}): PdfRef {
  const ref = u.allocate();
  u.set(ref, new PdfRawStream(pdfDict(extra), latin1Bytes(RED_PAGE)));
  return ref;
}

describe('unsigned updates disguised as what may change', () => {
  it('a page or its content given a DSS key, or the type of a cross-reference or object stream', async () => {
    const cases: Record<string, Uint8Array> = {
      'page with /Certs': tamper((u, page, contents) =>
        u.set(page, withEntries(dictAt(u, page), { Contents: [contents, redStream(u)], Certs: [] })),
      ),
      'content with /Certs': tamper((u, _page, contents) =>
        u.set(contents, new PdfRawStream(pdfDict({ Certs: [] }), latin1Bytes(RED_PAGE))),
      ),
      'content typed /XRef': tamper((u, _page, contents) =>
        u.set(contents, new PdfRawStream(pdfDict({ Type: new PdfName('XRef') }), latin1Bytes(RED_PAGE))),
      ),
      'content typed /ObjStm': tamper((u, _page, contents) =>
        u.set(contents, new PdfRawStream(pdfDict({ Type: new PdfName('ObjStm') }), latin1Bytes(RED_PAGE))),
      ),
    };
    for (const [name, pdf] of Object.entries(cases)) {
      const after = await firstAfter(pdf);
      expect(after.modifiedAfter, name).toBe('disallowed');
      expect(after.why, name).not.toContain('validation-data');
    }
  });

  it('the catalog /Metadata or the trailer /Info pointed at the page or its content, then that object changed', async () => {
    const viaCatalog = (target: 'page' | 'contents') =>
      tamper((u, page, contents) => {
        const root = catalogRef(u);
        u.set(root, withEntries(dictAt(u, root), { Metadata: target === 'page' ? page : contents }));
        if (target === 'page')
          u.set(page, withEntries(dictAt(u, page), { Contents: [contents, redStream(u)] }));
        else u.set(contents, new PdfRawStream(pdfDict({}), latin1Bytes(RED_PAGE)));
      });
    for (const target of ['page', 'contents'] as const) {
      const after = await firstAfter(viaCatalog(target));
      expect(after.modifiedAfter, target).toBe('disallowed');
      expect(after.why, target).not.toContain('rule: metadata');
    }
    // The trailer's /Info pointed at the page (same width, patched in the new trailer).
    const pageUpdate = tamper((u, page, contents) =>
      u.set(page, withEntries(dictAt(u, page), { Contents: [contents, redStream(u)] })),
    );
    const doc = PdfDocument.load(pageUpdate);
    const info = doc.trailer.get('Info') as PdfRef;
    const pageNum = pageRefs(doc)[0]!.num;
    expect(String(info.num).length).toBe(String(pageNum).length);
    const text = latin1(pageUpdate);
    const at = text.lastIndexOf(`/Info ${info.num} 0 R`);
    const patched = Buffer.from(
      `${text.slice(0, at)}/Info ${pageNum} 0 R${text.slice(at + `/Info ${info.num} 0 R`.length)}`,
      'latin1',
    );
    expect((await firstAfter(new Uint8Array(patched))).modifiedAfter).toBe('disallowed');
  });

  it('an annotation that claims /FT /Sig with its /Subtype given indirectly', async () => {
    const pdf = tamper((u, page) => {
      const subtype = u.allocate();
      u.set(subtype, new PdfName('Square'));
      const square = u.allocate();
      u.set(
        square,
        pdfDict({
          Type: new PdfName('Annot'),
          Subtype: subtype,
          FT: new PdfName('Sig'),
          T: pdfTextString('Q'),
          Rect: [100, 400, 300, 600],
          C: [1, 0, 0],
          IC: [1, 0, 0],
          F: 4,
          P: page,
        }),
      );
      addToAnnots(u, page, square);
    });
    const after = await firstAfter(pdf);
    expect(after.modifiedAfter).toBe('disallowed');
    expect(after.why).toContain('rule: annotations');
  });

  it('a signed object relabelled as a signature field (/FT /Sig), as a stream or a dictionary', async () => {
    const cases: Record<string, Uint8Array> = {
      'content stream with /FT /Sig': tamper((u, _page, contents) =>
        u.set(contents, new PdfRawStream(pdfDict({ FT: new PdfName('Sig') }), latin1Bytes(RED_PAGE))),
      ),
      'content stream as a widget': tamper((u, _page, contents) =>
        u.set(
          contents,
          new PdfRawStream(
            pdfDict({ Subtype: new PdfName('Widget'), FT: new PdfName('Sig') }),
            latin1Bytes(RED_PAGE),
          ),
        ),
      ),
      'content stream replaced by << /FT /Sig >>': tamper((u, _page, contents) =>
        u.set(contents, pdfDict({ FT: new PdfName('Sig') })),
      ),
    };
    for (const [name, pdf] of Object.entries(cases))
      expect((await firstAfter(pdf)).modifiedAfter, name).toBe('disallowed');
  });

  it('an indirect array of numbers changed, or grown by a stream claiming /FT /Sig', async () => {
    const doc = PdfDocument.load(signed);
    const page = pageRefs(doc)[0]!;
    const pageDict = doc.resolve(page) as PdfDict;
    const size = doc.trailer.get('Size') as number;
    // First the signed page with an indirect /MediaBox and /Contents array, as many producers write.
    const indirect = tableUpdate(signed, [
      [size, 0, '[0 0 595 842]'],
      [size + 1, 0, `[${latin1(serializeValue(pageDict.get('Contents')!)).replace(/^\[|\]$/g, '')}]`],
      [
        page.num,
        0,
        latin1(
          serializeValue(
            withEntries(pageDict, { MediaBox: new PdfRef(size, 0), Contents: new PdfRef(size + 1, 0) }),
          ),
        ),
      ],
    ]);
    const signedAgain = (
      await signPersonal(indirect, {
        signer: createSoftwareSigner(softwareKey(pki, pki.leaves.personal)),
        unsafeSkipSignerValidation: true,
        image: encodePng(signatureImage(400, 150)),
        placement: { page: 1, rect: { x: 340, y: 100, width: 180, height: 70 } },
      })
    ).bytes;
    const judge = async (pdf: Uint8Array) => {
      const report = await verifyPdf(pdf, { trustAnchors: [root], revocation: 'none' });
      return report.signatures.at(-1)!.modifiedAfter;
    };
    expect(await judge(signedAgain)).toBe('none');
    const cropped = tableUpdate(signedAgain, [[size, 0, '[0 500 400 842]']]);
    expect(await judge(cropped)).toBe('disallowed');
    const after = PdfDocument.load(signedAgain);
    const contentsArray = after.resolve(new PdfRef(size + 1, 0)) as PdfRef[];
    const next = after.trailer.get('Size') as number;
    const grown = tableUpdate(signedAgain, [
      [next, 0, `<< /FT /Sig /Length ${RED_PAGE.length} >>\nstream\n${RED_PAGE}\nendstream`],
      [size + 1, 0, `[${contentsArray.map((r) => `${r.num} 0 R`).join(' ')} ${next} 0 R]`],
    ]);
    expect(await judge(grown)).toBe('disallowed');
  });

  it('the trailer pointed at a new catalog, or given an /Encrypt', async () => {
    const doc = PdfDocument.load(signed);
    const catalogNum = (doc.trailer.get('Root') as PdfRef).num;
    const size = doc.trailer.get('Size') as number;
    const newCatalog = tableUpdate(signed, [[size, 0, latin1(serializeValue(doc.catalog()))]]);
    const text = latin1(newCatalog);
    const at = text.lastIndexOf(`/Root ${catalogNum} 0 R`);
    const repointed = `${text.slice(0, at)}/Root ${size} 0 R${text.slice(at + `/Root ${catalogNum} 0 R`.length)}`;
    expect((await firstAfter(new Uint8Array(Buffer.from(repointed, 'latin1')))).modifiedAfter).toBe(
      'disallowed',
    );
    // An /Encrypt that opens with the empty password (qpdf's, AES-256, with its /ID): a viewer
    // decrypts the signed streams with it and shows noise.
    const dir = mkdtempSync(join(tmpdir(), 'kyso-disguise-'));
    try {
      writeFileSync(join(dir, 'in.pdf'), signed);
      execFileSync('qpdf', [
        '--encrypt',
        '',
        'owner',
        '256',
        '--',
        join(dir, 'in.pdf'),
        join(dir, 'enc.pdf'),
      ]);
      const enc = await PdfDocument.open(new Uint8Array(readFileSync(join(dir, 'enc.pdf'))), {
        password: '',
      });
      const encrypt = latin1(serializeValue(enc.deref(enc.trailer.get('Encrypt'))!));
      const id = latin1(serializeValue(enc.trailer.get('ID')!));
      const encrypted = latin1(tableUpdate(signed, [[size, 0, encrypt]], `/Encrypt ${size} 0 R`));
      // The update's trailer (the last /ID) gets the encryption's /ID.
      const idAt = encrypted.lastIndexOf('/ID [');
      const patched = `${encrypted.slice(0, idAt)}/ID ${id}${encrypted.slice(encrypted.indexOf(']', idAt) + 1)}`;
      const result = await firstAfter(new Uint8Array(Buffer.from(patched, 'latin1'))).catch((e) => ({
        modifiedAfter: `refused: ${(e as { code?: string }).code}`,
      }));
      expect(result.modifiedAfter).toBe('disallowed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a signed object rewritten under another generation, or a cross-reference naming bytes of another object', async () => {
    const doc = PdfDocument.load(signed);
    const page = pageRefs(doc)[0]!;
    const body = latin1(serializeValue(doc.resolve(page) as PdfDict));
    // Byte for byte the same page, as generation 1: references "n 0 R" now find nothing in a viewer.
    expect((await firstAfter(tableUpdate(signed, [[page.num, 1, body]]))).modifiedAfter).toBe('disallowed');
    // The entry for the page points at an object headed with another number.
    const size = doc.trailer.get('Size') as number;
    const misplaced = tableUpdate(signed, [[page.num, 0, body, size + 50]]);
    const after = await firstAfter(misplaced);
    expect(after.modifiedAfter).toBe('disallowed');
    expect(after.why).toContain('rule: damaged-file');
  });

  it('an object stream that holds the page twice, or whose index names another object', async () => {
    const doc = PdfDocument.load(signed);
    const pageRef = pageRefs(doc)[0]!;
    const page = doc.resolve(pageRef) as PdfDict;
    const size = doc.trailer.get('Size') as number;
    const red = size;
    const stm = size + 1;
    const good = latin1(serializeValue(page));
    const bad = latin1(
      serializeValue(withEntries(page, { Contents: [page.get('Contents')!, new PdfRef(red, 0)] })),
    );
    const redObject = `<< /Length ${RED_PAGE.length} >>\nstream\n${RED_PAGE}\nendstream`;
    // Twice: a viewer reading by index and kyso reading by number would see different pages.
    const twice = xrefStreamUpdate(
      signed,
      [
        [red, redObject],
        [
          stm,
          objectStream([
            [pageRef.num, bad],
            [pageRef.num, good],
          ]),
        ],
      ],
      [[pageRef.num, stm, 0]],
    );
    expect(await malformedOrFailed(twice)).toBe(true);
    // The page at index 1, the cross-reference saying index 0 (where another object stands).
    const misplaced = xrefStreamUpdate(
      signed,
      [
        [red, redObject],
        [
          stm,
          objectStream([
            [size + 5, bad],
            [pageRef.num, good],
          ]),
        ],
      ],
      [[pageRef.num, stm, 0]],
    );
    expect(await malformedOrFailed(misplaced)).toBe(true);
    // The honest neighbour: the page rewritten unchanged in an object stream, at its index.
    const honest = xrefStreamUpdate(
      signed,
      [[stm, objectStream([[pageRef.num, good]])]],
      [[pageRef.num, stm, 0]],
    );
    expect((await firstAfter(honest)).modifiedAfter).not.toBe('disallowed');
  });
});

/**
 * An update with a classic cross-reference table: each object written with its number and
 * generation (and, to misplace it, another number in its header); `trailer` adds entries.
 */
function tableUpdate(
  base: Uint8Array,
  objects: [number, number, string, number?][],
  trailer = '',
): Uint8Array {
  const doc = PdfDocument.load(base);
  let out = latin1(base);
  if (!out.endsWith('\n')) out += '\n';
  const rows: [number, string][] = [];
  for (const [num, gen, body, header] of objects) {
    rows.push([num, `${String(out.length).padStart(10, '0')} ${String(gen).padStart(5, '0')} n \n`]);
    out += `${header ?? num} ${gen} obj\n${body}\nendobj\n`;
  }
  rows.sort((a, b) => a[0] - b[0]);
  const xrefAt = out.length;
  out += 'xref\n0 1\n0000000000 65535 f \n';
  for (const [n, row] of rows) out += `${n} 1\n${row}`;
  const ref = (key: string) => {
    const v = doc.trailer.get(key);
    return v ? `/${key} ${latin1(serializeValue(v))}` : '';
  };
  const size = Math.max(doc.trailer.get('Size') as number, ...rows.map(([n]) => n + 1));
  out += `trailer\n<< /Size ${size} ${ref('Root')} ${ref('Info')} ${ref('ID')} /Prev ${doc.sections[0]!.offset} ${trailer} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

/** Whether kyso refuses the file as malformed, or reads it and fails the signature before the update. */
async function malformedOrFailed(pdf: Uint8Array): Promise<boolean> {
  try {
    const report = await verifyPdf(pdf, { trustAnchors: [root], revocation: 'none' });
    if (process.env.DEBUG_DISGUISE) console.log(JSON.stringify(report.signatures[0]?.checks));
    return report.indication === 'TOTAL_FAILED' && report.signatures[0]!.modifiedAfter === 'disallowed';
  } catch (error) {
    return (error as { code?: string }).code === 'PDF_MALFORMED';
  }
}

/** An object stream holding `entries` (number, source) in order. */
function objectStream(entries: [number, string][]): string {
  let head = '';
  let body = '';
  for (const [n, src] of entries) {
    head += `${n} ${body.length} `;
    body += `${src}\n`;
  }
  const data = head + body;
  return `<< /Type /ObjStm /N ${entries.length} /First ${head.length} /Length ${data.length} >>\nstream\n${data}\nendstream`;
}

/**
 * An update with a cross-reference stream: `objects` written in full, `compressed` entries
 * (number, object stream, index) pointing into an object stream.
 */
function xrefStreamUpdate(
  base: Uint8Array,
  objects: [number, string][],
  compressed: [number, number, number][],
): Uint8Array {
  const doc = PdfDocument.load(base);
  const prev = doc.sections[0]!.offset;
  const trailer = doc.trailer;
  let out = latin1(base);
  if (!out.endsWith('\n')) out += '\n';
  const rows = new Map<number, number[]>();
  for (const [num, body] of objects) {
    rows.set(num, [1, out.length, 0]);
    out += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const self = Math.max(...objects.map(([n]) => n), ...compressed.map(([n]) => n)) + 1;
  rows.set(self, [1, out.length, 0]);
  const xrefAt = out.length;
  for (const [n, stream, index] of compressed) rows.set(n, [2, stream, index]);
  const index: number[] = [];
  const data: number[] = [];
  for (const n of [...rows.keys()].sort((a, b) => a - b)) {
    const [t, f2, f3] = rows.get(n)!;
    index.push(n, 1);
    data.push(
      t!,
      (f2! >>> 24) & 255,
      (f2! >>> 16) & 255,
      (f2! >>> 8) & 255,
      f2! & 255,
      (f3! >>> 8) & 255,
      f3! & 255,
    );
  }
  const ref = (key: string) => {
    const v = trailer.get(key);
    return v ? `/${key} ${latin1(serializeValue(v))}` : '';
  };
  out += `${self} 0 obj\n<< /Type /XRef /Size ${self + 1} /Prev ${prev} ${ref('Root')} ${ref('Info')} ${ref('ID')} /W [1 4 2] /Index [${index.join(' ')}] /Length ${data.length} >>\nstream\n`;
  out += `${String.fromCharCode(...data)}\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
