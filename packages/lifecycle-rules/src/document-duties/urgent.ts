import { parseIsoDate } from '../dates.js';
import { type Reason, statementOf } from '../reason.js';
import { parseProvince, rulesAt } from '../rules/registry.js';

/** What an urgent e-document asks of each side. */
export interface UrgentDuties {
  /** The sender: extra organisation signature at the urgency mark, priority flag, send at once. */
  sender: Reason[];
  /** The receiver: register, present and forward at once. */
  receiver: Reason[];
}

const SENDER_CHECKS = ['document.urgent', 'document.urgent-handling', 'document.issue-deadline'];
const RECEIVER_CHECKS = ['document.urgent-handling', 'document.registration'];

/**
 * The duties an urgent e-document starts on `at` in `province`: nationally, issued and sent as soon
 * as signed (Nghị định 30/2020/NĐ-CP Điều 18 khoản 1) and registered and forwarded as soon as
 * received (Điều 4 khoản 2 điểm c, Điều 23 khoản 1); in Lào Cai also the priority flag, the stated
 * urgency, the red urgency-stamp image and the extra organisation signature (Điều 5 khoản 2 điểm b).
 */
export function urgentDocumentDuties(options: { at: string; province?: string }): UrgentDuties {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  const rules = rulesAt(at, province);
  return {
    sender: rules.filter((r) => SENDER_CHECKS.includes(r.check)).map(statementOf),
    receiver: rules.filter((r) => RECEIVER_CHECKS.includes(r.check)).map(statementOf),
  };
}
