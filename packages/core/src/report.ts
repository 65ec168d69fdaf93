/**
 * The validation report model, after ETSI TS 119 102-1 (signature validation) and EN 319 102-1:
 * a main indication, a sub-indication that says why, and the checks that led there, each with a
 * message in Vietnamese and English. Reports are plain data and serialise to stable JSON.
 */

/** The main status indication of ETSI TS 119 102-1 §5.1.3. */
export type Indication = 'TOTAL_PASSED' | 'TOTAL_FAILED' | 'INDETERMINATE';

/** Sub-indications of TOTAL_FAILED (ETSI TS 119 102-1, table 5). */
export const FAILED_SUB_INDICATIONS = [
  'FORMAT_FAILURE',
  'HASH_FAILURE',
  'SIG_CRYPTO_FAILURE',
  'REVOKED',
  'EXPIRED',
  'NOT_YET_VALID',
] as const;

/** Sub-indications of INDETERMINATE (ETSI TS 119 102-1, table 6). */
export const INDETERMINATE_SUB_INDICATIONS = [
  'SIG_CONSTRAINTS_FAILURE',
  'CHAIN_CONSTRAINTS_FAILURE',
  'CERTIFICATE_CHAIN_GENERAL_FAILURE',
  'CRYPTO_CONSTRAINTS_FAILURE',
  'EXPIRED',
  'NOT_YET_VALID',
  'POLICY_PROCESSING_ERROR',
  'SIGNATURE_POLICY_NOT_AVAILABLE',
  'TIMESTAMP_ORDER_FAILURE',
  'NO_SIGNING_CERTIFICATE_FOUND',
  'NO_CERTIFICATE_CHAIN_FOUND',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'REVOCATION_OUT_OF_BOUNDS_NO_POE',
  'CRYPTO_CONSTRAINTS_FAILURE_NO_POE',
  'NO_POE',
  'TRY_LATER',
  'SIGNED_DATA_NOT_FOUND',
  'CUSTOM',
] as const;

/** Any ETSI TS 119 102-1 sub-indication. */
export type SubIndication =
  | (typeof FAILED_SUB_INDICATIONS)[number]
  | (typeof INDETERMINATE_SUB_INDICATIONS)[number];

/** A message an official reads, in both languages. */
export interface LocalizedMessage {
  vi: string;
  en: string;
}

/** The outcome of one named check. */
export type CheckStatus = 'passed' | 'failed' | 'warning' | 'indeterminate' | 'skipped';

/** One check that contributed to an indication: `{ id: 'signature', status: 'failed', ... }`. */
export interface Check {
  /** A stable identifier such as `signature`, `validity`, `basic-constraints`, `revocation`. */
  id: string;
  /** What happened. */
  status: CheckStatus;
  /** What it means, in Vietnamese and English. */
  message: LocalizedMessage;
  /** Position in the certification path (0 = trust anchor side first certificate), when relevant. */
  certificateIndex?: number;
}

/** The indication, sub-indication and checks that every kyso report carries. */
export interface ValidationStatus {
  indication: Indication;
  subIndication: SubIndication | null;
  checks: Check[];
}

/** Picks the message in `lang` from a {@link LocalizedMessage}. */
export function localize(message: LocalizedMessage, lang: 'vi' | 'en'): string {
  return message[lang];
}

/**
 * What changed after a signature: `none`; `allowed`, only what the signer permitted; `disallowed`,
 * something else; `indeterminate`, the analysis hit one of its limits and could not decide.
 */
export type ModificationLevel = 'none' | 'allowed' | 'disallowed' | 'indeterminate';

/** Who a certificate names, as a signature report shows the signer or a timestamp's TSA. */
export interface SignerIdentity {
  commonName: string | null;
  organization: string | null;
  /**
   * `personal`, `organisation` or `device` (the subscriber kinds of the Vietnamese public-service
   * PKI, from core's certificate profile), `ca`, or `timestamp-authority` for a document
   * timestamp's TSA (a service, never a person or agency signing a document); null when unknown.
   */
  kind: 'personal' | 'organisation' | 'device' | 'ca' | 'timestamp-authority' | null;
  /** The subject, RFC 4514, most specific first. */
  subject?: string;
  /** The issuer, RFC 4514. */
  issuer?: string;
  /** Serial number, upper-case hex. */
  serialNumber?: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  fingerprintSha256?: string;
  /** Validity, ISO 8601. */
  notBefore?: string;
  notAfter?: string;
  /** Identifiers the subject carries: `MST`, `CCCD`, `CMND`, budget codes (`MNS`), … */
  identifiers?: { type: string; value: string }[];
  /** The certificate itself, when the caller asked for it (PEM, or base64 DER). */
  certificate?: string;
}

/** One certificate of a validated certification path, trust anchor first. */
export interface ReportPathCertificate {
  role: 'trust-anchor' | 'intermediate' | 'end-entity';
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

/** One check behind a signature's indication. */
export interface SignatureReportCheck {
  id: string;
  status: 'passed' | 'failed' | 'warning' | 'indeterminate';
  message: LocalizedMessage;
}

/**
 * One signature's result in a document verification report (`@kyso/pdf-signature`'s `verifyPdf`,
 * `kyso verify --json`): plain data, stable JSON; times are ISO 8601 with an offset.
 */
export interface SignatureReport {
  index: number;
  /**
   * A signature (`/Sig`), a document timestamp (`/DocTimeStamp`, ETSI.RFC3161) whose signer is its
   * TSA, or a usage-rights signature (`/Perms /UR3`), which grants viewer features and signs nothing
   * for the document.
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
  /** Who signed, as the certificate names them. */
  signer: SignerIdentity;
  /** The certification path validated for the signer (trust anchor first), or the best candidate; empty when none. */
  path: ReportPathCertificate[];
  /** The TSA of the signature timestamp (or of the document timestamp), when there is one. */
  timestampAuthority: SignerIdentity | null;
  /**
   * The time to show: the signature timestamp's when it is valid, else a time the signer claims
   * that nothing contradicts (see `signingTimeProven`); null when the claims disagree.
   */
  signingTime: string | null;
  /** Whether `signingTime` is proven by a valid timestamp rather than claimed. */
  signingTimeProven: boolean;
  /** The earliest time the signer claims (CMS signing-time or /M): reported, never used to validate. */
  claimedSigningTime: string | null;
  /** A signature timestamp is present whose imprint and TSA signature verify. */
  timestamped: boolean;
  /** Its time, when the TSA's certificate also validates to a trust anchor. */
  timestampTime: string | null;
  /**
   * The proof of existence the certificate was validated at, when it passed only at that earlier
   * time (ETSI EN 319 102-1 §5.6.2: past certificate validation); null otherwise.
   */
  proofOfExistence: { time: string; source: LocalizedMessage } | null;
  /** `/Reason`, `/Location` and `/ContactInfo` as the signer wrote them (claims, like the time). */
  reason: string | null;
  location: string | null;
  coversWholeDocument: boolean;
  modifiedAfter: ModificationLevel;
  checks: SignatureReportCheck[];
}

/** A document's verification report. */
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
   * Set when the document is encrypted (and was decrypted for reading): the security handler, its
   * version and revision, the ciphers of streams and strings, and which password opened it.
   * Signatures cover the encrypted bytes as written, so they verify as for any other file.
   */
  encryption: {
    /** The security handler (`Standard`). */
    filter: string;
    version: number;
    revision: number;
    streams: 'RC4-40' | 'RC4-128' | 'AES-128' | 'AES-256' | 'none';
    strings: 'RC4-40' | 'RC4-128' | 'AES-128' | 'AES-256' | 'none';
    encryptMetadata: boolean;
    authenticatedAs: 'user' | 'owner';
    userPasswordEmpty: boolean;
  } | null;
  /**
   * Set when the file's cross-reference data is broken and it was read by scanning for objects:
   * the end of the last intact revision and why. Nothing after that end can be `allowed`.
   */
  reconstructed: { intactEnd: number; reason: string } | null;
  signatures: SignatureReport[];
}
