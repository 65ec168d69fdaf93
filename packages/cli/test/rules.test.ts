import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createTestPki,
  type IssuedCertificate,
  type PkiServices,
  startPkiServices,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ now: new Date('2026-11-22T03:00:00Z') });
});
afterAll(() => pki?.cleanup());

/** Runs `kyso rules <args>`: the exit code and what it printed. */
async function rules(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await runCli(['rules', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

/** Runs `kyso rules cert` on `leaf`'s certificate file, with `args`. */
const cert = (leaf: IssuedCertificate, ...args: string[]) => rules('cert', leaf.certPath, ...args);

describe('kyso rules', () => {
  it('cert --json gives daysRemaining, renewal and informationChange with citations', async () => {
    const c = await cert(pki.leaves.personal, '--at', '2028-10-01', '--province', 'phu-tho', '--json');
    expect(c.code).toBe(0);
    const r = JSON.parse(c.out);
    expect(r.certificate.kind).toBe('personal');
    expect(typeof r.daysRemaining).toBe('number');
    expect(r.renewal).toMatchObject({ allowed: true, maxYears: 3 });
    expect(r.renewal.latestRequestDate).toMatch(/^2028-10-2\d$/);
    expect(r.renewal.reasons[0].citation.text).toBe('Nghị định 68/2024/NĐ-CP, Điều 12');
    expect(r.informationChange).toHaveProperty('allowed', true);
    const used = await cert(pki.leaves.personal, '--at', '2028-10-01', '--renewals-used', '1', '--json');
    expect(JSON.parse(used.out).renewal.allowed).toBe(false);
  });

  it('cert prints a readable answer in Vietnamese', async () => {
    const c = await cert(pki.leaves.organisation, '--at', '2026-12-01');
    expect(c.code).toBe(0);
    expect(c.out).toContain('Gia hạn: được');
    expect(c.out).toContain('(Nghị định 68/2024/NĐ-CP, Điều 12)');
  });

  it('holidays --json lists {date, name, kind} with compensatory days', async () => {
    const c = await rules('holidays', '2026', '--json');
    expect(c.code).toBe(0);
    const days = JSON.parse(c.out);
    expect(days).toContainEqual({ date: '2026-02-17', name: 'Tết Nguyên Đán', kind: 'holiday' });
    expect(days).toContainEqual({
      date: '2026-04-27',
      name: 'Nghỉ bù Giỗ Tổ Hùng Vương',
      kind: 'compensatory',
    });
  });

  it('workdays add crosses Tết', async () => {
    const c = await rules('workdays', 'add', '2026-02-13', '1', '--json');
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out)).toEqual({ date: '2026-02-23' });
  });

  it('calendar lists the reports a province requires', async () => {
    const c = await rules('calendar', '2026', '--province', 'ha-tinh', '--json');
    expect(c.code).toBe(0);
    expect(JSON.parse(c.out).map((r: { due: string }) => r.due)).toEqual(['2026-06-16', '2026-12-16']);
  });

  it('list shows the regime of the date asked for', async () => {
    const before = await rules('list', '--at', '2023-01-01', '--json');
    const after = await rules('list', '--at', '2025-01-01', '--json');
    const renewal = (text: string) =>
      JSON.parse(text).find((r: { id: string }) => r.id === 'cert.renewal.conditions');
    expect(renewal(before.out).params.minRemainingDays).toBe(60);
    expect(renewal(after.out).params.minRemainingDays).toBe(30);
  });

  it('list reports the "buổi sáng" hour of Lào Cai Điều 5 khoản 1 điểm c as an assumption, and grades; documents say which start dates are unverified', async () => {
    const c = await rules('list', '--province', 'lao-cai', '--at', '2026-01-05');
    expect(c.out).toContain('Giả định (latestHourNextWorkingDay = 12):');
    expect(c.out).toContain(
      'hạng B (theo Quyết định 165/2025/QĐ-UBND (Ninh Bình), Điều 10 khoản 6 điểm a–c)',
    );
    const d = await rules('documents', '--lang', 'en');
    expect(d.out).toContain('Thông tư 185/2019/TT-BQP ngày 04/12/2019');
    expect(d.out).toContain('In force: 2019-12-04 → 2024-08-14; start date NOT verified');
  });

  it('exits 2 naming the accepted values for an unknown province, a date that does not exist, or a file that is no certificate', async () => {
    const p = await rules('list', '--province', 'ha-noi');
    expect(p.code).toBe(2);
    expect(p.err).toContain('son-la, phu-tho, ha-tinh, lao-cai, dien-bien');
    const d = await rules('workdays', 'add', '2026-02-30', '1');
    expect(d.code).toBe(2);
    expect(d.err).toContain('YYYY-MM-DD');
    expect((await rules('cert', pki.subCa.crlPath)).code).toBe(2);
  });

  it('cert answers a renewal before 15/08/2024 by the 60 days of Nghị định 130/2018 Điều 63, and an information change as "no rule encoded"', async () => {
    const c = await cert(pki.leaves.personal, '--at', '2024-03-01');
    expect(c.out).toContain('Thay đổi thông tin: chưa có quy định được mã hóa cho ngày này');
    expect(c.out).toContain('(Nghị định 130/2018/NĐ-CP, Điều 63)');
  });

  it('cert --token locked in Phú Thọ reaches the 1-working-day recovery of Điều 6 khoản 4, in Vietnamese and English', async () => {
    const args = ['--at', '2026-12-04', '--province', 'phu-tho', '--token', 'locked'];
    const json = await cert(pki.leaves.personal, ...args, '--json');
    expect(json.code).toBe(0);
    const r = JSON.parse(json.out);
    expect(r.tokenRecovery).toMatchObject({
      form: 'Mẫu số 06',
      handledBy: 'Sở Khoa học và Công nghệ tỉnh Phú Thọ',
      deadlineWorkingDays: 1,
    });
    expect(r.duties[0]).toMatchObject({ event: 'token-locked', deadline: { date: '2026-12-07' } });
    const vi = await cert(pki.leaves.personal, ...args);
    expect(vi.out).toContain(
      'Khôi phục thiết bị: Mẫu số 06; gửi Sở Khoa học và Công nghệ tỉnh Phú Thọ; trong 1 ngày làm việc',
    );
    const en = await cert(pki.leaves.personal, ...args, '--lang', 'en');
    expect(en.out).toContain(
      'Token recovery: Mẫu số 06; to Sở Khoa học và Công nghệ tỉnh Phú Thọ; within 1 working day(s)',
    );
  });

  it('cert --token lost in Hà Tĩnh in 2026 gives Nghị định 68 Điều 20 khoản 4 (Mẫu 09) and reports the 2020 rule stale', async () => {
    const c = await cert(
      pki.leaves.personal,
      '--at',
      '2026-12-04',
      '--province',
      'ha-tinh',
      '--token',
      'lost',
    );
    expect(c.out).toContain('Mẫu số 09');
    expect(c.out).not.toContain('Mẫu số 15');
    expect(c.out).toContain(
      '! Quy tắc ha-tinh.token.lost-record dựa trên tt-185-2019, văn bản đã hết hiệu lực',
    );
    expect(c.out).toContain('Phải thu hồi: device-lost (Mẫu số 05)');
  });

  it('cert --revoked-on is not renewable and sets the token hand-back date (5 working days, Nghị định 68 Điều 20)', async () => {
    const c = await cert(pki.leaves.personal, '--at', '2026-12-04', '--revoked-on', '2026-12-03', '--json');
    const r = JSON.parse(c.out);
    expect(r.renewal.allowed).toBe(false);
    expect(r.afterEnd.tokenReturnDeadline).toEqual({
      workingDays: 5,
      from: '2026-12-03',
      date: '2026-12-10',
    });
  });

  it('cert --retiring names the duty of Sơn La Điều 18 khoản 3 and the revocation it leads to; bad facts exit 2', async () => {
    const c = await cert(pki.leaves.personal, '--at', '2026-12-04', '--province', 'son-la', '--retiring');
    expect(c.out).toContain('Nghĩa vụ (retiring): báo kịp thời cho cơ quan quản lý trực tiếp');
    expect(c.out).toContain('(Quyết định 1319/QĐ-UBND (Sơn La, 2025), Điều 18, khoản 3)');
    const bad = await cert(pki.leaves.personal, '--token', 'broken');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('locked, lost, damaged');
    expect((await cert(pki.leaves.organisation, '--retiring')).code).toBe(2);
  });

  it('route: Sơn La Điều 5 sends a renewal to the CA with the copy of Điều 6 khoản 3; Phú Thọ Điều 5 khoản 4 to its department', async () => {
    const c = await rules('route', 'renewal', '--province', 'son-la', '--at', '2026-01-05');
    expect(c.code).toBe(0);
    expect(c.out).toContain('Nơi nhận: Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ');
    expect(c.out).toContain('Đồng gửi: Sở Khoa học và Công nghệ tỉnh Sơn La');
    expect(c.out).toContain('https://dichvucong.ca.gov.vn');
    const j = await rules('route', 'token-recovery', '--province', 'phu-tho', '--at', '2026-01-05', '--json');
    expect(JSON.parse(j.out)).toMatchObject({
      outcome: 'routed',
      to: 'Sở Khoa học và Công nghệ tỉnh Phú Thọ',
    });
    const old = await rules('route', 'issue', '--at', '2024-01-05', '--lang', 'en');
    expect(old.out).toContain('No rule is encoded for this date.');
    const laoCai = await rules('route', 'revocation', '--province', 'lao-cai', '--at', '2026-01-05');
    expect(laoCai.out).toContain('Phối hợp với: Sở Thông tin và Truyền thông tỉnh Lào Cai');
    expect(laoCai.out).toContain(
      '! Sở Thông tin và Truyền thông tỉnh Lào Cai nay là Sở Khoa học và Công nghệ tỉnh Lào Cai',
    );
    expect((await rules('route', 'renew')).code).toBe(2);
  });

  it('duties: a retirement in Phú Thọ (Điều 10 khoản 3) leads to revocation and the token back within 5 working days of the notice', async () => {
    const c = await rules(
      'duties',
      'retiring',
      '--kind',
      'personal',
      '--province',
      'phu-tho',
      '--at',
      '2026-02-10',
      '--revocation-notice',
      '2026-02-12',
      '--json',
    );
    const [d] = JSON.parse(c.out);
    expect(d.report).toEqual({ to: 'managing-agency', when: 'promptly' });
    expect(d.deadline).toMatchObject({ date: '2026-02-26', ruleId: 'token.return' });
  });

  it('doc: recall, scope, paper, urgent and register answer with their articles', async () => {
    const run = async (...args: string[]) => {
      const c = await rules('doc', ...args, '--at', '2026-03-02');
      expect(c.code).toBe(0);
      return c.out;
    };
    expect(await run('recall', '--province', 'lao-cai')).toContain(
      '(Quyết định 52/2019/QĐ-UBND (Lào Cai), Điều 8, khoản 5)',
    );
    expect(await run('scope', 'birth-certificate', '--province', 'lao-cai')).toContain(
      'Phạm vi: ngoài phạm vi',
    );
    expect(await run('paper', 'to-government', '--province', 'lao-cai', '--lang', 'en')).toContain(
      'Also on paper: yes',
    );
    expect(await run('urgent', '--province', 'lao-cai')).toContain('Điều 5, khoản 2 điểm b');
    expect(await run('register', '2026-11-20T17:30:00+07:00')).toContain(
      'Đăng ký, chuyển giao chậm nhất: 2026-11-23',
    );
  });

  describe('cert reads the revocation status through core (Nghị định 68/2024/NĐ-CP Điều 31 khoản 2: CRL or OCSP)', () => {
    let services: PkiServices;
    let live: TestPki;
    let crlDir: string;
    beforeAll(async () => {
      // Certificates that name a live CRL repository and OCSP responders on 127.0.0.1.
      services = await startPkiServices();
      live = services.pki;
      crlDir = join(live.dir, 'crls');
      mkdirSync(crlDir);
      writeFileSync(join(crlDir, 'root.crl'), live.root.crlDer);
      writeFileSync(join(crlDir, 'sub.crl.pem'), live.subCa.crlPem);
    });
    afterAll(() => services?.stop());
    const anchors = () => [
      '--trust',
      live.root.certificate.certPath,
      '--intermediate',
      live.subCa.certificate.certPath,
    ];
    const trust = () => [...anchors(), '--crl', crlDir];

    it('finds a certificate revoked for key compromise in the CRL, and does not call it renewable', async () => {
      const c = await cert(live.leaves.revokedKeyCompromise, ...trust(), '--json');
      expect(c.code).toBe(0);
      const r = JSON.parse(c.out);
      expect(r.revocationStatus).toMatchObject({ status: 'revoked', source: 'crl', reason: 'keyCompromise' });
      expect(r.renewal.allowed).toBe(false);
      expect(r.afterEnd.tokenReturnDeadline.from).toBe(r.revocationStatus.revokedOn);
      const text = await cert(live.leaves.revokedKeyCompromise, ...trust());
      expect(text.out).toContain('Trạng thái thu hồi: đã bị thu hồi ngày');
      expect(text.out).toContain('Gia hạn: không được');
    });

    it('reports an unrevoked certificate active, and renewable', async () => {
      const c = await cert(live.leaves.personal, ...trust(), '--json');
      const r = JSON.parse(c.out);
      expect(r.revocationStatus).toMatchObject({ status: 'good', source: 'crl' });
      expect(r.renewal.allowed).toBe(true);
    });

    it('with --ocsp asks the responder the certificate names, without a CRL at hand', async () => {
      const c = await cert(live.leaves.revokedKeyCompromise, ...anchors(), '--ocsp', '--json');
      const r = JSON.parse(c.out);
      expect(r.revocationStatus).toMatchObject({ status: 'revoked', source: 'ocsp' });
      expect(r.renewal.allowed).toBe(false);
      expect(services.requests).toContain('POST /ocsp/sub-ca');
    });

    it('needs a trust anchor to read a CRL (exit 2)', async () => {
      const c = await cert(live.leaves.personal, '--crl', crlDir);
      expect(c.code).toBe(2);
      expect(c.err).toContain('--trust');
    });
  });
});
