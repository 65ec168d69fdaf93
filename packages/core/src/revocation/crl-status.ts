import { bytesEqual, concatBytes } from '../lib/bytes.js';
import type { DerElement } from '../lib/der.js';
import { certificateId } from '../path/pool.js';
import { verifySigned } from '../path/signature-cache.js';
import type { ValidationContext } from '../path/types.js';
import type { Certificate } from '../x509/certificate.js';
import type { Crl, CrlEntry, IssuingDistributionPoint } from '../x509/crl.js';
import type { DistributionPoint } from '../x509/extensions.js';
import type { GeneralName } from '../x509/general-name.js';
import { type DistinguishedName, parseName } from '../x509/name.js';

/**
 * CRL processing after RFC 5280 §6.3: for each distribution point of the certificate (or the
 * implied one, its issuer), the complete CRLs in scope are checked (issuer, indirect CRLs,
 * issuing distribution point, reasons, signature by a validated CRL issuer, freshness), with delta
 * CRLs applied when allowed, until every reason is covered.
 */

/** All reason flags of ReasonFlags (bits 1–8). */
const ALL_REASONS = 0x1fe;

/** What CRL processing established. */
export interface CrlStatus {
  status: 'good' | 'revoked' | 'unknown';
  entry?: CrlEntry;
  /** Why no usable CRL was found (for the report). */
  problems: string[];
}

function directoryNames(names: readonly GeneralName[] | undefined): DistinguishedName[] {
  return (names ?? []).flatMap((n) => (n.type === 'directoryName' ? [n.name] : []));
}

/** A DistributionPointName as GeneralNames; a relative name is appended to the CRL issuer's name. */
function dpNames(
  dp: Pick<DistributionPoint, 'fullName' | 'nameRelativeToCRLIssuer'>,
  crlIssuer: DistinguishedName,
): GeneralName[] {
  if (dp.fullName) return dp.fullName;
  if (dp.nameRelativeToCRLIssuer) {
    // Name = issuer RDNs followed by the relative RDN ([1] IMPLICIT SET): rebuild the DER and parse it.
    const retagged = new Uint8Array(dp.nameRelativeToCRLIssuer.raw);
    retagged[0] = 0x31;
    const body = concatBytes([crlIssuer.der.subarray(headerLength(crlIssuer.der)), retagged]);
    return [{ type: 'directoryName', name: parseName(derSequence(body), 'distribution point name') }];
  }
  return [];
}

function headerLength(der: Uint8Array): number {
  const len = der[1]!;
  return len & 0x80 ? 2 + (len & 0x7f) : 2;
}

function derSequence(body: Uint8Array): DerElement {
  const len = body.length;
  const lenBytes =
    len < 0x80
      ? [len]
      : len < 0x100
        ? [0x81, len]
        : len < 0x10000
          ? [0x82, len >> 8, len & 0xff]
          : [0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const raw = concatBytes([new Uint8Array([0x30, ...lenBytes]), body]);
  return { tag: 0x30, value: raw.subarray(raw.length - len), raw, offset: 0 };
}

function generalNamesIntersect(a: readonly GeneralName[], b: readonly GeneralName[]): boolean {
  return a.some((x) =>
    b.some((y) => {
      if (x.type !== y.type) return false;
      if (x.type === 'directoryName' && y.type === 'directoryName') return x.name.key === y.name.key;
      if ('value' in x && 'value' in y) return x.value === y.value;
      if (x.type === 'iPAddress' && y.type === 'iPAddress') return bytesEqual(x.bytes, y.bytes);
      return false;
    }),
  );
}

function sameScope(
  a: IssuingDistributionPoint | undefined,
  b: IssuingDistributionPoint | undefined,
  issuer: DistinguishedName,
): boolean {
  if (!a || !b) return !a && !b;
  if (a.onlyContainsUserCerts !== b.onlyContainsUserCerts || a.onlyContainsCACerts !== b.onlyContainsCACerts)
    return false;
  if (
    a.indirectCRL !== b.indirectCRL ||
    (a.onlySomeReasons ?? ALL_REASONS) !== (b.onlySomeReasons ?? ALL_REASONS)
  )
    return false;
  const an = a.distributionPoint ? dpNames(a.distributionPoint, issuer) : [];
  const bn = b.distributionPoint ? dpNames(b.distributionPoint, issuer) : [];
  return an.length === bn.length && (an.length === 0 || generalNamesIntersect(an, bn));
}

/**
 * Finds a key that signed `crl` and whose certificate chains to `anchor`: the certificate's own
 * issuer first (the usual case), then any other certificate of the CRL issuer's name in the pool,
 * each with keyUsage cRLSign when the extension is present.
 */
async function crlSignerOk(
  crl: Crl,
  issuer: Certificate,
  issuerDsaParams: DerElement | undefined,
  anchor: Certificate,
  ctx: ValidationContext,
  problems: string[],
): Promise<boolean> {
  const candidates: Certificate[] = [];
  if (issuer.subject.key === crl.issuer.key) candidates.push(issuer);
  if (anchor !== issuer && anchor.subject.key === crl.issuer.key) candidates.push(anchor);
  for (const c of ctx.pool.withSubject(crl.issuer.key)) if (!candidates.includes(c)) candidates.push(c);
  for (const candidate of candidates) {
    const ku = candidate.extensions.keyUsage;
    const canSign = !ku || ku.usages.has('cRLSign');
    const inherited = candidate === issuer ? issuerDsaParams : undefined;
    if (!(await verifySigned(crl, candidate.publicKey, ctx, inherited))) continue;
    if (!canSign) {
      problems.push(`the CRL signer "${candidate.subject.key}" may not sign CRLs (no cRLSign)`);
      continue;
    }
    // The certificate's own issuer and the anchor are validated by the path being checked, and a
    // CRL issuer whose path is being validated further up may cover its own certificate.
    if (candidate === issuer || candidate === anchor || ctx.issuersInProgress.has(certificateId(candidate)))
      return true;
    if (ctx.depth >= 4) {
      ctx.limitsExceeded.add('CRL_ISSUER_DEPTH_EXCEEDED');
      problems.push('CRL issuer paths nest too deeply');
      continue;
    }
    if (await ctx.validateIssuerPath(candidate, anchor, ctx)) return true;
    problems.push('the certificate of the CRL issuer does not validate');
  }
  if (!problems.some((p) => p.includes('cRLSign') || p.includes('CRL issuer')))
    problems.push('no CRL signature verifies with a key of its issuer');
  return false;
}

/**
 * Whether a CRL speaks for the validation time: its nextUpdate must not be before it. A CRL issued
 * after the validation time is the best evidence there is (validating a signature made last year
 * with today's CRL), so a later thisUpdate is no reason to refuse it.
 *
 * A CRL without a cRLNumber, or with it critical, is discarded (RFC 5280 §5.2.3: "CRL issuers
 * conforming to this profile MUST include this extension in all CRLs and MUST mark this
 * extension as non-critical"): its place in the issuer's sequence of CRLs cannot be told, so it
 * settles nothing. Without another CRL the status stays unknown (INDETERMINATE under hard-fail),
 * never a failure of the chain.
 */
function usableNow(crl: Crl, ctx: ValidationContext, problems: string[], label: string): boolean {
  if (crl.hasUnknownCriticalExtension) {
    problems.push(`a ${label} has a critical extension kyso does not process`);
    return false;
  }
  if (crl.crlNumber === undefined) {
    problems.push(`a ${label} has no CRL number (RFC 5280 §5.2.3) and is discarded`);
    return false;
  }
  if (crl.crlNumberCritical) {
    problems.push(`a ${label} marks its CRL number critical (RFC 5280 §5.2.3) and is discarded`);
    return false;
  }
  if (crl.nextUpdate && crl.nextUpdate < ctx.time) {
    problems.push(`the ${label} expired on ${crl.nextUpdate.toISOString()} (nextUpdate)`);
    return false;
  }
  return true;
}

function findEntry(crl: Crl, cert: Certificate): CrlEntry | undefined {
  return crl.lookup(cert.serialNumber).find((e) => {
    const entryIssuers = directoryNames(e.certificateIssuer);
    const effective = entryIssuers.length > 0 ? entryIssuers : [crl.issuer];
    return effective.some((n) => n.key === cert.issuer.key);
  });
}

/** RFC 5280 §6.3.3 for one certificate against the CRLs of the context. */
export async function crlStatus(
  cert: Certificate,
  issuer: Certificate,
  issuerDsaParams: DerElement | undefined,
  anchor: Certificate,
  ctx: ValidationContext,
  crls: readonly Crl[],
): Promise<CrlStatus> {
  const problems: string[] = [];
  let reasonsMask = 0;
  let revokedEntry: CrlEntry | undefined;
  const isCa = cert.extensions.basicConstraints?.ca === true;
  const points: DistributionPoint[] = cert.extensions.cRLDistributionPoints ?? [{}];
  const complete = crls.filter((c) => c.baseCrlNumber === undefined);
  const deltas = crls.filter((c) => c.baseCrlNumber !== undefined);
  let sawCandidate = false;

  for (const dp of points) {
    if (reasonsMask === ALL_REASONS || revokedEntry) break;
    const crlIssuers = dp.cRLIssuer ? directoryNames(dp.cRLIssuer) : [cert.issuer];
    for (const crl of complete) {
      if (reasonsMask === ALL_REASONS || revokedEntry) break;
      if (!crlIssuers.some((n) => n.key === crl.issuer.key)) continue;
      const idp = crl.issuingDistributionPoint;
      const indirect = crl.issuer.key !== cert.issuer.key;
      if (indirect && !(dp.cRLIssuer && idp?.indirectCRL)) continue;
      // §6.3.3 (b)(2): the scope of the CRL.
      if (idp?.distributionPoint) {
        const names = dpNames(idp.distributionPoint, crl.issuer);
        if (dp.fullName || dp.nameRelativeToCRLIssuer) {
          if (!generalNamesIntersect(names, dpNames(dp, crl.issuer))) continue;
        } else if (dp.cRLIssuer) {
          if (!generalNamesIntersect(names, dp.cRLIssuer)) continue;
        } else {
          continue;
        }
      }
      if (idp?.onlyContainsUserCerts && isCa) continue;
      if (idp?.onlyContainsCACerts && !isCa) continue;
      if (idp?.onlyContainsAttributeCerts) continue;
      sawCandidate = true;
      // §6.3.3 (d)–(e): reasons this CRL can add.
      const interim = (idp?.onlySomeReasons ?? ALL_REASONS) & (dp.reasons ?? ALL_REASONS) & ALL_REASONS;
      if ((interim & ~reasonsMask) === 0) continue;
      if (!usableNow(crl, ctx, problems, 'CRL')) continue;
      // §6.3.3 (f)–(g): the CRL issuer and the signature.
      if (!(await crlSignerOk(crl, issuer, issuerDsaParams, anchor, ctx, problems))) continue;
      // §6.3.3 (h)–(i): a delta CRL in the same scope, when allowed.
      let delta: Crl | undefined;
      if (ctx.useDeltaCrls && crl.crlNumber !== undefined) {
        const inScope = deltas.filter(
          (d) => d.issuer.key === crl.issuer.key && sameScope(d.issuingDistributionPoint, idp, crl.issuer),
        );
        let deltaProblem = false;
        for (const d of inScope.sort((a, b) => Number((b.crlNumber ?? 0n) - (a.crlNumber ?? 0n)))) {
          if (d.baseCrlNumber! > crl.crlNumber) continue;
          if (d.crlNumber !== undefined && d.crlNumber <= crl.crlNumber) continue;
          if (!usableNow(d, ctx, problems, 'delta CRL')) {
            deltaProblem = true;
            continue;
          }
          if (!(await crlSignerOk(d, issuer, issuerDsaParams, anchor, ctx, problems))) {
            deltaProblem = true;
            continue;
          }
          delta = d;
          break;
        }
        if (!delta && deltaProblem) continue;
      }
      // §6.3.3 (j)–(l).
      let status: 'unrevoked' | 'removeFromCRL' | CrlEntry = 'unrevoked';
      const deltaEntry = delta ? findEntry(delta, cert) : undefined;
      if (deltaEntry) status = deltaEntry.reason === 'removeFromCRL' ? 'removeFromCRL' : deltaEntry;
      if (status === 'unrevoked') {
        const entry = findEntry(crl, cert);
        if (entry && entry.reason !== 'removeFromCRL') status = entry;
      }
      if (typeof status === 'object') {
        if (status.hasUnknownCriticalExtension) {
          problems.push('the CRL entry has a critical extension kyso does not process');
          continue;
        }
        revokedEntry = status;
        break;
      }
      reasonsMask |= interim;
    }
  }
  if (revokedEntry) return { status: 'revoked', entry: revokedEntry, problems };
  if (reasonsMask === ALL_REASONS) return { status: 'good', problems };
  if (!sawCandidate) problems.push('no CRL covers this certificate');
  else if (problems.length === 0) problems.push('the CRLs found do not cover every revocation reason');
  return { status: 'unknown', problems };
}
