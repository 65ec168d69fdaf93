import type { Certificate } from '../x509/certificate.js';
import { type CertificatePool, certificateId } from './pool.js';

/** A candidate certification path: the trust anchor and the certificates below it, ending at the target. */
export interface CandidatePath {
  anchor: Certificate;
  /** certs[0] is issued by the anchor; the last is the target. */
  certs: Certificate[];
}

/** Bounds on path building, after rustls-webpki: a crafted pool cannot make the search explode. */
export interface PathBuildingBudget {
  /** Longest path, anchor excluded (default 16). */
  maxDepth: number;
  /** Most candidate paths tried (default 64). */
  maxPaths: number;
  /** Most issuer look-ups in the search (default 2 000). */
  maxSteps: number;
  /**
   * Most signature verifications for one validation, CRLs, OCSP responses and CRL-issuer paths
   * included (default 2 000). Verified signatures remembered in the cache do not count.
   */
  maxSignatureChecks: number;
}

/** The default {@link PathBuildingBudget}. */
export const DEFAULT_BUDGET: PathBuildingBudget = {
  maxDepth: 16,
  maxPaths: 64,
  maxSteps: 2000,
  maxSignatureChecks: 2000,
};

/** What the search met besides paths: whether it ran out of budget. */
export interface BuildState {
  exhausted: boolean;
  steps: number;
}

/**
 * Yields candidate paths from `target` up to a trust anchor, best first (depth-first over issuers
 * ranked by key identifier match and validity at `time`). A certificate appears at most once in a
 * path, so loops end; the budget ends everything else.
 */
export function* buildPaths(
  target: Certificate,
  anchors: CertificatePool,
  pool: CertificatePool,
  time: Date,
  budget: PathBuildingBudget,
  state: BuildState,
): Generator<CandidatePath> {
  let yielded = 0;
  // The target may itself be a trust anchor.
  if (anchors.withSubject(target.subject.key).some((a) => certificateId(a) === certificateId(target))) {
    yielded += 1;
    yield { anchor: target, certs: [] };
  }
  const chain: Certificate[] = [target];
  const inChain = new Set<string>([certificateId(target)]);

  function* extend(current: Certificate): Generator<CandidatePath> {
    state.steps += 1;
    if (state.steps > budget.maxSteps) {
      state.exhausted = true;
      return;
    }
    for (const anchor of anchors.issuersOf(current, time)) {
      if (yielded >= budget.maxPaths) {
        state.exhausted = true;
        return;
      }
      yielded += 1;
      yield { anchor, certs: [...chain].reverse() };
    }
    if (chain.length >= budget.maxDepth) return;
    for (const issuer of pool.issuersOf(current, time)) {
      const id = certificateId(issuer);
      if (inChain.has(id)) continue;
      chain.push(issuer);
      inChain.add(id);
      yield* extend(issuer);
      chain.pop();
      inChain.delete(id);
      if (state.exhausted) return;
    }
  }
  yield* extend(target);
}
