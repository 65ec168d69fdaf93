import { describePublicKey, signatureAlgorithmName } from '../crypto/algorithms.js';
import { toHex } from '../lib/bytes.js';
import { sha256 } from '../lib/sha256.js';
import type { Certificate } from './certificate.js';
import { formatName, nameValues, OID_EMAIL_ADDRESS } from './name.js';
import { OID } from './oids.js';

/**
 * The Vietnamese public-service certificate profile as plain data. Nghị định 68/2024/NĐ-CP names
 * three kinds of subscriber certificate: for an individual (cá nhân), for an agency or organisation
 * (cơ quan, tổ chức) and for a device, service or software (thiết bị, dịch vụ, phần mềm).
 */

/** The kind of certificate: the three subscriber kinds, or a CA. */
export type CertificateKind = 'personal' | 'organisation' | 'device' | 'ca';

/** A personal or organisational identifier carried in the subject, such as `CCCD:025080000123`. */
export interface SubjectIdentifier {
  /** `CMND` (old ID card), `CCCD` (citizen ID), `HC` (passport), `MST` (tax code), `BHXH`, … */
  type: string;
  value: string;
  /** The attribute it came from (`UID`, `serialNumber`, …). */
  attribute: string;
}

/** What {@link describeCertificate} returns. */
export interface CertificateDescription {
  kind: CertificateKind;
  subject: {
    commonName: string | null;
    organization: string | null;
    organizationalUnit: string | null;
    locality: string | null;
    province: string | null;
    country: string | null;
    title: string | null;
    email: string | null;
    /** RFC 4514 form, most specific first. */
    text: string;
  };
  identifiers: SubjectIdentifier[];
  issuer: { commonName: string | null; organization: string | null; text: string };
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  key: { algorithm: string; size: number; curve?: string };
  signatureAlgorithm: string;
  policies: string[];
  keyUsage: string[];
  extendedKeyUsage: string[];
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
}

const ID_PATTERN = /^\s*([A-Za-zĐđ]{2,6})\s*[:-]\s*(\S.*)$/;

/**
 * How the names of Vietnamese agencies and organisations begin. Ambiguous single words that are
 * also surnames once diacritics are folded (Vũ, Đoàn, Bạch, …) only count as part of a longer phrase.
 */
const ORGANISATION_WORDS = [
  'bo',
  'so',
  'cuc',
  'tong cuc',
  'chi cuc',
  'vu phap che',
  'vu to chuc',
  'vien kiem sat',
  'vien nghien cuu',
  'vien khoa hoc',
  'ban co yeu',
  'ban quan ly',
  'ban chi dao',
  'ban to chuc',
  'ban tuyen giao',
  'ban dan toc',
  'ban dan van',
  'ban noi chinh',
  'uy ban',
  'ubnd',
  'hdnd',
  'hoi dong',
  'van phong',
  'phong',
  'truong',
  'trung tam',
  'cong ty',
  'tap doan',
  'ngan hang',
  'kho bac',
  'toa an',
  'benh vien',
  'dang uy',
  'tinh uy',
  'thanh uy',
  'huyen uy',
  'quan uy',
  'thi uy',
  'doan thanh nien',
  'hoi lien hiep',
  'hoi nong dan',
  'hoi cuu chien binh',
  'dai truyen hinh',
  'dai phat thanh',
  'bao hiem xa hoi',
  'thanh tra',
  'cong an',
  'bo chi huy',
  'quan khu',
  'hoc vien',
  'dai hoc',
  'chi nhanh',
];

/** Words that name a device, service or piece of software. */
const DEVICE_WORDS = [
  'server',
  'service',
  'system',
  'generator',
  'gateway',
  'may chu',
  'dich vu',
  'he thong',
  'phan mem',
  'ung dung',
  'thiet bi',
];

function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .trim();
}

function startsWithWord(text: string, words: readonly string[]): boolean {
  const t = fold(text);
  return words.some((w) => t === w || t.startsWith(`${w} `));
}

/** The identifiers in the subject's UID and serialNumber attributes. */
export function subjectIdentifiers(cert: Certificate): SubjectIdentifier[] {
  const out: SubjectIdentifier[] = [];
  for (const attribute of ['UID', 'serialNumber']) {
    for (const value of nameValues(cert.subject, attribute)) {
      const m = ID_PATTERN.exec(value);
      if (m) out.push({ type: m[1]!.toUpperCase(), value: m[2]!.trim(), attribute });
    }
  }
  return out;
}

function kindOf(
  cert: Certificate,
  ids: SubjectIdentifier[],
  cn: string | null,
  org: string | null,
): CertificateKind {
  if (cert.extensions.basicConstraints?.ca) return 'ca';
  if (ids.some((i) => ['CMND', 'CCCD', 'HC', 'CMT', 'CCCN'].includes(i.type))) return 'personal';
  if (ids.some((i) => i.type === 'MST' || i.type === 'MNS')) return 'organisation';
  const sans = cert.extensions.subjectAltName?.names ?? [];
  const hostLike = cn !== null && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(cn);
  if (sans.some((n) => n.type === 'dNSName' || n.type === 'iPAddress') || hostLike) return 'device';
  if (cn && DEVICE_WORDS.some((w) => ` ${fold(cn)} `.includes(` ${w} `))) return 'device';
  if (nameValues(cert.subject, 'title').length > 0) return 'personal';
  if (cn && (startsWithWord(cn, ORGANISATION_WORDS) || cn === org)) return 'organisation';
  return 'personal';
}

const KEY_USAGE_NAMES: Record<string, string> = {
  [OID.ekuServerAuth]: 'serverAuth',
  [OID.ekuClientAuth]: 'clientAuth',
  [OID.ekuCodeSigning]: 'codeSigning',
  [OID.ekuEmailProtection]: 'emailProtection',
  [OID.ekuTimeStamping]: 'timeStamping',
  [OID.ekuOcspSigning]: 'OCSPSigning',
  '1.3.6.1.4.1.311.20.2.2': 'smartcardLogon',
};

/**
 * Describes a certificate as the Vietnamese public-service profile reads it.
 *
 * @example
 * ```ts
 * const d = describeCertificate(parseCertificate(pem));
 * d.kind; // 'personal' | 'organisation' | 'device' | 'ca'
 * d.identifiers; // [{ type: 'CCCD', value: '025080000123', attribute: 'UID' }]
 * ```
 */
export function describeCertificate(cert: Certificate): CertificateDescription {
  const first = (type: string) => nameValues(cert.subject, type)[0] ?? null;
  const cn = first('CN');
  const org = first('O');
  const ids = subjectIdentifiers(cert);
  const sanEmail = cert.extensions.subjectAltName?.names.find((n) => n.type === 'rfc822Name');
  const key = describePublicKey(cert.publicKey);
  return {
    kind: kindOf(cert, ids, cn, org),
    subject: {
      commonName: cn,
      organization: org,
      organizationalUnit: first('OU'),
      locality: first('L'),
      province: first('ST'),
      country: first('C'),
      title: first('title'),
      email:
        sanEmail && 'value' in sanEmail
          ? sanEmail.value
          : (nameValues(cert.subject, OID_EMAIL_ADDRESS)[0] ?? null),
      text: formatName(cert.subject),
    },
    identifiers: ids,
    issuer: {
      commonName: nameValues(cert.issuer, 'CN')[0] ?? null,
      organization: nameValues(cert.issuer, 'O')[0] ?? null,
      text: formatName(cert.issuer),
    },
    serialNumber: cert.serialHex,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    key: key.curve
      ? { algorithm: key.algorithm, size: key.size, curve: key.curve }
      : { algorithm: key.algorithm, size: key.size },
    signatureAlgorithm: signatureAlgorithmName(cert.signatureAlgorithm),
    policies: (cert.extensions.certificatePolicies?.policies ?? []).map((p) => p.oid),
    keyUsage: [...(cert.extensions.keyUsage?.usages ?? [])],
    extendedKeyUsage: (cert.extensions.extKeyUsage?.oids ?? []).map((o) => KEY_USAGE_NAMES[o] ?? o),
    fingerprint: certificateFingerprint(cert),
  };
}

/** SHA-256 fingerprint of a certificate's DER, lower-case hex. */
export function certificateFingerprint(cert: Certificate): string {
  return toHex(sha256(cert.der));
}
