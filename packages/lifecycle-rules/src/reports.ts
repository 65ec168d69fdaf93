import { addDays } from './dates.js';
import { citationOf, parseProvince, rulesAt } from './rules/registry.js';
import type { Citation } from './rules/types.js';

/** One report due. */
export interface ReportDue {
  ruleId: string;
  /** The last day the report may be sent (the day before the "before" date). */
  due: string;
  name: { vi: string; en: string };
  citation: Citation;
}

/** The reports a province requires in `year`, in date order. */
export function reportingCalendar(year: number, provinceId: string): ReportDue[] {
  const province = parseProvince(provinceId)!;
  const out: ReportDue[] = [];
  const rules = rulesAt(`${year}-12-31`, province).filter(
    (r) => r.check === 'report.schedule' && r.jurisdiction === province,
  );
  for (const rule of rules) {
    const citation = citationOf(rule);
    if (rule.params.frequency === 'quarterly') {
      const day = String(rule.params.beforeDay).padStart(2, '0');
      for (const [q, month] of [
        [1, '03'],
        [2, '06'],
        [3, '09'],
        [4, '12'],
      ] as const) {
        const before = `${year}-${month}-${day}`;
        if (before < rule.period.from) continue;
        out.push({
          ruleId: rule.id,
          due: addDays(before, -1),
          name: { vi: `Báo cáo quý ${q}`, en: `Quarter ${q} report` },
          citation,
        });
      }
    }
    for (const md of (rule.params.dueBefore as string[] | undefined) ?? []) {
      const before = `${year}-${md}`;
      if (before < rule.period.from) continue;
      const half = md.startsWith('06');
      out.push({
        ruleId: rule.id,
        due: addDays(before, -1),
        name: half
          ? { vi: 'Báo cáo 6 tháng', en: 'Half-year report' }
          : { vi: 'Báo cáo năm', en: 'Annual report' },
        citation,
      });
    }
  }
  return out.sort((a, b) => a.due.localeCompare(b.due));
}
