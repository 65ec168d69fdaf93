import { type Certificate, type Crl, parseCertificate, parseCrlDer } from '@kyso/core';
import { type PdfVerificationReport, verifyPdf } from '@kyso/pdf-signature';
import { createTestPki, signedLetters, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DocumentVerification,
  evaluateIncomingDocument,
  evaluateOutgoingDocument,
} from '../src/index.js';

// Real verifyPdf reports on letters testkit signs (poppler's pdfsig over an NSS database from the
// test PKI), the official first and then the organisation, as the national order has it.
let pki: TestPki;
let root: Certificate;
let crls: Crl[];
let letter: Uint8Array;
let personalOnly: Uint8Array;
let revokedOfficial: Uint8Array;

// The report type of pdf-signature reaches the rules as JSON; item 4 of issue 14 unifies the types.
// A report goes in as verifyPdf returns it: this compiles only because the types fit (no cast).
const asFacts = (report: PdfVerificationReport): DocumentVerification => report;
/** No CRL and no transport: every revocation status is unknown, as in an OCSP/CRL outage. */
const outage = async (bytes: Uint8Array) =>
  asFacts(await verifyPdf(bytes, { trustAnchors: [root], revocation: 'hard-fail' }));
// The văn thư verifies on receipt (Nghị định 30/2020/NĐ-CP, Điều 21 khoản 2): the receipt record
// proves the document existed then, so a signer revoked before it is REVOKED, not REVOKED_NO_POE.
const online = async (bytes: Uint8Array) =>
  asFacts(
    await verifyPdf(bytes, {
      trustAnchors: [root],
      crls,
      revocation: 'hard-fail',
      proofOfExistence: { time: new Date(), source: 'sổ đăng ký văn bản đến' },
    }),
  );

const facts = {
  origin: 'electronic' as const,
  receivedAt: '2026-11-20T10:00:00+07:00',
  reference: '123/SKHCN-VP',
  sender: 'Sở Khoa học và Công nghệ',
};

beforeAll(async () => {
  pki = await createTestPki();
  root = parseCertificate(pki.root.certificate.pem);
  crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
  ({ personalOnly, good: letter } = await signedLetters(pki));
  revokedOfficial = (await signedLetters(pki, { official: pki.leaves.revokedKeyCompromise })).good;
}, 120_000);
afterAll(() => pki?.cleanup());

describe('evaluateIncomingDocument when revocation cannot be checked (issue 14, item 1)', () => {
  it('holds an intact, trusted letter whose revocation status could not be fetched, with when to retry', async () => {
    const report = await outage(letter);
    expect(report.signatures.map((s) => [s.indication, s.subIndication])).toEqual([
      ['INDETERMINATE', 'TRY_LATER'],
      ['INDETERMINATE', 'TRY_LATER'],
    ]);
    const d = evaluateIncomingDocument(report, facts, { at: '2026-11-20', province: 'son-la' });
    expect(d.decision).toBe('hold');
    expect(d.notice).toBeNull();
    expect(d.retry).toEqual({ at: '2026-11-20T04:00:00.000Z', by: '2026-11-20' });
    expect(d.deadline).toBe('2026-11-20');
    const text = d.reasons.map((r) => r.vi).join('\n');
    expect(text).toContain('chưa kiểm tra được tình trạng thu hồi');
    expect(text).not.toMatch(/không hợp lệ|Thiếu/);
  });

  it('takes the retry delay from retryAfterMinutes, and none without a receipt time', async () => {
    const report = await outage(letter);
    const later = evaluateIncomingDocument(report, facts, { at: '2026-11-20', retryAfterMinutes: 15 });
    expect(later.retry?.at).toBe('2026-11-20T03:15:00.000Z');
    const unknown = evaluateIncomingDocument(report, { origin: 'electronic' }, { at: '2026-11-20' });
    expect(unknown.retry).toEqual({ at: null, by: '2026-11-20' });
    expect(() =>
      evaluateIncomingDocument(report, facts, { at: '2026-11-20', retryAfterMinutes: 0 }),
    ).toThrowError(expect.objectContaining({ code: 'RULES_INVALID_INPUT' }));
  });

  it('accepts the same letter once revocation is checked', async () => {
    const d = evaluateIncomingDocument(await online(letter), facts, { at: '2026-11-20', province: 'son-la' });
    expect(d.decision).toBe('accept');
    expect(d.retry).toBeNull();
  });

  it('rejects a letter without the organisation signature during an outage, naming the official signature as unchecked, not invalid or missing', async () => {
    const d = evaluateIncomingDocument(await outage(personalOnly), facts, {
      at: '2026-11-20',
      province: 'son-la',
    });
    expect(d.decision).toBe('reject');
    expect(d.notice).toContain('Thiếu chữ ký số của cơ quan, tổ chức');
    expect(d.notice).not.toContain('Thiếu chữ ký số của người có thẩm quyền');
    expect(d.notice).not.toContain('không hợp lệ');
    expect(d.notice).toContain(
      'Chữ ký số thứ 1 (Nguyễn Văn An, người có thẩm quyền): nguyên vẹn, chứng thư số được tin cậy; chưa kiểm tra được tình trạng thu hồi.',
    );
  });

  it('names a revoked official signature as invalid and the organisation signature as valid, and says none is missing', async () => {
    const report = await online(revokedOfficial);
    expect(report.signatures.map((s) => s.subIndication)).toEqual(['REVOKED', null]);
    const d = evaluateIncomingDocument(report, facts, { at: '2026-11-20', province: 'son-la' });
    expect(d.decision).toBe('reject');
    expect(d.notice).toMatch(/Chữ ký số thứ 1 \([^)]*\): không hợp lệ \(REVOKED\)\./);
    expect(d.notice).toMatch(/Chữ ký số thứ 2 \([^)]*cơ quan, tổ chức\): hợp lệ\./);
    expect(d.notice).not.toContain('Thiếu');
    expect(d.notice).not.toMatch(/thứ 2 [^\n]*không hợp lệ/);
  });

  it('rejects a letter with a broken signature even while another waits on revocation', async () => {
    const report = await outage(revokedOfficial);
    // Without CRLs the revoked certificate is not known as revoked: both wait on revocation. Break
    // the first signature's integrity as a report of that shape would say it.
    const broken: DocumentVerification = {
      ...report,
      signatures: report.signatures.map((s, i) =>
        i === 0
          ? {
              ...s,
              indication: 'TOTAL_FAILED',
              subIndication: 'HASH_FAILURE',
              checks: (s.checks ?? []).map((c) => (c.id === 'signature' ? { ...c, status: 'failed' } : c)),
            }
          : s,
      ),
    };
    const d = evaluateIncomingDocument(broken, facts, { at: '2026-11-20' });
    expect(d.decision).toBe('reject');
    expect(d.notice).toMatch(/thứ 1 [^\n]*: không hợp lệ \(HASH_FAILURE\)\./);
    expect(d.notice).toMatch(
      /thứ 2 [^\n]*: nguyên vẹn, chứng thư số được tin cậy; chưa kiểm tra được tình trạng thu hồi\./,
    );
  });

  it('does not treat TRY_LATER as pending when another check of the signature did not pass', async () => {
    const report = await outage(letter);
    const tampered: DocumentVerification = {
      ...report,
      signatures: report.signatures.map((s) => ({
        ...s,
        checks: (s.checks ?? []).map((c) => (c.id === 'byte-range' ? { ...c, status: 'failed' } : c)),
      })),
    };
    expect(evaluateIncomingDocument(tampered, facts, { at: '2026-11-20' }).decision).toBe('reject');
  });

  it('holds an outgoing letter whose revocation status could not be checked', async () => {
    const d = evaluateOutgoingDocument(await outage(letter), { origin: 'electronic' }, { at: '2026-11-20' });
    expect(d.decision).toBe('hold');
  });
});
