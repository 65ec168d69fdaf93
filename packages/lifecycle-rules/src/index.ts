/**
 * `@kyso/lifecycle-rules`: the decrees on public-service digital signatures as data, evaluated at a
 * date, per province: certificate lifecycle, documents, reporting, and a Vietnamese working-day
 * calendar. Pure: no clock, no network, no runtime import of `@kyso/core`.
 *
 * @packageDocumentation
 */

export type { AppliedAssumption } from './assumptions.js';
export type { Holiday } from './calendar/holidays.js';
export { addWorkingDays, holidaysOf, isWorkingDay, workingDaysBetween } from './calendar/holidays.js';
export type { LunarDate } from './calendar/lunar.js';
export { lunarToSolar, solarToLunar, VIETNAM_TIME_ZONE } from './calendar/lunar.js';
export type { CertificateEvaluation, CertificateFacts, EvaluateOptions, Reason } from './certificate.js';
export { evaluateCertificate } from './certificate.js';
export { certificateFacts } from './certificate-facts.js';
export type { IsoDate } from './dates.js';
export { addDays, daysBetween, parseIsoDate, vietnamDate } from './dates.js';
export type { PaperCategory, PaperDuties } from './document-duties/paper.js';
export { PAPER_CATEGORIES, paperDuties } from './document-duties/paper.js';
export type { RecallSteps } from './document-duties/recall.js';
export { recallSteps } from './document-duties/recall.js';
export type { RegistrationDeadline } from './document-duties/registration.js';
export { incomingRegistrationDeadline } from './document-duties/registration.js';
export type { DocumentScope, ScopeExclusion } from './document-duties/scope.js';
export { documentScope, SCOPE_EXCLUSIONS } from './document-duties/scope.js';
export type { UrgentDuties } from './document-duties/urgent.js';
export { urgentDocumentDuties } from './document-duties/urgent.js';
export type {
  DocumentDecision,
  DocumentFacts,
  DocumentVerification,
  IncomingDocumentOptions,
  OutgoingDecision,
  OutgoingOptions,
} from './documents.js';
export { evaluateIncomingDocument, evaluateOutgoingDocument } from './documents.js';
export type { RulesErrorCode } from './errors.js';
export { RulesError } from './errors.js';
export type { ReportDue } from './reports.js';
export { reportingCalendar } from './reports.js';
export type { RequestRoute, RequestType, RouteOptions, StaleOffice } from './routing.js';
export { parseRequestType, REQUEST_TYPES, requestName, routeRequest } from './routing.js';
export type { RulesAtOptions } from './rules/registry.js';
export {
  citationOf,
  isStaleOn,
  JURISDICTIONS,
  LEGAL_DOCUMENTS,
  parseProvince,
  RULES,
  ruleAt,
  rulesAt,
  staleCitations,
  validateDocuments,
  validateRules,
} from './rules/registry.js';
export type {
  Citation,
  Jurisdiction,
  JurisdictionId,
  LegalDocument,
  ProvinceId,
  RenamedOffice,
  RuleAssumption,
  RuleRecord,
  RuleSource,
  RuleTopic,
} from './rules/types.js';
export { PROVINCES } from './rules/types.js';
export type { SubscriberDutiesOptions, SubscriberDuty, SubscriberEvent } from './subscriber-duties.js';
export { SUBSCRIBER_EVENTS, subscriberDuties } from './subscriber-duties.js';
