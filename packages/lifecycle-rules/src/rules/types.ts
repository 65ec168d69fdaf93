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
  | 'reporting'
  | 'request'
  | 'subscriber';

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
  /**
   * How sure the encoding is (the grades of the legal digest): `A` the article's own text was seen;
   * `B` a faithful restatement (a provincial text, an official summary) was seen; `C` only a
   * third-party claim or an inference. Seeds are grade A for their own articles.
   */
  grade: 'A' | 'B' | 'C';
}

/** A value no text fixes that a rule needs anyway: stated, defaulted, overridable, and reported. */
export interface RuleAssumption {
  /** The parameter it sets (`latestHourNextWorkingDay`). */
  param: string;
  vi: string;
  en: string;
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
  /** Parameters that no text fixes: each is a documented default a caller may override. */
  assumptions?: RuleAssumption[];
}

/** A legal document the rules cite. */
export interface LegalDocument {
  id: string;
  /** How citations name it: `Nghị định 68/2024/NĐ-CP`. */
  short: string;
  title: string;
  issuer: string;
  /** The first day in force (for a draft: the earliest day it could speak of). */
  from: IsoDate;
  /** Where `from` comes from (`Điều 2 of the decision: in force from 01/11/2025`), or why it is a guess. */
  fromSource: string;
  /** Whether `from` was read in a text (false: a signing date or a guess standing in for it). */
  fromVerified: boolean;
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
  /**
   * Offices a regulation names that no longer exist under that name (Sở Thông tin và Truyền thông,
   * merged into Sở Khoa học và Công nghệ in the 2025 reorganisation): answers keep the text's office
   * and report this.
   */
  renamedOffices?: RenamedOffice[];
}

/** An office a text names, and what it became. */
export interface RenamedOffice {
  office: string;
  now: string;
  /** From when the new office is attested (the source may be later than the change itself). */
  from: IsoDate;
  /** Where the change is attested. */
  source: string;
  fromVerified: boolean;
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
  /** The grade of the source (see {@link RuleSource.grade}). */
  grade: 'A' | 'B' | 'C';
  /** The text that restates an article not seen, as a citation (`Quyết định 165/2025/QĐ-UBND (Ninh Bình), Điều 10 khoản 6`). */
  restatedIn?: string;
}
