import { type AppliedAssumption, applyAssumptions } from './assumptions.js';
import { addWorkingDays } from './calendar/holidays.js';
import type { Reason } from './certificate.js';
import { addDays, parseIsoDate, vietnamDate } from './dates.js';
import { citationOf, parseProvince, ruleForCheck, rulesAt } from './rules/registry.js';
import type { ProvinceId, RuleRecord } from './rules/types.js';

/**
 * The part of a `@kyso/pdf-signature` verification report the document rules read (its JSON shape,
 * so that lifecycle-rules needs no runtime import).
 */
export interface DocumentVerification {
  /** TOTAL_PASSED only when the document has signatures, all valid, none followed by a disallowed change. */
  indication: 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';
  signatures: {
    index: number;
    indication: 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';
    subIndication: string | null;
    signer: {
      commonName: string | null;
      organization: string | null;
      kind: 'personal' | 'organisation' | 'device' | 'ca' | null;
    };
    /** ISO 8601 time. */
    signingTime: string | null;
    modifiedAfter: 'none' | 'allowed' | 'disallowed';
  }[];
}

/** Facts about a document that its signatures do not tell. */
export interface DocumentFacts {
  /** `electronic`: born digital and signed online; `digitised`: scanned from paper (sao y). */
  origin: 'electronic' | 'digitised';
  urgent?: boolean;
  /** Contains state secrets: out of scope of electronic exchange. */
  secret?: boolean;
  /** When it was received (incoming) or sent (outgoing), ISO 8601. */
  receivedAt?: string;
  sentAt?: string;
  /** Document number and symbol, for the notice. */
  reference?: string;
  sender?: string;
}

/** The decision on a document. */
export interface DocumentDecision {
  decision: 'accept' | 'reject' | 'out-of-scope';
  reasons: Reason[];
  /** For a rejection, the notice to the sender, in Vietnamese. */
  notice: string | null;
  /** The date by which receipt must be acknowledged (incoming) or the document sent (outgoing). */
  deadline: string | null;
}

function r(rule: RuleRecord, vi: string, en: string): Reason {
  return { vi, en, citation: citationOf(rule) };
}

/** The decision on an outgoing document, with the assumptions it rests on. */
export interface OutgoingDecision extends DocumentDecision {
  /** Values no text fixes that the decision used (the end of "buổi sáng"), each as assumed or as overridden. */
  assumptions?: AppliedAssumption[];
}

/** Options of {@link evaluateOutgoingDocument}. */
export interface OutgoingOptions {
  at: string;
  province?: string;
  /**
   * Values to use where no text fixes one. `latestHourNextWorkingDay`: the hour (0–24, Vietnam time)
   * at which "buổi sáng của ngày làm việc tiếp theo" ends (Lào Cai Điều 5 khoản 1 điểm c); default 12.
   */
  assumptions?: { latestHourNextWorkingDay?: number };
}

function requiredSignatures(
  rules: RuleRecord[],
  facts: DocumentFacts,
): { rule: RuleRecord; kinds: string[] }[] {
  const wanted = facts.origin === 'digitised' ? 'document.digitised.organisation-signature' : null;
  return rules
    .filter((x) => x.check === 'document.required-signatures')
    .filter((x) => (wanted ? x.id === wanted : x.id !== 'document.digitised.organisation-signature'))
    .map((rule) => ({ rule, kinds: rule.params.required as string[] }));
}

function signatureChecks(
  verification: DocumentVerification,
  facts: DocumentFacts,
  at: string,
  province: ProvinceId | undefined,
): Reason[] {
  const rules = rulesAt(at, province);
  const failures: Reason[] = [];
  const validity =
    ruleForCheck('document.signature-valid', at, province) ?? ruleForCheck('document.incoming', at, province);
  if (verification.signatures.length === 0 && validity) {
    failures.push(r(validity, 'Văn bản không có chữ ký số.', 'The document carries no digital signature.'));
  }
  for (const s of verification.signatures) {
    if (s.indication !== 'TOTAL_PASSED' && validity) {
      failures.push(
        r(
          validity,
          `Chữ ký số thứ ${s.index} (${s.signer.commonName ?? 'không rõ'}) không hợp lệ${s.subIndication ? ` (${s.subIndication})` : ''}.`,
          `Signature ${s.index} (${s.signer.commonName ?? 'unknown'}) is not valid${s.subIndication ? ` (${s.subIndication})` : ''}.`,
        ),
      );
    }
    if (s.modifiedAfter === 'disallowed' && validity) {
      failures.push(
        r(
          validity,
          `Văn bản bị sửa đổi sau chữ ký số thứ ${s.index}.`,
          `The document was changed after signature ${s.index}.`,
        ),
      );
    }
  }
  const valid = verification.signatures.filter((s) => s.indication === 'TOTAL_PASSED');
  for (const { rule, kinds } of requiredSignatures(rules, facts)) {
    for (const kind of kinds) {
      if (!valid.some((s) => s.signer.kind === kind)) {
        const vi =
          kind === 'personal' ? 'chữ ký số của người có thẩm quyền' : 'chữ ký số của cơ quan, tổ chức';
        const en = kind === 'personal' ? "the competent person's signature" : "the organisation's signature";
        failures.push(r(rule, `Thiếu ${vi}.`, `Missing ${en}.`));
      }
    }
  }
  if (facts.urgent) {
    const urgent = ruleForCheck('document.urgent', at, province);
    const needed =
      typeof urgent?.params.organisationSignatures === 'number' ? urgent.params.organisationSignatures : 0;
    if (urgent && valid.filter((s) => s.signer.kind === 'organisation').length < needed) {
      failures.push(
        r(
          urgent,
          'Văn bản khẩn thiếu chữ ký số của tổ chức tại vị trí dấu chỉ mức độ khẩn.',
          "The urgent document lacks the organisation's signature at the urgency mark.",
        ),
      );
    }
  }
  const order = ruleForCheck('document.signature-order', at, province);
  const firstOrg = verification.signatures.findIndex((s) => s.signer.kind === 'organisation');
  const firstPersonal = verification.signatures.findIndex((s) => s.signer.kind === 'personal');
  if (order && facts.origin === 'electronic' && firstOrg >= 0 && firstPersonal > firstOrg) {
    failures.push(
      r(
        order,
        'Chữ ký số của cơ quan, tổ chức có trước chữ ký của người có thẩm quyền.',
        'The organisation signed before the competent person.',
      ),
    );
  }
  return failures;
}

function secretDecision(at: string, province: ProvinceId | undefined): DocumentDecision {
  const rule = ruleForCheck('document.incoming', at, province)!;
  return {
    decision: 'out-of-scope',
    reasons: [
      r(
        rule,
        'Văn bản có nội dung bí mật nhà nước không được gửi, nhận qua hệ thống văn bản điện tử.',
        'Documents holding state secrets are outside electronic exchange.',
      ),
    ],
    notice: null,
    deadline: null,
  };
}

/**
 * Decides on an incoming e-document: accept when its signatures are valid, complete for its kind
 * (personal and organisation for a born-digital document, the organisation's for a digitised one,
 * the extra urgency signature where the province requires it) and nothing disallowed changed after
 * them; otherwise reject, with every reason cited and the notice to the sender (Vietnamese).
 */
export function evaluateIncomingDocument(
  verification: DocumentVerification,
  facts: DocumentFacts,
  options: { at: string; province?: string },
): DocumentDecision {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  if (facts.secret) return secretDecision(at, province);
  const failures = signatureChecks(verification, facts, at, province);
  const incoming = ruleForCheck('document.incoming', at, province)!;
  const received = facts.receivedAt ? vietnamDate(new Date(facts.receivedAt)) : at;
  if (failures.length === 0) {
    return {
      decision: 'accept',
      reasons: [
        r(
          incoming,
          'Văn bản được ký số đúng quy định: phải tiếp nhận và thông báo đã nhận ngay trong ngày.',
          'The document is correctly signed: it must be accepted, and receipt acknowledged the same day.',
        ),
      ],
      notice: null,
      deadline: received,
    };
  }
  const lines = failures.map((f) => `- ${f.vi} (${f.citation.text})`);
  const notice = [
    `Kính gửi: ${facts.sender ?? 'Cơ quan, tổ chức gửi văn bản'}.`,
    `Văn bản ${facts.reference ? `số ${facts.reference} ` : ''}gửi đến ngày ${received} không được tiếp nhận vì:`,
    ...lines,
    `Đề nghị quý cơ quan kiểm tra, ký số lại đúng quy định và gửi lại văn bản qua hệ thống (${citationOf(incoming).text}).`,
  ].join('\n');
  return {
    decision: 'reject',
    reasons: [...failures, r(incoming, incoming.statement.vi, incoming.statement.en)],
    notice,
    deadline: received,
  };
}

/**
 * Checks an outgoing e-document before it is sent: its signatures as for incoming documents, and
 * that it leaves on the day it was signed (at the latest the next working day, or the next working
 * morning where the province says so; urgent documents at once).
 */
export function evaluateOutgoingDocument(
  verification: DocumentVerification,
  facts: DocumentFacts,
  options: OutgoingOptions,
): OutgoingDecision {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  if (facts.secret) return secretDecision(at, province);
  const failures = signatureChecks(verification, facts, at, province);
  const deadlineRule = ruleForCheck('document.issue-deadline', at, province);
  const signedAt = verification.signatures
    .map((s) => s.signingTime)
    .filter((t): t is string => t !== null)
    .sort()
    .at(-1);
  let deadline: string | null = null;
  const assumptions = deadlineRule ? applyAssumptions(deadlineRule, options.assumptions ?? {}) : [];
  if (deadlineRule && signedAt) {
    const signedDay = vietnamDate(new Date(signedAt));
    const nextWorking = addWorkingDays(signedDay, 1);
    const assumedHour = assumptions.find((a) => a.param === 'latestHourNextWorkingDay')?.value;
    const hour =
      typeof assumedHour === 'number'
        ? assumedHour
        : typeof deadlineRule.params.latestHourNextWorkingDay === 'number'
          ? deadlineRule.params.latestHourNextWorkingDay
          : 24;
    deadline = facts.urgent
      ? signedDay
      : `${nextWorking}T${String(hour === 24 ? 23 : hour).padStart(2, '0')}:${hour === 24 ? '59' : '00'}+07:00`;
    if (facts.sentAt) {
      const sent = new Date(facts.sentAt);
      const limit = facts.urgent ? new Date(`${addDays(signedDay, 1)}T00:00:00+07:00`) : new Date(deadline);
      if (sent > limit) {
        failures.push(
          r(
            deadlineRule,
            `Văn bản ký ngày ${signedDay} được gửi lúc ${facts.sentAt}, quá thời hạn (${facts.urgent ? 'văn bản khẩn phải gửi ngay' : deadline}).`,
            `Signed on ${signedDay} but sent at ${facts.sentAt}, past the deadline (${facts.urgent ? 'urgent documents go at once' : deadline}).`,
          ),
        );
      }
    }
  }
  return {
    decision: failures.length === 0 ? 'accept' : 'reject',
    reasons:
      failures.length > 0
        ? failures
        : deadlineRule
          ? [r(deadlineRule, deadlineRule.statement.vi, deadlineRule.statement.en)]
          : [],
    notice: null,
    deadline,
    ...(assumptions.length > 0 ? { assumptions } : {}),
  };
}
