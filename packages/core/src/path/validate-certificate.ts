import { type CryptoPolicy, defaultCryptoPolicy } from '../crypto/policy.js';
import { checkValidateCertificateOptions } from '../lib/options.js';
import type { Check, Indication, LocalizedMessage, SubIndication, ValidationStatus } from '../report.js';
import type { OcspResponse } from '../revocation/ocsp.js';
import type { Transport } from '../transport.js';
import type { TrustStore } from '../trust/store.js';
import type { Certificate } from '../x509/certificate.js';
import type { Crl } from '../x509/crl.js';
import type { KeyUsage } from '../x509/extensions.js';
import { formatName } from '../x509/name.js';
import { OID } from '../x509/oids.js';
import { type BuildState, buildPaths, DEFAULT_BUDGET, type PathBuildingBudget } from './build.js';
import { CertificatePool, certificateId } from './pool.js';
import type {
  LimitCode,
  PathOutcome,
  PolicyInputs,
  RevocationMode,
  RevocationRecord,
  ValidationContext,
} from './types.js';
import { validatePath } from './validate.js';

/** Options of {@link validateCertificate}. */
export interface ValidateCertificateOptions {
  /** The certificate to validate. */
  certificate: Certificate;
  /**
   * Trust anchors (usually self-signed roots), or a {@link TrustStore} such as
   * `trustProfile('vn-gov')`, whose intermediates join the pool. A path must end at an anchor.
   */
  trustAnchors: readonly Certificate[] | TrustStore;
  /** Other certificates path building may use (intermediates, cross-certificates). */
  intermediates?: readonly Certificate[];
  /** CRLs revocation checking may use (complete and delta). */
  crls?: readonly Crl[];
  /**
   * OCSP responses already at hand, tried after the CRLs and before any fetch: those a signature
   * or a PDF archives (adbe-revocationInfoArchival, the DSS dictionary). Each is checked like a
   * fetched one (CertID, responder, signature, freshness at the validation time) except for the
   * nonce, which only a live request has.
   */
  ocspResponses?: readonly OcspResponse[];
  /** The moment the certificate must be valid at. Nothing inside reads the clock. */
  validationTime: Date;
  /**
   * What an unknown revocation status means, echoed in the report (default `hard-fail`: the result
   * is INDETERMINATE/TRY_LATER). Anything but `hard-fail`, `soft-fail` or `none` throws.
   */
  revocation?: RevocationMode;
  /** Apply delta CRLs (default true). */
  useDeltaCrls?: boolean;
  /** RFC 5280 policy inputs; by default any policy, nothing explicit, mapping and anyPolicy allowed. */
  policy?: Partial<PolicyInputs>;
  /** Cryptographic constraints (default: {@link defaultCryptoPolicy}). */
  cryptoPolicy?: CryptoPolicy;
  /**
   * Remember verified signatures on the parsed objects, so that validating the same certificates
   * again skips the cryptography (default true). Off, every validation verifies every signature.
   */
  signatureCache?: boolean;
  /**
   * Bounds on path building and on signature verifications (default 16 deep, 64 paths, 2 000
   * steps, 2 000 signature checks). A validation that reaches one is INDETERMINATE, never passed.
   */
  budget?: Partial<PathBuildingBudget>;
  /** The target must allow one of these key usages when it has the extension (e.g. `nonRepudiation`). */
  keyUsage?: readonly KeyUsage[];
  /** The target must carry one of these extended key usages when it has the extension. */
  extendedKeyUsage?: readonly string[];
  /**
   * Where OCSP responses and CRLs are fetched when the given CRLs do not settle a status (OCSP first,
   * then the CRL distribution points). Without it, validation is offline.
   */
  transport?: Transport;
}

/** One certificate of the validated path, as a report shows it. */
export interface PathCertificate {
  role: 'trust-anchor' | 'intermediate' | 'end-entity';
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

/** The result of {@link validateCertificate}: plain data that serialises to stable JSON. */
export interface CertificateValidationReport extends ValidationStatus {
  validationTime: string;
  revocationMode: RevocationMode;
  /** The path validated (or the best candidate that failed), trust anchor first; empty when none was found. */
  path: PathCertificate[];
  /** The user-constrained policy set (RFC 5280 §6.1.6) of a successful path. */
  userConstrainedPolicySet: string[];
  revocation: RevocationRecord[];
  /** How many candidate paths were tried. */
  pathsTried: number;
  /**
   * The limits the validation reached before it could decide (present only when one was): the
   * report is then INDETERMINATE (or TOTAL_FAILED when a revocation was nevertheless proven).
   */
  limitsExceeded?: LimitCode[];
}

const NO_PATH: LocalizedMessage = {
  en: 'no certification path leads from this certificate to a trust anchor',
  vi: 'không tìm được đường dẫn chứng thực từ chứng thư số này đến chứng thư số gốc tin cậy',
};

/**
 * Validates a certificate at a given time: builds candidate paths from the pool to the trust
 * anchors, validates each by RFC 5280 §6.1 and checks revocation (§6.3), and reports the first path
 * that passes, or why the best one failed. A failure is a report, never an exception.
 *
 * @throws OptionError `OPTION_INVALID` (a KysoError) naming the option, when `options` is
 *   missing or an option is wrong: an unknown `revocation` mode (`'hardfail'`), a single certificate
 *   where an array belongs, a missing `validationTime`.
 * @example
 * ```ts
 * import { parseCertificate, trustProfile, validateCertificate } from '@kyso/core';
 * const report = await validateCertificate({
 *   certificate: parseCertificate(pem),
 *   trustAnchors: trustProfile('vn-gov'),
 *   validationTime: new Date(),
 *   revocation: 'hard-fail',
 * });
 * if (report.indication !== 'TOTAL_PASSED') console.log(report.subIndication, report.checks);
 * ```
 * @throws {KysoError} `OPTION_INVALID` for an option that is missing or wrong (a misspelt revocation
 * mode, a single certificate where a list is expected, a validation time that is not a Date).
 */
export async function validateCertificate(
  input: ValidateCertificateOptions,
): Promise<CertificateValidationReport> {
  const options = checkValidateCertificateOptions(input);
  // Array.isArray rather than instanceof: a TrustStore from another installed copy of core works too.
  const store = Array.isArray(options.trustAnchors) ? undefined : (options.trustAnchors as TrustStore);
  const anchorList = store ? store.anchors : (options.trustAnchors as readonly Certificate[]);
  const anchors = new CertificatePool(anchorList);
  const anchorIds = new Set(anchorList.map(certificateId));
  const candidates = [...(options.intermediates ?? []), ...(store?.intermediates ?? [])];
  const pool = new CertificatePool(candidates.filter((c) => !anchorIds.has(certificateId(c))));
  const ctx: ValidationContext = {
    time: options.validationTime,
    policy: {
      initialPolicySet: options.policy?.initialPolicySet ?? [OID.anyPolicy],
      explicitPolicy: options.policy?.explicitPolicy ?? false,
      inhibitPolicyMapping: options.policy?.inhibitPolicyMapping ?? false,
      inhibitAnyPolicy: options.policy?.inhibitAnyPolicy ?? false,
    },
    anchors,
    pool,
    crls: options.crls ?? [],
    ocspResponses: options.ocspResponses ?? [],
    revocationMode: options.revocation,
    useDeltaCrls: options.useDeltaCrls ?? true,
    cryptoPolicy: options.cryptoPolicy ?? defaultCryptoPolicy,
    budget: budgetOf(options),
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.keyUsage ? { leafKeyUsage: options.keyUsage } : {}),
    ...(options.extendedKeyUsage ? { leafExtendedKeyUsage: options.extendedKeyUsage } : {}),
    depth: 0,
    validateIssuerPath,
    issuersInProgress: new Set(),
    signatureCache: options.signatureCache ?? true,
    signatureChecks: { count: 0, max: budgetOf(options).maxSignatureChecks },
    limitsExceeded: new Set(),
  };
  const { outcome, tried, state } = await firstPassingPath(options.certificate, ctx);
  return report(options, outcome, tried, state, [...ctx.limitsExceeded].sort());
}

function budgetOf(options: ValidateCertificateOptions): PathBuildingBudget {
  return { ...DEFAULT_BUDGET, ...options.budget };
}

async function firstPassingPath(
  target: Certificate,
  ctx: ValidationContext,
): Promise<{ outcome: PathOutcome | undefined; tried: number; state: BuildState }> {
  const state: BuildState = { exhausted: false, steps: 0 };
  let first: PathOutcome | undefined;
  let tried = 0;
  for (const candidate of buildPaths(target, ctx.anchors, ctx.pool, ctx.time, ctx.budget, state)) {
    tried += 1;
    const outcome = await validatePath(candidate.anchor, candidate.certs, ctx);
    if (!outcome.failure) return { outcome, tried, state };
    first ??= outcome;
    // A spent signature budget decides nothing more: every further check would read as failed.
    if (ctx.limitsExceeded.has('SIGNATURE_BUDGET_EXCEEDED')) break;
  }
  // The search stopped at its budget without a path that passes: another path might have.
  if (state.exhausted) ctx.limitsExceeded.add('PATH_BUILD_BUDGET_EXCEEDED');
  return { outcome: first, tried, state };
}

/** §6.3.3 (f): the CRL issuer's path must validate to the same trust anchor. */
async function validateIssuerPath(
  cert: Certificate,
  anchor: Certificate,
  parent: ValidationContext,
): Promise<boolean> {
  const ctx: ValidationContext = {
    ...parent,
    anchors: new CertificatePool([anchor]),
    policy: {
      initialPolicySet: [OID.anyPolicy],
      explicitPolicy: false,
      inhibitPolicyMapping: false,
      inhibitAnyPolicy: false,
    },
    leafKeyUsage: undefined,
    leafExtendedKeyUsage: undefined,
    depth: parent.depth + 1,
  };
  const id = certificateId(cert);
  parent.issuersInProgress.add(id);
  try {
    const { outcome } = await firstPassingPath(cert, ctx);
    return outcome !== undefined && outcome.failure === undefined;
  } finally {
    parent.issuersInProgress.delete(id);
  }
}

const LIMIT_TEXT: Record<LimitCode, { en: string; vi: string }> = {
  PATH_BUILD_BUDGET_EXCEEDED: {
    en: 'path building stopped at its budget before finding a path that validates',
    vi: 'dừng tìm đường dẫn vì vượt giới hạn trước khi tìm được đường dẫn hợp lệ',
  },
  SIGNATURE_BUDGET_EXCEEDED: {
    en: 'the budget of signature verifications was spent before the validation could decide',
    vi: 'đã dùng hết giới hạn số lần kiểm tra chữ ký trước khi kết luận được',
  },
  CRL_ISSUER_DEPTH_EXCEEDED: {
    en: 'the certification paths of CRL issuers nest deeper than kyso follows',
    vi: 'đường dẫn chứng thực của các bên phát hành CRL lồng nhau quá sâu',
  },
};

/** The check that names the limits a validation reached (INDETERMINATE: kyso could not decide). */
function limitCheck(limits: LimitCode[], options: ValidateCertificateOptions): Check {
  const budget = budgetOf(options);
  const sizes = `${budget.maxPaths} paths, ${budget.maxSteps} steps, ${budget.maxSignatureChecks} signature checks`;
  return {
    id: 'validation-limits',
    status: 'indeterminate',
    message: {
      en: `${limits.map((l) => `${l}: ${LIMIT_TEXT[l].en}`).join('; ')} (limits: ${sizes})`,
      vi: `${limits.map((l) => `${l}: ${LIMIT_TEXT[l].vi}`).join('; ')} (giới hạn: ${sizes})`,
    },
  };
}

function describePath(outcome: PathOutcome): PathCertificate[] {
  const all = outcome.certs.length === 0 ? [outcome.anchor] : [outcome.anchor, ...outcome.certs];
  return all.map((c, i) => ({
    role: i === 0 ? 'trust-anchor' : i === all.length - 1 ? 'end-entity' : 'intermediate',
    subject: formatName(c.subject),
    issuer: formatName(c.issuer),
    serialNumber: c.serialHex,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  }));
}

function report(
  options: ValidateCertificateOptions & { revocation: RevocationMode },
  outcome: PathOutcome | undefined,
  tried: number,
  state: BuildState,
  limits: LimitCode[],
): CertificateValidationReport {
  const base = {
    validationTime: options.validationTime.toISOString(),
    revocationMode: options.revocation,
    pathsTried: tried,
    ...(limits.length > 0 ? { limitsExceeded: limits } : {}),
  };
  if (!outcome) {
    const budgetNote = state.exhausted
      ? { en: ' (path building stopped at its budget)', vi: ' (dừng tìm đường dẫn vì vượt giới hạn)' }
      : { en: '', vi: '' };
    return {
      ...base,
      indication: 'INDETERMINATE',
      subIndication: 'NO_CERTIFICATE_CHAIN_FOUND',
      checks: [
        {
          id: 'path-building',
          status: 'failed',
          message: { en: NO_PATH.en + budgetNote.en, vi: NO_PATH.vi + budgetNote.vi },
        },
        ...(limits.length > 0 ? [limitCheck(limits, options)] : []),
      ],
      path: [],
      userConstrainedPolicySet: [],
      revocation: [],
    };
  }
  // Path indices in outcomes count from the certificate the anchor issued; reports count the anchor as 0.
  const shift = outcome.certs.length === 0 ? 0 : 1;
  const checks: Check[] = outcome.warnings.map((w) => ({
    id: w.check,
    status: 'warning',
    message: w.message,
    certificateIndex: w.certificateIndex + shift,
  }));
  let indication: Indication = 'TOTAL_PASSED';
  let subIndication: SubIndication | null = null;
  if (outcome.failure) {
    const f = outcome.failure;
    subIndication = f.subIndication;
    indication = f.subIndication === 'REVOKED' ? 'TOTAL_FAILED' : 'INDETERMINATE';
    checks.unshift({
      id: f.check,
      status: 'failed',
      message: f.message,
      ...(f.certificateIndex >= 0 ? { certificateIndex: f.certificateIndex + shift } : {}),
    });
  } else {
    checks.unshift({
      id: 'path-validation',
      status: 'passed',
      message: {
        en: `the certification path to "${formatName(outcome.anchor.subject)}" is valid at ${options.validationTime.toISOString()}`,
        vi: `đường dẫn chứng thực đến "${formatName(outcome.anchor.subject)}" hợp lệ tại thời điểm ${options.validationTime.toISOString()}`,
      },
    });
    const revocationCheck: Check =
      options.revocation === 'none'
        ? {
            id: 'revocation',
            status: 'skipped',
            message: {
              en: 'revocation was not checked (mode none)',
              vi: 'không kiểm tra thu hồi (chế độ none)',
            },
          }
        : revocationSummary(outcome.revocation, options.revocation ?? 'hard-fail', options.validationTime);
    checks.push(revocationCheck);
  }
  // Fail closed: a validation that reached a limit did not decide, unless a revocation was proven.
  if (limits.length > 0 && subIndication !== 'REVOKED') {
    indication = 'INDETERMINATE';
    // A path passed but its revocation could not be decided; or no path passed and the search
    // stopped early (another path might have); or the failure stands, now certainly INDETERMINATE.
    if (!outcome.failure) subIndication = 'CERTIFICATE_CHAIN_GENERAL_FAILURE';
    else if (limits.includes('PATH_BUILD_BUDGET_EXCEEDED')) subIndication = 'NO_CERTIFICATE_CHAIN_FOUND';
    checks.unshift(limitCheck(limits, options));
    const passed = checks.findIndex((c) => c.id === 'path-validation' && c.status === 'passed');
    if (passed >= 0) checks.splice(passed, 1);
  }
  return {
    ...base,
    indication,
    subIndication,
    checks,
    path: describePath(outcome),
    userConstrainedPolicySet: outcome.failure ? [] : outcome.userConstrainedPolicySet,
    revocation: outcome.revocation.map((r) => ({ ...r, certificateIndex: r.certificateIndex + shift })),
  };
}

/**
 * The revocation check of a path that passed, named by what was found: every status good; some
 * revoked only after the validation time (a past validation at a proven time); some unknown, which
 * only soft-fail lets pass. A hard-fail outcome is never labelled soft-fail.
 */
function revocationSummary(records: readonly RevocationRecord[], mode: RevocationMode, time: Date): Check {
  const unknown = records.filter((r) => r.status === 'unknown' || r.status === 'not-checked');
  const revokedLater = records.filter((r) => r.status === 'revoked');
  if (unknown.length > 0 && mode === 'soft-fail')
    return {
      id: 'revocation',
      status: 'warning',
      message: {
        en: `the revocation status of ${unknown.length} certificate(s) of the path is unknown; soft-fail lets it pass`,
        vi: `không xác định được tình trạng thu hồi của ${unknown.length} chứng thư số trong đường dẫn; chế độ mềm vẫn cho qua`,
      },
    };
  if (revokedLater.length > 0)
    return {
      id: 'revocation',
      status: 'passed',
      message: {
        en: `no certificate of the path was revoked at ${time.toISOString()} (${mode}); revoked later: ${revokedLater.map((r) => `${r.serialHex} on ${r.revocationTime ?? '?'} (${r.reason ?? 'no reason'})`).join(', ')}`,
        vi: `không chứng thư số nào trong đường dẫn bị thu hồi tại ${time.toISOString()} (${mode}); bị thu hồi sau đó: ${revokedLater.map((r) => `${r.serialHex} ngày ${r.revocationTime ?? '?'} (${r.reason ?? 'không nêu lý do'})`).join(', ')}`,
      },
    };
  return {
    id: 'revocation',
    status: 'passed',
    message: {
      en: `no certificate of the path is revoked (${mode})`,
      vi: `không chứng thư số nào trong đường dẫn bị thu hồi (${mode})`,
    },
  };
}
