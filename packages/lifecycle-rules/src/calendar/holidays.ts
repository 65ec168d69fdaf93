import { addDays, type IsoDate, parseIsoDate, weekday } from '../dates.js';
import { lunarToSolar } from './lunar.js';
import overridesData from './overrides.json';

/**
 * The public holidays of civil servants in Vietnam: Bộ luật Lao động 2019, Điều 112 (New Year, five
 * days of Tết Nguyên Đán, Giỗ Tổ Hùng Vương on the 10th of the 3rd lunar month, 30 April, 1 May,
 * 2 September and a day next to it), with a compensatory day on the next working day when a
 * holiday falls on a weekly rest day (Điều 111 khoản 3), Saturdays and Sundays being the rest days
 * of state agencies (Quyết định 188/1999/QĐ-TTg, Điều 1). The Prime Minister fixes the concrete
 * Tết and National Day dates each year (Điều 112 khoản 3): those schedules are data, in
 * `overrides.json`, and win over the default computed here.
 */

/** One day off. */
export interface Holiday {
  date: IsoDate;
  name: { vi: string; en: string };
  /** `holiday`: the day itself; `compensatory`: a day off in place of a holiday on a rest day. */
  kind: 'holiday' | 'compensatory';
}

/** A year's schedule as the government announced it. */
export interface YearOverride {
  year: number;
  /** Days off replacing the computed ones with the same names (`tet`, `national-day`, …). */
  replace?: Record<string, IsoDate[]>;
  /** Extra days off (swapped working days). */
  extraDaysOff?: { date: IsoDate; name: { vi: string; en: string } }[];
  /** Saturdays or Sundays made working days to make up for swapped days. */
  makeUpWorkdays?: IsoDate[];
  source: string;
}

const NAMES = {
  'new-year': { vi: 'Tết Dương lịch', en: "New Year's Day" },
  tet: { vi: 'Tết Nguyên Đán', en: 'Lunar New Year (Tết)' },
  'hung-kings': { vi: 'Giỗ Tổ Hùng Vương', en: 'Hùng Kings Commemoration' },
  reunification: { vi: 'Ngày Chiến thắng', en: 'Reunification Day' },
  labour: { vi: 'Ngày Quốc tế lao động', en: 'International Labour Day' },
  'national-day': { vi: 'Quốc khánh', en: 'National Day' },
} as const;

type HolidayKey = keyof typeof NAMES;

const OVERRIDES = new Map<number, YearOverride>((overridesData as YearOverride[]).map((o) => [o.year, o]));

function iso(y: number, m: number, d: number): IsoDate {
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The Tết days by default: the last day of the lunar year and the first four of the new one. */
function defaultTet(year: number): IsoDate[] {
  const first = lunarToSolar({ day: 1, month: 1, year, leap: false })!;
  return [addDays(first, -1), first, addDays(first, 1), addDays(first, 2), addDays(first, 3)];
}

/**
 * 2 September and the adjacent day by default: the neighbour that joins the holiday to a weekend
 * (as the schedules of 2021–2025 did), or 3 September otherwise.
 */
function defaultNationalDay(year: number): IsoDate[] {
  const second = iso(year, 9, 2);
  const wd = weekday(second);
  const before = iso(year, 9, 1);
  const after = iso(year, 9, 3);
  // Tuesday, Friday, Saturday: the day before touches the weekend or the holiday block.
  const adjacent = wd === 2 || wd === 5 || wd === 6 ? before : after;
  return [second, adjacent].sort();
}

function computed(year: number): Record<HolidayKey, IsoDate[]> {
  return {
    'new-year': [iso(year, 1, 1)],
    tet: defaultTet(year),
    'hung-kings': [lunarToSolar({ day: 10, month: 3, year, leap: false })!],
    reunification: [iso(year, 4, 30)],
    labour: [iso(year, 5, 1)],
    'national-day': defaultNationalDay(year),
  };
}

const cache = new Map<number, { holidays: Holiday[]; makeUp: Set<IsoDate> }>();

function schedule(year: number): { holidays: Holiday[]; makeUp: Set<IsoDate> } {
  const hit = cache.get(year);
  if (hit) return hit;
  const override = OVERRIDES.get(year);
  const days = computed(year);
  for (const [key, dates] of Object.entries(override?.replace ?? {})) days[key as HolidayKey] = dates;
  const replaced = new Set(Object.keys(override?.replace ?? {}));
  const holidays: (Holiday & { announced: boolean })[] = [];
  for (const [key, dates] of Object.entries(days) as [HolidayKey, IsoDate[]][]) {
    for (const date of dates)
      holidays.push({ date, name: NAMES[key], kind: 'holiday', announced: replaced.has(key) });
  }
  for (const extra of override?.extraDaysOff ?? []) {
    holidays.push({ date: extra.date, name: extra.name, kind: 'compensatory', announced: true });
  }
  const makeUp = new Set(override?.makeUpWorkdays ?? []);
  // Điều 111 khoản 3: a holiday on a weekly rest day gives the next working day off. Announced
  // schedules already place those days, so only computed holidays get them here.
  {
    const taken = new Set(holidays.map((h) => h.date));
    for (const h of [...holidays].sort((a, b) => a.date.localeCompare(b.date))) {
      if (h.announced || h.kind !== 'holiday') continue;
      const wd = weekday(h.date);
      if (wd !== 0 && wd !== 6) continue;
      let next = addDays(h.date, 1);
      while (weekday(next) === 0 || weekday(next) === 6 || taken.has(next)) next = addDays(next, 1);
      taken.add(next);
      holidays.push({
        date: next,
        name: { vi: `Nghỉ bù ${h.name.vi}`, en: `In lieu of ${h.name.en}` },
        kind: 'compensatory',
        announced: false,
      });
    }
  }
  holidays.sort((a, b) => a.date.localeCompare(b.date));
  const result = { holidays: holidays.map(({ announced: _, ...h }) => h), makeUp };
  cache.set(year, result);
  return result;
}

/** The days off of `year` (holidays and compensatory days), in date order. */
export function holidaysOf(year: number): Holiday[] {
  if (!Number.isInteger(year) || year < 1900 || year > 2199) {
    throw new RangeError(`the holiday calendar covers 1900–2199, not ${year}`);
  }
  return schedule(year).holidays;
}

/** Whether `date` is a working day of state agencies. */
export function isWorkingDay(date: IsoDate): boolean {
  parseIsoDate(date);
  const year = Number(date.slice(0, 4));
  const { holidays, makeUp } = schedule(year);
  if (makeUp.has(date)) return true;
  const wd = weekday(date);
  if (wd === 0 || wd === 6) return false;
  return !holidays.some((h) => h.date === date);
}

/**
 * The date `n` working days after `date` (before it when `n` is negative), counting from the day
 * after, as Bộ luật Dân sự 2015 Điều 147 counts periods. `addWorkingDays(d, 0)` is `d` itself when
 * it is a working day, else the next working day.
 */
export function addWorkingDays(date: IsoDate, n: number): IsoDate {
  parseIsoDate(date);
  let current = date;
  if (n === 0) {
    while (!isWorkingDay(current)) current = addDays(current, 1);
    return current;
  }
  const step = n > 0 ? 1 : -1;
  let left = Math.abs(n);
  while (left > 0) {
    current = addDays(current, step);
    if (isWorkingDay(current)) left -= 1;
  }
  return current;
}

/** Working days after `from` up to and including `to` (negative when `to` is earlier). */
export function workingDaysBetween(from: IsoDate, to: IsoDate): number {
  parseIsoDate(from);
  parseIsoDate(to);
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) count += 1;
  return count;
}
