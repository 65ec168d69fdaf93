import type { Reason, SubscriberDuty } from '@kyso/lifecycle-rules';
import type { CliIo, Lang } from '../io.js';

/**
 * What the `kyso rules` subcommands print, worded once: the JSON of `--json`, a rule's reasons with
 * the text they cite, a subscriber's duty to report and its deadline, a rule resting on a text no
 * longer in force.
 */

/** Prints `data` as indented JSON (`--json`). */
export function printJson(io: CliIo, data: unknown): void {
  io.stdout(`${JSON.stringify(data, null, 2)}\n`);
}

/** The reasons, one indented line each, with the text each cites. */
export function reasonLines(reasons: readonly Reason[], lang: Lang): string[] {
  return reasons.map((r) => `    - ${r[lang]} (${r.citation.text})`);
}

/** To whom and how soon the subscriber reports the duty's event, or that no rule says. */
export function reportWhen(duty: SubscriberDuty, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  if (!duty.report) return t('không có quy định báo cáo được mã hóa', 'no reporting rule encoded');
  return duty.report.when === 'immediately'
    ? t('báo ngay cho cơ quan quản lý trực tiếp', 'report at once to the managing agency')
    : t('báo kịp thời cho cơ quan quản lý trực tiếp', 'report promptly to the managing agency');
}

/** When the duty's next step is due, and from which day the working days count. */
export function deadlineLine(deadline: NonNullable<SubscriberDuty['deadline']>, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  return `    ${t('Hạn', 'Due')}: ${deadline.date} (${deadline.workingDays} ${t('ngày làm việc từ', 'working days from')} ${deadline.from})`;
}

/** A warning that the rule `ruleId` rests on `cites`, a text no longer in force. */
export function staleCitationLine(stale: { ruleId: string; cites: string }, lang: Lang): string {
  return lang === 'vi'
    ? `! Quy tắc ${stale.ruleId} dựa trên ${stale.cites}, văn bản đã hết hiệu lực`
    : `! Rule ${stale.ruleId} rests on ${stale.cites}, no longer in force`;
}
