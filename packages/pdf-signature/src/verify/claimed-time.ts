import type { LocalizedMessage } from '@kyso/core';

/**
 * The times a signer claims (the CMS signing-time attribute, the signature dictionary's /M) are
 * reported and cross-checked, never used to validate (ETSI EN 319 102-1 §5.6: only a proof of
 * existence counts). This module reads /M and decides which time a report may show.
 */

/** Two times this close agree: clocks differ, and /M is written a moment before the timestamp. */
const AGREEMENT_MS = 5 * 60_000;
/** Vietnam's offset from UTC: the national signing tool writes local time into signing-time labelled UTC. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

/** A PDF date (`D:20260131223218+07'00'`, ISO 32000-2 §7.9.4) as a Date, or null when unreadable. */
export function parsePdfDate(m: string | null): Date | null {
  const x = m ? /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(m) : null;
  if (!x) return null;
  const tz = x[7] && x[7] !== 'Z' ? `${x[7].slice(0, 3)}:${x[7].replace(/'/g, '').slice(3, 5) || '00'}` : 'Z';
  const d = new Date(
    `${x[1]}-${x[2] ?? '01'}-${x[3] ?? '01'}T${x[4] ?? '00'}:${x[5] ?? '00'}:${x[6] ?? '00'}${tz}`,
  );
  return Number.isNaN(d.getTime()) ? null : d;
}

/** What a signature claims about its time, and what a report may show. */
export interface ClaimedTimeJudgement {
  /** The time to show: the proven one, else a claim nothing contradicts; null when the claims disagree. */
  shown: Date | null;
  /** The earliest claim, as the signer wrote it (never used to validate). */
  claimed: Date | null;
  /** Each disagreement found between the claims and the proven time. */
  warnings: LocalizedMessage[];
}

const iso = (d: Date) => d.toISOString();
const apart = (a: Date, b: Date) => Math.abs(a.getTime() - b.getTime());
/** `later` is `earlier` read as UTC although written in Vietnam's local time. */
const localTimeAsUtc = (later: Date, earlier: Date) =>
  Math.abs(later.getTime() - earlier.getTime() - VIETNAM_OFFSET_MS) <= AGREEMENT_MS;

/**
 * Cross-checks the CMS signing-time and /M against each other and against the proven time (a
 * valid signature timestamp), and picks the time a report shows: never one the others contradict.
 */
export function judgeClaimedTimes(
  claims: { cms: Date | null; pdf: Date | null },
  proven: Date | null,
): ClaimedTimeJudgement {
  const warnings: LocalizedMessage[] = [];
  const named = [
    { time: claims.cms, en: 'the CMS signing-time', vi: 'thời điểm ký trong CMS (signing-time)' },
    { time: claims.pdf, en: 'the signature dictionary /M', vi: 'thời điểm ký /M của từ điển chữ ký' },
  ].filter((c): c is { time: Date; en: string; vi: string } => c.time !== null);
  const claimed = named.length > 0 ? new Date(Math.min(...named.map((c) => c.time.getTime()))) : null;
  const explain = (a: Date, b: Date) =>
    localTimeAsUtc(a, b)
      ? {
          en: ' (7 hours later: Vietnam local time written as UTC, as the national signing tool does)',
          vi: ' (chậm 7 giờ: giờ Việt Nam được ghi như giờ UTC, như công cụ ký số quốc gia vẫn làm)',
        }
      : { en: '', vi: '' };
  if (proven) {
    for (const c of named) {
      if (apart(c.time, proven) <= AGREEMENT_MS) continue;
      // The CMS value may be /M's local time read as UTC even when both differ from the timestamp.
      const why =
        c.time === claims.cms && claims.pdf && !localTimeAsUtc(c.time, proven)
          ? explain(c.time, claims.pdf)
          : explain(c.time, proven);
      warnings.push({
        en: `${c.en} claims ${iso(c.time)}, which the signature timestamp (${iso(proven)}) contradicts${why.en}`,
        vi: `${c.vi} ghi ${iso(c.time)}, mâu thuẫn với dấu thời gian (${iso(proven)})${why.vi}`,
      });
    }
    return { shown: proven, claimed, warnings };
  }
  if (claims.cms && claims.pdf && apart(claims.cms, claims.pdf) > AGREEMENT_MS) {
    const why = explain(claims.cms, claims.pdf);
    warnings.push({
      en: `the CMS signing-time (${iso(claims.cms)}) and /M (${iso(claims.pdf)}) disagree${why.en}; neither is proven`,
      vi: `thời điểm ký trong CMS (${iso(claims.cms)}) và /M (${iso(claims.pdf)}) không khớp${why.vi}; không thời điểm nào được chứng minh`,
    });
    // Only the known pattern says which one is wrong; otherwise no claimed time is shown.
    return { shown: why.en ? claims.pdf : null, claimed, warnings };
  }
  return { shown: claims.pdf ?? claims.cms, claimed, warnings };
}
