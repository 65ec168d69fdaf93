import { parseIsoDate } from '../dates.js';
import { RulesError } from '../errors.js';
import documentsData from './documents.json';
import jurisdictionsData from './jurisdictions.json';
import nationalData from './national.json';
import provincesData from './provinces.json';
import {
  type Citation,
  type Jurisdiction,
  type JurisdictionId,
  type LegalDocument,
  PROVINCES,
  type ProvinceId,
  type RuleRecord,
} from './types.js';

const TOPICS = [
  'issue',
  'validity',
  'renewal',
  'information-change',
  'revocation',
  'token',
  'document',
  'reporting',
  'request',
  'subscriber',
];
const GRADES = ['A', 'B', 'C'];
const STATUSES = ['in-force', 'superseded', 'draft'];

/** Every legal document the rules cite. */
export const LEGAL_DOCUMENTS: readonly LegalDocument[] =
  documentsData.documents as unknown as LegalDocument[];
/** The national baseline and the province profiles. */
export const JURISDICTIONS: readonly Jurisdiction[] =
  jurisdictionsData.jurisdictions as unknown as Jurisdiction[];
/** Every rule, national first. */
export const RULES: readonly RuleRecord[] = [
  ...nationalData.rules,
  ...provincesData.rules,
] as unknown as RuleRecord[];

/**
 * Checks rule records against the schema: required fields, known topics, jurisdictions, statuses
 * and documents, real dates, a citation, both languages, and no two versions of one rule in force
 * over overlapping periods. Returns the problems (empty when all is well); the build fails on any.
 */
export function validateRules(
  rules: readonly RuleRecord[],
  documents: readonly LegalDocument[] = LEGAL_DOCUMENTS,
): string[] {
  const problems: string[] = [];
  const docIds = new Set(documents.map((d) => d.id));
  const jurisdictionIds = new Set<string>(['national', ...PROVINCES]);
  const byId = new Map<string, RuleRecord[]>();
  for (const [i, r] of rules.entries()) {
    const where = `rule #${i} (${r?.id ?? 'no id'})`;
    if (!r || typeof r !== 'object') {
      problems.push(`${where}: not an object`);
      continue;
    }
    if (typeof r.id !== 'string' || !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(r.id))
      problems.push(`${where}: id must be dotted lower-case words`);
    if (!TOPICS.includes(r.topic)) problems.push(`${where}: unknown topic "${r.topic}"`);
    if (!jurisdictionIds.has(r.jurisdiction))
      problems.push(`${where}: unknown jurisdiction "${r.jurisdiction}"`);
    if (!STATUSES.includes(r.status)) problems.push(`${where}: unknown status "${r.status}"`);
    if (!r.statement?.vi?.trim() || !r.statement?.en?.trim())
      problems.push(`${where}: needs a statement in Vietnamese and English`);
    if (!r.source || !docIds.has(r.source.document))
      problems.push(`${where}: cites no known document ("${r.source?.document}")`);
    if (!r.source?.article || !/^Điều \d+/.test(r.source.article))
      problems.push(`${where}: cites no article (e.g. "Điều 12")`);
    if (typeof r.source?.textSeen !== 'boolean')
      problems.push(`${where}: says not whether the article text was seen`);
    if (r.source && r.source.textSeen === false && !r.source.citedBy)
      problems.push(`${where}: an unseen article needs citedBy`);
    if (r.source?.citedBy && !docIds.has(r.source.citedBy.split(' ')[0]!))
      problems.push(`${where}: citedBy must start with a known document id ("${r.source.citedBy}")`);
    if (!GRADES.includes(r.source?.grade)) problems.push(`${where}: needs a source grade A, B or C`);
    if (r.source?.textSeen === false && r.source.grade === 'A')
      problems.push(`${where}: grade A means the article text was seen`);
    for (const a of r.assumptions ?? []) {
      if (!(a.param in (r.params ?? {}))) problems.push(`${where}: assumption on unknown param "${a.param}"`);
      if (!a.vi?.trim() || !a.en?.trim())
        problems.push(`${where}: assumption "${a.param}" needs Vietnamese and English`);
    }
    for (const c of r.source?.citesNational ?? [])
      if (!docIds.has(c)) problems.push(`${where}: cites unknown national text "${c}"`);
    try {
      parseIsoDate(r.period?.from, `${where} period.from`);
      if (r.period.to !== undefined) parseIsoDate(r.period.to, `${where} period.to`);
      if (r.period.to !== undefined && r.period.to < r.period.from)
        problems.push(`${where}: period ends before it starts`);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
    if (!r.params || typeof r.params !== 'object') problems.push(`${where}: params must be an object`);
    if (typeof r.check !== 'string' || r.check.length === 0) problems.push(`${where}: names no check`);
    const key = `${r.jurisdiction}/${r.id}`;
    byId.set(key, [...(byId.get(key) ?? []), r]);
  }
  for (const [key, versions] of byId) {
    const sorted = [...versions].sort((a, b) => (a.period?.from ?? '').localeCompare(b.period?.from ?? ''));
    for (let i = 1; i < sorted.length; i += 1) {
      const prev = sorted[i - 1]!;
      if (prev.period.to === undefined || prev.period.to >= sorted[i]!.period.from) {
        problems.push(`${key}: versions from ${prev.period.from} and ${sorted[i]!.period.from} overlap`);
      }
    }
  }
  return problems;
}

/**
 * Checks the legal documents: each says where its start date comes from, and whether that was read
 * in a text or stands in for one. Returns the problems (empty when all is well).
 */
export function validateDocuments(documents: readonly LegalDocument[] = LEGAL_DOCUMENTS): string[] {
  const problems: string[] = [];
  for (const d of documents) {
    if (!d.fromSource?.trim()) problems.push(`document ${d.id}: says not where its start date comes from`);
    if (typeof d.fromVerified !== 'boolean')
      problems.push(`document ${d.id}: says not whether its start date was verified`);
    if (d.fromVerified === false && !/unverified/i.test(d.fromSource ?? ''))
      problems.push(`document ${d.id}: an unverified start date must say "unverified" in fromSource`);
    try {
      parseIsoDate(d.from, `document ${d.id} from`);
      if (d.to !== undefined) parseIsoDate(d.to, `document ${d.id} to`);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

/** The province profile ids, for messages. */
export function knownProvinces(): string {
  return PROVINCES.join(', ');
}

/** Checks a province id and returns it; names the accepted values otherwise. */
export function parseProvince(id: string | undefined): ProvinceId | undefined {
  if (id === undefined) return undefined;
  if (!(PROVINCES as readonly string[]).includes(id)) {
    throw new RulesError('RULES_UNKNOWN_PROVINCE', `unknown province "${id}"; known: ${knownProvinces()}`, {
      messageVi: `không có tỉnh "${id}"; các tỉnh có: ${knownProvinces()}`,
    });
  }
  return id as ProvinceId;
}

/** Options of {@link rulesAt}. */
export interface RulesAtOptions {
  /** Include draft rules (default false). */
  includeDrafts?: boolean;
}

/** The rules in force on `date` for the national baseline plus `province`. */
export function rulesAt(date: string, province?: ProvinceId, options: RulesAtOptions = {}): RuleRecord[] {
  parseIsoDate(date);
  const wanted = new Set<JurisdictionId>(['national', ...(province ? [province] : [])]);
  return RULES.filter(
    (r) =>
      wanted.has(r.jurisdiction) &&
      r.period.from <= date &&
      (r.period.to === undefined || date <= r.period.to) &&
      (r.status !== 'draft' || options.includeDrafts === true),
  );
}

/** The one version of rule `id` in force on `date` in the jurisdictions, or undefined. */
export function ruleAt(
  id: string,
  date: string,
  province?: ProvinceId,
  options: RulesAtOptions = {},
): RuleRecord | undefined {
  return preferred(
    rulesAt(date, province, options).filter((r) => r.id === id),
    date,
  );
}

/**
 * Whether a provincial rule rests on a national text no longer in force on `date` (Hà Tĩnh's 2020
 * regulation under Thông tư 185/2019/TT-BQP after 15/08/2024).
 */
export function isStaleOn(rule: RuleRecord, date: string): boolean {
  return (rule.source.citesNational ?? []).some((c) => {
    const doc = LEGAL_DOCUMENTS.find((d) => d.id === c);
    return doc?.to !== undefined && doc.to < date;
  });
}

/**
 * The rule that applies among candidates for one question: a provincial rule wins over the national
 * one, unless it rests on a national text repealed by then, in which case the national rule in force
 * wins (the repealed text no longer binds, and neither does what a province built on it). A stale
 * provincial rule still applies where no national rule answers, and is reported stale.
 */
export function preferred(candidates: readonly RuleRecord[], date: string): RuleRecord | undefined {
  const provincial = candidates.filter((r) => r.jurisdiction !== 'national');
  const national = candidates.filter((r) => r.jurisdiction === 'national');
  return provincial.find((r) => !isStaleOn(r, date)) ?? national[0] ?? provincial[0];
}

/** The first rule in force on `date` that drives `check`, provincial before national. */
export function ruleForCheck(
  check: string,
  date: string,
  province?: ProvinceId,
  options: RulesAtOptions = {},
): RuleRecord | undefined {
  return preferred(
    rulesAt(date, province, options).filter((r) => r.check === check),
    date,
  );
}

/** The citation of a rule: `Nghị định 68/2024/NĐ-CP, Điều 12`. */
export function citationOf(rule: RuleRecord): Citation {
  const doc = LEGAL_DOCUMENTS.find((d) => d.id === rule.source.document)!;
  const clause = rule.source.clause ? `, ${rule.source.clause}` : '';
  const restatedIn = restatement(rule.source.citedBy);
  return {
    ruleId: rule.id,
    text: `${doc.short}, ${rule.source.article}${clause}`,
    document: doc.title,
    article: rule.source.article,
    ...(rule.source.clause ? { clause: rule.source.clause } : {}),
    textSeen: rule.source.textSeen,
    grade: rule.source.grade,
    ...(restatedIn ? { restatedIn } : {}),
  };
}

/** `ninh-binh-165-2025 Điều 10 khoản 6` → `Quyết định 165/2025/QĐ-UBND (Ninh Bình), Điều 10 khoản 6`. */
function restatement(citedBy: string | undefined): string | undefined {
  if (!citedBy) return undefined;
  const [id, ...rest] = citedBy.split(' ');
  const doc = LEGAL_DOCUMENTS.find((d) => d.id === id);
  return doc ? `${doc.short}, ${rest.join(' ')}` : citedBy;
}

/**
 * Provincial rules in force on `date` that rest on national texts no longer in force then (Hà
 * Tĩnh's 2020 regulation under Nghị định 130/2018 and Thông tư 185/2019, replaced by Nghị định
 * 68/2024 from 15/08/2024).
 */
export function staleCitations(
  date: string,
  province?: ProvinceId,
): { ruleId: string; cites: string; replacedBy?: string }[] {
  const out: { ruleId: string; cites: string; replacedBy?: string }[] = [];
  for (const r of rulesAt(date, province)) {
    if (r.jurisdiction === 'national') continue;
    for (const c of r.source.citesNational ?? []) {
      const doc = LEGAL_DOCUMENTS.find((d) => d.id === c);
      if (doc?.to !== undefined && doc.to < date)
        out.push({ ruleId: r.id, cites: c, ...(doc.replacedBy ? { replacedBy: doc.replacedBy } : {}) });
    }
  }
  return out;
}
