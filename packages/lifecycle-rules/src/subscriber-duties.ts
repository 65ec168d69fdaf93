import { addWorkingDays } from './calendar/holidays.js';
import { parseIsoDate } from './dates.js';
import { type Reason, reasonOf, statementOf } from './reason.js';
import { isStaleOn, parseProvince, preferred, ruleAt, ruleForCheck, rulesAt } from './rules/registry.js';
import type { ProvinceId, RuleRecord } from './rules/types.js';

/**
 * What a subscriber must report to the managing agency (Sơn La Điều 18 khoản 3, Hà Tĩnh Điều 10
 * khoản 4, Phú Thọ Điều 10 khoản 3): a lost, damaged or PIN-locked token, another security
 * incident (a private key exposed or suspected exposed), a coming retirement or transfer.
 */
export const SUBSCRIBER_EVENTS = [
  'token-lost',
  'token-damaged',
  'token-locked',
  'security-incident',
  'retiring',
  'transferring',
] as const;

/** An event a subscriber must report. */
export type SubscriberEvent = (typeof SUBSCRIBER_EVENTS)[number];

/** One duty that an event starts, and what follows it. */
export interface SubscriberDuty {
  event: SubscriberEvent;
  /** To whom and how soon the subscriber reports it, where a rule of the province says; else null. */
  report: { to: 'managing-agency'; when: 'immediately' | 'promptly' } | null;
  /** The revocation case of Nghị định 68/2024/NĐ-CP Điều 17 it meets, if any. */
  revocationCase: string | null;
  /** What follows: revocation request, token hand-back or lost-token record, recovery, with deadlines. */
  then: Reason[];
  /** A date by which the next step is due, where the rules give one (token hand-back, recovery). */
  deadline: { workingDays: number; from: string; date: string; ruleId: string } | null;
  reasons: Reason[];
  /** Provincial rules applied here that rest on a national text no longer in force (reported, still applied where nothing replaces them). */
  staleRuleIds: string[];
}

/** Options of {@link subscriberDuties}. */
export interface SubscriberDutiesOptions {
  at: string;
  province?: string;
  /** The certificate's kind: retirement and transfer are cases for personal certificates only. */
  kind?: 'personal' | 'organisation' | 'device';
  /** The day the revocation notice was received: starts the token hand-back deadline. */
  revocationNoticeOn?: string;
  /** Apply draft regulations too (default false). */
  includeDrafts?: boolean;
}

const EVENT_TO_REVOCATION_CASE: Record<SubscriberEvent, string | null> = {
  'token-lost': 'device-lost',
  'token-damaged': 'device-damaged',
  'token-locked': null,
  'security-incident': 'key-compromised',
  retiring: 'retired',
  transferring: 'position-changed',
};

const EVENT_TEXT: Record<SubscriberEvent, { vi: string; en: string }> = {
  'token-lost': { vi: 'thiết bị lưu khóa bí mật bị mất', en: 'the token is lost' },
  'token-damaged': { vi: 'thiết bị lưu khóa bí mật bị hỏng', en: 'the token is damaged' },
  'token-locked': { vi: 'thiết bị bị khóa do nhập sai mật khẩu', en: 'the token is locked by wrong PINs' },
  'security-incident': {
    vi: 'khóa bí mật bị lộ hoặc nghi bị lộ',
    en: 'the private key is exposed or suspected exposed',
  },
  retiring: { vi: 'người được cấp chứng thư sắp nghỉ hưu', en: 'the holder is about to retire' },
  transferring: { vi: 'người được cấp chứng thư sắp chuyển công tác', en: 'the holder is about to transfer' },
};

function num(rule: RuleRecord | undefined, key: string): number | undefined {
  const v = rule?.params[key];
  return typeof v === 'number' ? v : undefined;
}

function str(rule: RuleRecord | undefined, key: string): string | undefined {
  const v = rule?.params[key];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The duties each event starts for a subscriber on a date, in a province: the report to the managing
 * agency (at once, or promptly, as the province's text says) and what follows it: the revocation
 * request (Mẫu số 05), the token hand-back within its working-day deadline or the lost-token record,
 * or the recovery of a locked token and the province's deadline for it. Every step is cited.
 */
export function subscriberDuties(
  events: readonly SubscriberEvent[],
  options: SubscriberDutiesOptions,
): SubscriberDuty[] {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  const drafts = { includeDrafts: options.includeDrafts === true };
  const noticeOn = options.revocationNoticeOn
    ? parseIsoDate(options.revocationNoticeOn, 'revocationNoticeOn')
    : null;
  return events.map((event) => dutyOf(event, at, province, drafts, options.kind, noticeOn));
}

function dutyOf(
  event: SubscriberEvent,
  at: string,
  province: ProvinceId | undefined,
  drafts: { includeDrafts: boolean },
  kind: SubscriberDutiesOptions['kind'],
  noticeOn: string | null,
): SubscriberDuty {
  const reportRules = rulesAt(at, province, drafts).filter(
    (r) => r.check === 'subscriber.report' && (r.params.events as string[]).includes(event),
  );
  const immediately = reportRules.some((r) => r.params.when === 'immediately');
  const reasons = reportRules.map(statementOf);
  const then: Reason[] = [];
  let deadline: SubscriberDuty['deadline'] = null;
  const personalOnly = event === 'retiring' || event === 'transferring';
  const applies = !personalOnly || kind === undefined || kind === 'personal';
  const revocationCase = applies ? EVENT_TO_REVOCATION_CASE[event] : null;
  const cases = ruleAt('cert.revocation.cases', at, province, drafts);
  const caseListed =
    revocationCase !== null &&
    cases !== undefined &&
    [...(cases.params.all as string[]), ...((cases.params.personal as string[]) ?? [])].includes(
      revocationCase,
    );
  if (caseListed) {
    const form = str(ruleAt('cert.revocation.form', at, province, drafts), 'form');
    then.push(
      reasonOf(
        cases,
        `Chứng thư phải bị thu hồi (${EVENT_TEXT[event].vi})${form ? `: cơ quan quản lý trực tiếp đề nghị thu hồi theo ${form}` : ''}.`,
        `The certificate must be revoked (${EVENT_TEXT[event].en})${form ? `: the managing agency requests it on ${form}` : ''}.`,
      ),
    );
  }
  if (event === 'transferring' && applies) {
    const change = ruleAt('cert.information-change.cases', at, province, drafts);
    if (change)
      then.push(
        reasonOf(
          change,
          'Nếu chỉ đổi cơ quan công tác mà thông tin chứng thư không còn phù hợp: đề nghị thay đổi nội dung thông tin thay vì thu hồi.',
          'If only the agency changes and the certificate no longer matches: request an information change instead of revocation.',
        ),
      );
  }
  if (event === 'token-lost') {
    const lost = ruleForCheck('token.lost', at, province, drafts);
    if (lost)
      then.push(
        reasonOf(
          lost,
          `Cơ quan quản lý trực tiếp lập biên bản xác nhận thiết bị bị thất lạc (${str(lost, 'form')}).`,
          `The managing agency records the loss (${str(lost, 'form')}).`,
        ),
      );
  } else if (caseListed) {
    const back = ruleAt('token.return', at, province, drafts);
    const days = num(back, 'deadlineWorkingDays');
    if (back && days !== undefined) {
      then.push(
        reasonOf(
          back,
          `Sau khi nhận thông báo thu hồi: bàn giao thiết bị cho cơ quan quản lý trực tiếp; cơ quan này bàn giao cho tổ chức cung cấp dịch vụ trong ${days} ngày làm việc (${str(back, 'form')}).`,
          `Once the revocation notice arrives: hand the token to the managing agency, which hands it to the CA within ${days} working days (${str(back, 'form')}).`,
        ),
      );
      if (noticeOn)
        deadline = {
          workingDays: days,
          from: noticeOn,
          date: addWorkingDays(noticeOn, days),
          ruleId: back.id,
        };
    }
  }
  if (event === 'token-locked') {
    const recovery = ruleAt('token.recovery', at, province, drafts);
    const processing = preferred(
      rulesAt(at, province, drafts).filter((r) => r.check === 'token.recovery.processing'),
      at,
    );
    if (recovery)
      then.push(
        reasonOf(
          recovery,
          `Cơ quan quản lý trực tiếp đề nghị khôi phục thiết bị (${str(recovery, 'form')}).`,
          `The managing agency requests recovery (${str(recovery, 'form')}).`,
        ),
      );
    const days = num(processing, 'deadlineWorkingDays');
    if (processing && days !== undefined) {
      then.push(
        reasonOf(
          processing,
          `${str(processing, 'recipient')} khôi phục trong ${days} ngày làm việc kể từ khi nhận yêu cầu hợp lệ, hoặc từ chối bằng văn bản nêu rõ lý do.`,
          `${str(processing, 'recipient')} recovers it within ${days} working day(s) of a valid request, or refuses in writing with reasons.`,
        ),
      );
      deadline = { workingDays: days, from: at, date: addWorkingDays(at, days), ruleId: processing.id };
    }
  }
  return {
    event,
    report:
      reportRules.length > 0
        ? { to: 'managing-agency', when: immediately ? 'immediately' : 'promptly' }
        : null,
    revocationCase: caseListed ? revocationCase : null,
    then,
    deadline,
    reasons,
    staleRuleIds: reportRules.filter((r) => isStaleOn(r, at)).map((r) => r.id),
  };
}
