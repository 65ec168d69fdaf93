// Subscriber duties that start a clock (issue 13, addition 2) and the facts a caller can state
// (addition 4). Each test quotes the article it encodes.
import { describe, expect, it } from 'vitest';
import { evaluateCertificate, subscriberDuties } from '../src/index.js';

const cert = { kind: 'personal' as const, notBefore: '2025-01-10', notAfter: '2030-01-10' };

describe('son-la.subscriber.report-incidents: Sơn La Điều 18 khoản 3, "thông báo kịp thời … bị mất, bị hỏng vật lý, bị khóa thiết bị do nhập sai mật khẩu … chuẩn bị về hưu, chuyển công tác"', () => {
  it('makes each event a prompt report to the managing agency', () => {
    const duties = subscriberDuties(
      ['token-lost', 'token-damaged', 'token-locked', 'security-incident', 'retiring', 'transferring'],
      {
        at: '2026-03-02',
        province: 'son-la',
      },
    );
    for (const d of duties) {
      expect(d.report, d.event).toEqual({ to: 'managing-agency', when: 'promptly' });
      expect(d.reasons[0]!.citation.text).toBe('Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 18, khoản 3');
    }
  });

  it('is not a duty before the decision (05/06/2025): no report rule, though revocation still follows Nghị định 68 Điều 17', () => {
    const [d] = subscriberDuties(['retiring'], { at: '2025-06-04', province: 'son-la', kind: 'personal' });
    expect(d!.report).toBeNull();
    expect(d!.revocationCase).toBe('retired');
  });
});

describe('ha-tinh.subscriber.report-loss: Hà Tĩnh Điều 10 khoản 4, "thất lạc thiết bị, hoặc nghi ngờ lộ khóa bí mật phải báo ngay"', () => {
  it('asks for a report at once, and is reported stale after 15/08/2024 as it rests on Thông tư 185/2019', () => {
    const [d] = subscriberDuties(['security-incident'], { at: '2026-03-02', province: 'ha-tinh' });
    expect(d!.report).toEqual({ to: 'managing-agency', when: 'immediately' });
    expect(d!.staleRuleIds).toEqual(['ha-tinh.subscriber.report-loss']);
    expect(
      subscriberDuties(['security-incident'], { at: '2023-03-01', province: 'ha-tinh' })[0]!.staleRuleIds,
    ).toEqual([]);
    const e = evaluateCertificate(
      { ...cert, token: { lost: true } },
      { at: '2026-03-02', province: 'ha-tinh' },
    );
    expect(e.staleCitations.map((s) => s.ruleId)).toContain('ha-tinh.subscriber.report-loss');
  });
});

describe('phu-tho.subscriber.report-for-revocation: Phú Thọ Điều 10 khoản 3, "thông báo kịp thời … thu hồi chứng thư … theo quy định tại Điều 17"', () => {
  it('leads a retirement to revocation on Mẫu số 05, then the token hand-back within 5 working days of the notice (Nghị định 68 Điều 20)', () => {
    const [d] = subscriberDuties(['retiring'], {
      at: '2026-02-10',
      province: 'phu-tho',
      kind: 'personal',
      revocationNoticeOn: '2026-02-12',
    });
    expect(d!.report).toEqual({ to: 'managing-agency', when: 'promptly' });
    expect(d!.then.map((t) => t.citation.ruleId)).toEqual(['cert.revocation.cases', 'token.return']);
    expect(d!.then[0]!.vi).toContain('Mẫu số 05');
    // Five working days from Thursday 12/02/2026: Friday 13/02, then after Tết (14–22/02/2026) 23–26/02.
    expect(d!.deadline).toEqual({
      workingDays: 5,
      from: '2026-02-12',
      date: '2026-02-26',
      ruleId: 'token.return',
    });
  });

  it('retirement is no revocation case for an organisation certificate (Nghị định 68 Điều 17 khoản 2 is for persons)', () => {
    const [d] = subscriberDuties(['retiring'], {
      at: '2026-02-10',
      province: 'phu-tho',
      kind: 'organisation',
    });
    expect(d!.revocationCase).toBeNull();
  });
});

describe('facts a caller can state in evaluateCertificate (issue 13, addition 4)', () => {
  it('a locked token in Phú Thọ reaches the recovery deadline of Điều 6 khoản 4 ("trong thời hạn 01 ngày làm việc")', () => {
    const e = evaluateCertificate(
      { ...cert, token: { locked: true } },
      { at: '2026-03-06', province: 'phu-tho' },
    );
    expect(e.tokenRecovery).toMatchObject({
      needed: true,
      form: 'Mẫu số 06',
      handledBy: 'Sở Khoa học và Công nghệ tỉnh Phú Thọ',
      deadlineWorkingDays: 1,
    });
    const locked = e.duties.find((d) => d.event === 'token-locked')!;
    expect(locked.deadline).toMatchObject({
      date: '2026-03-09',
      ruleId: 'phu-tho.token-recovery.processing',
    });
  });

  it('a revoked certificate is not renewable (Nghị định 68 Điều 12), and its token goes back within 5 working days of the notice', () => {
    const e = evaluateCertificate(
      { ...cert, status: 'revoked', revokedOn: '2026-03-02' },
      { at: '2026-03-03' },
    );
    expect(e.renewal.allowed).toBe(false);
    expect(e.informationChange.allowed).toBe(false);
    expect(e.afterEnd.tokenReturnDeadline).toEqual({
      workingDays: 5,
      from: '2026-03-02',
      date: '2026-03-09',
    });
  });

  it('a damaged token, a security incident, a transfer each name the revocation case of Điều 17 they meet', () => {
    const e = evaluateCertificate(
      { ...cert, token: { damaged: true }, securityIncident: true, holder: { transferring: true } },
      { at: '2026-03-03' },
    );
    expect(e.revocation.required).toEqual(['device-damaged', 'key-compromised', 'position-changed']);
    const transfer = e.duties.find((d) => d.event === 'transferring')!;
    expect(transfer.then.map((t) => t.citation.ruleId)).toContain('cert.information-change.cases');
  });

  it('drafts count only when asked: the Điện Biên draft (Điều 16 khoản 1) then sets the validity rule', () => {
    expect(
      evaluateCertificate(cert, { at: '2026-03-03', province: 'dien-bien' }).validity.reasons[0]!.citation
        .ruleId,
    ).toBe('cert.validity.new');
    expect(
      evaluateCertificate(cert, { at: '2026-03-03', province: 'dien-bien', includeDrafts: true }).validity
        .reasons[0]!.citation.ruleId,
    ).toBe('dien-bien.validity.new');
  });
});
