// Request routing (issue 13, addition 1): who receives each certification request, by what channel,
// and who gets a copy. Each test quotes the article it encodes.
import { describe, expect, it } from 'vitest';
import { REQUEST_TYPES, routeRequest } from '../src/index.js';

const CA = 'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ';
const SKHCN_PHU_THO = 'Sở Khoa học và Công nghệ tỉnh Phú Thọ';

describe('request.route: Nghị định 68/2024/NĐ-CP Điều 4 khoản 1 (restated by Ninh Bình QĐ 165/2025 Điều 9 khoản 4)', () => {
  it('sends every request to the CA as a signed e-document through dichvucong.ca.gov.vn or the national document exchange', () => {
    for (const request of REQUEST_TYPES) {
      const r = routeRequest(request, { at: '2025-01-06' });
      expect(r).toMatchObject({ outcome: 'routed', to: CA, signedElectronically: true, copyTo: [] });
      expect(r.channels).toEqual([
        'Hệ thống thông tin đăng ký, quản lý yêu cầu chứng thực (https://dichvucong.ca.gov.vn)',
        'Trục liên thông văn bản quốc gia',
      ]);
      expect(r.reasons[0]!.citation).toMatchObject({
        text: 'Nghị định 68/2024/NĐ-CP, Điều 4, khoản 1',
        grade: 'B',
      });
    }
  });

  it('answers "no rule encoded" before 15/08/2024 outside Hà Tĩnh, rather than guessing the old regime', () => {
    const r = routeRequest('renewal', { at: '2024-08-14' });
    expect(r).toMatchObject({ outcome: 'no-rule-encoded', to: null, channels: [] });
    expect(routeRequest('renewal', { at: '2024-08-15' }).outcome).toBe('routed');
  });

  it('refuses an unknown request type, naming the known ones', () => {
    expect(() => routeRequest('renew' as never, { at: '2025-01-06' })).toThrow(/known: issue, renewal/);
  });
});

describe('son-la.request.route (Sơn La Điều 5) and son-la.request-copy (Điều 6 khoản 3)', () => {
  it('routes to Cục Chứng thực số và Bảo mật thông tin with the copy "đồng gửi bằng văn bản về Sở Khoa học và Công nghệ"', () => {
    const r = routeRequest('token-recovery', { at: '2025-06-05', province: 'son-la' });
    expect(r.to).toBe(CA);
    expect(r.copyTo).toEqual(['Sở Khoa học và Công nghệ tỉnh Sơn La']);
    expect(r.reasons.map((x) => x.citation.text)).toEqual([
      'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 5',
      'Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 6, khoản 3',
    ]);
    expect(routeRequest('token-recovery', { at: '2025-06-04', province: 'son-la' }).copyTo).toEqual([]);
  });
});

describe('Phú Thọ: Điều 4 khoản 1–2 (issue, revocation), Điều 5 khoản 4 điểm a (renewal, change), Điều 6 khoản 2 (recovery)', () => {
  it('sends issue and revocation to the CA "đồng thời trong nơi nhận có gửi Sở Khoa học và Công nghệ"', () => {
    for (const request of ['issue', 'revocation'] as const) {
      const r = routeRequest(request, { at: '2025-11-03', province: 'phu-tho' });
      expect(r).toMatchObject({ to: CA, copyTo: [SKHCN_PHU_THO] });
      expect(r.reasons[0]!.citation.ruleId).toBe('phu-tho.request.issue-revocation.route');
    }
  });

  it('sends renewal, information change (Mẫu số 04) and token recovery (Mẫu số 06) "về Sở Khoa học và Công nghệ"', () => {
    expect(
      routeRequest('renewal', { at: '2025-11-03', province: 'phu-tho' }).reasons[0]!.citation.ruleId,
    ).toBe('phu-tho.request.renewal-change.route');
    expect(routeRequest('information-change', { at: '2025-11-03', province: 'phu-tho' }).to).toBe(
      SKHCN_PHU_THO,
    );
    const recovery = routeRequest('token-recovery', { at: '2025-11-03', province: 'phu-tho' });
    expect(recovery.to).toBe(SKHCN_PHU_THO);
    expect(recovery.reasons[0]!.citation.ruleId).toBe('phu-tho.request.token-recovery.route');
  });

  it('applies only from 01/11/2025: the day before, Nghị định 68 Điều 4 sends them to the CA', () => {
    expect(routeRequest('renewal', { at: '2025-10-31', province: 'phu-tho' }).to).toBe(CA);
  });
});

describe('ha-tinh.request.route: Hà Tĩnh Điều 9 khoản 3, "trực tiếp gửi thông tin đề nghị … đến Tổ chức cung cấp dịch vụ"', () => {
  it('applies before 15/08/2024; after, Nghị định 68 Điều 4 wins and the provincial rule is reported stale', () => {
    expect(
      routeRequest('revocation', { at: '2022-05-02', province: 'ha-tinh' }).reasons[0]!.citation.ruleId,
    ).toBe('ha-tinh.request.route');
    const after = routeRequest('revocation', { at: '2026-05-04', province: 'ha-tinh' });
    expect(after.reasons[0]!.citation.ruleId).toBe('request.route');
    expect(after.staleCitations).toEqual([
      { ruleId: 'ha-tinh.request.route', cites: 'tt-185-2019', replacedBy: 'nd-68-2024' },
    ]);
  });
});

describe('lao-cai.request.coordination: Lào Cai Điều 9 khoản 2, "phối hợp với Sở Thông tin và Truyền thông thực hiện thủ tục cấp phát, gia hạn, thu hồi"', () => {
  it('names the office for issue, renewal and revocation, not for token recovery', () => {
    expect(routeRequest('issue', { at: '2020-03-02', province: 'lao-cai' }).coordinateWith).toBe(
      'Sở Thông tin và Truyền thông tỉnh Lào Cai',
    );
    expect(
      routeRequest('token-recovery', { at: '2026-03-02', province: 'lao-cai' }).coordinateWith,
    ).toBeNull();
  });
});

describe('dien-bien.request.route: Điện Biên draft Điều 15, "Gửi, nhận văn bản yêu cầu chứng thực, thiết bị lưu khóa bí mật"', () => {
  it('is used only when drafts are asked for', () => {
    expect(
      routeRequest('issue', { at: '2026-01-05', province: 'dien-bien' }).reasons[0]!.citation.ruleId,
    ).toBe('request.route');
    expect(
      routeRequest('issue', { at: '2026-01-05', province: 'dien-bien', includeDrafts: true }).reasons[0]!
        .citation.ruleId,
    ).toBe('dien-bien.request.route');
  });
});
