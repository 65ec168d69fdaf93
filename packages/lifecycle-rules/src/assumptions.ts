import { RulesError } from './errors.js';
import type { RuleRecord } from './rules/types.js';

/** An assumption a decision rests on, and the value it took. */
export interface AppliedAssumption {
  ruleId: string;
  param: string;
  value: number | string | boolean;
  /** Whether the caller gave the value (else it is kyso's documented default). */
  overridden: boolean;
  vi: string;
  en: string;
}

/**
 * A rule's assumptions (values no text fixes) with the caller's overrides applied, to be reported
 * with the answer. An hour out of 0–24 is misuse.
 */
export function applyAssumptions(
  rule: RuleRecord,
  overrides: { latestHourNextWorkingDay?: number },
): AppliedAssumption[] {
  return (rule.assumptions ?? []).map((a) => {
    const given = (overrides as Record<string, number | undefined>)[a.param];
    if (given !== undefined && (!Number.isInteger(given) || given < 0 || given > 24)) {
      throw new RulesError(
        'RULES_INVALID_INPUT',
        `${a.param} must be a whole hour from 0 to 24, not ${given}`,
        {
          messageVi: `${a.param} phải là số giờ nguyên từ 0 đến 24, không phải ${given}`,
        },
      );
    }
    return {
      ruleId: rule.id,
      param: a.param,
      value: given ?? (rule.params[a.param] as number | string | boolean),
      overridden: given !== undefined,
      vi: a.vi,
      en: a.en,
    };
  });
}
