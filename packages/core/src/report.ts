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
