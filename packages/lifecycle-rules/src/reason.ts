import { citationOf } from './rules/registry.js';
import type { Citation, RuleRecord } from './rules/types.js';

/** A reason in an answer: what it says, in both languages, and the rule it comes from. */
export interface Reason {
  vi: string;
  en: string;
  citation: Citation;
}

/** A reason drawn from `rule`. */
export function reasonOf(rule: RuleRecord, vi: string, en: string): Reason {
  return { vi, en, citation: citationOf(rule) };
}

/** A rule's own statement as a reason. */
export function statementOf(rule: RuleRecord): Reason {
  return reasonOf(rule, rule.statement.vi, rule.statement.en);
}

/** The reason given when no rule is encoded for a question on a date: a distinct answer, not a "no". */
export function noRuleEncoded(topic: { vi: string; en: string }, date: string): Reason {
  return {
    vi: `Không có quy định nào về ${topic.vi} được mã hóa cho ngày ${date}.`,
    en: `No rule on ${topic.en} is encoded for ${date}.`,
    citation: { ruleId: 'none', text: '—', document: '—', article: '—', textSeen: false, grade: 'C' },
  };
}
