import type { Indication, LocalizedMessage, SignatureReport, SubIndication } from '@kyso/core';

/** The report model is core's, shared by every package (`@kyso/lifecycle-rules` reads it too). */
export type { PdfVerificationReport, SignatureReport, SignatureReportCheck } from '@kyso/core';

/** A report before any check ran: failed until the checks say otherwise. */
export function blankReport(
  index: number,
  kind: SignatureReport['kind'],
  fieldName: string,
  subFilter: string | null,
): SignatureReport {
  return {
    index,
    kind,
    fieldName,
    subFilter,
    indication: 'TOTAL_FAILED',
    subIndication: 'FORMAT_FAILURE',
    intact: false,
    signer: { commonName: null, organization: null, kind: null },
    path: [],
    timestampAuthority: null,
    signingTime: null,
    signingTimeProven: false,
    claimedSigningTime: null,
    timestamped: false,
    timestampTime: null,
    proofOfExistence: null,
    reason: null,
    location: null,
    coversWholeDocument: false,
    modifiedAfter: 'none',
    checks: [],
  };
}

/** Records a failed check and the indication it leads to. */
export function fail(
  report: SignatureReport,
  id: string,
  sub: SubIndication,
  indication: Indication,
  en: string,
  vi: string,
): void {
  report.indication = indication;
  report.subIndication = sub;
  report.checks.push({ id, status: 'failed', message: { en, vi } });
}

/** Records a check that passed or only warns. */
export function note(
  report: SignatureReport,
  id: string,
  status: 'passed' | 'warning',
  message: LocalizedMessage,
): void {
  report.checks.push({ id, status, message });
}
