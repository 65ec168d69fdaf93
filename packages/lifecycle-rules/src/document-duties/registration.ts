import { addWorkingDays } from '../calendar/holidays.js';
import { parseIsoDate, vietnamDate } from '../dates.js';
import { RulesError } from '../errors.js';
import { noRuleEncoded, type Reason, statementOf } from '../reason.js';
import { parseProvince, rulesAt } from '../rules/registry.js';

/** When an incoming document must be registered and forwarded. */
export interface RegistrationDeadline {
  /** The day it was received (Vietnam date). */
  receivedOn: string;
  /** `immediately` for an urgent document; else the last day (the next working day); null with no rule. */
  latest: 'immediately' | string | null;
  reasons: Reason[];
}

/**
 * The deadline to register, present and forward an incoming document received at `receivedAt`
 * (ISO 8601): the same day, at the latest the next working day; an urgent one as soon as received
 * (Nghị định 30/2020/NĐ-CP Điều 4 khoản 2 điểm c and Điều 23 khoản 1).
 */
export function incomingRegistrationDeadline(
  receivedAt: string,
  options: { urgent?: boolean; province?: string },
): RegistrationDeadline {
  const instant = new Date(receivedAt);
  if (Number.isNaN(instant.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(receivedAt)) {
    throw new RulesError('RULES_INVALID_INPUT', `receivedAt must be an ISO 8601 time, not "${receivedAt}"`, {
      messageVi: `receivedAt phải là thời điểm theo ISO 8601, không phải "${receivedAt}"`,
    });
  }
  const receivedOn = parseIsoDate(vietnamDate(instant), 'receivedAt');
  const province = parseProvince(options.province);
  const rules = rulesAt(receivedOn, province).filter((r) => r.check === 'document.registration');
  if (rules.length === 0)
    return {
      receivedOn,
      latest: null,
      reasons: [
        noRuleEncoded({ vi: 'đăng ký văn bản đến', en: 'registering incoming documents' }, receivedOn),
      ],
    };
  const days = Math.min(...rules.map((r) => r.params.latestWorkingDaysAfterReceipt as number));
  return {
    receivedOn,
    latest: options.urgent ? 'immediately' : addWorkingDays(receivedOn, days),
    reasons: rules.map(statementOf),
  };
}
