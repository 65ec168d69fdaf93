import { describe, expect, it } from 'vitest';
import { type CertificateFacts, evaluateCertificate, isKysoErrorLike, staleCitations } from './support.js';

const personal = (notAfter: string, extra: Partial<CertificateFacts> = {}): CertificateFacts => ({
  kind: 'personal',
  notBefore: '2022-01-01',
  notAfter,
  ...extra,
});

describe('cert.renewal.conditions (Nghị định 68/2024/NĐ-CP, Điều 12)', () => {
  it('allows renewal with exactly 30 days left, and names the last request date', () => {
    const e = evaluateCertificate(personal('2026-12-31'), { at: '2026-12-01' });
    expect(e.daysRemaining).toBe(30);
    expect(e.renewal).toMatchObject({
      allowed: true,
      latestRequestDate: '2026-12-01',
      maxYears: 3,
      form: 'Mẫu số 04',
    });
    expect(e.renewal.reasons[0]!.citation.text).toBe('Nghị định 68/2024/NĐ-CP, Điều 12');
  });

  it('refuses renewal with 29 days left', () => {
    const e = evaluateCertificate(personal('2026-12-31'), { at: '2026-12-02' });
    expect(e.daysRemaining).toBe(29);
    expect(e.renewal.allowed).toBe(false);
    expect(e.renewal.reasons[0]!.vi).toContain('29 ngày');
  });

  it('allows one renewal only', () => {
    expect(
      evaluateCertificate(personal('2027-06-30', { renewalsUsed: 1 }), { at: '2026-12-01' }).renewal.allowed,
    ).toBe(false);
  });

  it('applies the 60 days of Nghị định 130/2018/NĐ-CP before 15/08/2024, and 30 days from that day', () => {
    const before = evaluateCertificate(personal('2024-10-12'), { at: '2024-08-14' });
    expect(before.daysRemaining).toBe(59);
    expect(before.renewal.allowed).toBe(false);
    expect(before.renewal.reasons[0]!.citation.text).toBe('Nghị định 130/2018/NĐ-CP, Điều 63');
    const after = evaluateCertificate(personal('2024-10-13'), { at: '2024-08-15' });
    expect(after.renewal.allowed).toBe(true);
    expect(after.renewal.reasons[0]!.citation.text).toBe('Nghị định 68/2024/NĐ-CP, Điều 12');
  });

  it('refuses renewal of an expired or revoked certificate and points to a new issue (cert.reissue)', () => {
    const e = evaluateCertificate(personal('2026-01-31'), { at: '2026-02-10' });
    expect(e.expired).toBe(true);
    expect(e.renewal.allowed).toBe(false);
    expect(e.afterEnd.steps.map((s) => s.citation.ruleId)).toEqual(['token.return', 'cert.reissue']);
    expect(e.afterEnd.steps[1]!.vi).toContain('Mẫu số 01');
    expect(
      evaluateCertificate(personal('2027-01-31', { status: 'revoked' }), { at: '2026-02-10' }).renewal
        .allowed,
    ).toBe(false);
  });
});

describe('phu-tho.renewal-change.processing (Phú Thọ, Điều 5 khoản 4)', () => {
  it('gives the Department three working days, across Tết', () => {
    const e = evaluateCertificate(personal('2026-12-31'), { at: '2026-02-13', province: 'phu-tho' });
    expect(e.renewal.handledBy).toBe('Sở Khoa học và Công nghệ tỉnh Phú Thọ');
    expect(e.renewal.deadline).toEqual({ workingDays: 3, ifRequestedOn: '2026-02-13', date: '2026-02-25' });
  });
});

describe('cert.information-change.conditions and cert.information-change.cases (Điều 14–15)', () => {
  it('allows a change with 30 days left, lists the cases of the kind, and keeps the validity', () => {
    const e = evaluateCertificate(
      { kind: 'organisation', notBefore: '2024-01-01', notAfter: '2026-12-31' },
      { at: '2026-12-01' },
    );
    expect(e.informationChange).toMatchObject({
      allowed: true,
      cases: ['renamed', 'address-changed'],
      form: 'Mẫu số 04',
    });
    expect(e.informationChange.latestRequestDate).toBe('2026-12-01');
    expect(e.informationChange.reasons.map((r) => r.vi).join(' ')).toContain('không làm thay đổi thời hạn');
    expect(
      evaluateCertificate(
        { kind: 'device', notBefore: '2024-01-01', notAfter: '2026-12-31' },
        { at: '2026-12-02' },
      ).informationChange.allowed,
    ).toBe(false);
  });
});

describe('cert.revocation.cases (Điều 17)', () => {
  it('lists the events for a person, including retirement and transfer of position', () => {
    const e = evaluateCertificate(personal('2027-12-31'), { at: '2026-06-01' });
    expect(e.revocation.events).toEqual(
      expect.arrayContaining(['key-compromised', 'device-lost', 'retired', 'position-changed']),
    );
    expect(e.revocation.events).not.toContain('dissolved');
    expect(e.revocation.form).toBe('Mẫu số 05');
  });
});

describe('token.recovery and phu-tho.token-recovery.processing', () => {
  it('recovers a locked token through Form 06 within one working day in Phú Thọ', () => {
    const e = evaluateCertificate(personal('2027-12-31', { token: { locked: true } }), {
      at: '2026-06-01',
      province: 'phu-tho',
    });
    expect(e.tokenRecovery).toMatchObject({
      needed: true,
      form: 'Mẫu số 06',
      deadlineWorkingDays: 1,
      handledBy: 'Sở Khoa học và Công nghệ tỉnh Phú Thọ',
    });
    expect(evaluateCertificate(personal('2027-12-31'), { at: '2026-06-01' }).tokenRecovery).toBeNull();
  });
});

describe('ha-tinh (Quyết định 19/2020/QĐ-UBND) under a superseded national regime', () => {
  it('reports provincial rules resting on Nghị định 130/2018 and Thông tư 185/2019 once Nghị định 68/2024 is in force', () => {
    expect(staleCitations('2023-06-01', 'ha-tinh')).toEqual([]);
    const stale = staleCitations('2025-06-01', 'ha-tinh');
    expect(stale.length).toBeGreaterThan(0);
    expect(stale[0]).toMatchObject({ cites: 'tt-185-2019', replacedBy: 'nd-68-2024' });
    expect(
      evaluateCertificate(personal('2027-12-31'), { at: '2025-06-01', province: 'ha-tinh' }).staleCitations
        .length,
    ).toBeGreaterThan(0);
  });
});

describe('bad input', () => {
  it('names the accepted provinces for an unknown one, and refuses impossible dates', () => {
    try {
      evaluateCertificate(personal('2027-12-31'), { at: '2026-06-01', province: 'ha-noi' });
      expect.unreachable();
    } catch (error) {
      expect(isKysoErrorLike(error)).toBe(true);
      expect((error as Error).message).toContain('son-la, phu-tho, ha-tinh, lao-cai, dien-bien');
    }
    expect(() => evaluateCertificate(personal('2027-02-29'), { at: '2026-06-01' })).toThrow(/real date/);
  });
});
