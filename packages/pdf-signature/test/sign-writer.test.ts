import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  formPdf,
  type IssuedCertificate,
  minimalPdf,
  qpdfCheck,
  requestTimestampReply,
  run,
  signWithOpensslCms,
  startTimestampAuthority,
} from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import {
  addDocumentTimestampPlaceholder,
  addEmptySignatureField,
  addSignaturePlaceholder,
  appendDocumentSecurityStore,
  digestSignedRanges,
  embedSignatureContents,
  findSignatures,
  IncrementalUpdate,
  locateSignaturePlaceholder,
  type PdfDict,
  PdfDocument,
  PdfName,
  PdfRef,
  type PdfString,
  pdfDict,
  pdfTextString,
  readDocumentSecurityStore,
  type SignaturePlaceholderOptions,
  verifyPdf,
  withEntries,
} from '../src/index.js';
import { FileSource, nodeDigest } from '../src/node.js';
import { CORPUS } from './support/corpus.js';
import { useTestPki } from './support/pki.js';

/**
 * Signing end to end without core's CMS builder: kyso's writer prepares the placeholder, `openssl
 * cms` signs the covered bytes (CAdES signed attributes), kyso's embed function puts the CMS in,
 * and three judges look at the result: poppler's pdfsig with the test PKI in an NSS database,
 * `qpdf --check`, and kyso's own verifyPdf.
 */

// Only the roots matter to pdfsig's verdicts; the NSS database signs nothing here.
const env = useTestPki();
let counter = 0;
const SIGNED_AT = new Date('2026-11-30T03:00:00Z');

function tempPath(name: string): string {
  counter += 1;
  return join(env.pki.dir, `${counter}-${name}`);
}

/** openssl cms over the covered bytes kyso re-derives from the prepared file: the DER CMS. */
async function opensslCms(prepared: Uint8Array, signer: IssuedCertificate): Promise<Uint8Array> {
  const { spans } = locateSignaturePlaceholder(prepared);
  const data = tempPath('covered.bin');
  writeFileSync(data, Buffer.concat(spans.map((s) => prepared.subarray(s.start, s.end))));
  const chain = tempPath('chain.pem');
  writeFileSync(chain, env.pki.subCa.certificate.pem);
  const out = tempPath('sig.der');
  await run('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-nosmimecap',
    '-cades',
    '-md',
    'sha256',
    '-in',
    data,
    '-signer',
    signer.certPath,
    '-inkey',
    signer.keyPath,
    '-certfile',
    chain,
    '-outform',
    'DER',
    '-out',
    out,
  ]);
  const { digest } = await digestSignedRanges(prepared, 'SHA-256');
  expect(Buffer.from(digest)).toEqual(createHash('sha256').update(readFileSync(data)).digest());
  return new Uint8Array(readFileSync(out));
}

type SignOptions = Omit<SignaturePlaceholderOptions, 'contentsSize' | 'signingTime'>;

/** Prepare with kyso, sign with openssl, embed with kyso. */
async function sign(input: Uint8Array, signer: IssuedCertificate, options: SignOptions): Promise<Uint8Array> {
  const prepared = addSignaturePlaceholder(input, { contentsSize: 8192, signingTime: SIGNED_AT, ...options });
  expect(Buffer.compare(prepared.bytes.subarray(0, input.length), input)).toBe(0);
  return embedSignatureContents(prepared.bytes, await opensslCms(prepared.bytes, signer));
}

/** The reference of the top-level form field named `name`. */
function findFieldRef(doc: PdfDocument, name: string): PdfRef {
  const form = doc.deref(doc.catalog().get('AcroForm')) as PdfDict;
  const fields = doc.deref(form.get('Fields')) as PdfRef[];
  return fields.find((f) => ((doc.resolve(f) as PdfDict).get('T') as PdfString).text() === name)!;
}

const verify = (bytes: Uint8Array) => verifyPdf(bytes, env.validation);

/** The three judges agree that every signature is valid and every later update allowed. */
async function expectAllValid(bytes: Uint8Array, count: number): Promise<void> {
  const r = await verify(bytes);
  expect(
    r.signatures.map((s) => [s.indication, s.modifiedAfter]),
    JSON.stringify(r.signatures.map((s) => s.checks.filter((c) => c.status !== 'passed'))),
  ).toEqual(Array.from({ length: count }, (_, i) => ['TOTAL_PASSED', i === count - 1 ? 'none' : 'allowed']));
  expect(r.indication).toBe('TOTAL_PASSED');
  expect(await env.pdfsig(bytes)).toEqual(Array.from({ length: count }, () => 'Signature is Valid.'));
  expect(await qpdfCheck(bytes)).toMatch(/No syntax or stream encoding errors found/);
}

describe('signing with kyso’s placeholder and embed, and openssl cms', () => {
  it('signs a letter twice (approval, then a visible approval) and all three judges pass both', async () => {
    const one = await sign(minimalPdf(), env.pki.leaves.personal, {
      fieldName: 'ChuKyLanhDao',
      reason: 'Phê duyệt văn bản',
      location: 'Hà Nội',
      name: 'Nguyễn Văn An',
      contactInfo: 'an@example.vn',
    });
    const two = await sign(one, env.pki.leaves.organisation, {
      fieldName: 'ChuKyCoQuan',
      visible: { page: 1, rect: { x: 350, y: 80, width: 180, height: 60 } },
    });
    await expectAllValid(two, 2);
    const sigs = findSignatures(PdfDocument.load(two));
    expect(sigs.map((s) => [s.fieldName, s.subFilter, s.filter])).toEqual([
      ['ChuKyLanhDao', 'ETSI.CAdES.detached', 'Adobe.PPKLite'],
      ['ChuKyCoQuan', 'ETSI.CAdES.detached', 'Adobe.PPKLite'],
    ]);
    expect(sigs[0]).toMatchObject({
      reason: 'Phê duyệt văn bản',
      location: 'Hà Nội',
      name: 'Nguyễn Văn An',
      claimedSigningTime: "D:20261130100000+07'00'",
    });
    // The ByteRange ends at this revision's %%EOF and its end-of-line.
    const text = Buffer.from(one).toString('latin1');
    expect(text.endsWith('%%EOF\n')).toBe(true);
    expect(sigs[0]!.byteRange![2]! + sigs[0]!.byteRange![3]!).toBe(one.length);
    const doc = PdfDocument.load(two);
    const form = doc.deref(doc.catalog().get('AcroForm')) as PdfDict;
    expect(form.get('SigFlags')).toBe(3);
  });

  it('hashes the covered ranges of a prepared file on disk, streamed through node:crypto, as WebCrypto does', async () => {
    const prepared = addSignaturePlaceholder(minimalPdf(), {
      fieldName: 'ChuKy',
      contentsSize: 4096,
      signingTime: SIGNED_AT,
    });
    const path = tempPath('prepared.pdf');
    writeFileSync(path, prepared.bytes);
    const file = FileSource.open(path);
    try {
      const streamed = await digestSignedRanges(file, 'SHA-256', { digest: nodeDigest });
      const inMemory = await digestSignedRanges(prepared.bytes, 'SHA-256');
      expect(Buffer.from(streamed.digest)).toEqual(Buffer.from(inMemory.digest));
      expect(streamed.placeholder.byteRange).toEqual(prepared.byteRange);
      expect(streamed.placeholder.capacity).toBe(4096);
    } finally {
      file.close();
    }
  });

  it('certifies at /P 2, then adds an approval signature: both valid, the certification allowed it', async () => {
    const certified = await sign(minimalPdf(), env.pki.leaves.personal, {
      fieldName: 'ChungNhan',
      certify: 2,
    });
    const doc = PdfDocument.load(certified);
    const perms = doc.deref(doc.catalog().get('Perms')) as PdfDict;
    expect(perms.get('DocMDP')).toMatchObject({ num: findSignatures(doc)[0]!.objectNumber });
    const approved = await sign(certified, env.pki.leaves.organisation, { fieldName: 'PheDuyet' });
    await expectAllValid(approved, 2);
  });

  it('signs a file whose last %%EOF has no end-of-line, adding one before the new revision', async () => {
    const bare = minimalPdf().subarray(0, -1);
    expect(Buffer.from(bare).toString('latin1').endsWith('%%EOF')).toBe(true);
    const signed = await sign(bare, env.pki.leaves.personal, { fieldName: 'ChuKy' });
    expect(signed[bare.length]).toBe(0x0a);
    await expectAllValid(signed, 1);
  });

  it('signs an xref-stream file whose catalog and page sit in object streams, rewriting them uncompressed', async () => {
    const input = tempPath('plain.pdf');
    const output = tempPath('objstm.pdf');
    writeFileSync(input, minimalPdf());
    await run('qpdf', ['--object-streams=generate', input, output]);
    const xrefStream = new Uint8Array(readFileSync(output));
    const before = PdfDocument.load(xrefStream);
    expect(before.sections[0]!.kind).toBe('stream');
    expect(before.offsetOf((before.trailer.get('Root') as { num: number }).num)).toBeUndefined();
    const one = await sign(xrefStream, env.pki.leaves.personal, { fieldName: 'ChuKyLanhDao' });
    const two = await sign(one, env.pki.leaves.organisation, {
      fieldName: 'ChuKyCoQuan',
      visible: { page: 1, rect: { x: 50, y: 50, width: 100, height: 40 } },
    });
    const after = PdfDocument.load(two);
    expect(after.sections.slice(0, 2).map((s) => s.kind)).toEqual(['stream', 'stream']);
    expect(after.offsetOf((after.trailer.get('Root') as { num: number }).num)).toBeGreaterThanOrEqual(
      xrefStream.length,
    );
    await expectAllValid(two, 2);
  });

  it('signs a hybrid file (a table with /XRefStm) with a classic table whose /Prev is that table', async () => {
    const hybrid = new Uint8Array(readFileSync(join(CORPUS, 'dss', 'Signature-P-FR_CS-5.pdf')));
    const before = PdfDocument.load(hybrid);
    expect(before.trailer.get('XRefStm')).toBeDefined();
    const signed = await sign(hybrid, env.pki.leaves.organisation, { fieldName: 'ChuKyKyso' });
    const after = PdfDocument.load(signed);
    expect(after.sections[0]!.kind).toBe('table');
    expect(after.sections[0]!.trailer.get('Prev')).toBe(before.sections[0]!.offset);
    expect(after.sections[0]!.trailer.get('XRefStm')).toBeUndefined();
    const r = await verify(signed);
    // The earlier signatures were made under a foreign PKI: only what changed after them is judged here.
    expect(r.signatures.map((s) => s.modifiedAfter)).toEqual(['allowed', 'allowed', 'allowed', 'none']);
    expect(r.signatures[3]!.indication).toBe('TOTAL_PASSED');
    expect((await env.pdfsig(signed)).at(-1)).toBe('Signature is Valid.');
    expect(await qpdfCheck(signed)).toMatch(/No syntax or stream encoding errors found/);
  });

  it('signs a form whose /Annots is an indirect array and whose AcroForm is its own object, removing /NeedAppearances', async () => {
    const form = formPdf();
    const update = new IncrementalUpdate(form);
    const acroForm = new PdfRef(7, 0);
    update.set(acroForm, withEntries(update.resolve(acroForm) as PdfDict, { NeedAppearances: true }));
    const needing = update.finish().bytes;
    const one = await sign(needing, env.pki.leaves.personal, { fieldName: 'ChuKyLanhDao' });
    const doc = PdfDocument.load(one);
    const after = doc.resolve(acroForm) as PdfDict;
    expect(after.get('NeedAppearances')).toBeUndefined();
    expect(after.get('SigFlags')).toBe(3);
    // The page's indirect /Annots array (object 11) was rewritten as itself, the page left alone.
    expect((doc.resolve(new PdfRef(11, 0)) as unknown[]).length).toBe(3);
    expect(doc.offsetOf(3)).toBe(PdfDocument.load(form).offsetOf(3));
    const two = await sign(one, env.pki.leaves.organisation, {
      fieldName: 'ChuKyCoQuan',
      visible: { page: 1, rect: { x: 72, y: 560, width: 200, height: 60 } },
    });
    await expectAllValid(two, 2);
  });

  it('fills an existing empty field, applying its /Lock as a FieldMDP reference', async () => {
    const withFields = addEmptySignatureField(
      addEmptySignatureField(minimalPdf(), {
        fieldName: 'ChuKyLanhDao',
        lock: { action: 'Include', fields: ['ChuKyLanhDao'] },
      }),
      { fieldName: 'ChuKyCoQuan', visible: { page: 1, rect: { x: 300, y: 60, width: 200, height: 50 } } },
    );
    const one = await sign(withFields, env.pki.leaves.personal, { fieldName: 'ChuKyLanhDao' });
    const doc = PdfDocument.load(one);
    const sig = doc.resolve({ num: findSignatures(doc)[0]!.objectNumber!, gen: 0 } as never) as PdfDict;
    const [ref] = doc.deref(sig.get('Reference')) as PdfDict[];
    expect(ref!.name('TransformMethod')).toBe('FieldMDP');
    const two = await sign(one, env.pki.leaves.organisation, { fieldName: 'ChuKyCoQuan' });
    await expectAllValid(two, 2);
  });
});

describe('refusals, before anything is written', () => {
  it('refuses an approval signature under a DocMDP /P 1 certification, and accepts a document timestamp there', async () => {
    const certified = await sign(minimalPdf(), env.pki.leaves.personal, {
      fieldName: 'ChungNhan',
      certify: 1,
    });
    expect(() =>
      addSignaturePlaceholder(certified, {
        fieldName: 'PheDuyet',
        contentsSize: 8192,
        signingTime: SIGNED_AT,
      }),
    ).toThrow(expect.objectContaining({ code: 'PDF_SIGN_DOCMDP_FORBIDS' }));
    expect(addDocumentTimestampPlaceholder(certified, { contentsSize: 8192 }).fieldName).toBe(
      'DocTimeStamp1',
    );
    // Validation data is no change either (ISO 32000-2 §12.8.2.2.1).
    const withDss = await appendDocumentSecurityStore(certified, { crls: [env.pki.subCa.crlDer] });
    const r = await verify(withDss);
    expect(r.signatures.map((s) => [s.indication, s.modifiedAfter])).toEqual([['TOTAL_PASSED', 'allowed']]);
  });

  it('refuses a field an earlier signature locked', async () => {
    const withField = addEmptySignatureField(minimalPdf(), { fieldName: 'ChuKyCoQuan' });
    const locked = await sign(withField, env.pki.leaves.personal, {
      fieldName: 'ChuKyLanhDao',
      lock: { action: 'Include', fields: ['ChuKyCoQuan'] },
    });
    expect(() =>
      addSignaturePlaceholder(locked, {
        fieldName: 'ChuKyCoQuan',
        contentsSize: 8192,
        signingTime: SIGNED_AT,
      }),
    ).toThrow(expect.objectContaining({ code: 'PDF_SIGN_FIELD_LOCKED' }));
  });

  it('refuses a signature after one whose FieldMDP lock sets /P 1 (PDF 2.0), which verification would fail', async () => {
    const empty = addEmptySignatureField(minimalPdf(), {
      fieldName: 'ChuKyLanhDao',
      lock: { action: 'Include', fields: ['ChuKyLanhDao'] },
    });
    const update = new IncrementalUpdate(empty);
    const field = findFieldRef(update.document, 'ChuKyLanhDao');
    const dict = update.resolve(field) as PdfDict;
    update.set(
      field,
      withEntries(dict, { Lock: withEntries(update.deref(dict.get('Lock')) as PdfDict, { P: 1 }) }),
    );
    const final = await sign(update.finish().bytes, env.pki.leaves.personal, { fieldName: 'ChuKyLanhDao' });
    expect(() =>
      addSignaturePlaceholder(final, { fieldName: 'PheDuyet', contentsSize: 8192, signingTime: SIGNED_AT }),
    ).toThrow(expect.objectContaining({ code: 'PDF_SIGN_DOCMDP_FORBIDS' }));
    expect(addDocumentTimestampPlaceholder(final, { contentsSize: 8192 }).fieldName).toBe('DocTimeStamp1');
    // What kyso refuses to sign is what its verification fails: a later signature by another tool.
    const later = await signWithOpensslCms(
      final,
      env.pki.leaves.organisation,
      [env.pki.subCa.certificate],
      'PheDuyet',
    );
    const [first] = (await verify(later)).signatures;
    expect(first!.modifiedAfter).toBe('disallowed');
    expect(first!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
      /permits no changes \(\/P 1\)/,
    );
  });

  it('refuses a certification after a signature, a duplicate or dotted name, a missing page, an oversized CMS', async () => {
    const signed = await sign(minimalPdf(), env.pki.leaves.personal, { fieldName: 'ChuKy' });
    const base = { contentsSize: 8192, signingTime: SIGNED_AT };
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return 'no error';
    };
    expect(code(() => addSignaturePlaceholder(signed, { ...base, fieldName: 'Cert', certify: 2 }))).toBe(
      'PDF_SIGN_CERTIFICATION_NOT_FIRST',
    );
    expect(code(() => addSignaturePlaceholder(signed, { ...base, fieldName: 'ChuKy' }))).toBe(
      'PDF_SIGN_FIELD_EXISTS',
    );
    expect(code(() => addSignaturePlaceholder(signed, { ...base, fieldName: 'a.b' }))).toBe(
      'PDF_SIGN_FIELD_NAME_INVALID',
    );
    expect(
      code(() =>
        addSignaturePlaceholder(signed, {
          ...base,
          fieldName: 'Sig2',
          visible: { page: 2, rect: { x: 0, y: 0, width: 10, height: 10 } },
        }),
      ),
    ).toBe('PDF_SIGN_PAGE_OUT_OF_RANGE');
    const small = addSignaturePlaceholder(signed, { ...base, fieldName: 'Sig2', contentsSize: 64 });
    const cms = await opensslCms(small.bytes, env.pki.leaves.organisation);
    expect(code(() => embedSignatureContents(small.bytes, cms))).toBe('PDF_SIGN_CONTENTS_TOO_LARGE');
    // Nothing was written: the prepared bytes still hold an empty placeholder.
    expect(locateSignaturePlaceholder(small.bytes).capacity).toBe(64);
    // A filled placeholder is not filled twice.
    expect(code(() => embedSignatureContents(signed, cms))).toBe('PDF_SIGN_NO_PLACEHOLDER');
  });

  it('refuses what the required seed values of a field rule out, and accepts what they allow', () => {
    const empty = addEmptySignatureField(minimalPdf(), { fieldName: 'ChuKy' });
    const withSeed = (sv: PdfDict) => {
      const update = new IncrementalUpdate(empty);
      const field = findFieldRef(update.document, 'ChuKy');
      update.set(field, withEntries(update.resolve(field) as PdfDict, { SV: sv }));
      return update.finish().bytes;
    };
    const base = { fieldName: 'ChuKy', contentsSize: 8192, signingTime: SIGNED_AT };
    const subFilter = withSeed(pdfDict({ SubFilter: [new PdfName('adbe.pkcs7.detached')], Ff: 2 }));
    expect(() => addSignaturePlaceholder(subFilter, base)).toThrow(
      expect.objectContaining({ code: 'PDF_SIGN_SEED_VALUE_VIOLATED' }),
    );
    const reasons = withSeed(pdfDict({ Reasons: [pdfTextString('Phê duyệt')], Ff: 8 }));
    expect(() => addSignaturePlaceholder(reasons, { ...base, reason: 'Khác' })).toThrow(
      expect.objectContaining({ code: 'PDF_SIGN_SEED_VALUE_VIOLATED' }),
    );
    expect(addSignaturePlaceholder(reasons, { ...base, reason: 'Phê duyệt' }).fieldName).toBe('ChuKy');
    const hint = withSeed(pdfDict({ SubFilter: [new PdfName('adbe.pkcs7.detached')] }));
    expect(addSignaturePlaceholder(hint, base).fieldName).toBe('ChuKy');
  });

  it('refuses options out of range and a signature that is not one DER SEQUENCE', () => {
    const base = { fieldName: 'ChuKy', contentsSize: 8192, signingTime: SIGNED_AT };
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return 'no error';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    };
    const pdf = minimalPdf();
    expect(codeOf(() => addSignaturePlaceholder(pdf, { ...base, contentsSize: 0 }))).toBe(
      'PDF_SIGN_INVALID_OPTION',
    );
    expect(codeOf(() => addSignaturePlaceholder(pdf, { ...base, certify: 4 as 1 }))).toBe(
      'PDF_SIGN_INVALID_OPTION',
    );
    expect(
      codeOf(() =>
        addSignaturePlaceholder(pdf, {
          ...base,
          visible: { page: 1, rect: { x: 0, y: 0, width: 0, height: 5 } },
        }),
      ),
    ).toBe('PDF_SIGN_INVALID_OPTION');
    const empty = addEmptySignatureField(pdf, { fieldName: 'ChuKy' });
    expect(
      codeOf(() =>
        addSignaturePlaceholder(empty, {
          ...base,
          visible: { page: 1, rect: { x: 0, y: 0, width: 5, height: 5 } },
        }),
      ),
    ).toBe('PDF_SIGN_INVALID_OPTION');
    const prepared = addSignaturePlaceholder(pdf, base).bytes;
    expect(codeOf(() => embedSignatureContents(prepared, Uint8Array.from([0x30, 0x05, 1])))).toBe(
      'PDF_SIGN_INVALID_OPTION',
    );
    expect(codeOf(() => embedSignatureContents(pdf, Uint8Array.from([0x30, 0x00])))).toBe(
      'PDF_SIGN_NO_PLACEHOLDER',
    );
  });

  it('refuses an encrypted file', () => {
    const encrypted = new Uint8Array(readFileSync(join(CORPUS, 'dss', 'encrypted.pdf')));
    expect(() =>
      addSignaturePlaceholder(encrypted, { fieldName: 'S', contentsSize: 8192, signingTime: SIGNED_AT }),
    ).toThrow(expect.objectContaining({ code: 'PDF_ENCRYPTED' }));
  });
});

/** The TimeStampToken of a TimeStampResp: the second element of its SEQUENCE. */
function tokenOf(resp: Uint8Array): Uint8Array {
  const header = (at: number) => {
    const first = resp[at + 1]!;
    if (first < 0x80) return { start: at + 2, end: at + 2 + first };
    const n = first & 0x7f;
    let len = 0;
    for (let i = 0; i < n; i += 1) len = len * 256 + resp[at + 2 + i]!;
    return { start: at + 2 + n, end: at + 2 + n + len };
  };
  const outer = header(0);
  const status = header(outer.start);
  const token = header(status.end);
  return resp.subarray(status.end, token.end);
}

describe('document timestamps and the DSS, each its own revision', () => {
  it('adds a document timestamp, then a DSS: all valid, and the DSS holds what was given', async () => {
    const tsa = await startTimestampAuthority(env.pki);
    try {
      const signed = await sign(minimalPdf(), env.pki.leaves.personal, { fieldName: 'ChuKy' });
      const prepared = addDocumentTimestampPlaceholder(signed, { contentsSize: 8192 });
      const data = tempPath('dts-covered.bin');
      const { spans, kind } = locateSignaturePlaceholder(prepared.bytes);
      expect(kind).toBe('timestamp');
      writeFileSync(data, Buffer.concat(spans.map((s) => prepared.bytes.subarray(s.start, s.end))));
      const resp = await requestTimestampReply(tsa, readFileSync(data));
      const stamped = embedSignatureContents(prepared.bytes, tokenOf(resp));
      const sigs = findSignatures(PdfDocument.load(stamped));
      const withDss = await appendDocumentSecurityStore(stamped, {
        certificates: [
          env.pki.leaves.personal.der,
          env.pki.subCa.certificate.der,
          env.pki.root.certificate.der,
        ],
        crls: [env.pki.root.crlDer, env.pki.subCa.crlDer],
        vri: [{ signatureContents: sigs[0]!.contents!, certificates: [env.pki.leaves.personal.der] }],
      });
      expect(Buffer.compare(withDss.subarray(0, stamped.length), stamped)).toBe(0);
      const doc = PdfDocument.load(withDss);
      const dss = readDocumentSecurityStore(doc);
      expect(dss.certificates).toHaveLength(3);
      expect(dss.crls).toHaveLength(2);
      const vri = doc.deref((doc.deref(doc.catalog().get('DSS')) as PdfDict).get('VRI')) as PdfDict;
      const key = createHash('sha1').update(sigs[0]!.contents!).digest('hex').toUpperCase();
      expect([...vri.map.keys()]).toEqual([key]);
      // Nothing new: the file is returned as it is.
      expect(await appendDocumentSecurityStore(withDss, { crls: [env.pki.root.crlDer] })).toBe(withDss);

      // With no CRL given, the DSS's are used.
      const r = await verifyPdf(withDss, { trustAnchors: [env.root], revocation: 'hard-fail' });
      expect(r.signatures.map((s) => [s.kind, s.indication, s.modifiedAfter])).toEqual([
        ['signature', 'TOTAL_PASSED', 'allowed'],
        ['timestamp', 'TOTAL_PASSED', 'allowed'],
      ]);
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(await qpdfCheck(withDss)).toMatch(/No syntax or stream encoding errors found/);
    } finally {
      await tsa.stop();
    }
  });
});
