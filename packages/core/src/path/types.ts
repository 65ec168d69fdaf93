import type { CryptoPolicy } from '../crypto/policy.js';
import type { LocalizedMessage, SubIndication } from '../report.js';
import type { OcspResponse } from '../revocation/ocsp.js';
import type { Transport } from '../transport.js';
import type { Certificate } from '../x509/certificate.js';
import type { Crl } from '../x509/crl.js';
import type { KeyUsage } from '../x509/extensions.js';
import type { PathBuildingBudget } from './build.js';
import type { CertificatePool } from './pool.js';

/** The RFC 5280 §6.1.1 inputs besides the path itself. */
export interface PolicyInputs {
  /** user-initial-policy-set (default: anyPolicy). */
  initialPolicySet: readonly string[];
  /** initial-explicit-policy (default false). */
  explicitPolicy: boolean;
  /** initial-policy-mapping-inhibit (default false). */
  inhibitPolicyMapping: boolean;
  /** initial-any-policy-inhibit (default false). */
  inhibitAnyPolicy: boolean;
}

/**
 * What to do when a certificate's revocation status cannot be established: `hard-fail` makes the
 * result INDETERMINATE (TRY_LATER); `soft-fail` passes with a warning; `none` does not check.
 */
export type RevocationMode = 'hard-fail' | 'soft-fail' | 'none';

/** How one certificate of the path fared in revocation checking. */
export interface RevocationRecord {
  /** Index in the path, anchor side first (0 = the certificate the anchor issued). */
  certificateIndex: number;
  serialHex: string;
  status: 'good' | 'revoked' | 'unknown' | 'not-checked';
  source: 'crl' | 'ocsp' | 'none';
  reason?: string;
  revocationTime?: string;
  /** Why the status could not be established, when unknown. */
  problems?: string[];
}

/** Everything the validation of one target shares across candidate paths and CRL issuer checks. */
export interface ValidationContext {
  time: Date;
  policy: PolicyInputs;
  anchors: CertificatePool;
  pool: CertificatePool;
  crls: readonly Crl[];
  /** OCSP responses the caller already holds (a signature's or a PDF's archived revocation data). */
  ocspResponses: readonly OcspResponse[];
  revocationMode: RevocationMode;
  useDeltaCrls: boolean;
  cryptoPolicy: CryptoPolicy;
  budget: PathBuildingBudget;
  transport?: Transport;
  leafKeyUsage?: readonly KeyUsage[];
  leafExtendedKeyUsage?: readonly string[];
  /** Recursion depth of CRL-issuer path validation. */
  depth: number;
  /**
   * Validates the certification path of a CRL (or OCSP) issuer's certificate to `anchor`, the same
   * trust anchor as the certificate being checked (RFC 5280 §6.3.3 (f)).
   */
  validateIssuerPath: (cert: Certificate, anchor: Certificate, ctx: ValidationContext) => Promise<boolean>;
  /** CRL issuers whose own path is being validated further up the stack (a CRL issuer may cover itself). */
  issuersInProgress: Set<string>;
  /** Whether verified signatures are remembered on the parsed objects. */
  signatureCache: boolean;
  /** Signature verifications done so far (bounded). */
  signatureChecks: { count: number; max: number };
  /**
   * The limits that stopped some part of the validation before it could decide, shared with the
   * CRL-issuer validations below it. A validation that hit one never passes (it fails closed).
   */
  limitsExceeded: Set<LimitCode>;
}

/**
 * A limit of validation that was reached, by stable code: path building (steps or candidate
 * paths), signature verifications, or CRL-issuer path nesting. See {@link PathBuildingBudget} for
 * the sizes. (A policy tree that outgrows its budget fails its own candidate path with
 * POLICY_PROCESSING_ERROR; it decides nothing about other paths.)
 */
export type LimitCode =
  | 'PATH_BUILD_BUDGET_EXCEEDED'
  | 'SIGNATURE_BUDGET_EXCEEDED'
  | 'CRL_ISSUER_DEPTH_EXCEEDED';

/** The first check that failed on a path. */
export interface PathFailure {
  check: string;
  subIndication: SubIndication;
  /** Index in the path, anchor side first; -1 for the path as a whole. */
  certificateIndex: number;
  message: LocalizedMessage;
}

/** A note that did not fail the path (SHA-1 signature, soft-failed revocation, …). */
export interface PathWarning {
  check: string;
  certificateIndex: number;
  message: LocalizedMessage;
}

/** The outcome of validating one candidate path. */
export interface PathOutcome {
  anchor: Certificate;
  certs: Certificate[];
  failure?: PathFailure;
  warnings: PathWarning[];
  revocation: RevocationRecord[];
  userConstrainedPolicySet: string[];
}
