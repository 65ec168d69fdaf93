import { describe, expect, it } from 'vitest';
import { evaluateIncomingDocument, evaluateOutgoingDocument, reportingCalendar } from '../src/index.js';
import { report, sig } from './support.js';

describe('document.electronic.signatures and son-la.incoming.reject-and-notify', () => {
  it('accepts a born-digital document signed by the official and then the organisation', () => {
    const d = evaluateIncomingDocument(
      report(sig(1, 'personal'), sig(2, 'organisation')),
      { origin: 'electronic', receivedAt: '2026-11-20T10:00:00+07:00' },
      { at: '2026-11-20', province: 'son-la' },
    );
    expect(d.decision).toBe('accept');
    expect(d.deadline).toBe('2026-11-20');
  });

  it('rejects one without the organisation signature, citing Nghị định 30/2020, with a Vietnamese notice to the sender', () => {
    const d = evaluateIncomingDocument(
      report(sig(1, 'personal')),
      { origin: 'electronic', reference: '123/SKHCN-VP', sender: 'Sở Khoa học và Công nghệ' },
      { at: '2026-11-20', province: 'son-la' },
    );
    expect(d.decision).toBe('reject');
    expect(d.reasons.map((r) => r.citation.text)).toContain('Nghị định 30/2020/NĐ-CP, Điều 5, khoản 1');
    expect(d.reasons.map((r) => r.citation.ruleId)).toContain('son-la.incoming.reject-and-notify');
    expect(d.notice).toContain('Văn bản số 123/SKHCN-VP');
    expect(d.notice).toContain('Thiếu chữ ký số của cơ quan, tổ chức');
  });

  it('rejects a document changed after signing, or with an invalid signature', () => {
    const changed = evaluateIncomingDocument(
      report(sig(1, 'personal', { modifiedAfter: 'disallowed' }), sig(2, 'organisation')),
      { origin: 'electronic' },
      { at: '2026-11-20' },
    );
    expect(changed.decision).toBe('reject');
    expect(changed.reasons[0]!.vi).toContain('bị sửa đổi sau chữ ký số thứ 1');
    const revoked = evaluateIncomingDocument(
      report(
        sig(1, 'personal', { indication: 'TOTAL_FAILED', subIndication: 'REVOKED' }),
        sig(2, 'organisation'),
      ),
      { origin: 'electronic' },
      { at: '2026-11-20' },
    );
    expect(revoked.decision).toBe('reject');
    expect(revoked.reasons[0]!.en).toContain('REVOKED');
  });

  it('rejects a document with no signature at all', () => {
    expect(evaluateIncomingDocument(report(), { origin: 'electronic' }, { at: '2026-11-20' }).decision).toBe(
      'reject',
    );
  });
});

describe('document.digitised.organisation-signature (Nghị định 30/2020, Điều 25)', () => {
  it('accepts a digitised paper document carrying the organisation signature only', () => {
    expect(
      evaluateIncomingDocument(report(sig(1, 'organisation')), { origin: 'digitised' }, { at: '2026-11-20' })
        .decision,
    ).toBe('accept');
  });
});

describe('lao-cai.electronic.urgent (Lào Cai, Điều 5 khoản 2 điểm b)', () => {
  it('needs an extra organisation signature on an urgent document in Lào Cai only', () => {
    const doc = report(sig(1, 'personal'), sig(2, 'organisation'));
    const laoCai = evaluateIncomingDocument(
      doc,
      { origin: 'electronic', urgent: true },
      { at: '2026-11-20', province: 'lao-cai' },
    );
    expect(laoCai.decision).toBe('reject');
    expect(laoCai.reasons[0]!.citation.text).toBe(
      'Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 5, khoản 2 điểm b',
    );
    expect(
      evaluateIncomingDocument(
        report(sig(1, 'personal'), sig(2, 'organisation'), sig(3, 'organisation')),
        { origin: 'electronic', urgent: true },
        { at: '2026-11-20', province: 'lao-cai' },
      ).decision,
    ).toBe('accept');
    expect(
      evaluateIncomingDocument(
        doc,
        { origin: 'electronic', urgent: true },
        { at: '2026-11-20', province: 'son-la' },
      ).decision,
    ).toBe('accept');
  });
});

describe('documents with state secrets', () => {
  it('are out of scope', () => {
    expect(
      evaluateIncomingDocument(
        report(sig(1, 'personal'), sig(2, 'organisation')),
        { origin: 'electronic', secret: true },
        { at: '2026-11-20' },
      ).decision,
    ).toBe('out-of-scope');
  });
});

describe('document.outgoing.issue-deadline and lao-cai.outgoing.same-day', () => {
  const signedFriday = report(
    sig(1, 'personal', { signingTime: '2026-11-20T16:00:00+07:00' }),
    sig(2, 'organisation', { signingTime: '2026-11-20T16:30:00+07:00' }),
  );
  it('nationally: the day of signing, at the latest the next working day (Monday after a Friday)', () => {
    const ok = evaluateOutgoingDocument(
      signedFriday,
      { origin: 'electronic', sentAt: '2026-11-23T16:00:00+07:00' },
      { at: '2026-11-23' },
    );
    expect(ok.decision).toBe('accept');
    const late = evaluateOutgoingDocument(
      signedFriday,
      { origin: 'electronic', sentAt: '2026-11-24T08:00:00+07:00' },
      { at: '2026-11-24' },
    );
    expect(late.decision).toBe('reject');
    expect(late.reasons[0]!.citation.text).toBe('Nghị định 30/2020/NĐ-CP, Điều 18, khoản 1');
  });

  it('in Lào Cai: at the latest the next working morning', () => {
    expect(
      evaluateOutgoingDocument(
        signedFriday,
        { origin: 'electronic', sentAt: '2026-11-23T11:00:00+07:00' },
        { at: '2026-11-23', province: 'lao-cai' },
      ).decision,
    ).toBe('accept');
    const afternoon = evaluateOutgoingDocument(
      signedFriday,
      { origin: 'electronic', sentAt: '2026-11-23T14:00:00+07:00' },
      { at: '2026-11-23', province: 'lao-cai' },
    );
    expect(afternoon.decision).toBe('reject');
    expect(afternoon.deadline).toBe('2026-11-23T12:00+07:00');
  });

  it('refuses an organisation signature made before the official signed (document.organisation-signs-last)', () => {
    const d = evaluateOutgoingDocument(
      report(sig(1, 'organisation'), sig(2, 'personal')),
      { origin: 'electronic' },
      { at: '2026-11-20' },
    );
    expect(d.decision).toBe('reject');
    expect(d.reasons.map((r) => r.citation.ruleId)).toContain('document.organisation-signs-last');
  });
});

describe('reporting calendars', () => {
  it('son-la.report.vertical-agencies: before the 15th of each quarter’s last month, from June 2025', () => {
    expect(reportingCalendar(2026, 'son-la').map((r) => r.due)).toEqual([
      '2026-03-14',
      '2026-06-14',
      '2026-09-14',
      '2026-12-14',
    ]);
    expect(reportingCalendar(2025, 'son-la').map((r) => r.due)).toEqual([
      '2025-06-14',
      '2025-09-14',
      '2025-12-14',
    ]);
  });

  it('ha-tinh.report.half-year-and-year: before 17 June and 17 December', () => {
    const due = reportingCalendar(2026, 'ha-tinh');
    expect(due.map((r) => [r.due, r.name.en])).toEqual([
      ['2026-06-16', 'Half-year report'],
      ['2026-12-16', 'Annual report'],
    ]);
    expect(due[0]!.citation.text).toBe('Quyết định 19/2020/QĐ-UBND (Hà Tĩnh), Điều 13, khoản 1');
  });
});
