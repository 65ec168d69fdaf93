import { parseIsoDate } from '../dates.js';
import { noRuleEncoded, type Reason, statementOf } from '../reason.js';
import { parseProvince, rulesAt } from '../rules/registry.js';

/**
 * What puts a document outside electronic signing and exchange: state secrets (Sơn La Điều 4, Hà
 * Tĩnh Điều 1 khoản 1 điểm b, Lào Cai Điều 1 khoản 2), the papers Lào Cai Điều 1 khoản 2 lists after
 * Luật Giao dịch điện tử Điều 1, and certificates of other CAs (Hà Tĩnh Điều 1 khoản 2 điểm c).
 */
export const SCOPE_EXCLUSIONS = [
  'state-secret',
  'land-use-certificate',
  'property-ownership-certificate',
  'inheritance',
  'marriage-registration',
  'divorce-decision',
  'birth-certificate',
  'death-certificate',
  'bill-of-exchange',
  'valuable-paper',
  'other-ca',
] as const;

/** A reason a document may fall outside the regulations. */
export type ScopeExclusion = (typeof SCOPE_EXCLUSIONS)[number];

/** Whether the regulations in force cover a document. */
export interface DocumentScope {
  /** false when a rule in force excludes it; null when it is a state secret and no rule here says so. */
  inScope: boolean | null;
  /** The exclusions of the facts that a rule in force names. */
  excludedBy: ScopeExclusion[];
  reasons: Reason[];
}

/**
 * Checks a document's facts against the scope exclusions in force on `at` in `province`. Only what
 * a regulation says is applied: a state secret where no encoded rule excludes it is answered
 * "no rule encoded", not "in scope".
 */
export function documentScope(
  facts: readonly ScopeExclusion[],
  options: { at: string; province?: string },
): DocumentScope {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  const rules = rulesAt(at, province).filter((r) => r.check === 'document.scope');
  const excludedBy: ScopeExclusion[] = [];
  const reasons: Reason[] = [];
  for (const rule of rules) {
    const listed = (rule.params.excludes as string[]).filter((e) => facts.includes(e as ScopeExclusion));
    if (listed.length === 0) continue;
    reasons.push(statementOf(rule));
    for (const e of listed)
      if (!excludedBy.includes(e as ScopeExclusion)) excludedBy.push(e as ScopeExclusion);
  }
  if (excludedBy.length > 0) return { inScope: false, excludedBy, reasons };
  if (facts.includes('state-secret'))
    return {
      inScope: null,
      excludedBy,
      reasons: [noRuleEncoded({ vi: 'văn bản mật', en: 'documents holding state secrets' }, at)],
    };
  return { inScope: true, excludedBy, reasons };
}
