import type { IsoDate } from '../dates.js';

/** The provinces kyso carries regulations for. */
export const PROVINCES = ['son-la', 'phu-tho', 'ha-tinh', 'lao-cai', 'dien-bien'] as const;

/** A province profile id. */
export type ProvinceId = (typeof PROVINCES)[number];

/** `national` or a province. */
export type JurisdictionId = 'national' | ProvinceId;

/** What a rule is about. */
export type RuleTopic =
  | 'issue'
  | 'validity'
  | 'renewal'
  | 'information-change'
  | 'revocation'
  | 'token'
  | 'document'
  | 'reporting';

/** Where a rule comes from. */
export interface RuleSource {
  /** Id of a legal document in the registry (`nd-68-2024`, `phu-tho-2025`, …). */
  document: string;
  /** `Điều 12` */
  article: string;
  /** `khoản 2`, `khoản 1 điểm c` */
  clause?: string;
  /** Whether the article's own text was seen; when false, `citedBy` says where it is restated. */
  textSeen: boolean;
  /** The provincial text that restates a national article not seen (`phu-tho-2025 Điều 5 khoản 1`). */
  citedBy?: string;
  /** National texts a provincial rule rests on (to report those no longer in force). */
  citesNational?: string[];
}

/** One rule: what it says, where it comes from, when it is in force, and what it parameterises. */
export interface RuleRecord {
  id: string;
  topic: RuleTopic;
  jurisdiction: JurisdictionId;
  status: 'in-force' | 'superseded' | 'draft';
  statement: { vi: string; en: string };
  source: RuleSource;
  period: { from: IsoDate; to?: IsoDate };
  params: Record<string, number | string | boolean | string[]>;
  /** The evaluation the rule drives (`renewal.conditions`, `document.required-signatures`, …). */
  check: string;
}

/** A legal document the rules cite. */
export interface LegalDocument {
  id: string;
  /** How citations name it: `Nghị định 68/2024/NĐ-CP`. */
  short: string;
  title: string;
  issuer: string;
  from: IsoDate;
  to?: IsoDate;
  status: 'in-force' | 'superseded' | 'draft';
  replacedBy?: string;
  cites?: string[];
  note?: string;
}

/** A jurisdiction profile: who handles what there, and its regulations. */
export interface Jurisdiction {
  id: JurisdictionId;
  name: { vi: string; en: string };
  authorities: Record<string, string>;
  documents?: string[];
}

/** A citation as reports show it: `Nghị định 68/2024/NĐ-CP, Điều 12`. */
export interface Citation {
  ruleId: string;
  text: string;
  document: string;
  article: string;
  clause?: string;
  /** Whether the article's own text was seen (else it is encoded from a restatement). */
  textSeen: boolean;
}
