import { addWorkingDays } from './calendar/holidays.js';
import { addDays, addYears, daysBetween, type IsoDate, parseIsoDate } from './dates.js';
import { RulesError } from './errors.js';
import {
  citationOf,
  JURISDICTIONS,
  parseProvince,
  ruleAt,
  ruleForCheck,
  rulesAt,
  staleCitations,
} from './rules/registry.js';
import type { Citation, ProvinceId, RuleRecord } from './rules/types.js';

/** A reason in an answer: what it says, in both languages, and the rule it comes from. */
export interface Reason {
  vi: string;
  en: string;
  citation: Citation;
}

/** The certificate facts an evaluation needs; `describeCertificate` of `@kyso/core` gives most. */
export interface CertificateFacts {
  kind: 'personal' | 'organisation' | 'device';
  /** First day of validity, `YYYY-MM-DD` (Vietnam date). */
  notBefore: IsoDate;
  /** Last day of validity, `YYYY-MM-DD` (Vietnam date). */
  notAfter: IsoDate;
  /** Renewals already granted (default 0). */
  renewalsUsed?: number;
  /** `active` unless revoked (expiry follows from the dates). */
  status?: 'active' | 'revoked';
  /** The token's state, when known. */
  token?: { locked?: boolean; lost?: boolean };
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
    allowed: boolean;
    /** The last day a request can be made (validity still ≥ the minimum), or null. */
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
    allowed: boolean;
    latestRequestDate: IsoDate | null;
    form: string | null;
    cases: string[];
    reasons: Reason[];
  };
  /** Events that require revocation, for this kind of certificate. */
  revocation: { events: string[]; form: string | null; reasons: Reason[] };
  /** What follows expiry or revocation. */
  afterEnd: { returnToken: boolean; steps: Reason[] };
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

function reason(rule: RuleRecord, vi: string, en: string): Reason {
  return { vi, en, citation: citationOf(rule) };
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
  const authority = province
    ? (JURISDICTIONS.find((j) => j.id === province)?.authorities.subscriberManagement ?? null)
    : null;

  // Renewal.
  const renewalRule = ruleAt('cert.renewal.conditions', at, province, drafts);
  const renewalReasons: Reason[] = [];
  let renewalAllowed = renewalRule !== undefined;
  let latestRequestDate: IsoDate | null = null;
  if (!renewalRule) {
    renewalReasons.push({
      vi: 'Không có quy định gia hạn được mã hóa cho thời điểm này.',
      en: 'No renewal rule is encoded for this date.',
      citation: { ruleId: 'none', text: '—', document: '—', article: '—', textSeen: false },
    });
  } else {
    const min = num(renewalRule, 'minRemainingDays') ?? 0;
    const max = num(renewalRule, 'maxRenewals');
    latestRequestDate = addDays(facts.notAfter, -min);
    if (revoked || expired) {
      renewalAllowed = false;
      renewalReasons.push(
        reason(
          renewalRule,
          'Chứng thư đã hết hạn hoặc bị thu hồi: không gia hạn được, phải cấp mới.',
          'The certificate has expired or was revoked: it cannot be renewed; a new one must be issued.',
        ),
      );
      latestRequestDate = null;
    } else if (daysRemaining < min) {
      renewalAllowed = false;
      renewalReasons.push(
        reason(
          renewalRule,
          `Chỉ còn ${daysRemaining} ngày hiệu lực, ít hơn ${min} ngày theo quy định.`,
          `Only ${daysRemaining} days of validity remain, fewer than the ${min} required.`,
        ),
      );
    } else {
      renewalReasons.push(
        reason(
          renewalRule,
          `Còn ${daysRemaining} ngày hiệu lực (tối thiểu ${min} ngày); đề nghị chậm nhất ngày ${latestRequestDate}.`,
          `${daysRemaining} days of validity remain (at least ${min} required); request by ${latestRequestDate}.`,
        ),
      );
    }
    if (max !== undefined && renewalsUsed >= max) {
      renewalAllowed = false;
      renewalReasons.push(
        reason(
          renewalRule,
          `Chứng thư đã được gia hạn ${renewalsUsed} lần; chỉ được gia hạn ${max} lần.`,
          `The certificate was renewed ${renewalsUsed} time(s); only ${max} renewal is allowed.`,
        ),
      );
    }
  }
  const maxYearsRule = ruleAt('cert.validity.renewed', at, province, drafts);
  const formRule = ruleAt('cert.renewal.form', at, province, drafts);
  const processing = ruleForCheck('renewal.processing', at, province, drafts);
  const processingDays = num(processing, 'deadlineWorkingDays');
  const requestDay = renewalAllowed ? at : null;

  // Information change.
  const changeRule = ruleAt('cert.information-change.conditions', at, province, drafts);
  const casesRule = ruleAt('cert.information-change.cases', at, province, drafts);
  const changeReasons: Reason[] = [];
  let changeAllowed = changeRule !== undefined && !revoked && !expired;
  let changeLatest: IsoDate | null = null;
  if (changeRule) {
    const min = num(changeRule, 'minRemainingDays') ?? 0;
    changeLatest = revoked || expired ? null : addDays(facts.notAfter, -min);
    if (revoked || expired)
      changeReasons.push(
        reason(
          changeRule,
          'Chứng thư đã hết hạn hoặc bị thu hồi.',
          'The certificate has expired or was revoked.',
        ),
      );
    else if (daysRemaining < min) {
      changeAllowed = false;
      changeReasons.push(
        reason(
          changeRule,
          `Chỉ còn ${daysRemaining} ngày hiệu lực, ít hơn ${min} ngày theo quy định.`,
          `Only ${daysRemaining} days remain, fewer than the ${min} required.`,
        ),
      );
    } else {
      changeReasons.push(
        reason(
          changeRule,
          'Thay đổi thông tin không làm thay đổi thời hạn sử dụng của chứng thư.',
          'Changing information does not change the validity period.',
        ),
      );
    }
  }
  const cases = casesRule ? ((casesRule.params[facts.kind] as string[] | undefined) ?? []) : [];

  // Revocation.
  const revRule = ruleAt('cert.revocation.cases', at, province, drafts);
  const revForm = ruleAt('cert.revocation.form', at, province, drafts);
  const events = revRule
    ? [...((revRule.params.all as string[]) ?? []), ...((revRule.params[facts.kind] as string[]) ?? [])]
    : [];

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
      handledBy: str(provincial, 'recipient') ?? authority,
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
      latestRequestDate,
      maxYears: num(maxYearsRule, 'maxYears') ?? null,
      form: str(formRule, 'form'),
      handledBy: str(processing, 'recipient') ?? authority,
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
      allowed: changeAllowed,
      latestRequestDate: changeLatest,
      form: str(formRule, 'form'),
      cases,
      reasons: changeReasons,
    },
    revocation: {
      events,
      form: str(revForm, 'form'),
      reasons: revRule ? [reason(revRule, revRule.statement.vi, revRule.statement.en)] : [],
    },
    afterEnd: { returnToken: returnRule !== undefined, steps },
    tokenRecovery,
    staleCitations: staleCitations(at, province),
  };
}
