import type { Indication, LocalizedMessage, SubIndication } from '@kyso/core';
import type { EncryptionInfo } from '../reader/encryption/standard-handler.js';
import type { ModificationLevel } from './modifications.js';

/** One check behind a signature's indication. */
export interface SignatureCheck {
  id: string;
  status: 'passed' | 'failed' | 'warning' | 'indeterminate';
  message: LocalizedMessage;
}

/** One signature's result, in the JSON shape `kyso verify --json` prints. */
export interface SignatureReport {
  index: number;
  /**
   * A signature (`/Sig`), a document timestamp (`/DocTimeStamp`, ETSI.RFC3161) whose signer is its
   * TSA, or a usage-rights signature (`/Perms /UR3`): a reader vendor's signature unlocking
   * features, checked and listed, never counted in the document's indication.
   */
  kind: 'signature' | 'timestamp' | 'usage-rights';
  fieldName: string;
  subFilter: string | null;
  indication: Indication;
  subIndication: SubIndication | null;
  /**
   * Whether the signed bytes are unchanged and the signature value (or, for a document timestamp,
   * the imprint and the TSA's signature) verifies. A later signature that is not intact vouches
   * for nothing it shows.
   */
  intact: boolean;
  signer: { commonName: string | null; organization: string | null; kind: string | null };
  /**
   * The time to show: the signature timestamp's when it is valid, else a time the signer claims
   * that nothing contradicts (see `signingTimeProven`); null when the claims disagree.
   */
  signingTime: string | null;
  /** Whether {@link SignatureReport.signingTime} is proven by a valid timestamp rather than claimed. */
  signingTimeProven: boolean;
  /** The earliest time the signer claims (CMS signing-time or /M): reported, never used to validate. */
  claimedSigningTime: string | null;
  /** A signature timestamp is present whose imprint and TSA signature verify. */
  timestamped: boolean;
  /** Its time, when the TSA's certificate also validates to a trust anchor. */
  timestampTime: string | null;
  /**
   * The proof of existence the certificate was validated at, when it passed only at that earlier
   * time (ETSI EN 319 102-1 §5.6.2: past certificate validation); null when it passed at the
   * validation time, or did not pass.
   */
  proofOfExistence: { time: string; source: LocalizedMessage } | null;
  coversWholeDocument: boolean;
  modifiedAfter: ModificationLevel;
  checks: SignatureCheck[];
}

/** The document's result. */
export interface PdfVerificationReport {
  /**
   * Over the signatures; a document with only document timestamps takes theirs. A timestamp whose
   * TSA is not trusted does not make signed content doubtful; a broken one is an unsigned change
   * that fails every earlier signature.
   */
  indication: Indication;
  /** The time every certificate was validated at (the `at` option, or when verification ran). */
  validationTime: string;
  /**
   * Set when the document is encrypted (and kyso decrypted it for reading): the security handler,
   * its version and revision, the ciphers of streams and strings, and which password opened it.
   * Signatures cover the encrypted bytes as written, so they verify as for any other file.
   */
  encryption: EncryptionInfo | null;
  /**
   * Set when the file's cross-reference data is broken and kyso read it by scanning for objects:
   * the end of the last intact revision and why. Nothing after that end can be `allowed`.
   */
  reconstructed: { intactEnd: number; reason: string } | null;
  signatures: SignatureReport[];
}

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
    signingTime: null,
    signingTimeProven: false,
    claimedSigningTime: null,
    timestamped: false,
    timestampTime: null,
    proofOfExistence: null,
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
