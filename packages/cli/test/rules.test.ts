import { createTestPki, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';
import { capture } from './support/capture.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki({ now: new Date('2026-11-22T03:00:00Z') });
});
afterAll(() => pki?.cleanup());

describe('kyso rules', () => {
  it('cert --json gives daysRemaining, renewal and informationChange with citations', async () => {
    const c = capture();
    expect(
      await runCli(
        [
          'rules',
          'cert',
          pki.leaves.personal.certPath,
          '--at',
          '2028-10-01',
          '--province',
          'phu-tho',
          '--json',
        ],
        c.io,
      ),
    ).toBe(0);
    const r = JSON.parse(c.out());
    expect(r.certificate.kind).toBe('personal');
    expect(typeof r.daysRemaining).toBe('number');
    expect(r.renewal).toMatchObject({ allowed: true, maxYears: 3 });
    expect(r.renewal.latestRequestDate).toMatch(/^2028-10-2\d$/);
    expect(r.renewal.reasons[0].citation.text).toBe('Nghị định 68/2024/NĐ-CP, Điều 12');
    expect(r.informationChange).toHaveProperty('allowed', true);
    const used = capture();
    await runCli(
      ['rules', 'cert', pki.leaves.personal.certPath, '--at', '2028-10-01', '--renewals-used', '1', '--json'],
      used.io,
    );
    expect(JSON.parse(used.out()).renewal.allowed).toBe(false);
  });

  it('cert prints a readable answer in Vietnamese', async () => {
    const c = capture();
    expect(
      await runCli(['rules', 'cert', pki.leaves.organisation.certPath, '--at', '2026-12-01'], c.io),
    ).toBe(0);
    expect(c.out()).toContain('Gia hạn: được');
    expect(c.out()).toContain('(Nghị định 68/2024/NĐ-CP, Điều 12)');
  });

  it('holidays --json lists {date, name, kind} with compensatory days', async () => {
    const c = capture();
    expect(await runCli(['rules', 'holidays', '2026', '--json'], c.io)).toBe(0);
    const days = JSON.parse(c.out());
    expect(days).toContainEqual({ date: '2026-02-17', name: 'Tết Nguyên Đán', kind: 'holiday' });
    expect(days).toContainEqual({
      date: '2026-04-27',
      name: 'Nghỉ bù Giỗ Tổ Hùng Vương',
      kind: 'compensatory',
    });
  });

  it('workdays add crosses Tết', async () => {
    const c = capture();
    expect(await runCli(['rules', 'workdays', 'add', '2026-02-13', '1', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toEqual({ date: '2026-02-23' });
  });

  it('calendar lists the reports a province requires', async () => {
    const c = capture();
    expect(await runCli(['rules', 'calendar', '2026', '--province', 'ha-tinh', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out()).map((r: { due: string }) => r.due)).toEqual(['2026-06-16', '2026-12-16']);
  });

  it('list shows the regime of the date asked for', async () => {
    const before = capture();
    await runCli(['rules', 'list', '--at', '2023-01-01', '--json'], before.io);
    const after = capture();
    await runCli(['rules', 'list', '--at', '2025-01-01', '--json'], after.io);
    const renewal = (text: string) =>
      JSON.parse(text).find((r: { id: string }) => r.id === 'cert.renewal.conditions');
    expect(renewal(before.out()).params.minRemainingDays).toBe(60);
    expect(renewal(after.out()).params.minRemainingDays).toBe(30);
  });

  it('exits 2 naming the accepted values for an unknown province, a date that does not exist, or a file that is no certificate', async () => {
    const p = capture();
    expect(await runCli(['rules', 'list', '--province', 'ha-noi'], p.io)).toBe(2);
    expect(p.err()).toContain('son-la, phu-tho, ha-tinh, lao-cai, dien-bien');
    const d = capture();
    expect(await runCli(['rules', 'workdays', 'add', '2026-02-30', '1'], d.io)).toBe(2);
    expect(d.err()).toContain('YYYY-MM-DD');
    const f = capture();
    expect(await runCli(['rules', 'cert', pki.subCa.crlPath], f.io)).toBe(2);
  });
});
