/**
 * Verifier hardening: each way an altered document once passed, or a claim was trusted, or a limit
 * failed open, built from documents testkit signs, beside the honest document it starts from.
 * The PDF samples are also judged by `qpdf --check` and `pdftotext` (what a viewer shows).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Certificate, type Crl, parseCertificate, parseCrlDer } from '@kyso/core';
import {
  addDocumentTimestamp,
  createNssSigner,
  createTestPki,
  minimalPdf,
  type NssSigner,
  pdfAttacks,
  run,
  startTimestampAuthority,
  type TestPki,
  type TimestampAuthority,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseModifications, PdfDocument, verifyPdf } from '../src/index.js';
import { judgeClaimedTimes } from '../src/verify/claimed-time.js';
import { ReferrerIndex } from '../src/verify/referrers.js';
import { opensslSignedLetter } from './support/pki.js';

let pki: TestPki;
let nss: NssSigner;
let tsa: TimestampAuthority;
let root: Certificate;
let crls: Crl[];
const YEAR = 365 * 24 * 3600 * 1000;
const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

beforeAll(async () => {
  pki = await createTestPki();
  nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
  tsa = await startTimestampAuthority(pki);
  root = parseCertificate(pki.root.certificate.pem);
  crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
}, 120_000);
afterAll(async () => {
  await tsa?.stop();
  nss?.cleanup();
  pki?.cleanup();
});

const verify = (bytes: Uint8Array, extra: Partial<Parameters<typeof verifyPdf>[1]> = {}) =>
  verifyPdf(bytes, { trustAnchors: [root], crls, revocation: 'hard-fail', ...extra });

let counter = 0;
/** Writes `bytes` for a tool and returns the path. */
function file(bytes: Uint8Array): string {
  counter += 1;
  const path = join(pki.dir, `hardening-${counter}.pdf`);
  writeFileSync(path, bytes);
  return path;
}
const pdftotext = async (bytes: Uint8Array) => (await run('pdftotext', [file(bytes), '-'])).stdout;
const qpdfCheck = async (bytes: Uint8Array) => (await run('qpdf', ['--check', file(bytes)])).stdout;

/**
 * Appends a cross-reference section (no objects) whose entries for `nums` point where `from`
 * defines them, and whose /Prev is `prev`: with `prev` the signed revision's own section it is an
 * honest no-op update; with an older section it is the rollback.
 */
function appendSection(bytes: Uint8Array, nums: number[], prev: number): Uint8Array {
  const doc = PdfDocument.load(bytes);
  const size = doc.trailer.get('Size') as number;
  const rootRef = doc.trailer.get('Root')!.toString();
  const xrefAt = bytes.length + 1;
  let tail = '\nxref\n';
  for (const n of nums) {
    const at = doc.offsetOf(n)!;
    const gen = /^\d+\s+(\d+)\s+obj/.exec(latin1(bytes.subarray(at, at + 24)))![1]!;
    tail += `${n} 1\n${String(at).padStart(10, '0')} ${gen.padStart(5, '0')} n \n`;
  }
  tail += `trailer\n<< /Size ${size} /Root ${rootRef} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array([...bytes, ...Buffer.from(tail, 'latin1')]);
}

describe('1. a rollback through /Prev', () => {
  let signed: Uint8Array;
  let draftXref: number;
  let signedObjects: number[];

  beforeAll(async () => {
    // The draft says 123; an update corrects it to 456; the official signs the corrected text.
    const draft = minimalPdf('CONG VAN SO 123/DU THAO');
    draftXref = Number(/startxref\s+(\d+)/.exec(latin1(draft))![1]);
    const text = 'BT /F1 14 Tf 72 770 Td (CONG VAN SO 456/CHINH THUC) Tj ET';
    const corrected = pdfAttacks.appendIncrementalUpdate(draft, {
      4: `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    });
    signed = await nss.sign(corrected, pki.leaves.personal, 'ChuKyLanhDao');
    const doc = PdfDocument.load(signed);
    // Everything the final state needs except the corrected content: catalog, page, form, signature.
    signedObjects = doc.objectNumbers().filter((n) => n !== 4 && doc.offsetOf(n)! > draft.length);
  });

  it('an honest update that chains to the signed revision passes', async () => {
    const signedXref = PdfDocument.load(signed).sections[0]!.offset;
    const honest = appendSection(signed, signedObjects, signedXref);
    expect(await qpdfCheck(honest)).toMatch(/No syntax or stream encoding errors/);
    expect(await pdftotext(honest)).toMatch(/456\/CHINH THUC/);
    const r = await verify(honest);
    expect(r.indication).toBe('TOTAL_PASSED');
  });

  it('an update whose /Prev skips the signed revision fails: viewers show the unsigned draft', async () => {
    const rollback = appendSection(signed, signedObjects, draftXref);
    // What a viewer shows: the draft's text, under a signature panel that still lists the signature.
    expect(await qpdfCheck(rollback)).toMatch(/No syntax or stream encoding errors/);
    expect(await pdftotext(rollback)).toMatch(/123\/DU THAO/);
    const r = await verify(rollback);
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.modifiedAfter).toBe('disallowed');
    expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
      /does not lead to the signed revision.*\(rule: revision-chain\)/,
    );
  });

  it('a later section whose /Prev points forward is refused', async () => {
    const signedXref = PdfDocument.load(signed).sections[0]!.offset;
    const first = appendSection(signed, signedObjects, signedXref);
    // A second section chaining to the first would be honest; one pointing past itself is not.
    const doc = PdfDocument.load(first);
    const forward = appendSection(first, [], doc.sections[0]!.offset);
    const looped = latin1(forward).replace(
      /\/Prev (\d+) >>\nstartxref\n(\d+)\n%%EOF\n$/,
      (_m, _p, x) => `/Prev ${x} >>\nstartxref\n${x}\n%%EOF\n`,
    );
    expect(() => PdfDocument.load(Buffer.from(looped, 'latin1'))).not.toThrow();
    const r = await verify(new Uint8Array(Buffer.from(looped, 'latin1')));
    expect(r.signatures[0]!.modifiedAfter).toBe('disallowed');
  });

  it('an honest linearized document signed twice stays unflagged', async () => {
    const plain = file(minimalPdf('CONG VAN TUYEN TINH HOA'));
    const linearized = `${plain}.lin.pdf`;
    await run('qpdf', ['--linearize', plain, linearized]);
    const bytes = new Uint8Array((await import('node:fs')).readFileSync(linearized));
    const once = await nss.sign(bytes, pki.leaves.personal, 'ChuKyLanhDao');
    const twice = await nss.sign(once, pki.leaves.organisation, 'ChuKyCoQuan');
    const r = await verify(twice);
    expect(r.signatures.map((s) => [s.indication, s.modifiedAfter])).toEqual([
      ['TOTAL_PASSED', 'allowed'],
      ['TOTAL_PASSED', 'none'],
    ]);
  });
});

describe('2. a claimed time is reported, never trusted', () => {
  it('an expired certificate does not pass because /M claims a time it was valid', async () => {
    const claimed = new Date(Date.now() - 2 * YEAR);
    // No signed attributes, so no CMS signing-time: /M is the only time there is, and a claim.
    const signed = await opensslSignedLetter(pki, pki.leaves.expired, 'Sig', {
      noAttributes: true,
      subFilter: 'adbe.pkcs7.detached',
      claimedTime: claimed,
    });
    const r = await verify(signed);
    expect(r.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'OUT_OF_BOUNDS_NO_POE',
      claimedSigningTime: new Date(Math.floor(claimed.getTime() / 1000) * 1000).toISOString(),
      signingTimeProven: false,
      proofOfExistence: null,
    });
    // The receipt record of a document system is a proof of existence: at it, the certificate was valid.
    const received = await verify(signed, {
      proofOfExistence: { time: claimed, source: 'sổ văn bản đến số 12' },
    });
    expect(received.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
    expect(received.signatures[0]!.proofOfExistence!.source.en).toMatch(/sổ văn bản đến số 12/);
  });

  it('a key revoked for key compromise does not pass under hard-fail because /M claims a time before the revocation', async () => {
    const signed = await opensslSignedLetter(pki, pki.leaves.revokedKeyCompromise, 'Sig', {
      noAttributes: true,
      subFilter: 'adbe.pkcs7.detached',
      claimedTime: new Date(Date.now() - 60 * 86_400_000),
    });
    const r = await verify(signed);
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    const revocation = r.signatures[0]!.checks.find((c) => c.id === 'certificate:revocation')!;
    expect(revocation.message.en).not.toMatch(/soft-fail/);
  });

  it('a key revoked after the proven time passes, and the report says it was revoked later, not soft-fail', async () => {
    const { personalSubject } = await import('@kyso/testkit');
    const leaf = await pki.subCa.issue({
      name: 'revoked-tomorrow',
      subject: personalSubject('Đỗ Thị Hoa', '025080000199'),
      profile: 'personal',
    });
    const signed = await opensslSignedLetter(pki, leaf, 'Sig');
    const receipt = new Date();
    await pki.subCa.revoke(leaf, 'keyCompromise', new Date(receipt.getTime() + 86_400_000));
    await pki.subCa.updateCrl();
    const later = {
      trustAnchors: [root],
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
      revocation: 'hard-fail' as const,
      at: new Date(receipt.getTime() + 2 * 86_400_000),
    };
    const bare = await verifyPdf(signed, later);
    expect(bare.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'REVOKED_NO_POE',
    });
    const received = await verifyPdf(signed, {
      ...later,
      proofOfExistence: { time: receipt, source: 'số đến 45' },
    });
    expect(received.signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
    const revocation = received.signatures[0]!.checks.find((c) => c.id === 'certificate:revocation')!;
    expect(revocation.message.en).toMatch(/revoked later: .*keyCompromise/);
    expect(revocation.message.en).not.toMatch(/soft-fail/);
  });

  it('timestamps prove existence back through time: a document timestamp proves the signature timestamp, which proves the signature', async () => {
    const stamped = await opensslSignedLetter(pki, pki.leaves.personal, 'Sig', { tsa });
    const lta = await addDocumentTimestamp(stamped, tsa);
    // Thirty months on, the signer's and the TSA's certificates have expired (two-year validity).
    const later = new Date(Date.now() + 2.5 * YEAR);
    const options = { trustAnchors: [root], revocation: 'none' as const, at: later };
    const bare = await verifyPdf(lta, options);
    expect(bare.signatures.map((s) => [s.kind, s.indication, s.subIndication])).toEqual([
      ['signature', 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'],
      ['timestamp', 'INDETERMINATE', 'OUT_OF_BOUNDS_NO_POE'],
    ]);
    // A receipt record from a year on, while the TSA was still valid, proves the document timestamp,
    // whose time proves the signature timestamp, whose time proves the signature.
    const kept = await verifyPdf(lta, {
      ...options,
      proofOfExistence: { time: new Date(Date.now() + YEAR) },
    });
    expect(kept.signatures.map((s) => [s.kind, s.indication])).toEqual([
      ['signature', 'TOTAL_PASSED'],
      ['timestamp', 'TOTAL_PASSED'],
    ]);
    expect(kept.signatures[0]!.proofOfExistence!.source.en).toMatch(/signature timestamp/);
    expect(kept.indication).toBe('TOTAL_PASSED');
  });

  it('a broken signature timestamp is dropped as proof with a warning, not a failed signature', async () => {
    const stamped = await opensslSignedLetter(pki, pki.leaves.personal, 'Sig', { tsa });
    // Change one byte of the TSA's signature value near the end of the token (inside /Contents).
    const text = latin1(stamped);
    const contentsAt = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    const hexEnd = text.indexOf('>', contentsAt);
    const hex = text.slice(contentsAt, hexEnd).replace(/(00)+$/, '');
    const at = contentsAt + hex.length - 20;
    const broken = new Uint8Array(stamped);
    broken[at] = broken[at] === 0x30 ? 0x31 : 0x30;
    const r = await verify(broken);
    const s = r.signatures[0]!;
    expect(s.timestampTime).toBeNull();
    expect(s.checks.find((c) => c.id === 'timestamp')).toMatchObject({ status: 'warning' });
    expect(s.indication).toBe('TOTAL_PASSED');
  });

  it('the national tool’s signing-time, local time labelled UTC, is reported and never shown', () => {
    // As the decrees of vn-real show: CMS 260131223218Z, /M D:20260131223218+07'00', timestamp 15:32:29Z.
    const cms = new Date('2026-01-31T22:32:18Z');
    const pdf = new Date('2026-01-31T15:32:18Z');
    const stamped = judgeClaimedTimes({ cms, pdf }, new Date('2026-01-31T15:32:29Z'));
    expect(stamped.shown!.toISOString()).toBe('2026-01-31T15:32:29.000Z');
    expect(stamped.warnings).toHaveLength(1);
    expect(stamped.warnings[0]!.en).toMatch(/CMS signing-time.*Vietnam local time written as UTC/);
    const bare = judgeClaimedTimes({ cms, pdf }, null);
    expect(bare.shown).toEqual(pdf);
    expect(bare.warnings[0]!.vi).toMatch(/giờ Việt Nam/);
    // Two claims that disagree in no known way: neither is shown.
    expect(judgeClaimedTimes({ cms, pdf: new Date('2026-01-30T01:00:00Z') }, null).shown).toBeNull();
  });
});

describe('3. limits fail closed', () => {
  it('a million objects in the signed revision: text added through a reference signed as empty is caught', async () => {
    // A million filler objects are numbered before the page, so an index walking objects in order
    // (it once stopped at 500 000) never reaches the page. The page's content array names an object
    // the signed revision never defines; a later update defines it with text: caught only if the
    // page's references were indexed.
    const fillers = 1_000_000;
    // The dangling number lies far past /Size, where the signer's own new objects never go.
    const [page, content, font, dangling] = [fillers + 3, fillers + 4, fillers + 5, fillers + 1000];
    const parts: string[] = ['%PDF-1.7\n'];
    const offsets: number[] = [];
    let length = parts[0]!.length;
    const add = (num: number, body: string) => {
      offsets[num] = length;
      const s = `${num} 0 obj\n${body}\nendobj\n`;
      parts.push(s);
      length += s.length;
    };
    add(1, '<< /Type /Catalog /Pages 2 0 R >>');
    add(2, `<< /Type /Pages /Kids [${page} 0 R] /Count 1 >>`);
    for (let i = 0; i < fillers; i += 1) add(3 + i, 'null');
    const text = 'BT /F1 14 Tf 72 770 Td (CONG VAN SO 123) Tj ET';
    add(
      page,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents [${content} 0 R ${dangling} 0 R] >>`,
    );
    add(content, `<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
    add(font, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
    const size = font + 1;
    const xref = [`xref\n0 ${size}\n0000000000 65535 f \n`];
    for (let n = 1; n < size; n += 1)
      xref.push(
        offsets[n] === undefined
          ? '0000000000 00000 f \n'
          : `${String(offsets[n]).padStart(10, '0')} 00000 n \n`,
      );
    const big = Buffer.from(
      `${parts.join('')}${xref.join('')}trailer\n<< /Size ${size} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
      'latin1',
    );
    const signed = await nss.sign(new Uint8Array(big), pki.leaves.personal, 'ChuKyLanhDao');
    const added = 'BT /F1 14 Tf 72 700 Td (SO TIEN: 9.000.000.000 DONG) Tj ET';
    const attack = pdfAttacks.appendIncrementalUpdate(signed, {
      [dangling]: `<< /Length ${added.length} >>\nstream\n${added}\nendstream`,
    });
    const r = await verify(attack);
    expect(r.signatures[0]!.modifiedAfter).toBe('disallowed');
    expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
      new RegExp(`object ${dangling}`),
    );
    expect(r.indication).toBe('TOTAL_FAILED');
    // The honest neighbour: the organisation signs after the official, over the same million objects.
    const honest = await nss.sign(signed, pki.leaves.organisation, 'ChuKyCoQuan');
    const h = await verify(honest);
    expect(h.signatures.map((s) => s.modifiedAfter)).toEqual(['allowed', 'none']);
    expect(h.indication).toBe('TOTAL_PASSED');
  }, 300_000);

  it('an index past its limits is never used: the analysis is INDETERMINATE, named', async () => {
    const once = await nss.sign(minimalPdf(), pki.leaves.personal, 'A');
    const twice = await nss.sign(once, pki.leaves.organisation, 'B');
    const doc = PdfDocument.load(twice);
    const end = doc.revisionEnds.find((e) => e > once.length - 3)!;
    expect(() => ReferrerIndex.build(doc.revisionAt(end), { maxObjects: 3, maxReferences: 1000 })).toThrow(
      expect.objectContaining({ code: 'PDF_BUDGET_EXCEEDED' }),
    );
    expect(() => ReferrerIndex.build(doc.revisionAt(end), { maxObjects: 1000, maxReferences: 4 })).toThrow(
      expect.objectContaining({ code: 'PDF_BUDGET_EXCEEDED' }),
    );
    const m = analyseModifications(
      doc,
      end,
      { dictionary: null, field: null },
      { maxObjects: 3, maxReferences: 1000 },
    );
    expect(m.level).toBe('indeterminate');
    expect(m.reasons[0]).toMatch(/PDF_BUDGET_EXCEEDED.*\(rule: analysis-limit\)/);
    // Within the limits the same update is an allowed later signature.
    expect(analyseModifications(doc, end).level).toBe('allowed');
  });
});

describe('4. hostile CMS: one bad signature never costs the report on the others', () => {
  it('two SignerInfos are a FORMAT_FAILURE; the signature after it still verifies', async () => {
    const two = await opensslSignedLetter(pki, pki.leaves.personal, 'Hai', {
      extraSigners: [pki.leaves.organisation],
    });
    const then = await nss.sign(two, pki.leaves.organisation, 'ChuKyCoQuan');
    const r = await verify(then);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]!.checks.find((c) => c.id === 'cms')!.message.en).toMatch(/exactly one SignerInfo/);
    expect(r.signatures[1]).toMatchObject({ indication: 'TOTAL_PASSED' });
  });

  it('an empty SignerInfos set is a FORMAT_FAILURE, not a crash', async () => {
    const signed = await opensslSignedLetter(pki, pki.leaves.personal, 'Rong');
    // Re-encode the CMS with an empty SignerInfos SET and put it back over the same /Contents.
    const text = latin1(signed);
    const at = text.lastIndexOf('/Contents <') + '/Contents <'.length;
    const hex = text.slice(at, text.indexOf('>', at));
    const empty = withoutSignerInfos(Buffer.from(hex, 'hex'));
    const out = new Uint8Array(signed);
    out.set(Buffer.from(empty.toString('hex').padEnd(hex.length, '0'), 'latin1'), at);
    const r = await verify(out);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
  });

  it('a signed content type other than id-data is a FORMAT_FAILURE', async () => {
    const signed = await opensslSignedLetter(pki, pki.leaves.personal, 'Sig', {
      contentType: '1.2.840.113549.1.9.16.1.4',
    });
    const r = await verify(signed);
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]!.checks.find((c) => c.id === 'cms')!.message.en).toMatch(/id-data/);
  });

  it('ETSI.CAdES.detached without a signing-certificate attribute is not accepted; with one it is', async () => {
    const bare = await opensslSignedLetter(pki, pki.leaves.personal, 'Sig', {
      withoutSigningCertificate: true,
    });
    const r = await verify(bare);
    expect(r.signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
      intact: true,
    });
    const cades = await opensslSignedLetter(pki, pki.leaves.personal, 'Sig');
    expect((await verify(cades)).signatures[0]).toMatchObject({ indication: 'TOTAL_PASSED' });
  });
});

describe('an object of the signed revision deleted by a later update', () => {
  it('is disallowed (rule: object-deleted), beside an update that deletes nothing', async () => {
    const signed = await nss.sign(minimalPdf(), pki.leaves.personal, 'ChuKyLanhDao');
    const doc = PdfDocument.load(signed);
    const size = doc.trailer.get('Size') as number;
    const rootRef = doc.trailer.get('Root')!.toString();
    const prev = doc.sections[0]!.offset;
    // A section that frees object 5, the page's font.
    const tail = `\nxref\n5 1\n0000000000 00001 f \ntrailer\n<< /Size ${size} /Root ${rootRef} /Prev ${prev} >>\nstartxref\n${signed.length + 1}\n%%EOF\n`;
    const deleted = new Uint8Array(Buffer.concat([signed, Buffer.from(tail, 'latin1')]));
    const r = await verify(deleted);
    expect(r.signatures[0]!.modifiedAfter).toBe('disallowed');
    expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
      /object 5 of the signed revision was deleted \(rule: object-deleted\)/,
    );
    expect((await verify(signed)).signatures[0]!.modifiedAfter).toBe('none');
  });
});

describe('6. damaged after signing', () => {
  it('a signed letter whose last startxref points nowhere: the signature holds over its revision, the damaged tail is a disallowed change', async () => {
    const signed = await nss.sign(minimalPdf(), pki.leaves.personal, 'ChuKyLanhDao');
    const text = 'BT /F1 14 Tf 72 770 Td (CONG VAN SO 999/GIA MAO) Tj ET';
    const altered = latin1(
      pdfAttacks.appendIncrementalUpdate(signed, {
        4: `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
      }),
    ).replace(/startxref\n(\d+)\n%%EOF\n$/, 'startxref\n99999999\n%%EOF\n');
    const damaged = new Uint8Array(Buffer.from(altered, 'latin1'));
    // Viewers repair it and show the altered text.
    expect(await pdftotext(damaged)).toMatch(/999\/GIA MAO/);
    const r = await verify(damaged);
    expect(r.reconstructed).toMatchObject({ intactEnd: signed.length });
    expect(r.signatures[0]).toMatchObject({
      intact: true,
      modifiedAfter: 'disallowed',
      indication: 'TOTAL_FAILED',
    });
    expect(r.signatures[0]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(
      /damaged.*\(rule: damaged-file\)/,
    );
    // The honest neighbour reads from its own cross-reference data.
    const h = await verify(signed);
    expect(h).toMatchObject({ indication: 'TOTAL_PASSED', reconstructed: null });
  });
});

/** The DER CMS `cms` with its SignerInfos SET emptied (lengths re-encoded). */
function withoutSignerInfos(cms: Buffer): Buffer {
  const read = (b: Buffer, at: number) => {
    let len = b[at + 1]!;
    let head = 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i += 1) len = len * 256 + b[at + 2 + i]!;
      head += n;
    }
    return { tag: b[at]!, start: at, head, end: at + head + len };
  };
  const encode = (tag: number, body: Buffer) => {
    const n = body.length;
    const len =
      n < 0x80
        ? Buffer.from([n])
        : n < 0x100
          ? Buffer.from([0x81, n])
          : n < 0x10000
            ? Buffer.from([0x82, n >> 8, n & 0xff])
            : Buffer.from([0x83, n >> 16, (n >> 8) & 0xff, n & 0xff]);
    return Buffer.concat([Buffer.from([tag]), len, body]);
  };
  const ci = read(cms, 0);
  const oid = read(cms, ci.start + ci.head);
  const explicit = read(cms, oid.end);
  const sd = read(cms, explicit.start + explicit.head);
  const children: { tag: number; start: number; end: number }[] = [];
  for (let at = sd.start + sd.head; at < sd.end; ) {
    const c = read(cms, at);
    children.push(c);
    at = c.end;
  }
  const body = Buffer.concat([
    ...children.slice(0, -1).map((c) => cms.subarray(c.start, c.end)),
    encode(0x31, Buffer.alloc(0)),
  ]);
  return encode(0x30, Buffer.concat([cms.subarray(oid.start, oid.end), encode(0xa0, encode(0x30, body))]));
}
