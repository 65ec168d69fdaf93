import { KEY_OIDS } from '../crypto/algorithms.js';
import { type DerElement, TAG } from '../lib/der.js';
import { problemVi } from '../lib/problems-vi.js';
import type { LocalizedMessage, SubIndication } from '../report.js';
import { checkRevocation } from '../revocation/check.js';
import type { Certificate } from '../x509/certificate.js';
import { formatName } from '../x509/name.js';
import { OID } from '../x509/oids.js';
import { NameConstraintsState } from './name-constraints.js';
import { PolicyTree, PolicyTreeTooLarge } from './policy-tree.js';
import { verifySigned } from './signature-cache.js';
import type { PathFailure, PathOutcome, PathWarning, ValidationContext } from './types.js';

/** Extensions §6.1 processes; any other critical extension makes a certificate unusable (§6.1.4 (o), §6.1.5 (f)). */
const PROCESSED = new Set<string>([
  OID.basicConstraints,
  OID.keyUsage,
  OID.extKeyUsage,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.certificatePolicies,
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.nameConstraints,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.cRLDistributionPoints,
  OID.freshestCRL,
  OID.authorityInfoAccess,
  OID.ocspNoCheck,
]);

function fail(
  check: string,
  subIndication: SubIndication,
  certificateIndex: number,
  en: string,
  vi: string,
): PathFailure {
  return { check, subIndication, certificateIndex, message: { en, vi } };
}

function who(cert: Certificate): string {
  return `"${formatName(cert.subject)}"`;
}

/**
 * RFC 5280 §6.1 path validation of one candidate path, then revocation checking of each of its
 * certificates (§6.3) from the anchor down. Returns the first failure, or none.
 */
export async function validatePath(
  anchor: Certificate,
  certs: Certificate[],
  ctx: ValidationContext,
): Promise<PathOutcome> {
  const warnings: PathWarning[] = [];
  const outcome: PathOutcome = { anchor, certs, warnings, revocation: [], userConstrainedPolicySet: [] };
  const structural = await validateStructure(anchor, certs, ctx, warnings);
  if ('failure' in structural) {
    outcome.failure = structural.failure;
    return outcome;
  }
  outcome.userConstrainedPolicySet = structural.userConstrainedPolicySet;
  if (ctx.revocationMode === 'none') {
    outcome.revocation = certs.map((c, i) => ({
      certificateIndex: i,
      serialHex: c.serialHex,
      status: 'not-checked',
      source: 'none',
    }));
    return outcome;
  }
  const n = certs.length;
  for (let i = 0; i < n; i += 1) {
    const cert = certs[i]!;
    const issuer = i === 0 ? anchor : certs[i - 1]!;
    const record = await checkRevocation(cert, i, issuer, structural.dsaParams[i], anchor, ctx);
    outcome.revocation.push(record);
    if (record.status === 'revoked' && record.revocationTime && new Date(record.revocationTime) <= ctx.time) {
      const isLeaf = i === n - 1;
      outcome.failure = fail(
        'revocation',
        isLeaf ? 'REVOKED' : 'REVOKED_CA_NO_POE',
        i,
        `${who(cert)} was revoked on ${record.revocationTime} (${record.reason})`,
        `${who(cert)} đã bị thu hồi ngày ${record.revocationTime} (lý do: ${record.reason})`,
      );
      return outcome;
    }
    if (record.status === 'unknown') {
      const why = (record.problems ?? []).join('; ');
      const whyVi = (record.problems ?? []).map(problemVi).join('; ');
      if (ctx.revocationMode === 'hard-fail') {
        outcome.failure = fail(
          'revocation',
          'TRY_LATER',
          i,
          `the revocation status of ${who(cert)} cannot be established${why ? `: ${why}` : ''}`,
          `không xác định được tình trạng thu hồi của ${who(cert)}${whyVi ? `: ${whyVi}` : ''}`,
        );
        return outcome;
      }
      warnings.push({
        check: 'revocation',
        certificateIndex: i,
        message: {
          en: `soft-fail: the revocation status of ${who(cert)} could not be established${why ? `: ${why}` : ''}`,
          vi: `chế độ mềm: chưa xác định được tình trạng thu hồi của ${who(cert)}${whyVi ? `: ${whyVi}` : ''}`,
        },
      });
    }
  }
  return outcome;
}

interface StructureOk {
  userConstrainedPolicySet: string[];
  /** The DSA domain parameters in force for verifying what certificate i signs (inheritance). */
  dsaParams: (DerElement | undefined)[];
}

async function validateStructure(
  anchor: Certificate,
  certs: Certificate[],
  ctx: ValidationContext,
  warnings: PathWarning[],
): Promise<StructureOk | { failure: PathFailure }> {
  const n = certs.length;
  const time = ctx.time;
  const p = ctx.policy;
  let tree: PolicyTree | null = new PolicyTree();
  const names = new NameConstraintsState();
  let explicitPolicy = p.explicitPolicy ? 0 : n + 1;
  let inhibitAnyPolicy = p.inhibitAnyPolicy ? 0 : n + 1;
  let policyMapping = p.inhibitPolicyMapping ? 0 : n + 1;
  let workingKey = anchor.publicKey;
  let workingDsaParams = dsaParamsOf(anchor);
  let workingIssuer = anchor.subject;
  let maxPathLength = n;
  const dsaParams: (DerElement | undefined)[] = [];

  const cryptoCheck = (cert: Certificate, i: number): PathFailure | undefined => {
    for (const verdict of [
      ctx.cryptoPolicy.signature(cert.signatureAlgorithm, time),
      ctx.cryptoPolicy.publicKey(cert.publicKey, time),
    ]) {
      if (verdict.status === 'reject') {
        return fail(
          'crypto-constraints',
          'CRYPTO_CONSTRAINTS_FAILURE',
          i,
          `${who(cert)}: ${verdict.message.en}`,
          `${who(cert)}: ${verdict.message.vi}`,
        );
      }
      if (verdict.status === 'warn')
        warnings.push({
          check: 'crypto-constraints',
          certificateIndex: i,
          message: prefix(cert, verdict.message),
        });
    }
    return undefined;
  };

  // Every signature of the path is independent of the others' outcome: start them all at once so
  // that WebCrypto works on them in parallel, and await each in its turn. (DSA keys whose
  // parameters are inherited are checked in the loop, where the parameters are known.)
  const prefetched = certs.map((cert, i) => {
    const key = i === 0 ? anchor.publicKey : certs[i - 1]!.publicKey;
    return key.algorithm.oid === KEY_OIDS.dsa ? undefined : verifySigned(cert, key, ctx);
  });
  try {
    // §6.1.3 (a)(1) and (a)(4) first, for the whole path: whether each certificate was signed by
    // the key above it decides whether this is a path at all. A certificate of the right name and
    // another key is no issuer, so it must not fail the path on its dates before its key is judged.
    for (let i = 0; i < n; i += 1) {
      const cert = certs[i]!;
      // §6.1.3 (a)(4): name chaining.
      if (cert.issuer.key !== workingIssuer.key) {
        return {
          failure: fail(
            'name-chaining',
            'CERTIFICATE_CHAIN_GENERAL_FAILURE',
            i,
            `the issuer of ${who(cert)} does not match the subject of the certificate above it`,
            `tên tổ chức cấp của ${who(cert)} không khớp với chứng thư số cấp trên`,
          ),
        };
      }
      const cryptoFailure = cryptoCheck(cert, i);
      if (cryptoFailure) return { failure: cryptoFailure };
      // §6.1.3 (a)(1): signature.
      dsaParams.push(workingDsaParams);
      const inherited =
        workingKey.algorithm.oid === KEY_OIDS.dsa && !dsaParamsOf({ publicKey: workingKey })
          ? workingDsaParams
          : undefined;
      if (!(await (prefetched[i] ?? verifySigned(cert, workingKey, ctx, inherited)))) {
        return {
          failure: fail(
            'signature',
            'CERTIFICATE_CHAIN_GENERAL_FAILURE',
            i,
            `the signature on ${who(cert)} does not verify with its issuer's key`,
            `chữ ký trên ${who(cert)} không khớp với khóa của tổ chức cấp`,
          ),
        };
      }
      // §6.1.4 (c)–(f): working issuer name and key (for the certificate below).
      workingIssuer = cert.subject;
      workingKey = cert.publicKey;
      if (cert.publicKey.algorithm.oid === KEY_OIDS.dsa) {
        // §6.1.4 (e): a DSA key without parameters inherits those of the key above it.
        workingDsaParams = dsaParamsOf(cert) ?? workingDsaParams;
      } else {
        workingDsaParams = undefined;
      }
    }
    const anchorFailure = anchorCheck(anchor, n, time, names);
    if (anchorFailure) return { failure: anchorFailure };
    for (let i = 0; i < n; i += 1) {
      const cert = certs[i]!;
      const isLeaf = i === n - 1;
      // The depth of this certificate in the policy tree (RFC's i, counting from 1).
      const depth = i + 1;

      // §6.1.3 (a)(2): validity.
      if (time < cert.notBefore) {
        return {
          failure: fail(
            'validity',
            'NOT_YET_VALID',
            i,
            `${who(cert)} is not valid before ${cert.notBefore.toISOString()}`,
            `${who(cert)} chưa có hiệu lực trước ${cert.notBefore.toISOString()}`,
          ),
        };
      }
      if (time > cert.notAfter) {
        return {
          failure: fail(
            'validity',
            'OUT_OF_BOUNDS_NO_POE',
            i,
            `${who(cert)} expired on ${cert.notAfter.toISOString()}`,
            `${who(cert)} đã hết hạn ngày ${cert.notAfter.toISOString()}`,
          ),
        };
      }
      // §6.1.3 (b)–(c): name constraints, except for a self-issued certificate that is not the last.
      if (!(cert.selfIssued && !isLeaf)) {
        const violations = names.violations(cert);
        if (violations.length > 0) {
          return {
            failure: fail(
              'name-constraints',
              'CHAIN_CONSTRAINTS_FAILURE',
              i,
              `${who(cert)}: ${violations.join('; ')}`,
              `${who(cert)} vi phạm ràng buộc tên: ${violations.join('; ')}`,
            ),
          };
        }
      }
      // §6.1.3 (d)–(f): policies.
      const policies = cert.extensions.certificatePolicies?.policies;
      if (policies && tree) {
        tree.processCertificatePolicies(
          depth,
          policies,
          inhibitAnyPolicy > 0 || (!isLeaf && cert.selfIssued),
        );
        if (tree.empty) tree = null;
      } else if (!policies) {
        tree = null;
      }
      if (explicitPolicy <= 0 && tree === null) {
        return { failure: policyFailure(cert, i) };
      }

      if (!isLeaf) {
        // §6.1.4 (a)–(b): policy mappings.
        const mappings = cert.extensions.policyMappings;
        if (mappings) {
          if (
            mappings.some(
              (m) => m.issuerDomainPolicy === OID.anyPolicy || m.subjectDomainPolicy === OID.anyPolicy,
            )
          ) {
            return {
              failure: fail(
                'policy',
                'CHAIN_CONSTRAINTS_FAILURE',
                i,
                `${who(cert)} maps anyPolicy, which RFC 5280 forbids`,
                `${who(cert)} ánh xạ anyPolicy, điều RFC 5280 không cho phép`,
              ),
            };
          }
          if (tree) {
            const anyQualifiers = policies?.find((x) => x.oid === OID.anyPolicy)?.qualifiers ?? [];
            tree.applyMappings(depth, mappings, policyMapping > 0, anyQualifiers);
            if (tree.empty) tree = null;
          }
        }
        // §6.1.4 (g): name constraints.
        if (cert.extensions.nameConstraints) names.add(cert.extensions.nameConstraints);
        // §6.1.4 (h)–(j): counters.
        if (!cert.selfIssued) {
          if (explicitPolicy > 0) explicitPolicy -= 1;
          if (policyMapping > 0) policyMapping -= 1;
          if (inhibitAnyPolicy > 0) inhibitAnyPolicy -= 1;
        }
        const pc = cert.extensions.policyConstraints;
        if (pc?.requireExplicitPolicy !== undefined && pc.requireExplicitPolicy < explicitPolicy)
          explicitPolicy = pc.requireExplicitPolicy;
        if (pc?.inhibitPolicyMapping !== undefined && pc.inhibitPolicyMapping < policyMapping)
          policyMapping = pc.inhibitPolicyMapping;
        const iap = cert.extensions.inhibitAnyPolicy;
        if (iap !== undefined && iap < inhibitAnyPolicy) inhibitAnyPolicy = iap;
        // §6.1.4 (k): a CA certificate.
        if (cert.version !== 3 || !cert.extensions.basicConstraints?.ca) {
          return {
            failure: fail(
              'basic-constraints',
              'CHAIN_CONSTRAINTS_FAILURE',
              i,
              `${who(cert)} is not a CA certificate (basicConstraints cA is not set)`,
              `${who(cert)} không phải chứng thư số của CA (basicConstraints không có cA)`,
            ),
          };
        }
        // §6.1.4 (l)–(m): path length.
        if (!cert.selfIssued) {
          if (maxPathLength <= 0) {
            return {
              failure: fail(
                'path-length',
                'CHAIN_CONSTRAINTS_FAILURE',
                i,
                `${who(cert)} exceeds the path length a CA above allows`,
                `${who(cert)} vượt quá độ dài đường dẫn mà CA cấp trên cho phép`,
              ),
            };
          }
          maxPathLength -= 1;
        }
        const pathLen = cert.extensions.basicConstraints.pathLenConstraint;
        if (pathLen !== undefined && pathLen < maxPathLength) maxPathLength = pathLen;
        // §6.1.4 (n): key usage.
        const ku = cert.extensions.keyUsage;
        if (ku && !ku.usages.has('keyCertSign')) {
          return {
            failure: fail(
              'key-usage',
              'CHAIN_CONSTRAINTS_FAILURE',
              i,
              `${who(cert)} may not sign certificates (keyCertSign is not set)`,
              `${who(cert)} không được phép ký chứng thư số (thiếu keyCertSign)`,
            ),
          };
        }
      }
      // §6.1.4 (o), §6.1.5 (f): unknown critical extensions.
      const unknown = cert.extensions.other.filter((e) => e.critical && !PROCESSED.has(e.oid));
      if (unknown.length > 0) {
        return {
          failure: fail(
            'critical-extensions',
            'CHAIN_CONSTRAINTS_FAILURE',
            i,
            `${who(cert)} has a critical extension kyso does not process: ${unknown.map((e) => e.oid).join(', ')}`,
            `${who(cert)} có phần mở rộng bắt buộc (critical) không được hỗ trợ: ${unknown.map((e) => e.oid).join(', ')}`,
          ),
        };
      }
      if (isLeaf && cert.extensions.nameConstraints && !cert.extensions.basicConstraints?.ca) {
        // RFC 5280 §4.2.1.10: "The name constraints extension … MUST be used only in a CA certificate."
        return {
          failure: fail(
            'end-entity-name-constraints',
            'CHAIN_CONSTRAINTS_FAILURE',
            i,
            `${who(cert)} is an end-entity certificate with name constraints, which only a CA may carry`,
            `${who(cert)} là chứng thư số thuê bao nhưng có ràng buộc tên, điều chỉ CA được phép`,
          ),
        };
      }
      if (isLeaf) {
        // §6.1.5 (a)–(b).
        if (explicitPolicy > 0) explicitPolicy -= 1;
        if (cert.extensions.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
        const leafFailure = leafUsage(cert, i, ctx);
        if (leafFailure) return { failure: leafFailure };
      }
    }
    // §6.1.5 (g): intersection with the user-initial-policy-set.
    let userConstrained = new Set<string>();
    if (tree && n > 0) {
      userConstrained = tree.intersect(n, p.initialPolicySet);
      if (tree.empty) tree = null;
    }
    if (n > 0 && explicitPolicy <= 0 && tree === null) {
      return { failure: policyFailure(certs[n - 1]!, n - 1) };
    }
    return { userConstrainedPolicySet: [...userConstrained].sort(), dsaParams };
  } catch (error) {
    if (error instanceof PolicyTreeTooLarge) {
      return {
        failure: fail(
          'policy',
          'POLICY_PROCESSING_ERROR',
          -1,
          'the certificate policy tree grew beyond its budget',
          'cây chính sách chứng thư vượt quá giới hạn xử lý',
        ),
      };
    }
    throw error;
  }
}

/**
 * The trust anchor's own contents, as RFC 5937 §2 lets a relying party apply them and as OpenSSL,
 * Go and pyca do: its validity at the validation time (which the caller derives from a proof of
 * existence, never simply "now", or every long-term document dies with its root), no critical
 * extension kyso does not process, a CA by basicConstraints when it issues the path, and its name
 * constraints over everything below it (added to `names`). Each failure names its rule.
 */
function anchorCheck(
  anchor: Certificate,
  n: number,
  time: Date,
  names: NameConstraintsState,
): PathFailure | undefined {
  if (time < anchor.notBefore) {
    return fail(
      'anchor-validity',
      'NOT_YET_VALID',
      -1,
      `the trust anchor ${who(anchor)} is not valid before ${anchor.notBefore.toISOString()}`,
      `chứng thư số gốc ${who(anchor)} chưa có hiệu lực trước ${anchor.notBefore.toISOString()}`,
    );
  }
  if (time > anchor.notAfter) {
    return fail(
      'anchor-validity',
      'OUT_OF_BOUNDS_NO_POE',
      -1,
      `the trust anchor ${who(anchor)} expired on ${anchor.notAfter.toISOString()}, before the validation time`,
      `chứng thư số gốc ${who(anchor)} đã hết hạn ngày ${anchor.notAfter.toISOString()}, trước thời điểm kiểm tra`,
    );
  }
  const unknown = anchor.extensions.other.filter((e) => e.critical && !PROCESSED.has(e.oid));
  if (unknown.length > 0) {
    const oids = unknown.map((e) => e.oid).join(', ');
    return fail(
      'anchor-critical-extensions',
      'CHAIN_CONSTRAINTS_FAILURE',
      -1,
      `the trust anchor ${who(anchor)} has a critical extension kyso does not process: ${oids}`,
      `chứng thư số gốc ${who(anchor)} có phần mở rộng bắt buộc (critical) không được hỗ trợ: ${oids}`,
    );
  }
  if (n === 0) return undefined;
  // A version 1 root has no extensions at all and stays usable; a root that says it is no CA is not.
  const bc = anchor.extensions.basicConstraints;
  if (bc ? !bc.ca : anchor.version === 3) {
    return fail(
      'anchor-basic-constraints',
      'CHAIN_CONSTRAINTS_FAILURE',
      -1,
      `the trust anchor ${who(anchor)} is not a CA certificate (basicConstraints cA is not set)`,
      `chứng thư số gốc ${who(anchor)} không phải chứng thư số của CA (basicConstraints không có cA)`,
    );
  }
  if (anchor.extensions.nameConstraints) names.add(anchor.extensions.nameConstraints);
  return undefined;
}

function policyFailure(cert: Certificate, i: number): PathFailure {
  return fail(
    'policy',
    'CHAIN_CONSTRAINTS_FAILURE',
    i,
    `no acceptable certificate policy remains at ${who(cert)} while an explicit policy is required`,
    `không còn chính sách chứng thư hợp lệ tại ${who(cert)} trong khi bắt buộc phải có chính sách`,
  );
}

function leafUsage(cert: Certificate, i: number, ctx: ValidationContext): PathFailure | undefined {
  const wanted = ctx.leafKeyUsage;
  const ku = cert.extensions.keyUsage;
  if (wanted && wanted.length > 0 && ku && !wanted.some((u) => ku.usages.has(u))) {
    return fail(
      'key-usage',
      'CHAIN_CONSTRAINTS_FAILURE',
      i,
      `${who(cert)} may not be used for ${wanted.join(' or ')}`,
      `${who(cert)} không được phép dùng cho ${wanted.join(' hoặc ')}`,
    );
  }
  const eku = ctx.leafExtendedKeyUsage;
  const has = cert.extensions.extKeyUsage?.oids;
  if (eku && eku.length > 0 && has && !has.includes(OID.ekuAny) && !eku.some((o) => has.includes(o))) {
    return fail(
      'extended-key-usage',
      'CHAIN_CONSTRAINTS_FAILURE',
      i,
      `${who(cert)} lacks the extended key usage ${eku.join(' or ')}`,
      `${who(cert)} thiếu mục đích sử dụng mở rộng ${eku.join(' hoặc ')}`,
    );
  }
  return undefined;
}

function prefix(cert: Certificate, m: LocalizedMessage): LocalizedMessage {
  return { en: `${who(cert)}: ${m.en}`, vi: `${who(cert)}: ${m.vi}` };
}

/** The DSA domain parameters a certificate's key carries, if any. */
export function dsaParamsOf(cert: Pick<Certificate, 'publicKey'>): DerElement | undefined {
  const k = cert.publicKey;
  return k.algorithm.oid === KEY_OIDS.dsa && k.algorithm.params?.tag === TAG.SEQUENCE
    ? k.algorithm.params
    : undefined;
}
