import { KysoError } from '../errors.js';
import {
  bitSet,
  children,
  contextTag,
  type DerElement,
  expectChildren,
  expectTag,
  readBitString,
  readBoolean,
  readDer,
  readElement,
  readOid,
  readSmallInt,
  TAG,
} from '../lib/der.js';
import { type GeneralName, parseGeneralName, parseGeneralNames } from './general-name.js';
import { decodeString } from './name.js';
import { OID } from './oids.js';

/** Key usage bits of RFC 5280 §4.2.1.3, by name. */
export const KEY_USAGE_BITS = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;

/** One key usage by name. */
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/** A policy qualifier: a CPS pointer or a user notice. */
export interface PolicyQualifier {
  oid: string;
  cps?: string;
  userNotice?: { explicitText?: string; organization?: string; noticeNumbers?: number[] };
}

/** One PolicyInformation of the certificatePolicies extension. */
export interface PolicyInformation {
  oid: string;
  qualifiers: PolicyQualifier[];
}

/** A GeneralSubtree of the nameConstraints extension. */
export interface GeneralSubtree {
  base: GeneralName;
  minimum: number;
  maximum?: number;
}

/** A DistributionPoint of cRLDistributionPoints, freshestCRL or (its name) issuingDistributionPoint. */
export interface DistributionPoint {
  /** `distributionPoint` as fullName. */
  fullName?: GeneralName[];
  /** `distributionPoint` as nameRelativeToCRLIssuer: the DER of the RDN SET. */
  nameRelativeToCRLIssuer?: DerElement;
  /** Reason flags as a bit mask (bit 0 = unused, 1 = keyCompromise, …, 8 = aACompromise). */
  reasons?: number;
  cRLIssuer?: GeneralName[];
}

/** An extension kyso does not interpret. */
export interface OtherExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** The decoded extensions of a certificate. Absent extensions are `undefined`. */
export interface CertificateExtensions {
  basicConstraints?: { ca: boolean; pathLenConstraint?: number; critical: boolean };
  keyUsage?: { usages: Set<KeyUsage>; critical: boolean };
  extKeyUsage?: { oids: string[]; critical: boolean };
  subjectKeyIdentifier?: Uint8Array;
  authorityKeyIdentifier?: { keyIdentifier?: Uint8Array; issuer?: GeneralName[]; serial?: Uint8Array };
  certificatePolicies?: { policies: PolicyInformation[]; critical: boolean };
  policyMappings?: { issuerDomainPolicy: string; subjectDomainPolicy: string }[];
  policyConstraints?: { requireExplicitPolicy?: number; inhibitPolicyMapping?: number };
  inhibitAnyPolicy?: number;
  nameConstraints?: { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] };
  subjectAltName?: { names: GeneralName[]; critical: boolean };
  issuerAltName?: GeneralName[];
  cRLDistributionPoints?: DistributionPoint[];
  freshestCRL?: DistributionPoint[];
  authorityInfoAccess?: { method: string; location: GeneralName }[];
  ocspNoCheck?: boolean;
  /** Extensions kyso does not interpret; a critical one makes the certificate unusable. */
  other: OtherExtension[];
}

function bad(what: string, name: string, cause?: unknown): KysoError {
  return new KysoError('CERT_MALFORMED', `${what}: the ${name} extension cannot be decoded`, {
    cause,
    messageVi: `${what}: không giải mã được phần mở rộng ${name}`,
  });
}

/** The three fields of one Extension: OID, criticality (default false) and the OCTET STRING's content. */
export function readExtension(
  extEl: DerElement,
  what: string,
): { oid: string; critical: boolean; value: Uint8Array } {
  const parts = expectChildren(extEl, TAG.SEQUENCE, what);
  const oid = readOid(parts[0]!, what);
  let critical = false;
  let valueEl = parts[1];
  if (valueEl?.tag === TAG.BOOLEAN) {
    critical = readBoolean(valueEl, what);
    valueEl = parts[2];
  }
  return { oid, critical, value: expectTag(valueEl, TAG.OCTET_STRING, what).value };
}

/** Decodes the Extensions SEQUENCE of a TBSCertificate. */
export function parseCertificateExtensions(el: DerElement, what: string): CertificateExtensions {
  const out: CertificateExtensions = { other: [] };
  const seen = new Set<string>();
  for (const extEl of expectChildren(el, TAG.SEQUENCE, what)) {
    const { oid, critical, value } = readExtension(extEl, what);
    if (seen.has(oid)) throw bad(what, `${oid} (twice)`);
    seen.add(oid);
    try {
      decodeExtension(out, oid, critical, value, what);
    } catch (cause) {
      throw bad(what, oid, cause);
    }
  }
  return out;
}

function decodeExtension(
  out: CertificateExtensions,
  oid: string,
  critical: boolean,
  value: Uint8Array,
  what: string,
) {
  const inner = () => readDer(value, what);
  switch (oid) {
    case OID.basicConstraints: {
      const items = expectChildren(inner(), TAG.SEQUENCE, what);
      let ca = false;
      let i = 0;
      if (items[i]?.tag === TAG.BOOLEAN) ca = readBoolean(items[i++]!, what);
      const pathLen = items[i] ? readSmallInt(items[i]!, what) : undefined;
      out.basicConstraints = {
        ca,
        critical,
        ...(pathLen !== undefined ? { pathLenConstraint: pathLen } : {}),
      };
      return;
    }
    case OID.keyUsage: {
      const { bytes } = readBitString(inner(), what);
      const usages = new Set<KeyUsage>();
      KEY_USAGE_BITS.forEach((name, bit) => {
        if (bitSet(bytes, bit)) usages.add(name);
      });
      out.keyUsage = { usages, critical };
      return;
    }
    case OID.extKeyUsage:
      out.extKeyUsage = {
        oids: expectChildren(inner(), TAG.SEQUENCE, what).map((e) => readOid(e, what)),
        critical,
      };
      return;
    case OID.subjectKeyIdentifier:
      out.subjectKeyIdentifier = expectTag(inner(), TAG.OCTET_STRING, what).value;
      return;
    case OID.authorityKeyIdentifier: {
      const aki: NonNullable<CertificateExtensions['authorityKeyIdentifier']> = {};
      for (const item of expectChildren(inner(), TAG.SEQUENCE, what)) {
        const t = contextTag(item);
        if (t === 0) aki.keyIdentifier = item.value;
        else if (t === 1) aki.issuer = parseGeneralNames(children(item, what), what);
        else if (t === 2) aki.serial = item.value;
      }
      out.authorityKeyIdentifier = aki;
      return;
    }
    case OID.certificatePolicies: {
      const policies = expectChildren(inner(), TAG.SEQUENCE, what).map((pi) =>
        parsePolicyInformation(pi, what),
      );
      out.certificatePolicies = { policies, critical };
      return;
    }
    case OID.policyMappings:
      out.policyMappings = expectChildren(inner(), TAG.SEQUENCE, what).map((m) => {
        const [a, b] = expectChildren(m, TAG.SEQUENCE, what);
        return { issuerDomainPolicy: readOid(a!, what), subjectDomainPolicy: readOid(b!, what) };
      });
      return;
    case OID.policyConstraints: {
      const pc: NonNullable<CertificateExtensions['policyConstraints']> = {};
      for (const item of expectChildren(inner(), TAG.SEQUENCE, what)) {
        const n = readSmallInt(item, what, item.tag);
        if (contextTag(item) === 0) pc.requireExplicitPolicy = n;
        else if (contextTag(item) === 1) pc.inhibitPolicyMapping = n;
      }
      out.policyConstraints = pc;
      return;
    }
    case OID.inhibitAnyPolicy:
      out.inhibitAnyPolicy = readSmallInt(inner(), what);
      return;
    case OID.nameConstraints: {
      const nc = { permitted: [] as GeneralSubtree[], excluded: [] as GeneralSubtree[] };
      for (const item of expectChildren(inner(), TAG.SEQUENCE, what)) {
        const subtrees = children(item, what).map((st) => parseSubtree(st, what));
        if (contextTag(item) === 0) nc.permitted = subtrees;
        else if (contextTag(item) === 1) nc.excluded = subtrees;
      }
      out.nameConstraints = nc;
      return;
    }
    case OID.subjectAltName:
      out.subjectAltName = {
        names: parseGeneralNames(expectChildren(inner(), TAG.SEQUENCE, what), what),
        critical,
      };
      return;
    case OID.issuerAltName:
      out.issuerAltName = parseGeneralNames(expectChildren(inner(), TAG.SEQUENCE, what), what);
      return;
    case OID.cRLDistributionPoints:
      out.cRLDistributionPoints = expectChildren(inner(), TAG.SEQUENCE, what).map((dp) =>
        parseDistributionPoint(dp, what),
      );
      return;
    case OID.freshestCRL:
      out.freshestCRL = expectChildren(inner(), TAG.SEQUENCE, what).map((dp) =>
        parseDistributionPoint(dp, what),
      );
      return;
    case OID.authorityInfoAccess:
      out.authorityInfoAccess = expectChildren(inner(), TAG.SEQUENCE, what).map((ad) => {
        const [m, loc] = expectChildren(ad, TAG.SEQUENCE, what);
        return { method: readOid(m!, what), location: parseGeneralName(loc!, what) };
      });
      return;
    case OID.ocspNoCheck:
      out.ocspNoCheck = true;
      return;
    default:
      out.other.push({ oid, critical, value });
  }
}

function parsePolicyInformation(el: DerElement, what: string): PolicyInformation {
  const [oidEl, qualifiersEl] = expectChildren(el, TAG.SEQUENCE, what);
  const qualifiers = qualifiersEl
    ? expectChildren(qualifiersEl, TAG.SEQUENCE, what).map((q): PolicyQualifier => {
        const [qOid, qValue] = expectChildren(q, TAG.SEQUENCE, what);
        const oid = readOid(qOid!, what);
        if (oid === OID.cps && qValue) return { oid, cps: decodeString(qValue, what) };
        if (oid === OID.userNotice && qValue) return { oid, userNotice: parseUserNotice(qValue, what) };
        return { oid };
      })
    : [];
  return { oid: readOid(oidEl!, what), qualifiers };
}

function parseUserNotice(el: DerElement, what: string): NonNullable<PolicyQualifier['userNotice']> {
  const notice: NonNullable<PolicyQualifier['userNotice']> = {};
  for (const item of expectChildren(el, TAG.SEQUENCE, what)) {
    if (item.tag === TAG.SEQUENCE) {
      const [org, numbers] = children(item, what);
      if (org) notice.organization = decodeString(org, what);
      if (numbers) notice.noticeNumbers = children(numbers, what).map((n) => readSmallInt(n, what));
    } else {
      notice.explicitText = decodeString(item, what);
    }
  }
  return notice;
}

function parseSubtree(el: DerElement, what: string): GeneralSubtree {
  const [baseEl, ...rest] = expectChildren(el, TAG.SEQUENCE, what);
  const subtree: GeneralSubtree = { base: parseGeneralName(baseEl!, what), minimum: 0 };
  for (const item of rest) {
    const n = readSmallInt(item, what, item.tag);
    if (contextTag(item) === 0) subtree.minimum = n;
    else if (contextTag(item) === 1) subtree.maximum = n;
  }
  return subtree;
}

/** Parses a DistributionPoint (or the leading fields of an IssuingDistributionPoint). */
export function parseDistributionPoint(el: DerElement, what: string): DistributionPoint {
  const dp: DistributionPoint = {};
  for (const item of expectChildren(el, TAG.SEQUENCE, what)) {
    const t = contextTag(item);
    if (t === 0) Object.assign(dp, parseDistributionPointName(item, what));
    else if (t === 1) dp.reasons = reasonMask(item);
    else if (t === 2) dp.cRLIssuer = parseGeneralNames(children(item, what), what);
  }
  return dp;
}

/** The DistributionPointName inside `[0]`. */
export function parseDistributionPointName(
  item: DerElement,
  what: string,
): Pick<DistributionPoint, 'fullName' | 'nameRelativeToCRLIssuer'> {
  const base = item.offset + (item.raw.length - item.value.length);
  const name = readElement(item.value, 0, what, base);
  if (contextTag(name) === 0) return { fullName: parseGeneralNames(children(name, what), what) };
  return { nameRelativeToCRLIssuer: name };
}

/** ReasonFlags BIT STRING (implicitly tagged) as a mask with bit i for reason i. */
export function reasonMask(item: DerElement): number {
  const bytes = item.value.subarray(1);
  let mask = 0;
  for (let bit = 0; bit < 9; bit += 1) if (bitSet(bytes, bit)) mask |= 1 << bit;
  return mask;
}
