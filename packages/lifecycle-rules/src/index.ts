/**
 * `@kyso/lifecycle-rules`: the decrees on public-service digital signatures as data, evaluated at a
 * date, per province: certificate lifecycle, documents, reporting, and a Vietnamese working-day
 * calendar. Pure: no clock, no network, no runtime import of `@kyso/core`.
 *
 * @packageDocumentation
 */

export type { Holiday } from './calendar/holidays.js';
export { addWorkingDays, holidaysOf, isWorkingDay, workingDaysBetween } from './calendar/holidays.js';
export type { LunarDate } from './calendar/lunar.js';
export { lunarToSolar, solarToLunar, VIETNAM_TIME_ZONE } from './calendar/lunar.js';
export type { CertificateEvaluation, CertificateFacts, EvaluateOptions, Reason } from './certificate.js';
export { evaluateCertificate } from './certificate.js';
export type { IsoDate } from './dates.js';
export { addDays, daysBetween, parseIsoDate, vietnamDate } from './dates.js';
export type {
  DocumentDecision,
  DocumentFacts,
  DocumentVerification,
  IncomingDocumentOptions,
} from './documents.js';
export { evaluateIncomingDocument, evaluateOutgoingDocument } from './documents.js';
export type { RulesErrorCode } from './errors.js';
export { RulesError } from './errors.js';
export type { ReportDue } from './reports.js';
export { reportingCalendar } from './reports.js';
export {
  citationOf,
  JURISDICTIONS,
  LEGAL_DOCUMENTS,
  parseProvince,
  RULES,
  ruleAt,
  rulesAt,
  staleCitations,
  validateRules,
} from './rules/registry.js';
export type {
  Citation,
  Jurisdiction,
  JurisdictionId,
  LegalDocument,
  ProvinceId,
  RuleRecord,
  RuleSource,
  RuleTopic,
} from './rules/types.js';
export { PROVINCES } from './rules/types.js';
