import { parseIsoDate } from '../dates.js';
import { noRuleEncoded, type Reason, statementOf } from '../reason.js';
import { parseProvince, rulesAt } from '../rules/registry.js';

/** What each side does when an e-document is recalled. */
export interface RecallSteps {
  /** The sender announces the recall in the system (Lào Cai Điều 8 khoản 5). */
  sender: Reason[];
  /** The receiver deletes the recalled document and reports back (Nghị định 30/2020/NĐ-CP Điều 18 khoản 4 điểm b; Lào Cai Điều 6 khoản 3). */
  receiver: Reason[];
}

/**
 * The steps of recalling an e-document on `at` in `province`: the receiver deletes it in the system
 * and tells the sender it did; where the province says so, the sender announces the recall there.
 */
export function recallSteps(options: { at: string; province?: string }): RecallSteps {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  const rules = rulesAt(at, province).filter((r) => r.check === 'document.recall');
  const receiver = rules.filter((r) => Array.isArray(r.params.receiver)).map(statementOf);
  const sender = rules.filter((r) => Array.isArray(r.params.sender)).map(statementOf);
  return {
    sender,
    receiver:
      receiver.length > 0
        ? receiver
        : [noRuleEncoded({ vi: 'thu hồi văn bản điện tử', en: 'recalling an e-document' }, at)],
  };
}
