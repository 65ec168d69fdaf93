import { isKysoError, KysoError } from '../errors.js';
import { type DerInput, derObjects, toHex } from '../lib/bytes.js';
import {
  children,
  contextTag,
  type DerElement,
  expectChildren,
  expectTag,
  readBitString,
  readDer,
  readElement,
  readOid,
  readSmallInt,
  readTime,
  TAG,
} from '../lib/der.js';
import { inputKind } from '../lib/input-kind.js';
import { type CertificateExtensions, parseCertificateExtensions } from './extensions.js';
import { type DistinguishedName, namesEqual, parseName } from './name.js';

/** An AlgorithmIdentifier: the OID and, when present, the parameters element. */
export interface AlgorithmIdentifier {
  readonly oid: string;
  /** Parameters; `undefined` when absent (an explicit NULL is kept as an element). */
  readonly params?: DerElement;
  readonly der: Uint8Array;
}

/** A SubjectPublicKeyInfo. */
export interface SubjectPublicKeyInfo {
  readonly algorithm: AlgorithmIdentifier;
  /** The subjectPublicKey BIT STRING's bytes. */
  readonly key: Uint8Array;
  /** The whole SubjectPublicKeyInfo, DER (what WebCrypto imports as `spki`). */
  readonly der: Uint8Array;
}

/** A parsed X.509 certificate. Plain data; the bytes a signature covers are kept as they were. */
export interface Certificate {
  readonly der: Uint8Array;
  /** The TBSCertificate bytes: what the issuer signed. */
  readonly tbs: Uint8Array;
  readonly version: 1 | 2 | 3;
  /** Serial number content bytes (two's complement, as encoded). */
  readonly serialNumber: Uint8Array;
  /** Serial number as upper-case hex without leading zero bytes. */
  readonly serialHex: string;
  readonly signatureAlgorithm: AlgorithmIdentifier;
  readonly signatureValue: Uint8Array;
  readonly issuer: DistinguishedName;
  readonly subject: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: SubjectPublicKeyInfo;
  readonly extensions: CertificateExtensions;
  /** Subject and issuer match (RFC 5280 §6.1: a self-issued certificate). */
  readonly selfIssued: boolean;
}

/** Parses an AlgorithmIdentifier. */
export function parseAlgorithmIdentifier(el: DerElement, what: string): AlgorithmIdentifier {
  const [oidEl, params] = expectChildren(el, TAG.SEQUENCE, what);
  return { oid: readOid(oidEl!, what), ...(params ? { params } : {}), der: el.raw };
}

/** Parses a SubjectPublicKeyInfo. */
export function parseSubjectPublicKeyInfo(el: DerElement, what: string): SubjectPublicKeyInfo {
  const [algEl, keyEl] = expectChildren(el, TAG.SEQUENCE, what);
  const { bytes, unusedBits } = readBitString(keyEl!, what);
  if (unusedBits !== 0) throw new KysoError('CERT_MALFORMED', `${what}: public key has unused bits`);
  return { algorithm: parseAlgorithmIdentifier(algEl!, what), key: bytes, der: el.raw };
}

function certMalformed(message: string, cause?: unknown): KysoError {
  return new KysoError('CERT_MALFORMED', `not a valid X.509 certificate: ${message}`, {
    cause,
    messageVi: `không phải chứng thư số X.509 hợp lệ: ${message}`,
  });
}

/** Parses one certificate from DER bytes. */
export function parseCertificateDer(der: Uint8Array): Certificate {
  const what = 'certificate';
  try {
    const root = readDer(der, what);
    const [tbsEl, sigAlgEl, sigEl, extra] = expectChildren(root, TAG.SEQUENCE, what);
    if (!tbsEl || !sigAlgEl || !sigEl || extra) throw certMalformed('expected three elements');
    const tbs = expectChildren(tbsEl, TAG.SEQUENCE, what);
    let i = 0;
    let version: 1 | 2 | 3 = 1;
    if (tbs[0] && contextTag(tbs[0]) === 0) {
      const v = readSmallInt(readElement(tbs[0].value, 0, what), what);
      if (v !== 0 && v !== 1 && v !== 2) throw certMalformed(`unknown version ${v + 1}`);
      version = (v + 1) as 1 | 2 | 3;
      i += 1;
    }
    const serialEl = expectTag(tbs[i++], TAG.INTEGER, what);
    const innerSigAlg = parseAlgorithmIdentifier(tbs[i++]!, what);
    const issuer = parseName(tbs[i++]!, what);
    const [nbEl, naEl] = expectChildren(tbs[i++]!, TAG.SEQUENCE, what);
    const subject = parseName(tbs[i++]!, what);
    const publicKey = parseSubjectPublicKeyInfo(tbs[i++]!, what);
    let extensions: CertificateExtensions = { other: [] };
    for (; i < tbs.length; i += 1) {
      const el = tbs[i]!;
      const t = contextTag(el);
      if (t === 3) {
        if (version !== 3) throw certMalformed('extensions in a certificate that is not version 3');
        extensions = parseCertificateExtensions(children(el, what)[0]!, what);
      } else if (t !== 1 && t !== 2) {
        throw certMalformed(`unexpected element at byte ${el.offset}`);
      }
    }
    const signatureAlgorithm = parseAlgorithmIdentifier(sigAlgEl, what);
    if (!sameAlgorithm(signatureAlgorithm, innerSigAlg)) {
      throw certMalformed('the signature algorithm inside and outside the signed part differ');
    }
    const { bytes: signatureValue } = readBitString(sigEl, what);
    const serialBytes = serialEl.value;
    return {
      der: root.raw,
      tbs: tbsEl.raw,
      version,
      serialNumber: serialBytes,
      serialHex: serialToHex(serialBytes),
      signatureAlgorithm,
      signatureValue,
      issuer,
      subject,
      notBefore: readTime(nbEl!, what),
      notAfter: readTime(naEl!, what),
      publicKey,
      extensions,
      selfIssued: namesEqual(subject, issuer),
    };
  } catch (error) {
    if (isKysoError(error) && error.code === 'CERT_MALFORMED') throw error;
    if (isKysoError(error) && (error.code === 'ASN1_TOO_DEEP' || error.code === 'ASN1_TOO_LARGE'))
      throw error;
    throw certMalformed(error instanceof Error ? error.message : String(error), error);
  }
}

/** Same OID and parameters, where absent parameters and an explicit NULL count as the same. */
function sameAlgorithm(a: AlgorithmIdentifier, b: AlgorithmIdentifier): boolean {
  if (a.oid !== b.oid) return false;
  const params = (x: AlgorithmIdentifier) =>
    x.params === undefined || x.params.tag === TAG.NULL ? '' : toHex(x.params.raw);
  return params(a) === params(b);
}

/** Serial number bytes as upper-case hex, without the sign-padding zero byte. */
export function serialToHex(bytes: Uint8Array): string {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  return toHex(bytes.subarray(start)).toUpperCase();
}

/**
 * Parses exactly one certificate from DER, PEM or base64 input.
 * @throws KysoError `CERT_MALFORMED` when the input holds no certificate or more than one; the
 *   message says what it was given (DER bytes, PEM text and its block labels, base64 text, or
 *   neither DER nor PEM, such as a JPEG) and why it did not parse.
 * @example
 * ```ts
 * const cert = parseCertificate(readFileSync('nguoi-ky.cer')); // DER or PEM
 * console.log(formatName(cert.subject), cert.notAfter);
 * ```
 * @throws {KysoError} `CERT_MALFORMED` (saying whether it was given DER, PEM or neither),
 * `ASN1_MALFORMED`, `ASN1_TOO_DEEP`, `ASN1_TOO_LARGE`.
 */
export function parseCertificate(input: DerInput): Certificate {
  let all: Certificate[];
  try {
    all = parseCertificates(input);
  } catch (cause) {
    throw givenWhat(input, isKysoError(cause) ? cause.message : String(cause), cause);
  }
  if (all.length === 0) throw givenWhat(input, 'no certificate in it');
  if (all.length !== 1) throw certMalformed(`expected one certificate, found ${all.length}`);
  return all[0]!;
}

/** CERT_MALFORMED saying what the input was (DER, PEM, base64, neither) and why it did not parse. */
function givenWhat(input: DerInput, why: string, cause?: unknown): KysoError {
  const kind = inputKind(input);
  const en = why.replace(/^not a valid X\.509 certificate: /, '');
  const vi = (
    isKysoError(cause) ? cause.messageVi : why === 'no certificate in it' ? 'không có chứng thư số nào' : why
  ).replace(/^không phải chứng thư số X\.509 hợp lệ: /, '');
  return new KysoError('CERT_MALFORMED', `not a valid X.509 certificate: given ${kind.en}: ${en}`, {
    cause,
    messageVi: `không phải chứng thư số X.509 hợp lệ: đầu vào là ${kind.vi}: ${vi}`,
  });
}

/**
 * Every certificate in DER, PEM (any number of `CERTIFICATE` blocks), base64, or a PKCS#7
 * certs-only bundle (`.p7b`, `.p7c`, DER or PEM).
 */
export function parseCertificates(input: DerInput): Certificate[] {
  const out: Certificate[] = [];
  for (const der of derObjects(input, ['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE', 'PKCS7'])) {
    const bundle = pkcs7Contents(der);
    if (bundle) for (const der of bundle.certificates) out.push(parseCertificateDer(der));
    else out.push(parseCertificateDer(der));
  }
  return out;
}

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';

/**
 * The certificates and CRLs of a PKCS#7 / CMS SignedData, as DER, or `undefined` when `der` is not
 * a ContentInfo holding SignedData.
 */
export function pkcs7Contents(
  der: Uint8Array,
): { certificates: Uint8Array[]; crls: Uint8Array[] } | undefined {
  const what = 'PKCS#7 bundle';
  let root: DerElement;
  try {
    root = readDer(der, what);
    const [typeEl, contentEl] = children(root, what);
    if (typeEl?.tag !== TAG.OID || readOid(typeEl, what) !== OID_SIGNED_DATA || !contentEl) return undefined;
    const signedData = children(contentEl, what)[0]!;
    const certificates: Uint8Array[] = [];
    const crls: Uint8Array[] = [];
    for (const item of children(signedData, what)) {
      if (contextTag(item) === 0)
        for (const c of children(item, what)) if (c.tag === TAG.SEQUENCE) certificates.push(c.raw);
      if (contextTag(item) === 1)
        for (const c of children(item, what)) if (c.tag === TAG.SEQUENCE) crls.push(c.raw);
    }
    return { certificates, crls };
  } catch {
    return undefined;
  }
}
