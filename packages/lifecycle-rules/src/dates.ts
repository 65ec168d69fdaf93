import { RulesError } from './errors.js';

/**
 * Civil dates as `YYYY-MM-DD` strings: rules speak of days, not instants, and a date string cannot
 * shift with a time zone. Arithmetic goes through UTC midnight.
 */
export type IsoDate = string;

const DAY = 86_400_000;

/** Checks that `text` is a real calendar date (`2025-02-29` is not) and returns it. */
export function parseIsoDate(text: string, what = 'date'): IsoDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (
    !m ||
    !d ||
    d.getUTCFullYear() !== Number(m[1]) ||
    d.getUTCMonth() !== Number(m[2]) - 1 ||
    d.getUTCDate() !== Number(m[3])
  ) {
    throw new RulesError(
      'RULES_INVALID_DATE',
      `${what} must be a real date written YYYY-MM-DD, not "${text}"`,
      {
        messageVi: `${what} phải là ngày có thật, viết theo dạng YYYY-MM-DD, không phải "${text}"`,
      },
    );
  }
  return text;
}

/** Milliseconds of UTC midnight of a date. */
export function toTime(date: IsoDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

/** The date of an instant in Vietnam (UTC+7). */
export function vietnamDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(toTime(date) + days * DAY).toISOString().slice(0, 10);
}

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toTime(b) - toTime(a)) / DAY);
}

/** Day of the week, 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  return new Date(toTime(date)).getUTCDay();
}

/** `date` plus whole years, clamped to the month's end (29 February + 1 year = 28 February). */
export function addYears(date: IsoDate, years: number): IsoDate {
  const y = Number(date.slice(0, 4)) + years;
  const m = Number(date.slice(5, 7));
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const d = Math.min(Number(date.slice(8, 10)), lastDay);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
