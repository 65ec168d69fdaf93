// The corrections of the legal audit (issue 13): each test quotes the text it encodes.
import { describe, expect, it } from 'vitest';
import {
  evaluateCertificate,
  evaluateOutgoingDocument,
  LEGAL_DOCUMENTS,
  RULES,
  routeRequest,
  validateDocuments,
} from '../src/index.js';
import { report, sig } from './support.js';

const rule = (id: string) => RULES.find((r) => r.id === id)!;
const doc = (id: string) => LEGAL_DOCUMENTS.find((d) => d.id === id)!;

describe('son-la.request-copy: Sơn La Điều 6 khoản 3, "các yêu cầu chứng thực theo khoản 1, khoản 2 Điều này phải đồng gửi bằng văn bản về Sở Khoa học và Công nghệ"', () => {
  it('copies token recovery (khoản 1) and the token hand-back and lost-token cases (khoản 2), not only issue to revocation', () => {
    for (const request of [
      'issue',
      'renewal',
      'information-change',
      'revocation',
      'token-recovery',
      'token-return',
      'token-lost',
    ] as const) {
      expect(routeRequest(request, { at: '2026-01-05', province: 'son-la' }).copyTo, request).toEqual([
        'Sở Khoa học và Công nghệ tỉnh Sơn La',
      ]);
    }
    expect(rule('son-la.request-copy').statement.vi).toContain('khôi phục thiết bị lưu khóa bí mật');
  });
});

describe('ha-tinh.token.lost-record: Hà Tĩnh Điều 6 khoản 2 điểm c (Mẫu 15 of Thông tư 185/2019/TT-BQP)', () => {
  it('cites khoản 2 điểm c: khoản 1 of Điều 6 has no points', () => {
    expect(rule('ha-tinh.token.lost-record').source).toMatchObject({
      article: 'Điều 6',
      clause: 'khoản 2 điểm c',
    });
  });

  it('in 2026 a lost token in Hà Tĩnh gets Nghị định 68/2024/NĐ-CP Điều 20 khoản 4 (Mẫu 09), the provincial rule reported stale', () => {
    const e = evaluateCertificate(
      { kind: 'personal', notBefore: '2025-01-10', notAfter: '2030-01-10', token: { lost: true } },
      { at: '2026-06-01', province: 'ha-tinh' },
    );
    const lost = e.afterEnd.steps.filter((s) => /thất lạc/.test(s.vi));
    expect(lost.map((s) => s.citation.text)).toEqual(['Nghị định 68/2024/NĐ-CP, Điều 20, khoản 4']);
    expect(lost[0]!.vi).toContain('Mẫu số 09');
    expect(e.staleCitations).toContainEqual({
      ruleId: 'ha-tinh.token.lost-record',
      cites: 'tt-185-2019',
      replacedBy: 'nd-68-2024',
    });
  });
});

describe('lao-cai.incoming.refuse-and-notify: Lào Cai Điều 5 khoản 6, "Bên nhận có quyền từ chối nhận và phải chịu trách nhiệm về việc từ chối đó"', () => {
  it('cites Điều 5 khoản 6, not Điều 6 khoản 2 (which only has the clerk reply through QLVB-ĐH)', () => {
    expect(rule('lao-cai.incoming.refuse-and-notify').source).toMatchObject({
      article: 'Điều 5',
      clause: 'khoản 6',
    });
  });
});

describe('token.return and token.lost: figures of Nghị định 68/2024/NĐ-CP Điều 20 restated by Ninh Bình QĐ 165/2025 Điều 10 khoản 6 (grade B)', () => {
  it('cite Ninh Bình Điều 10 khoản 6 as the restatement, not Sơn La Điều 6 khoản 2, which gives neither 5 days nor the forms', () => {
    const e = evaluateCertificate(
      { kind: 'personal', notBefore: '2021-01-01', notAfter: '2026-01-01', token: { lost: true } },
      { at: '2026-02-01' },
    );
    const back = e.afterEnd.steps.find((s) => s.citation.ruleId === 'token.return')!;
    expect(back.vi).toContain(' 5 ngày làm việc');
    expect(back.citation).toMatchObject({
      grade: 'B',
      textSeen: false,
      restatedIn: 'Quyết định 165/2025/QĐ-UBND (Ninh Bình), Điều 10 khoản 6 điểm a–c',
    });
    expect(e.afterEnd.steps.find((s) => s.citation.ruleId === 'token.lost')!.citation.restatedIn).toBe(
      'Quyết định 165/2025/QĐ-UBND (Ninh Bình), Điều 10 khoản 6 điểm d',
    );
  });
});

describe('lao-cai.outgoing.same-day: Lào Cai Điều 5 khoản 1 điểm c, "chậm nhất là trong buổi sáng của ngày làm việc tiếp theo"', () => {
  const signedFriday = report(
    sig(1, 'personal', {
      signer: { commonName: 'A', organization: null, kind: 'personal' },
      signingTime: '2026-11-20T08:00:00+07:00',
    }),
    sig(2, 'organisation', {
      signer: { commonName: 'UBND', organization: 'UBND', kind: 'organisation' },
      modifiedAfter: 'allowed',
    }),
  );

  it('reports the end of "buổi sáng" as an assumption (12:00), since no text fixes it', () => {
    const d = evaluateOutgoingDocument(
      signedFriday,
      { origin: 'electronic' },
      { at: '2026-11-20', province: 'lao-cai' },
    );
    expect(d.deadline).toBe('2026-11-23T12:00+07:00');
    expect(d.assumptions).toEqual([
      expect.objectContaining({
        ruleId: 'lao-cai.outgoing.same-day',
        param: 'latestHourNextWorkingDay',
        value: 12,
        overridden: false,
      }),
    ]);
  });

  it('lets the caller set the hour, and says it was overridden', () => {
    const d = evaluateOutgoingDocument(
      signedFriday,
      { origin: 'electronic', sentAt: '2026-11-23T11:00:00+07:00' },
      { at: '2026-11-23', province: 'lao-cai', assumptions: { latestHourNextWorkingDay: 10 } },
    );
    expect(d.deadline).toBe('2026-11-23T10:00+07:00');
    expect(d.decision).toBe('reject');
    expect(d.assumptions?.[0]).toMatchObject({ value: 10, overridden: true });
    expect(() =>
      evaluateOutgoingDocument(
        signedFriday,
        { origin: 'electronic' },
        { at: '2026-11-23', province: 'lao-cai', assumptions: { latestHourNextWorkingDay: 25 } },
      ),
    ).toThrow(/0 to 24/);
  });
});

describe('registry (issue 13, correction 6): dates and titles as the texts give them', () => {
  it('dates Thông tư 185/2019/TT-BQP 04/12/2019, as Hà Tĩnh 19/2020 cites it ("ngày 04/12/2019"), and marks the start unverified', () => {
    expect(doc('tt-185-2019')).toMatchObject({ from: '2019-12-04', fromVerified: false });
    expect(doc('tt-185-2019').title).toContain('ngày 04/12/2019');
  });

  it('starts the Điện Biên draft no earlier than July 2025 ("ngày … tháng 7 năm 2025"), and so its rules', () => {
    expect(doc('dien-bien-draft-2025')).toMatchObject({
      from: '2025-07-01',
      fromVerified: false,
      status: 'draft',
    });
    for (const r of RULES.filter((r) => r.jurisdiction === 'dien-bien'))
      expect(r.period.from >= '2025-07-01').toBe(true);
  });

  it('names the Sơn La decision the Chủ tịch UBND tỉnh\'s, and the Hà Tĩnh one "Quy chế quản lý, sử dụng dịch vụ chứng thực chữ ký số chuyên dùng Chính phủ"', () => {
    expect(doc('son-la-1319-2025').issuer).toBe('Chủ tịch UBND tỉnh Sơn La');
    expect(doc('ha-tinh-19-2020').title).toContain(
      'Quy chế quản lý, sử dụng dịch vụ chứng thực chữ ký số chuyên dùng Chính phủ trong các cơ quan nhà nước',
    );
  });

  it('states the source of every start date, or marks it unverified', () => {
    expect(validateDocuments()).toEqual([]);
    expect(validateDocuments([{ ...doc('nd-30-2020'), fromSource: 'signing date' }])).toEqual([
      expect.stringMatching(/must say "unverified"/),
    ]);
    expect(validateDocuments([{ ...doc('nd-30-2020'), fromSource: '' }])[0]).toMatch(
      /where its start date comes from/,
    );
  });
});

describe('who handles requests (issue 13, correction 7)', () => {
  it('Sơn La Điều 5: renewal goes to Cục Chứng thực số và Bảo mật thông tin, not to Sở KH&CN, which gets the copy (Điều 6 khoản 3)', () => {
    const e = evaluateCertificate(
      { kind: 'personal', notBefore: '2025-01-10', notAfter: '2030-01-10' },
      { at: '2026-01-05', province: 'son-la' },
    );
    expect(e.renewal.handledBy).toBe('Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ');
    expect(e.copyRequestsTo).toBe('Sở Khoa học và Công nghệ tỉnh Sơn La');
  });

  it('Hà Tĩnh Điều 9 khoản 3: "trực tiếp gửi … đến Tổ chức cung cấp dịch vụ" — the CA, before and after 2024', () => {
    expect(routeRequest('renewal', { at: '2023-03-01', province: 'ha-tinh' })).toMatchObject({
      to: 'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ',
      reasons: [
        expect.objectContaining({ citation: expect.objectContaining({ ruleId: 'ha-tinh.request.route' }) }),
      ],
    });
  });

  it('Lào Cai Điều 9 khoản 2 names Sở Thông tin và Truyền thông: kept as the text has it, reported merged into Sở KH&CN', () => {
    const r = routeRequest('renewal', { at: '2026-01-05', province: 'lao-cai' });
    expect(r.coordinateWith).toBe('Sở Thông tin và Truyền thông tỉnh Lào Cai');
    expect(r.staleOffices).toEqual([
      expect.objectContaining({
        office: 'Sở Thông tin và Truyền thông tỉnh Lào Cai',
        now: 'Sở Khoa học và Công nghệ tỉnh Lào Cai',
        sinceVerified: false,
      }),
    ]);
    expect(routeRequest('renewal', { at: '2024-01-05', province: 'lao-cai' }).staleOffices).toEqual([]);
  });

  it('Phú Thọ Điều 5 khoản 4 điểm a applies only from 01/11/2025 (its Điều 2); before, the CA handles renewals', () => {
    const cert = { kind: 'personal' as const, notBefore: '2025-01-10', notAfter: '2030-01-10' };
    expect(evaluateCertificate(cert, { at: '2025-10-31', province: 'phu-tho' }).renewal.handledBy).toBe(
      'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ',
    );
    expect(evaluateCertificate(cert, { at: '2025-11-03', province: 'phu-tho' }).renewal.handledBy).toBe(
      'Sở Khoa học và Công nghệ tỉnh Phú Thọ',
    );
  });
});

describe('information change and renewal across regimes (issue 13, correction 8)', () => {
  it('before 15/08/2024 an information change is "no rule encoded" (Nghị định 130/2018 is not encoded for it), not "not allowed"', () => {
    const e = evaluateCertificate(
      { kind: 'personal', notBefore: '2022-01-01', notAfter: '2026-01-01' },
      { at: '2024-03-01' },
    );
    expect(e.informationChange.allowed).toBeNull();
    expect(e.informationChange.reasons[0]!.en).toBe(
      'No rule on information change is encoded for 2024-03-01.',
    );
    // From 15/08/2024 Nghị định 68/2024/NĐ-CP Điều 14 allows it until 30 days before expiry.
    expect(e.informationChange.latestRequestDate).toBe('2025-12-02');
  });

  it('on 15/08/2024 a certificate with 29 days left gets its last request day under Nghị định 130/2018 Điều 63 (60 days), not 14/08/2024', () => {
    const e = evaluateCertificate(
      { kind: 'personal', notBefore: '2022-01-01', notAfter: '2024-09-13' },
      { at: '2024-08-15' },
    );
    expect(e.daysRemaining).toBe(29);
    expect(e.renewal.allowed).toBe(false);
    expect(e.renewal.latestRequestDate).toBe('2024-07-15');
    expect(e.renewal.reasons.map((r) => r.citation.text)).toContain('Nghị định 130/2018/NĐ-CP, Điều 63');
  });

  it('a certificate barred under the 60 days of Điều 63 on 10/08/2024 may be renewed again from 15/08/2024 under the 30 days', () => {
    const e = evaluateCertificate(
      { kind: 'personal', notBefore: '2022-01-01', notAfter: '2024-09-30' },
      { at: '2024-08-10' },
    );
    expect(e.renewal.allowed).toBe(false);
    expect(e.renewal.latestRequestDate).toBe('2024-08-31');
  });
});
