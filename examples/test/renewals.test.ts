import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { addDays, vietnamDate } from '@kyso/lifecycle-rules';
import {
  createSoftHsmToken,
  createTestPki,
  type IssuedCertificate,
  personalSubject,
  type SoftHsmToken,
  TEST_SUBJECTS,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const script = join(import.meta.dirname, '..', 'renewals', 'renewals.mjs');
// A Friday; the PKI is built around it, and the answers are asked for that day (no clock read).
const AT = '2026-11-20';
let pki: TestPki;
let token: SoftHsmToken;
let folder: string;
let soon: IssuedCertificate;
let early: IssuedCertificate;

interface Line {
  commonName: string;
  kind: string;
  source: string;
  notAfter: string;
  allowed: boolean | null;
  latestRequestDate: string | null;
  handledBy: string | null;
  workingDays: number | null;
  doneByIfRequestedToday: string | null;
  doneByIfRequestedOnLastDay: string | null;
  copyTo: string | null;
}
interface Plan {
  province: string | null;
  certificates: Line[];
}

async function renewals(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = await promisify(execFile)(process.execPath, [script, '--at', AT, ...args], {
    env: { ...process.env, ...env },
  });
  return r.stdout;
}

beforeAll(async () => {
  pki = await createTestPki({ now: new Date(`${AT}T02:00:00Z`) });
  // 20 days left: the last day (30 days before expiry) has passed. 51 days left: still open.
  soon = await pki.subCa.issue({
    name: 'sap-het-han',
    subject: personalSubject('Đỗ Văn Hải', '025080000200'),
    profile: 'personal',
    notAfter: new Date('2026-12-10T16:00:00Z'),
  });
  early = await pki.subCa.issue({
    name: 'co-quan-gia-han',
    subject: TEST_SUBJECTS.organisation,
    profile: 'organisation',
    notAfter: new Date('2027-01-10T16:00:00Z'),
  });
  folder = join(pki.dir, 'chung-thu');
  mkdirSync(folder);
  writeFileSync(join(folder, 'sap-het-han.pem'), soon.pem);
  writeFileSync(join(folder, 'co-quan.cer'), early.der);
  writeFileSync(join(folder, 'goc.pem'), pki.root.certificate.pem);
  writeFileSync(join(folder, 'ghi-chu.txt'), 'không phải chứng thư');
  token = await createSoftHsmToken(pki);
});
afterAll(() => {
  token?.cleanup();
  pki?.cleanup();
});

describe('certificates due for renewal', () => {
  it('reads DER and PEM from a folder, leaves out the CA, and gives the last request day in every province', async () => {
    const { plans } = JSON.parse(await renewals(['--certs', folder, '--json'])) as { plans: Plan[] };
    expect(plans.map((p) => p.province)).toEqual([
      null,
      'son-la',
      'phu-tho',
      'ha-tinh',
      'lao-cai',
      'dien-bien',
    ]);
    for (const plan of plans) {
      expect(
        plan.certificates.map((c) => [c.commonName, c.notAfter, c.latestRequestDate, c.allowed]),
      ).toEqual([
        ['Đỗ Văn Hải', '2026-12-10', '2026-11-10', false],
        ['Sở Khoa học và Công nghệ tỉnh Phú Thọ', '2027-01-10', '2026-12-11', true],
      ]);
    }
    const phuTho = plans.find((p) => p.province === 'phu-tho')!.certificates[1]!;
    // Phú Thọ Điều 5 khoản 4: the Department handles it in 3 working days (Fri 20/11 → Wed 25/11;
    // Fri 11/12 → Wed 16/12).
    expect(phuTho).toMatchObject({
      handledBy: 'Sở Khoa học và Công nghệ tỉnh Phú Thọ',
      workingDays: 3,
      doneByIfRequestedToday: '2026-11-25',
      doneByIfRequestedOnLastDay: '2026-12-16',
    });
    const sonLa = plans.find((p) => p.province === 'son-la')!.certificates[1]!;
    expect(sonLa).toMatchObject({
      handledBy: 'Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ',
      copyTo: 'Sở Khoa học và Công nghệ tỉnh Sơn La',
      workingDays: null,
    });
  });

  it('--within keeps the certificates whose last day is near or passed, and prints both languages', async () => {
    const vi = await renewals(['--certs', folder, '--province', 'phu-tho', '--within', '10']);
    expect(vi).toContain('Chứng thư số cần gia hạn, tính đến ngày 2026-11-20');
    expect(vi).toContain('- Đỗ Văn Hải [personal]');
    expect(vi).toContain('hạn cuối đề nghị gia hạn 2026-11-10 (đã qua)');
    expect(vi).not.toContain('Sở Khoa học và Công nghệ tỉnh Phú Thọ [organisation]');
    const en = await renewals(['--certs', folder, '--province', 'phu-tho', '--lang', 'en']);
    expect(en).toContain('last day to request renewal 2026-12-11');
    expect(en).toContain('processing deadline: 3 working days');
    expect(en).toContain('if requested on the last day, done by 2026-12-16');
  });

  it('reads the certificates of a SoftHSM2 token without a PIN', async () => {
    const out = await renewals(['--module', token.modulePath, '--province', 'phu-tho', '--json'], token.env);
    const [plan] = (JSON.parse(out) as { plans: Plan[] }).plans;
    const lines = plan!.certificates;
    expect(lines).toHaveLength(2);
    for (const [line, key] of [
      [lines[0]!, token.keys.rsa],
      [lines[1]!, token.keys.ec],
    ] as const) {
      const notAfter = vietnamDate(key.certificate.notAfter);
      expect(line.source).toBe(`token:${key.label}`);
      expect(line.notAfter).toBe(notAfter);
      expect(line.latestRequestDate).toBe(addDays(notAfter, -30));
      expect(line.workingDays).toBe(3);
    }
  });
});
