import type { CertificateValidationReport, Indication, LocalizedMessage, SubIndication } from '@kyso/core';

/**
 * Proof of existence (ETSI EN 319 102-1 §5.6.2): a time at which a signature is proven to have
 * existed — from a signature timestamp, a later document timestamp that covers it, or a record the
 * calling application keeps (a document system's receipt log: Nghị định 30/2020/NĐ-CP, Điều 21
 * khoản 2 makes the văn thư check every incoming document on receipt). A time the signer merely
 * claims is never one.
 */
export interface ProofOfExistence {
  /** When the signature is proven to have existed. */
  time: Date;
  /** What proves it, for the report. */
  source: LocalizedMessage;
}

/** The earlier of two proofs (either may be absent). */
export function earlierProof(
  a: ProofOfExistence | undefined,
  b: ProofOfExistence | undefined,
): ProofOfExistence | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.time < a.time ? b : a;
}

/**
 * Sub-indications at the validation time that an earlier proof of existence can cure (past
 * certificate validation, EN 319 102-1 §5.6.2.1): an expired certificate, a revoked one.
 */
const CURABLE: ReadonlySet<SubIndication | null> = new Set<SubIndication | null>([
  'OUT_OF_BOUNDS_NO_POE',
  'OUT_OF_BOUNDS_NOT_REVOKED',
  'REVOKED',
  'REVOKED_NO_POE',
  'REVOKED_CA_NO_POE',
]);

/** The outcome of {@link validateWithProof}. */
export interface ProvenValidation {
  chain: CertificateValidationReport;
  indication: Indication;
  subIndication: SubIndication | null;
  /** Set when the path passed only at an earlier, proven time. */
  provenAt?: ProofOfExistence;
}

/**
 * Validates a certification path at the validation time and, when that fails only because a
 * certificate has since expired or been revoked, again at the proven time. Without a proof, a
 * revoked signer is INDETERMINATE/REVOKED_NO_POE (it may have signed before the revocation; nothing
 * shows it did) and an expired one OUT_OF_BOUNDS_NO_POE — never TOTAL_PASSED.
 */
export async function validateWithProof(
  validate: (time: Date) => Promise<CertificateValidationReport>,
  validationTime: Date,
  proof: ProofOfExistence | undefined,
): Promise<ProvenValidation> {
  const now = await validate(validationTime);
  if (now.indication === 'TOTAL_PASSED' || !CURABLE.has(now.subIndication))
    return { chain: now, indication: now.indication, subIndication: now.subIndication };
  if (proof && proof.time <= validationTime) {
    const past = await validate(proof.time);
    if (past.indication === 'TOTAL_PASSED')
      return { chain: past, indication: 'TOTAL_PASSED', subIndication: null, provenAt: proof };
    return { chain: past, indication: past.indication, subIndication: past.subIndication };
  }
  if (now.subIndication === 'REVOKED')
    return { chain: now, indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' };
  return { chain: now, indication: 'INDETERMINATE', subIndication: now.subIndication };
}

/**
 * Whether a TSA's revocation voids every time it stamped (ISO 32000-2 §12.8.3.4.8): a TSA
 * certificate revoked for key compromise, CA compromise, or with no reason given, may have
 * stamped any time after its key was lost; other reasons leave earlier stamps standing.
 */
export function tsaRevocationVoidsTimes(chain: CertificateValidationReport): string | undefined {
  const tsaIndex = chain.path.length - 1;
  for (const r of chain.revocation) {
    if (r.status !== 'revoked') continue;
    if (r.certificateIndex !== tsaIndex && r.reason !== 'cACompromise') continue;
    if (r.reason === undefined || ['keyCompromise', 'cACompromise', 'unspecified'].includes(r.reason))
      return r.reason ?? 'no reason given';
  }
  return undefined;
}
