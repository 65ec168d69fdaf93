import { addWorkingDays } from './calendar/holidays.js';
import { addDays, addYears, daysBetween, type IsoDate, parseIsoDate } from './dates.js';
import { RulesError } from './errors.js';
import { noRuleEncoded, type Reason, reasonOf } from './reason.js';
import { routeRequest } from './routing.js';
import { parseProvince, RULES, ruleAt, ruleForCheck, rulesAt, staleCitations } from './rules/registry.js';
import type { ProvinceId, RuleRecord } from './rules/types.js';
import { type SubscriberDuty, type SubscriberEvent, subscriberDuties } from './subscriber-duties.js';

export type { Reason } from './reason.js';

/** The certificate facts an evaluation needs; `describeCertificate` of `@kyso/core` gives most. */
export interface CertificateFacts {
  kind: 'personal' | 'organisation' | 'device';
  /** First day of validity, `YYYY-MM-DD` (Vietnam date). */
  notBefore: IsoDate;
  /** Last day of validity, `YYYY-MM-DD` (Vietnam date). */
  notAfter: IsoDate;
  /** Renewals already granted (default 0). */
  renewalsUsed?: number;
  /** `active` unless revoked (expiry follows from the dates). A CRL or OCSP response can tell. */
  status?: 'active' | 'revoked';
  /**
   * The day the revocation notice was received (or, lacking it, the revocation date): starts the
   * token hand-back deadline of Nghị định 68/2024/NĐ-CP Điều 20.
   */
  revokedOn?: IsoDate;
  /** The token's state, when known: each starts a duty to report it (Sơn La Điều 18 khoản 3). */
  token?: { locked?: boolean; lost?: boolean; damaged?: boolean };
  /** The private key is exposed or suspected exposed, or another security incident happened. */
  securityIncident?: boolean;
  /** For a personal certificate: the holder is about to retire or to transfer. */
  holder?: { retiring?: boolean; transferring?: boolean };
}

/** Options of {@link evaluateCertificate}. */
export interface EvaluateOptions {
  /** The date the answer is for (`YYYY-MM-DD`). Nothing reads the clock. */
  at: IsoDate;
  /** A province profile (`phu-tho`, …); the national baseline when absent. */
  province?: string;
  /** Apply draft regulations too (default false). */
  includeDrafts?: boolean;
}

/** What the rules say about one certificate on one date. */
export interface CertificateEvaluation {
  at: IsoDate;
  province: ProvinceId | null;
  /** Calendar days from `at` to the last day of validity (negative once expired). */
  daysRemaining: number;
  expired: boolean;
  /** Whether the validity period fits the maximum for a new (or renewed) certificate. */
  validity: { years: number; maxYears: number | null; withinMaximum: boolean | null; reasons: Reason[] };
  /** Where every request must also be copied, in the province. */
  copyRequestsTo: string | null;
  /** How the token must be kept, where a rule says so. */
  custody: Reason[];
  renewal: {
    /** Whether a renewal may be requested on `at`; null when no rule is encoded for that date. */
    allowed: boolean | null;
    /**
     * The last day a request can be made under the rule in force that day (validity still ≥ its
     * minimum), which may lie in an earlier regime or in the past; null when there is none.
     */
    latestRequestDate: IsoDate | null;
    /** The most years a renewal adds. */
    maxYears: number | null;
    form: string | null;
    /** Who receives the request in the province, and in how many working days it is handled there. */
    handledBy: string | null;
    deadline: { workingDays: number; ifRequestedOn: IsoDate; date: IsoDate } | null;
    reasons: Reason[];
  };
  informationChange: {
    /** Whether a change may be requested on `at`; null when no rule is encoded for that date. */
    allowed: boolean | null;
    latestRequestDate: IsoDate | null;
    form: string | null;
    cases: string[];
    reasons: Reason[];
  };
  /**
   * Events that require revocation for this kind of certificate, and those the facts meet
   * (a lost or damaged token, a security incident, a retirement or transfer).
   */
  revocation: { events: string[]; required: string[]; form: string | null; reasons: Reason[] };
  /** What follows expiry or revocation; the hand-back deadline once the notice date is known. */
  afterEnd: {
    returnToken: boolean;
    steps: Reason[];
    tokenReturnDeadline: { workingDays: number; from: IsoDate; date: IsoDate } | null;
  };
  /** What the facts oblige the subscriber to report, and what follows each report. */
  duties: SubscriberDuty[];
  /** How to recover a locked token, when it is locked. */
  tokenRecovery: {
    needed: boolean;
    form: string | null;
    handledBy: string | null;
    deadlineWorkingDays: number | null;
    reasons: Reason[];
  } | null;
  /** Provincial rules applied that rest on national texts no longer in force on `at`. */
  staleCitations: { ruleId: string; cites: string; replacedBy?: string }[];
}

const reason = reasonOf;

/**
 * The last day a request under rule `id` can be made for a certificate ending on `notAfter`: the
 * latest day on which the version in force then still sees its minimum remaining validity. A day
 * before a new regime is judged by the old one (on 15/08/2024 a certificate with 29 days left had
 * its last day under Nghị định 130/2018/NĐ-CP's 60 days, not on 14/08/2024 under the later 30).
 */
function latestRequestDate(
  id: string,
  notAfter: IsoDate,
  province: ProvinceId | undefined,
  drafts: { includeDrafts: boolean },
): { date: IsoDate; rule: RuleRecord } | null {
  const versions = RULES.filter(
    (r) =>
      r.id === id &&
      (r.jurisdiction === 'national' || r.jurisdiction === province) &&
      (r.status !== 'draft' || drafts.includeDrafts),
  ).sort((a, b) => b.period.from.localeCompare(a.period.from));
  for (const v of versions) {
    let day = addDays(notAfter, -(num(v, 'minRemainingDays') ?? 0));
    if (v.period.to !== undefined && v.period.to < day) day = v.period.to;
    if (day >= v.period.from && ruleAt(id, day, province, drafts) === v) return { date: day, rule: v };
  }
  return null;
}

function num(rule: RuleRecord | undefined, key: string): number | undefined {
  const v = rule?.params[key];
  return typeof v === 'number' ? v : undefined;
}

function str(rule: RuleRecord | undefined, key: string): string | null {
  const v = rule?.params[key];
  return typeof v === 'string' ? v : null;
}

/**
 * Evaluates the lifecycle rules for a certificate on a date, in a province: may it be renewed (and
 * until when), may its information be changed, which events require revocation, what follows its
 * end, and how to recover a locked token. Every reason carries its citation.
 * @example
 * ```ts
 * const facts = certificateFacts(describeCertificate(cert), { renewalsUsed: 0 });
 * const e = evaluateCertificate(facts, { at: '2026-12-01', province: 'phu-tho' });
 * e.renewal.latestRequestDate; e.renewal.handledBy;
 * ```
 * @throws {RulesError} `RULES_INVALID_DATE`, `RULES_UNKNOWN_PROVINCE`, `RULES_INVALID_INPUT`.
 */
export function evaluateCertificate(
  facts: CertificateFacts,
  options: EvaluateOptions,
): CertificateEvaluation {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  parseIsoDate(facts.notBefore, 'notBefore');
  parseIsoDate(facts.notAfter, 'notAfter');
  if (!['personal', 'organisation', 'device'].includes(facts.kind)) {
    throw new RulesError(
      'RULES_INVALID_INPUT',
      `kind must be personal, organisation or device, not "${facts.kind}"`,
      {
        messageVi: `loại chứng thư phải là personal, organisation hoặc device, không phải "${facts.kind}"`,
      },
    );
  }
  const daysRemaining = daysBetween(at, facts.notAfter);
  const expired = daysRemaining < 0;
  const revoked = facts.status === 'revoked';
  const renewalsUsed = facts.renewalsUsed ?? 0;
  const drafts = { includeDrafts: options.includeDrafts === true };

  // Renewal.
  const renewalWindow = requestWindow(
    'cert.renewal.conditions',
    { vi: 'gia hạn chứng thư', en: 'renewal' },
    facts.notAfter,
    { at, daysRemaining, ended: revoked || expired, province, drafts },
  );
  const renewalRule = renewalWindow.rule;
  const renewalReasons = renewalWindow.reasons;
  let renewalAllowed = renewalWindow.allowed;
  const max = num(renewalRule, 'maxRenewals');
  if (renewalRule && max !== undefined && renewalsUsed >= max) {
    renewalAllowed = false;
    renewalReasons.push(
      reason(
        renewalRule,
        `Chứng thư đã được gia hạn ${renewalsUsed} lần; chỉ được gia hạn ${max} lần.`,
        `The certificate was renewed ${renewalsUsed} time(s); only ${max} renewal is allowed.`,
      ),
    );
  }
  const maxYearsRule = ruleAt('cert.validity.renewed', at, province, drafts);
  const formRule = ruleAt('cert.renewal.form', at, province, drafts);
  const processing = ruleForCheck('renewal.processing', at, province, drafts);
  const processingDays = num(processing, 'deadlineWorkingDays');
  const requestDay = renewalAllowed ? at : null;
  const renewalRoute = routeRequest('renewal', { at, ...(province ? { province } : {}), ...drafts });

  // Information change.
  const changeWindow = requestWindow(
    'cert.information-change.conditions',
    { vi: 'thay đổi nội dung thông tin chứng thư', en: 'information change' },
    facts.notAfter,
    { at, daysRemaining, ended: revoked || expired, province, drafts },
  );
  const changeRule = changeWindow.rule;
  if (changeRule && changeWindow.allowed)
    changeWindow.reasons.push(
      reason(
        changeRule,
        'Thay đổi thông tin không làm thay đổi thời hạn sử dụng của chứng thư.',
        'Changing information does not change the validity period.',
      ),
    );
  const casesRule = ruleAt('cert.information-change.cases', at, province, drafts);
  const cases = casesRule ? ((casesRule.params[facts.kind] as string[] | undefined) ?? []) : [];

  // Revocation.
  const revRule = ruleAt('cert.revocation.cases', at, province, drafts);
  const revForm = ruleAt('cert.revocation.form', at, province, drafts);
  const events = revRule
    ? [...((revRule.params.all as string[]) ?? []), ...((revRule.params[facts.kind] as string[]) ?? [])]
    : [];

  // The subscriber's duties: what the facts oblige the holder to report, and what follows.
  const reported: SubscriberEvent[] = [
    ...(facts.token?.lost ? (['token-lost'] as const) : []),
    ...(facts.token?.damaged ? (['token-damaged'] as const) : []),
    ...(facts.token?.locked ? (['token-locked'] as const) : []),
    ...(facts.securityIncident ? (['security-incident'] as const) : []),
    ...(facts.holder?.retiring ? (['retiring'] as const) : []),
    ...(facts.holder?.transferring ? (['transferring'] as const) : []),
  ];
  const revokedOn = facts.revokedOn ? parseIsoDate(facts.revokedOn, 'revokedOn') : undefined;
  const duties = subscriberDuties(reported, {
    at,
    kind: facts.kind,
    ...(province ? { province } : {}),
    ...(revokedOn ? { revocationNoticeOn: revokedOn } : {}),
    ...drafts,
  });
  const required = [
    ...(expired && events.includes('expired') ? ['expired'] : []),
    ...duties.map((d) => d.revocationCase).filter((c): c is string => c !== null && events.includes(c)),
  ];

  // After the end.
  const steps: Reason[] = [];
  const returnRule = ruleAt('token.return', at, province, drafts);
  const lostRule = ruleForCheck('token.lost', at, province, drafts);
  const reissue = ruleAt('cert.reissue', at, province, drafts);
  const issueForms = ruleAt('cert.issue.forms', at, province, drafts);
  if (returnRule) {
    steps.push(
      reason(
        returnRule,
        `Nộp lại thiết bị lưu khóa bí mật cho cơ quan quản lý trực tiếp; cơ quan này bàn giao cho tổ chức cung cấp dịch vụ trong ${num(returnRule, 'deadlineWorkingDays')} ngày làm việc (${str(returnRule, 'form')}).`,
        `Return the token to the managing agency, which hands it to the CA within ${num(returnRule, 'deadlineWorkingDays')} working days (${str(returnRule, 'form')}).`,
      ),
    );
  }
  if (lostRule && facts.token?.lost) {
    steps.push(
      reason(
        lostRule,
        `Thiết bị bị thất lạc: lập biên bản xác nhận (${str(lostRule, 'form')}).`,
        `The token is lost: make a confirmation record (${str(lostRule, 'form')}).`,
      ),
    );
  }
  if (reissue && issueForms) {
    const form = str(issueForms, facts.kind);
    steps.push(
      reason(
        reissue,
        `Cấp chứng thư mới theo thủ tục như cấp lần đầu (${form}).`,
        `A new certificate follows the first-issue procedure (${form}).`,
      ),
    );
  }

  // Token recovery.
  let tokenRecovery: CertificateEvaluation['tokenRecovery'] = null;
  const recoveryRule = ruleAt('token.recovery', at, province, drafts);
  if (facts.token?.locked && recoveryRule) {
    const provincial = ruleForCheck('token.recovery.processing', at, province, drafts);
    const recReasons = [
      reason(
        recoveryRule,
        `Thiết bị bị khóa do nhập sai mật khẩu quá số lần quy định: cơ quan quản lý trực tiếp đề nghị khôi phục (${str(recoveryRule, 'form')}).`,
        `The token is locked by wrong PINs: the managing agency requests recovery (${str(recoveryRule, 'form')}).`,
      ),
    ];
    if (provincial) {
      recReasons.push(
        reason(
          provincial,
          `${str(provincial, 'recipient')} khôi phục trong ${num(provincial, 'deadlineWorkingDays')} ngày làm việc kể từ khi nhận yêu cầu hợp lệ, hoặc từ chối bằng văn bản nêu rõ lý do.`,
          `${str(provincial, 'recipient')} recovers it within ${num(provincial, 'deadlineWorkingDays')} working day(s) of a valid request, or refuses in writing with reasons.`,
        ),
      );
    }
    tokenRecovery = {
      needed: true,
      form: str(recoveryRule, 'form'),
      handledBy:
        str(provincial, 'recipient') ??
        routeRequest('token-recovery', { at, ...(province ? { province } : {}), ...drafts }).to,
      deadlineWorkingDays: num(provincial, 'deadlineWorkingDays') ?? null,
      reasons: recReasons,
    };
  }

  // Validity period against Điều 9: five years new, plus at most three for a renewal.
  const newRule = ruleForCheck('validity.new', at, province, drafts);
  const renewedRule = ruleForCheck('renewal.max-years', at, province, drafts);
  const years = Math.round((daysBetween(facts.notBefore, facts.notAfter) / 365.25) * 100) / 100;
  let validity: CertificateEvaluation['validity'] = {
    years,
    maxYears: null,
    withinMaximum: null,
    reasons: [],
  };
  if (newRule) {
    const maxYears =
      (num(newRule, 'maxYears') ?? 0) + (renewalsUsed > 0 ? (num(renewedRule, 'maxYears') ?? 0) : 0);
    const within = facts.notAfter <= addYears(facts.notBefore, maxYears);
    validity = {
      years,
      maxYears,
      withinMaximum: within,
      reasons: [
        reason(
          renewalsUsed > 0 && renewedRule ? renewedRule : newRule,
          within
            ? `Thời hạn ${years} năm, trong mức tối đa ${maxYears} năm.`
            : `Thời hạn ${years} năm vượt mức tối đa ${maxYears} năm.`,
          within
            ? `Valid for ${years} years, within the maximum of ${maxYears}.`
            : `Valid for ${years} years, beyond the maximum of ${maxYears}.`,
        ),
      ],
    };
  }
  const copyRule = ruleForCheck('request.copy', at, province, drafts);
  const custody = rulesAt(at, province, drafts)
    .filter((r) => r.check === 'token.custody')
    .filter((r) => facts.kind === 'organisation' || r.id === 'ha-tinh.token.secret-custody')
    .map((r) => reason(r, r.statement.vi, r.statement.en));

  return {
    at,
    province: province ?? null,
    daysRemaining,
    expired,
    validity,
    copyRequestsTo: str(copyRule, 'copyTo'),
    custody,
    renewal: {
      allowed: renewalAllowed,
      latestRequestDate: renewalWindow.latest,
      maxYears: num(maxYearsRule, 'maxYears') ?? null,
      form: str(formRule, 'form'),
      handledBy: str(processing, 'recipient') ?? renewalRoute.to,
      deadline:
        processingDays !== undefined && requestDay
          ? {
              workingDays: processingDays,
              ifRequestedOn: requestDay,
              date: addWorkingDays(requestDay, processingDays),
            }
          : null,
      reasons: [
        ...renewalReasons,
        ...(processing && processingDays !== undefined
          ? [
              reason(
                processing,
                `${str(processing, 'recipient')} xử lý trong ${processingDays} ngày làm việc kể từ ngày nhận đề nghị hợp lệ.`,
                `${str(processing, 'recipient')} handles it within ${processingDays} working days of a valid request.`,
              ),
            ]
          : []),
      ],
    },
    informationChange: {
      allowed: changeWindow.allowed,
      latestRequestDate: changeWindow.latest,
      form: str(formRule, 'form'),
      cases,
      reasons: changeWindow.reasons,
    },
    revocation: {
      events,
      required,
      form: str(revForm, 'form'),
      reasons: revRule ? [reason(revRule, revRule.statement.vi, revRule.statement.en)] : [],
    },
    afterEnd: {
      returnToken: returnRule !== undefined,
      steps,
      tokenReturnDeadline:
        returnRule && revoked && revokedOn && num(returnRule, 'deadlineWorkingDays') !== undefined
          ? {
              workingDays: num(returnRule, 'deadlineWorkingDays')!,
              from: revokedOn,
              date: addWorkingDays(revokedOn, num(returnRule, 'deadlineWorkingDays')!),
            }
          : null,
    },
    duties,
    tokenRecovery,
    staleCitations: staleCitations(at, province),
  };
}

/**
 * Whether a request under rule `id` (renewal, information change) may be made on `at`, the last day
 * it can be made, and why: `allowed` is null when no rule is encoded for `at`, a distinct answer
 * from "not allowed".
 */
function requestWindow(
  id: string,
  topic: { vi: string; en: string },
  notAfter: IsoDate,
  on: {
    at: IsoDate;
    daysRemaining: number;
    ended: boolean;
    province: ProvinceId | undefined;
    drafts: { includeDrafts: boolean };
  },
): { rule: RuleRecord | undefined; allowed: boolean | null; latest: IsoDate | null; reasons: Reason[] } {
  const rule = ruleAt(id, on.at, on.province, on.drafts);
  const last = on.ended ? null : latestRequestDate(id, notAfter, on.province, on.drafts);
  const reasons: Reason[] = [];
  if (!rule) {
    reasons.push(noRuleEncoded(topic, on.at));
    if (last && last.date >= on.at)
      reasons.push(
        reason(
          last.rule,
          `Theo quy định có hiệu lực từ ${last.rule.period.from}, có thể đề nghị đến hết ngày ${last.date}.`,
          `Under the rule in force from ${last.rule.period.from}, it can be requested until ${last.date}.`,
        ),
      );
    return { rule, allowed: null, latest: last?.date ?? null, reasons };
  }
  const min = num(rule, 'minRemainingDays') ?? 0;
  if (on.ended) {
    reasons.push(
      reason(
        rule,
        'Chứng thư đã hết hạn hoặc bị thu hồi: không đề nghị được; phải cấp chứng thư mới.',
        'The certificate has expired or was revoked: no request is possible; a new certificate must be issued.',
      ),
    );
    return { rule, allowed: false, latest: null, reasons };
  }
  if (on.daysRemaining < min) {
    reasons.push(
      reason(
        rule,
        `Chỉ còn ${on.daysRemaining} ngày hiệu lực, ít hơn ${min} ngày theo quy định.`,
        `Only ${on.daysRemaining} days of validity remain, fewer than the ${min} required.`,
      ),
    );
    if (last && last.rule !== rule)
      reasons.push(
        reason(
          last.rule,
          last.date < on.at
            ? `Ngày cuối cùng có thể đề nghị là ${last.date}, theo quy định có hiệu lực ngày đó.`
            : `Theo quy định có hiệu lực từ ${last.rule.period.from}, có thể đề nghị đến hết ngày ${last.date}.`,
          last.date < on.at
            ? `The last day to request it was ${last.date}, under the rule in force that day.`
            : `Under the rule in force from ${last.rule.period.from}, it can be requested until ${last.date}.`,
        ),
      );
    return { rule, allowed: false, latest: last?.date ?? null, reasons };
  }
  reasons.push(
    reason(
      rule,
      `Còn ${on.daysRemaining} ngày hiệu lực (tối thiểu ${min} ngày); đề nghị chậm nhất ngày ${last?.date}.`,
      `${on.daysRemaining} days of validity remain (at least ${min} required); request by ${last?.date}.`,
    ),
  );
  return { rule, allowed: true, latest: last?.date ?? null, reasons };
}
