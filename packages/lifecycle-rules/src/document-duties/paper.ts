import { parseIsoDate } from '../dates.js';
import { type Reason, statementOf } from '../reason.js';
import { parseProvince, rulesAt } from '../rules/registry.js';

/** The documents Lào Cai Điều 5 khoản 4 sends on paper as well. */
export const PAPER_CATEGORIES = [
  'to-government',
  'organisation-or-personnel-decision',
  'licensing-or-award',
  'budget-allocation',
  'paper-required-by-law',
  'receiver-needs-paper',
] as const;

/** A kind of document that must also go on paper. */
export type PaperCategory = (typeof PAPER_CATEGORIES)[number];

/** Whether a document also goes on paper, and whether the receiver may wait for it. */
export interface PaperDuties {
  /** true when a rule in force lists one of its categories; null when no rule here speaks of paper. */
  alsoOnPaper: boolean | null;
  /** true when a rule says a compliant e-document is handled without waiting for the paper copy. */
  actWithoutWaitingForPaper: boolean | null;
  reasons: Reason[];
}

/**
 * The paper duties of a document on `at` in `province`: whether it must also be sent on paper
 * (Lào Cai Điều 5 khoản 4), and that the receiver acts on a compliant e-document without waiting for
 * the paper (Điều 5 khoản 5).
 */
export function paperDuties(
  categories: readonly PaperCategory[],
  options: { at: string; province?: string },
): PaperDuties {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  const rules = rulesAt(at, province).filter((r) => r.check === 'document.paper');
  const listing = rules.filter((r) => Array.isArray(r.params.categories));
  const noWaiting = rules.filter((r) => !Array.isArray(r.params.categories));
  const listed = listing.filter((r) =>
    (r.params.categories as string[]).some((c) => categories.includes(c as PaperCategory)),
  );
  return {
    alsoOnPaper: listing.length === 0 ? null : listed.length > 0,
    actWithoutWaitingForPaper: noWaiting.length === 0 ? null : true,
    reasons: [...listed, ...noWaiting].map(statementOf),
  };
}
