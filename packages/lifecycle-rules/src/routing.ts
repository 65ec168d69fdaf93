import { parseIsoDate } from './dates.js';
import { RulesError } from './errors.js';
import { noRuleEncoded, type Reason, reasonOf, statementOf } from './reason.js';
import {
  isStaleOn,
  JURISDICTIONS,
  parseProvince,
  preferred,
  rulesAt,
  staleCitations,
} from './rules/registry.js';
import type { ProvinceId, RuleRecord } from './rules/types.js';

/**
 * The certification requests of Nghị định 68/2024/NĐ-CP Điều 3 khoản 7 (issue, renewal, information
 * change, revocation, token recovery), plus the two token handovers of Điều 20 (after expiry or
 * revocation, and a lost token) that Sơn La's Điều 6 khoản 2 counts among them.
 */
export const REQUEST_TYPES = [
  'issue',
  'renewal',
  'information-change',
  'revocation',
  'token-recovery',
  'token-return',
  'token-lost',
] as const;

/** A certification request, or a token handover. */
export type RequestType = (typeof REQUEST_TYPES)[number];

/** An office a regulation names under a name it no longer has. */
export interface StaleOffice {
  office: string;
  now: string;
  since: string;
  sinceVerified: boolean;
  source: string;
}

/** Where a request goes, in a province, on a date. */
export interface RequestRoute {
  request: RequestType;
  at: string;
  province: ProvinceId | null;
  /** `routed`, or `no-rule-encoded` when no rule of that date says where it goes. */
  outcome: 'routed' | 'no-rule-encoded';
  /** Who sends it: the managing agency (cơ quan, tổ chức quản lý trực tiếp) wherever a rule says. */
  from: 'managing-agency' | null;
  /** Who receives it. */
  to: string | null;
  /** How it travels, where a rule says. */
  channels: string[];
  /** Whether the request must itself be a digitally signed e-document. */
  signedElectronically: boolean | null;
  /** Who also gets it. */
  copyTo: string[];
  /** An office the managing agency works with on it, as the text names it. */
  coordinateWith: string | null;
  /** Offices named above under a name they no longer have. */
  staleOffices: StaleOffice[];
  reasons: Reason[];
  /** Provincial rules used here that rest on national texts no longer in force. */
  staleCitations: { ruleId: string; cites: string; replacedBy?: string }[];
}

/** Options of {@link routeRequest}. */
export interface RouteOptions {
  at: string;
  province?: string;
  /** Apply draft regulations too (default false). */
  includeDrafts?: boolean;
}

const REQUEST_NAMES: Record<RequestType, { vi: string; en: string }> = {
  issue: { vi: 'cấp mới chứng thư', en: 'issuing a certificate' },
  renewal: { vi: 'gia hạn chứng thư', en: 'renewing a certificate' },
  'information-change': {
    vi: 'thay đổi nội dung thông tin chứng thư',
    en: "changing a certificate's information",
  },
  revocation: { vi: 'thu hồi chứng thư', en: 'revoking a certificate' },
  'token-recovery': { vi: 'khôi phục thiết bị lưu khóa bí mật', en: 'recovering a locked token' },
  'token-return': { vi: 'bàn giao thiết bị lưu khóa bí mật', en: 'handing a token back' },
  'token-lost': { vi: 'thiết bị lưu khóa bí mật bị thất lạc', en: 'a lost token' },
};

/** The names of a request in both languages. */
export function requestName(request: RequestType): { vi: string; en: string } {
  return REQUEST_NAMES[request];
}

/** Checks a request type and returns it; names the accepted values otherwise. */
export function parseRequestType(text: string): RequestType {
  if (!(REQUEST_TYPES as readonly string[]).includes(text)) {
    throw new RulesError(
      'RULES_INVALID_INPUT',
      `unknown request "${text}"; known: ${REQUEST_TYPES.join(', ')}`,
      {
        messageVi: `không có loại yêu cầu "${text}"; các loại: ${REQUEST_TYPES.join(', ')}`,
      },
    );
  }
  return text as RequestType;
}

function listParam(rule: RuleRecord, key: string): string[] {
  const v = rule.params[key];
  return Array.isArray(v) ? v : [];
}

function textParam(rule: RuleRecord | undefined, key: string): string | null {
  const v = rule?.params[key];
  return typeof v === 'string' ? v : null;
}

function staleOfficesOf(
  offices: (string | null)[],
  province: ProvinceId | undefined,
  at: string,
): StaleOffice[] {
  const renamed = JURISDICTIONS.find((j) => j.id === province)?.renamedOffices ?? [];
  return renamed
    .filter((r) => offices.includes(r.office) && r.from <= at)
    .map((r) => ({
      office: r.office,
      now: r.now,
      since: r.from,
      sinceVerified: r.fromVerified,
      source: r.source,
    }));
}

/**
 * Where a certification request goes on a date, in a province: who receives it (the CA under
 * Nghị định 68/2024/NĐ-CP Điều 4, or the provincial department where a regulation in force says so),
 * through what channel, who gets a copy, and which office the managing agency works with, each with
 * its citation. Offices a text names under an old name are kept as the text has them and reported.
 * @example
 * ```ts
 * const route = routeRequest('renewal', { province: 'son-la', at: '2026-12-01' });
 * route.to; route.copyTo; route.channel;
 * ```
 */
export function routeRequest(request: RequestType, options: RouteOptions): RequestRoute {
  const at = parseIsoDate(options.at, 'at');
  const province = parseProvince(options.province);
  parseRequestType(request);
  const drafts = { includeDrafts: options.includeDrafts === true };
  const inForce = rulesAt(at, province, drafts);
  const concerns = (r: RuleRecord) => listParam(r, 'requests').includes(request);
  const routeCandidates = inForce.filter((r) => r.check === 'request.route' && concerns(r));
  const coordinationCandidates = inForce.filter((r) => r.check === 'request.coordination' && concerns(r));
  const route = preferred(routeCandidates, at);
  const copies = inForce.filter((r) => r.check === 'request.copy' && concerns(r));
  const coordination = preferred(coordinationCandidates, at);
  const reasons: Reason[] = [];
  if (route) reasons.push(statementOf(route));
  else
    reasons.push(
      noRuleEncoded(
        {
          vi: `nơi nhận đề nghị ${requestName(request).vi}`,
          en: `where a request for ${requestName(request).en} goes`,
        },
        at,
      ),
    );
  const copyTo = [
    ...(route && textParam(route, 'copyTo') ? [textParam(route, 'copyTo')!] : []),
    ...copies.map((c) => textParam(c, 'copyTo')).filter((c): c is string => c !== null),
  ];
  for (const c of copies) reasons.push(statementOf(c));
  const coordinateWith = textParam(coordination, 'coordinateWith');
  if (coordination) reasons.push(statementOf(coordination));
  const staleOffices = staleOfficesOf([textParam(route, 'to'), coordinateWith, ...copyTo], province, at);
  for (const s of staleOffices) {
    reasons.push(
      reasonOf(
        coordination ?? route!,
        `${s.office} nay là ${s.now} (${s.sinceVerified ? 'từ' : 'chậm nhất từ, ngày chưa được xác minh:'} ${s.since}); văn bản chưa được sửa theo.`,
        `${s.office} is now ${s.now} (${s.sinceVerified ? 'since' : 'by, date unverified:'} ${s.since}); the text has not been amended.`,
      ),
    );
  }
  // Stale provincial rules are reported whether they lost to the national rule or still apply.
  const considered = [...routeCandidates, ...coordinationCandidates, ...copies];
  return {
    request,
    at,
    province: province ?? null,
    outcome: route ? 'routed' : 'no-rule-encoded',
    from: route ? 'managing-agency' : null,
    to: textParam(route, 'to'),
    channels: route ? listParam(route, 'channels') : [],
    signedElectronically:
      typeof route?.params.signedElectronically === 'boolean' ? route.params.signedElectronically : null,
    copyTo,
    coordinateWith,
    staleOffices,
    reasons,
    staleCitations: staleCitations(at, province).filter((s) =>
      considered.some((u) => u.id === s.ruleId && isStaleOn(u, at)),
    ),
  };
}
