import type { PdfVerificationReport, SignatureReport } from '@kyso/core';
import { type AppliedAssumption, applyAssumptions } from './assumptions.js';
import { addWorkingDays } from './calendar/holidays.js';
import type { Reason } from './certificate.js';
import { addDays, parseIsoDate, vietnamDate } from './dates.js';
import { RulesError } from './errors.js';
import { citationOf, parseProvince, ruleForCheck, rulesAt } from './rules/registry.js';
import type { ProvinceId, RuleRecord } from './rules/types.js';

/**
 * The part of a verification report the document rules read: core's report model
 * (`PdfVerificationReport`, what `@kyso/pdf-signature`'s `verifyPdf` returns), narrowed to the
 * fields used, so that a report goes in as it is, with no cast, and a caller may also build one
 * by hand. Only core's types are imported, never its runtime.
 */
export interface DocumentVerification {
  /** TOTAL_PASSED only when the document has signatures, all valid, none followed by a disallowed change. */
  indication: PdfVerificationReport['indication'];
  signatures: (Pick<
    SignatureReport,
    'index' | 'indication' | 'subIndication' | 'signingTime' | 'modifiedAfter'
  > & {
    signer: Pick<SignatureReport['signer'], 'commonName' | 'organization' | 'kind'>;
    /**
     * The checks that led to the indication, as the report carries them (optional). With them, a
     * signature whose status waits only on revocation is told apart from one that failed elsewhere.
     */
    checks?: readonly Pick<SignatureReport['checks'][number], 'id' | 'status'>[];
  })[];
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

/**
 * The decision on a document. `hold` (incoming only): every signature is intact and its chain
 * trusted, but the revocation status of some could not be checked yet (INDETERMINATE/TRY_LATER, an
 * OCSP or CRL outage); the document is neither accepted nor sent back, and verification is run
 * again at {@link DocumentDecision.retry}.
 */
export interface DocumentDecision {
  decision: 'accept' | 'reject' | 'hold' | 'out-of-scope';
  reasons: Reason[];
  /** For a rejection, the notice to the sender, in Vietnamese; null otherwise. */
  notice: string | null;
  /** The date by which receipt must be acknowledged (incoming) or the document sent (outgoing). */
  deadline: string | null;
  /**
   * For `hold`: when to verify again (`at`, an ISO 8601 instant: `receivedAt` plus
   * `retryAfterMinutes`, or null when the receipt time is not known) and the day by which a decision
   * is due (`by`, the acknowledgement deadline). Null for every other decision.
   */
  retry?: { at: string | null; by: string } | null;
}

/** Options of {@link evaluateIncomingDocument}. */
export interface IncomingDocumentOptions {
  /** The date of the evaluation, `YYYY-MM-DD` (required: nothing reads the clock). */
  at: string;
  /** A province id (see `PROVINCES`); omitted, the national baseline alone. */
  province?: string;
  /** For a `hold`: minutes after the receipt time to verify again (default 60). */
  retryAfterMinutes?: number;
}

/** How one signature stands, for the decision and for the notice. */
type SignatureStanding = 'valid' | 'revocation-pending' | 'invalid';

/**
 * A signature whose only open question is revocation: INDETERMINATE/TRY_LATER, nothing disallowed
 * changed after it, and (when the report's checks are given) every other check passed.
 */
function standingOf(s: DocumentVerification['signatures'][number]): SignatureStanding {
  if (s.indication === 'TOTAL_PASSED') return 'valid';
  if (s.indication !== 'INDETERMINATE' || s.subIndication !== 'TRY_LATER' || s.modifiedAfter === 'disallowed')
    return 'invalid';
  const others = (s.checks ?? []).filter((c) => !/(^|:)revocation$/.test(c.id));
  return others.every((c) => c.status === 'passed' || c.status === 'warning')
    ? 'revocation-pending'
    : 'invalid';
}

const ROLE_VI: Record<string, string> = {
  personal: 'người có thẩm quyền',
  organisation: 'cơ quan, tổ chức',
  device: 'thiết bị, dịch vụ',
  ca: 'tổ chức cung cấp dịch vụ chứng thực',
  'timestamp-authority': 'máy chủ cấp dấu thời gian',
};

/** One line per signature, saying truthfully how it stands (Vietnamese, for the notice). */
function signatureLineVi(s: DocumentVerification['signatures'][number]): string {
  const who = [s.signer.commonName ?? 'không rõ người ký', s.signer.kind ? ROLE_VI[s.signer.kind] : null]
    .filter(Boolean)
    .join(', ');
  const head = `Chữ ký số thứ ${s.index} (${who})`;
  const changed = s.modifiedAfter === 'disallowed' ? '; văn bản bị sửa đổi sau chữ ký này' : '';
  switch (standingOf(s)) {
    case 'valid':
      return `${head}: hợp lệ${changed}.`;
    case 'revocation-pending':
      return `${head}: nguyên vẹn, chứng thư số được tin cậy; chưa kiểm tra được tình trạng thu hồi${changed}.`;
    default:
      return `${head}: không hợp lệ${s.subIndication ? ` (${s.subIndication})` : ''}${changed}.`;
  }
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
    if (standingOf(s) === 'invalid' && validity) {
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
  // A signature waiting only on revocation counts as present: whether it stands is decided when
  // revocation can be checked (a hold), not reported as missing. One present but invalid is named
  // as invalid above; "missing" is said only when no signature of that kind is there.
  const valid = verification.signatures.filter((s) => standingOf(s) !== 'invalid');
  for (const { rule, kinds } of requiredSignatures(rules, facts)) {
    for (const kind of kinds) {
      if (!valid.some((s) => s.signer.kind === kind)) {
        const present = verification.signatures.some((s) => s.signer.kind === kind);
        const vi =
          kind === 'personal' ? 'chữ ký số của người có thẩm quyền' : 'chữ ký số của cơ quan, tổ chức';
        const en = kind === 'personal' ? "the competent person's signature" : "the organisation's signature";
        failures.push(
          present
            ? r(rule, `Không có ${vi} hợp lệ.`, `No valid ${en.replace(/^the /, '')}.`)
            : r(rule, `Thiếu ${vi}.`, `Missing ${en}.`),
        );
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
 * them; reject, with every reason cited and the notice to the sender (Vietnamese), when something is
 * definitely wrong; hold, with when to verify again, when nothing is wrong but the revocation status
 * of some signature could not be checked yet (INDETERMINATE/TRY_LATER). The notice names each
 * signature as it stands: valid, invalid (with its sub-indication), or not yet checked for
 * revocation; it says a signature is missing only when the document has none of that kind.
 *
 * @throws RulesError `RULES_INVALID_DATE` when `options.at` is not a `YYYY-MM-DD` date.
 * @example
 * ```ts
 * const report = await verifyPdf(bytes, { trustAnchors: trustProfile('vn-gov') });
 * const d = evaluateIncomingDocument(report, { origin: 'electronic', receivedAt }, { at: '2026-12-01', province: 'lao-cai' });
 * d.decision; // 'accept' | 'reject' | 'hold' | 'out-of-scope'
 * ```
 * @throws {RulesError} `RULES_INVALID_DATE`, `RULES_UNKNOWN_PROVINCE`, `RULES_INVALID_INPUT`.
 */
export function evaluateIncomingDocument(
  verification: DocumentVerification,
  facts: DocumentFacts,
  options: IncomingDocumentOptions,
): DocumentDecision {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  if (facts.secret) return secretDecision(at, province);
  const failures = signatureChecks(verification, facts, at, province);
  const incoming = ruleForCheck('document.incoming', at, province)!;
  const received = facts.receivedAt ? vietnamDate(new Date(facts.receivedAt)) : at;
  const pending = verification.signatures.filter((s) => standingOf(s) === 'revocation-pending');
  if (failures.length === 0 && pending.length > 0)
    return holdDecision(pending, facts, received, incoming, options);
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
      retry: null,
    };
  }
  const lines = failures.map((f) => `- ${f.vi} (${f.citation.text})`);
  const standing = verification.signatures.map((s) => `- ${signatureLineVi(s)}`);
  const notice = [
    `Kính gửi: ${facts.sender ?? 'Cơ quan, tổ chức gửi văn bản'}.`,
    `Văn bản ${facts.reference ? `số ${facts.reference} ` : ''}gửi đến ngày ${received} không được tiếp nhận vì:`,
    ...lines,
    ...(standing.length > 0 ? ['Tình trạng từng chữ ký số trên văn bản:', ...standing] : []),
    `Đề nghị quý cơ quan kiểm tra, ký số lại đúng quy định và gửi lại văn bản qua hệ thống (${citationOf(incoming).text}).`,
  ].join('\n');
  return {
    decision: 'reject',
    reasons: [...failures, r(incoming, incoming.statement.vi, incoming.statement.en)],
    notice,
    deadline: received,
    retry: null,
  };
}

/** The default wait before verifying a held document again. */
const DEFAULT_RETRY_MINUTES = 60;

/** Hold: intact, trusted signatures whose revocation status could not be fetched yet. */
function holdDecision(
  pending: DocumentVerification['signatures'],
  facts: DocumentFacts,
  received: string,
  incoming: RuleRecord,
  options: IncomingDocumentOptions,
): DocumentDecision {
  const minutes = options.retryAfterMinutes ?? DEFAULT_RETRY_MINUTES;
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new RulesError(
      'RULES_INVALID_INPUT',
      `retryAfterMinutes must be a positive number of minutes, not ${String(minutes)}`,
      { messageVi: `retryAfterMinutes phải là số phút dương, không phải ${String(minutes)}` },
    );
  }
  const receivedAt = facts.receivedAt ? new Date(facts.receivedAt) : null;
  const retryAt =
    receivedAt && !Number.isNaN(receivedAt.getTime())
      ? new Date(receivedAt.getTime() + minutes * 60_000).toISOString()
      : null;
  const which = pending.map((s) => `${s.index} (${s.signer.commonName ?? 'không rõ người ký'})`).join(', ');
  const whichEn = pending.map((s) => `${s.index} (${s.signer.commonName ?? 'unknown signer'})`).join(', ');
  return {
    decision: 'hold',
    reasons: [
      r(
        incoming,
        `Các chữ ký số nguyên vẹn và chứng thư số được tin cậy, nhưng chưa kiểm tra được tình trạng thu hồi của chữ ký số thứ ${which}: tạm giữ văn bản, kiểm tra lại${retryAt ? ` lúc ${retryAt}` : ''} và quyết định trong ngày ${received}.`,
        `The signatures are intact and their chains trusted, but the revocation status of signature ${whichEn} could not be checked yet: hold the document, verify again${retryAt ? ` at ${retryAt}` : ''} and decide by ${received}.`,
      ),
    ],
    notice: null,
    deadline: received,
    retry: { at: retryAt, by: received },
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
  // As for incoming documents: a signature waiting only on revocation is neither passed nor failed.
  const pending = verification.signatures.some((s) => standingOf(s) === 'revocation-pending');
  return {
    decision: failures.length > 0 ? 'reject' : pending ? 'hold' : 'accept',
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
