import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  holidaysOf,
  isWorkingDay,
  lunarToSolar,
  solarToLunar,
  workingDaysBetween,
} from '../src/index.js';

/** Tết Nguyên Đán (1/1 lunar) as published in Vietnamese calendars. */
const TET: Record<number, string> = {
  1985: '1985-01-21',
  2000: '2000-02-05',
  2001: '2001-01-24',
  2002: '2002-02-12',
  2003: '2003-02-01',
  2004: '2004-01-22',
  2005: '2005-02-09',
  2006: '2006-01-29',
  2007: '2007-02-17',
  2008: '2008-02-07',
  2009: '2009-01-26',
  2010: '2010-02-14',
  2011: '2011-02-03',
  2012: '2012-01-23',
  2013: '2013-02-10',
  2014: '2014-01-31',
  2015: '2015-02-19',
  2016: '2016-02-08',
  2017: '2017-01-28',
  2018: '2018-02-16',
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-02',
};

/** Giỗ Tổ Hùng Vương (10/3 lunar) as published. */
const HUNG_KINGS: Record<number, string> = {
  2019: '2019-04-14',
  2020: '2020-04-02',
  2021: '2021-04-21',
  2022: '2022-04-10',
  2023: '2023-04-29',
  2024: '2024-04-18',
  2025: '2025-04-07',
  2026: '2026-04-26',
};

describe('the Vietnamese lunar calendar (UTC+7)', () => {
  it.each(Object.entries(TET))('Tết %s falls on %s', (year, date) => {
    expect(lunarToSolar({ day: 1, month: 1, year: Number(year), leap: false })).toBe(date);
  });

  it.each(Object.entries(HUNG_KINGS))('Giỗ Tổ Hùng Vương %s falls on %s', (year, date) => {
    expect(lunarToSolar({ day: 10, month: 3, year: Number(year), leap: false })).toBe(date);
  });

  it('differs from the Chinese calendar (UTC+8) where it should: 1985, 2007, 2030', () => {
    // Chinese New Year: 1985-02-20, 2007-02-18, 2030-02-03.
    expect(lunarToSolar({ day: 1, month: 1, year: 1985, leap: false }, 8)).toBe('1985-02-20');
    expect(lunarToSolar({ day: 1, month: 1, year: 2007, leap: false }, 8)).toBe('2007-02-18');
    expect(lunarToSolar({ day: 1, month: 1, year: 2030, leap: false }, 8)).toBe('2030-02-03');
    expect(TET[1985]).not.toBe('1985-02-20');
  });

  it('knows leap months (2023 had a leap 2nd month) and round-trips every day of 2020–2030', () => {
    expect(lunarToSolar({ day: 1, month: 2, year: 2023, leap: true })).toBe('2023-03-22');
    expect(lunarToSolar({ day: 1, month: 5, year: 2023, leap: true })).toBeNull();
    for (let t = Date.UTC(2020, 0, 1); t <= Date.UTC(2030, 11, 31); t += 86_400_000) {
      const d = new Date(t);
      const lunar = solarToLunar(d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear());
      expect(lunarToSolar(lunar)).toBe(d.toISOString().slice(0, 10));
    }
  });
});

describe('public holidays and working days', () => {
  it('uses the announced 2026 Tết schedule: 16–20 February', () => {
    const tet = holidaysOf(2026).filter((h) => h.name.en.startsWith('Lunar'));
    expect(tet.map((h) => h.date)).toEqual([
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
    ]);
  });

  it('gives a compensatory day when a holiday falls on a Sunday (Giỗ Tổ 2026, 26 April)', () => {
    const days = holidaysOf(2026);
    expect(days.find((h) => h.date === '2026-04-26')?.kind).toBe('holiday');
    expect(days.find((h) => h.date === '2026-04-27')).toMatchObject({ kind: 'compensatory' });
    expect(isWorkingDay('2026-04-27')).toBe(false);
    expect(isWorkingDay('2026-04-28')).toBe(true);
  });

  it('counts from the last working day before Tết to the first one after', () => {
    expect(isWorkingDay('2026-02-13')).toBe(true);
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-23');
    expect(workingDaysBetween('2026-02-13', '2026-02-23')).toBe(1);
    expect(addWorkingDays('2026-02-23', -1)).toBe('2026-02-13');
  });

  it('rests on Saturdays and Sundays, and counts periods from the next day', () => {
    expect(isWorkingDay('2026-11-21')).toBe(false);
    expect(isWorkingDay('2026-11-22')).toBe(false);
    expect(addWorkingDays('2026-11-20', 3)).toBe('2026-11-25');
    expect(addWorkingDays('2026-11-21', 0)).toBe('2026-11-23');
    expect(workingDaysBetween('2026-11-20', '2026-11-27')).toBe(5);
  });

  it('computes a default schedule for years without an announced one', () => {
    const days = holidaysOf(2027).map((h) => h.date);
    expect(days).toContain('2027-01-01');
    expect(days).toContain('2027-02-05'); // Tết eve (Tết is 6 February)
    expect(days).toContain('2027-04-16'); // Giỗ Tổ
    expect(days).toContain('2027-09-02');
  });

  it('refuses dates that do not exist, naming the format', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => addWorkingDays('22/11/2026', 1)).toThrow(/RULES_INVALID_DATE|YYYY-MM-DD/);
  });
});
