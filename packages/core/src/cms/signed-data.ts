import { HASH_OIDS, KEY_OIDS, unsupportedDigest, type VerifyHash } from '../crypto/algorithms.js';
import { verifySignature } from '../crypto/verify.js';
import { isKysoError, KysoError } from '../errors.js';
import { bufferSource, bytesEqual } from '../lib/bytes.js';
import {
  berToDer,
  children,
  contextTag,
  type DerElement,
  expectChildren,
  expectTag,
  readDer,
  readOid,
  readTime,
  TAG,
} from '../lib/der.js';
import { compareDer } from '../lib/der-write.js';
import {
  type AlgorithmIdentifier,
  type Certificate,
  parseAlgorithmIdentifier,
  parseCertificateDer,
} from '../x509/certificate.js';
import { type Crl, parseCrlDer } from '../x509/crl.js';
import { parseName } from '../x509/name.js';

/**
 * CMS SignedData (RFC 5652) as PAdES and CAdES use it: detached content, one or more SignerInfos
 * with signed attributes (content type, message digest, signing time, signing-certificate(-v2)
 * binding), the certificates and CRLs carried along, and unsigned attributes such as an RFC 3161
 * signature timestamp. Verification checks the message digest against the caller's digest of the
 * content and the signature over the DER of the signed attributes.
 */

export const CMS_OIDS = {
  signedData: '1.2.840.113549.1.7.2',
  data: '1.2.840.113549.1.7.1',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  timestampToken: '1.2.840.113549.1.9.16.2.14',
  adbeRevocationInfoArchival: '1.2.840.113583.1.1.8',
  /** id-ri-ocsp-response (RFC 5940 §4.1): an OCSPResponse in `crls [1]` as an `other` entry. */
  riOcspResponse: '1.3.6.1.5.5.7.16.2',
} as const;

/** One SignerInfo. */
export interface SignerInfo {
  /** Who signed: issuer and serial, or a subject key identifier. */
  sid: { issuerKey?: string; serialNumber?: Uint8Array; subjectKeyIdentifier?: Uint8Array };
  digestAlgorithm: VerifyHash;
  signatureAlgorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  /** The signed attributes re-encoded as a SET (what the signature covers), when present. */
  signedAttributesDer?: Uint8Array;
  /**
   * Whether the signed attributes are in DER order (X.690 §11.6: a SET OF sorted by encoding).
   * RFC 5652 §5.4 hashes their DER encoding; a signer that signed them unsorted signed another
   * encoding than the one a strict verifier hashes (EU DSS reports HASH_FAILURE).
   */
  signedAttributesInDerOrder?: boolean;
  contentType?: string;
  messageDigest?: Uint8Array;
  signingTime?: Date;
  /**
   * ESS signing-certificate(-v2) references (RFC 2634 §5.4, RFC 5035 §3), in order: which
   * attribute, the hash algorithm and hash of a certificate, and its issuerSerial when present.
   * Only the first reference of each attribute names the signer's certificate (RFC 5035 §5.4).
   */
  signingCertificateRefs: SigningCertificateRef[];
  /**
   * What is wrong in the signed attributes themselves: an attribute RFC 5652 §11 allows once
   * appearing twice, or with several values. Such a SignerInfo is not well-formed CMS.
   */
  attributeProblems: string[];
  /** An RFC 3161 timestamp token over the signature value, DER, when present. */
  timestampToken?: Uint8Array;
  /**
   * Revocation data the signer archived in the signed attribute adbe-revocationInfoArchival
   * (ISO 32000-2 §12.8.3.3.2): DER CRLs and OCSPResponses, unparsed (a bad one must not make the
   * signature unreadable; the caller parses and checks each).
   */
  archivedRevocation?: { crls: Uint8Array[]; ocspResponses: Uint8Array[] };
}

/** One ESSCertID or ESSCertIDv2 of a signing-certificate(-v2) attribute. */
export interface SigningCertificateRef {
  /** `v1`: signing-certificate (SHA-1, RFC 2634); `v2`: signing-certificate-v2 (RFC 5035). */
  attribute: 'v1' | 'v2';
  /** Whether this is the first reference of its attribute: the one that names the signer. */
  first: boolean;
  hash: VerifyHash;
  digest: Uint8Array;
  /** The issuerSerial field, when present: the issuer (as a name key, when a directoryName) and serial. */
  issuerSerial?: { issuerKeys: string[]; serialNumber: Uint8Array };
}

/**
 * Why a SignedData is not usable as the one-signer CMS a PDF signature (ISO 32000-2 §12.8.3.4.3 d)
 * or a timestamp token (RFC 3161 §2.4.2) must be: no SignerInfo, or more than one.
 */
export type SignerInfoCountProblem = 'no-signer-info' | 'several-signer-infos';

/** A parsed SignedData. */
export interface SignedData {
  eContentType: string;
  /** Encapsulated content (absent for detached signatures). */
  eContent?: Uint8Array;
  certificates: Certificate[];
  /** The CRLs of `crls [1]` that parse (RFC 5652 §10.2.1 `crl` choice). */
  crls: Crl[];
  /**
   * DER OCSPResponses carried in `crls [1]` as `other` entries of format id-ri-ocsp-response
   * (RFC 5940 §4.1), unparsed: the caller parses and checks each.
   */
  ocspResponses: Uint8Array[];
  /** Other `other` revocation entries (RFC 5652 §10.2.1), kept as they are: format OID and DER. */
  otherRevocationInfo: { format: string; der: Uint8Array }[];
  /**
   * What could not be read among the certificates' companions: a CRL in `crls [1]` that does not
   * parse is listed here, and left out of `crls`. A warning, never a reason to reject the signature.
   */
  warnings: string[];
  /** Every SignerInfo, in order; see {@link signerInfoCountProblem} for what a PDF signature requires. */
  signers: SignerInfo[];
}

/**
 * Whether `sd` has exactly one SignerInfo, as a PDF signature (ISO 32000-2 §12.8.3.4.3 d: "only a
 * single signer") and an RFC 3161 token (§2.4.2) require; the problem when it has not.
 */
export function signerInfoCountProblem(sd: SignedData): SignerInfoCountProblem | undefined {
  if (sd.signers.length === 0) return 'no-signer-info';
  if (sd.signers.length > 1) return 'several-signer-infos';
  return undefined;
}

/** The only SignerInfo of `sd`, or `undefined` when it has none or several ({@link signerInfoCountProblem}). */
export function soleSignerInfo(sd: SignedData): SignerInfo | undefined {
  return sd.signers.length === 1 ? sd.signers[0] : undefined;
}

function malformed(message: string, cause?: unknown): KysoError {
  return new KysoError('CMS_MALFORMED', `not a valid CMS SignedData: ${message}`, {
    cause,
    messageVi: `không phải CMS SignedData hợp lệ: ${message}`,
  });
}

/**
 * Parses a ContentInfo holding SignedData. Trailing zero padding (PDF /Contents) is allowed.
 * Throws `CMS_MALFORMED`, or `ALGORITHM_UNSUPPORTED` for a digest algorithm kyso does not know.
 */
export function parseSignedData(input: Uint8Array): SignedData {
  const what = 'CMS';
  try {
    const first = readTopLevel(input, what);
    const [typeEl, contentEl] = expectChildren(first, TAG.SEQUENCE, what);
    if (readOid(typeEl!, what) !== CMS_OIDS.signedData) throw malformed('the content is not SignedData');
    const sd = expectChildren(children(contentEl!, what)[0]!, TAG.SEQUENCE, what);
    let i = 1; // version
    i += 1; // digestAlgorithms
    const encap = expectChildren(sd[i++]!, TAG.SEQUENCE, what);
    const eContentType = readOid(encap[0]!, what);
    const eContent = encap[1]
      ? expectTag(children(encap[1], what)[0], TAG.OCTET_STRING, what).value
      : undefined;
    const out: SignedData = {
      eContentType,
      ...(eContent ? { eContent } : {}),
      certificates: [],
      crls: [],
      ocspResponses: [],
      otherRevocationInfo: [],
      warnings: [],
      signers: [],
    };
    for (; i < sd.length && contextTag(sd[i]!) >= 0; i += 1) {
      const el = sd[i]!;
      if (contextTag(el) === 0) {
        // CertificateChoices: only the `certificate` choice (a SEQUENCE) is one kyso uses.
        for (const item of children(el, what))
          if (item.tag === TAG.SEQUENCE) out.certificates.push(parseCertificateDer(item.raw));
      } else if (contextTag(el) === 1) {
        readRevocationInfoChoices(el, out, what);
      }
    }
    const signerInfos = expectChildren(sd[i]!, TAG.SET, what);
    for (const si of signerInfos) out.signers.push(parseSignerInfo(si, what));
    return out;
  } catch (error) {
    // A well-formed CMS in an algorithm kyso does not know is not malformed: say which it is.
    if (isKysoError(error) && (error.code === 'CMS_MALFORMED' || error.code === 'ALGORITHM_UNSUPPORTED'))
      throw error;
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
}

/**
 * The ContentInfo at the start of `input`: DER with PDF zero padding after it, or BER (indefinite
 * lengths, chunked OCTET STRINGs) re-encoded as DER. BER is recognised near the top, and also
 * deeper: a DER reading that meets an indefinite length anywhere retries as BER.
 */
function readTopLevel(input: Uint8Array, what: string): DerElement {
  if (input[1] === 0x80 || hasIndefinite(input)) return readDer(berToDer(input, what), what);
  try {
    return readDer(trimPadding(input), what);
  } catch (error) {
    try {
      return readDer(berToDer(input, what), what);
    } catch {
      throw error;
    }
  }
}

/**
 * `crls [1] IMPLICIT RevocationInfoChoices` (RFC 5652 §10.2.1):
 * `RevocationInfoChoice ::= CHOICE { crl CertificateList, other [1] IMPLICIT OtherRevocationInfoFormat }`.
 * A CRL that does not parse is a warning; an `other` entry is kept (an OCSP response, RFC 5940,
 * among `ocspResponses`), never parsed as a CRL.
 */
function readRevocationInfoChoices(el: DerElement, out: SignedData, what: string): void {
  for (const item of children(el, what)) {
    if (item.tag === TAG.SEQUENCE) {
      try {
        out.crls.push(parseCrlDer(item.raw));
      } catch (error) {
        out.warnings.push(
          `a CRL carried in the signature cannot be read and is ignored: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    } else if (item.tag === 0xa1) {
      try {
        const [formatEl, infoEl] = children(item, what);
        const format = readOid(formatEl!, what);
        if (!infoEl) throw malformed('an other revocation entry without its data');
        if (format === CMS_OIDS.riOcspResponse) out.ocspResponses.push(infoEl.raw);
        else out.otherRevocationInfo.push({ format, der: infoEl.raw });
      } catch (error) {
        out.warnings.push(
          `an "other" revocation entry carried in the signature cannot be read and is ignored: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    } else {
      out.warnings.push(`an unknown revocation entry (tag 0x${item.tag.toString(16)}) is ignored`);
    }
  }
}

/** Whether the element at the start of `input` uses an indefinite length anywhere near the top. */
function hasIndefinite(input: Uint8Array): boolean {
  // Cheap check: indefinite lengths appear as 0x80 right after a constructed tag.
  for (let i = 0; i + 1 < Math.min(input.length, 64); i += 1)
    if ((input[i]! & 0x20) !== 0 && input[i + 1] === 0x80) return true;
  return false;
}

function trimPadding(input: Uint8Array): Uint8Array {
  if (input.length < 4 || input[0] !== 0x30) return input;
  const len = input[1]!;
  if (len < 0x80) return input.subarray(0, Math.min(input.length, 2 + len));
  const count = len & 0x7f;
  let total = 0;
  for (let k = 0; k < count; k += 1) total = total * 256 + input[2 + k]!;
  return input.subarray(0, Math.min(input.length, 2 + count + total));
}

/** Signature algorithm OIDs some signers put where a digest algorithm belongs, and their hash. */
const SIGNATURE_OID_HASH: Record<string, VerifyHash> = {
  '1.2.840.113549.1.1.5': 'SHA-1',
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512',
};

function hashOf(alg: AlgorithmIdentifier): VerifyHash {
  const h = HASH_OIDS[alg.oid] ?? SIGNATURE_OID_HASH[alg.oid];
  if (!h) throw unsupportedDigest(alg.oid);
  return h;
}

function parseSignerInfo(el: DerElement, what: string): SignerInfo {
  const parts = expectChildren(el, TAG.SEQUENCE, what);
  let i = 1;
  const sidEl = parts[i++]!;
  const sid: SignerInfo['sid'] = {};
  if (sidEl.tag === TAG.SEQUENCE) {
    const [issuer, serial] = children(sidEl, what);
    sid.issuerKey = parseName(issuer!, what).key;
    sid.serialNumber = expectTag(serial, TAG.INTEGER, what).value;
  } else if (contextTag(sidEl) === 0) {
    sid.subjectKeyIdentifier = sidEl.value;
  }
  const digestAlgorithm = hashOf(parseAlgorithmIdentifier(parts[i++]!, what));
  const info: SignerInfo = {
    sid,
    digestAlgorithm,
    signatureAlgorithm: undefined as unknown as AlgorithmIdentifier,
    signature: new Uint8Array(),
    signingCertificateRefs: [],
    attributeProblems: [],
  };
  if (parts[i] && contextTag(parts[i]!) === 0) {
    const attrs = parts[i++]!;
    // The signature covers the attributes as a SET OF (tag 0x31), not as the [0] they are stored in.
    const der = new Uint8Array(attrs.raw);
    der[0] = 0x31;
    info.signedAttributesDer = der;
    const list = children(attrs, what);
    info.signedAttributesInDerOrder = list.every(
      (a, k) => k === 0 || compareDer(list[k - 1]!.raw, a.raw) <= 0,
    );
    const seen = new Set<string>();
    for (const attr of list) readAttribute(attr, info, seen, what);
  }
  info.signatureAlgorithm = parseAlgorithmIdentifier(parts[i++]!, what);
  info.signature = expectTag(parts[i++], TAG.OCTET_STRING, what).value;
  if (parts[i] && contextTag(parts[i]!) === 1) {
    for (const attr of children(parts[i]!, what)) {
      const [oidEl, values] = expectChildren(attr, TAG.SEQUENCE, what);
      if (readOid(oidEl!, what) === CMS_OIDS.timestampToken)
        info.timestampToken = children(values!, what)[0]?.raw;
    }
  }
  return info;
}

/** Signed attributes RFC 5652 §11 (and RFC 5035 §5.4 for ESS) allow once, with one value. */
const SINGLE_ATTRIBUTES = new Set<string>([
  CMS_OIDS.contentType,
  CMS_OIDS.messageDigest,
  CMS_OIDS.signingTime,
  CMS_OIDS.signingCertificate,
  CMS_OIDS.signingCertificateV2,
]);

function readAttribute(attr: DerElement, info: SignerInfo, seen: Set<string>, what: string): void {
  const [oidEl, valuesEl] = expectChildren(attr, TAG.SEQUENCE, what);
  const oid = readOid(oidEl!, what);
  const values = expectChildren(valuesEl!, TAG.SET, what);
  if (SINGLE_ATTRIBUTES.has(oid)) {
    // A second content-type or message-digest could make two readers see two different signatures.
    if (seen.has(oid)) {
      info.attributeProblems.push(`the signed attribute ${oid} appears more than once (RFC 5652 §11)`);
      return;
    }
    seen.add(oid);
    if (values.length !== 1)
      info.attributeProblems.push(`the signed attribute ${oid} has ${values.length} values, not one`);
  }
  const value = values[0];
  if (!value) return;
  switch (oid) {
    case CMS_OIDS.contentType:
      info.contentType = readOid(value, what);
      break;
    case CMS_OIDS.messageDigest:
      info.messageDigest = expectTag(value, TAG.OCTET_STRING, what).value;
      break;
    case CMS_OIDS.signingTime:
      info.signingTime = readTime(value, what);
      break;
    case CMS_OIDS.signingCertificateV2:
    case CMS_OIDS.signingCertificate: {
      // SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies … }
      // ESSCertID ::= SEQUENCE { certHash OCTET STRING, issuerSerial IssuerSerial OPTIONAL }
      // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash, issuerSerial OPTIONAL }
      const v2 = oid === CMS_OIDS.signingCertificateV2;
      const [certs] = expectChildren(value, TAG.SEQUENCE, what);
      expectChildren(certs!, TAG.SEQUENCE, what).forEach((id, index) => {
        const fields = expectChildren(id, TAG.SEQUENCE, what);
        let hash: VerifyHash = v2 ? 'SHA-256' : 'SHA-1';
        let k = 0;
        if (v2 && fields[0]?.tag === TAG.SEQUENCE)
          hash = hashOf(parseAlgorithmIdentifier(fields[k++]!, what));
        const ref: SigningCertificateRef = {
          attribute: v2 ? 'v2' : 'v1',
          first: index === 0,
          hash,
          digest: expectTag(fields[k++], TAG.OCTET_STRING, what).value,
        };
        if (fields[k]) ref.issuerSerial = readIssuerSerial(fields[k]!, what);
        info.signingCertificateRefs.push(ref);
      });
      break;
    }
    case CMS_OIDS.adbeRevocationInfoArchival: {
      // RevocationInfoArchival ::= SEQUENCE { crl [0] EXPLICIT SEQUENCE OF CRL OPTIONAL,
      //   ocsp [1] EXPLICIT SEQUENCE OF OCSPResponse OPTIONAL, otherRevInfo [2] … OPTIONAL }
      const archive = { crls: [] as Uint8Array[], ocspResponses: [] as Uint8Array[] };
      try {
        for (const field of expectChildren(value, TAG.SEQUENCE, what)) {
          const tag = contextTag(field);
          if (tag !== 0 && tag !== 1) continue;
          const list = children(children(field, what)[0]!, what).map((e) => e.raw);
          for (const der of list) (tag === 0 ? archive.crls : archive.ocspResponses).push(der);
        }
      } catch {
        // Unreadable archived revocation data is no revocation data, not an unreadable signature.
      }
      info.archivedRevocation = archive;
      break;
    }
  }
}

/** IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber } (RFC 5035 §4). */
function readIssuerSerial(el: DerElement, what: string): { issuerKeys: string[]; serialNumber: Uint8Array } {
  const [names, serial] = expectChildren(el, TAG.SEQUENCE, what);
  const issuerKeys: string[] = [];
  // directoryName [4] EXPLICIT Name: the only GeneralName a certificate issuer can be compared by.
  for (const gn of expectChildren(names!, TAG.SEQUENCE, what))
    if (gn.tag === 0xa4) issuerKeys.push(parseName(children(gn, what)[0]!, what).key);
  return { issuerKeys, serialNumber: expectTag(serial, TAG.INTEGER, what).value };
}

/** The certificate of `signer` among `certs`, by issuer and serial or by subject key identifier. */
export function findSignerCertificate(
  signer: SignerInfo,
  certs: readonly Certificate[],
): Certificate | undefined {
  return certs.find((c) =>
    signer.sid.subjectKeyIdentifier
      ? c.extensions.subjectKeyIdentifier !== undefined &&
        bytesEqual(c.extensions.subjectKeyIdentifier, signer.sid.subjectKeyIdentifier)
      : c.issuer.key === signer.sid.issuerKey &&
        signer.sid.serialNumber !== undefined &&
        bytesEqual(c.serialNumber, signer.sid.serialNumber),
  );
}

/**
 * How the content type is bound (RFC 5652 §11.1, ISO 32000-2 §12.8.3.4.3 a): `ok` when the signed
 * content-type attribute equals the eContentType and that is the expected type; `absent` when
 * there are signed attributes without content-type (RFC 5652 §11.1 requires it); `mismatch` when
 * the attribute names another type than the eContentType; `unexpected` when the eContentType is
 * not the one the caller expects (id-data for a PDF signature, id-ct-TSTInfo for a timestamp).
 * Without signed attributes there is no attribute to check: `ok` when the eContentType is expected.
 */
export type ContentTypeCheck = 'ok' | 'absent' | 'mismatch' | 'unexpected';

/** What {@link verifySignerInfo} found. */
export interface SignerVerification {
  certificate?: Certificate;
  /** The message digest attribute equals the digest of the content. */
  digestMatches: boolean;
  /** The signature verifies with the certificate's key. */
  signatureValid: boolean;
  /**
   * The ESS signing-certificate(-v2) binding (RFC 5035 §5.4, EN 319 122-1 §5.2.2, ISO 32000-2
   * §12.8.3.4.5 a: required for ETSI.CAdES.detached): `ok` when every signing-certificate attribute
   * present names the signer's certificate in its first reference (hash, and issuerSerial when
   * given); `absent` when there is none; `mismatch` when one names another certificate.
   */
  signingCertificateBinding: 'ok' | 'absent' | 'mismatch';
  /** Which signing-certificate attributes the SignerInfo carries (v1 SHA-1, v2). */
  signingCertificateAttributes: ('v1' | 'v2')[];
  /** See {@link ContentTypeCheck}. */
  contentType: ContentTypeCheck;
  /** `contentType === 'ok'`. */
  contentTypeMatches: boolean;
  /** The signed attributes hold no duplicate or multi-valued attribute (see `SignerInfo.attributeProblems`). */
  attributesWellFormed: boolean;
  /**
   * Set when the signature could not be checked at all: its algorithm (or key) is one kyso does
   * not verify. `signatureValid` is then false without the signature having been shown wrong.
   */
  unsupportedAlgorithm?: string;
  problems: string[];
}

/** Options of {@link verifySignerInfo}. */
export interface VerifySignerInfoOptions {
  /** The content itself, for a SignerInfo without signed attributes (it signs the content). */
  content?: Uint8Array;
  /** The eContentType the signature must have (default id-data, {@link CMS_OIDS}.data). */
  expectedContentType?: string;
}

/**
 * Verifies one SignerInfo: the message digest against `contentDigest` (computed by the caller with
 * `signer.digestAlgorithm`, so that large content can be hashed as a stream), the signature over
 * the signed attributes, the content type and the ESS signing-certificate binding. A SignerInfo
 * without signed attributes signs the content itself (RFC 5652 §5.4): it is verified when
 * `options.content` holds that content, and otherwise reported unverified.
 */
export async function verifySignerInfo(
  sd: SignedData,
  signer: SignerInfo,
  contentDigest: Uint8Array,
  extraCertificates: readonly Certificate[] = [],
  options: VerifySignerInfoOptions = {},
): Promise<SignerVerification> {
  const problems: string[] = [];
  const certificate = findSignerCertificate(signer, [...sd.certificates, ...extraCertificates]);
  const expectedType = options.expectedContentType ?? CMS_OIDS.data;
  const contentType: ContentTypeCheck =
    sd.eContentType !== expectedType
      ? 'unexpected'
      : !signer.signedAttributesDer
        ? 'ok'
        : signer.contentType === undefined
          ? 'absent'
          : signer.contentType !== sd.eContentType
            ? 'mismatch'
            : 'ok';
  const result: SignerVerification = {
    ...(certificate ? { certificate } : {}),
    digestMatches: false,
    signatureValid: false,
    signingCertificateBinding: 'absent',
    signingCertificateAttributes: [...new Set(signer.signingCertificateRefs.map((r) => r.attribute))],
    contentType,
    contentTypeMatches: contentType === 'ok',
    attributesWellFormed: signer.attributeProblems.length === 0,
    problems,
  };
  if (contentType === 'unexpected')
    problems.push(`the content type is ${sd.eContentType}, not the expected ${expectedType}`);
  else if (contentType === 'absent')
    problems.push('the signed attributes lack the content-type attribute (RFC 5652 §11.1)');
  else if (contentType === 'mismatch') problems.push('the content-type attribute does not match the content');
  for (const p of signer.attributeProblems) problems.push(p);
  // What the signature value covers: the signed attributes, or else the content itself.
  const signedData = signer.signedAttributesDer ?? options.content;
  if (signer.signedAttributesDer) {
    result.digestMatches =
      signer.messageDigest !== undefined && bytesEqual(signer.messageDigest, contentDigest);
    if (!result.digestMatches) problems.push('the message digest does not match the signed content');
  } else if (options.content) {
    // No message-digest attribute to contradict: the signature value alone decides.
    result.digestMatches = true;
  } else {
    problems.push('no signed attributes: the signature covers the content directly');
  }
  if (!certificate) {
    problems.push('the signer certificate is not in the signature');
    return result;
  }
  result.signingCertificateBinding = await signingCertificateBinding(
    signer.signingCertificateRefs,
    certificate,
  );
  if (result.signingCertificateBinding === 'mismatch')
    problems.push('the signing-certificate attribute names another certificate');
  // rsaEncryption as the signature algorithm means PKCS#1 v1.5 with the digest algorithm.
  const algorithm = signatureAlgorithmFor(signer);
  try {
    result.signatureValid = signedData
      ? await verifySignature({
          algorithm,
          signature: signer.signature,
          data: signedData,
          publicKey: certificate.publicKey,
        })
      : false;
  } catch (error) {
    if (error instanceof KysoError && error.code === 'ALGORITHM_UNSUPPORTED')
      result.unsupportedAlgorithm = error.message;
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!result.signatureValid && signedData && !result.unsupportedAlgorithm)
    problems.push('the signature value does not verify with the signer key');
  return result;
}

/**
 * Whether the ESS references name `certificate`: the first reference of each attribute must carry
 * its hash and, when it has an issuerSerial, its issuer and serial number (RFC 5035 §5.4: "the
 * first certificate identified in the sequence … MUST be the certificate used to verify the
 * signature"). Later references name other certificates of the path, which kyso does not require.
 */
export async function signingCertificateBinding(
  refs: readonly SigningCertificateRef[],
  certificate: Certificate,
): Promise<'ok' | 'absent' | 'mismatch'> {
  const firsts = refs.filter((r) => r.first);
  if (firsts.length === 0) return 'absent';
  for (const ref of firsts) {
    const d = new Uint8Array(await globalThis.crypto.subtle.digest(ref.hash, bufferSource(certificate.der)));
    if (!bytesEqual(d, ref.digest)) return 'mismatch';
    if (ref.issuerSerial) {
      const { issuerKeys, serialNumber } = ref.issuerSerial;
      if (!bytesEqual(serialNumber, certificate.serialNumber)) return 'mismatch';
      if (issuerKeys.length > 0 && !issuerKeys.includes(certificate.issuer.key)) return 'mismatch';
    }
  }
  return 'ok';
}

const RSA_WITH: Record<VerifyHash, string> = {
  'SHA-1': '1.2.840.113549.1.1.5',
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_WITH: Record<VerifyHash, string> = {
  'SHA-1': '1.2.840.10045.4.1',
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};

function signatureAlgorithmFor(signer: SignerInfo): AlgorithmIdentifier {
  const oid = signer.signatureAlgorithm.oid;
  if (oid === KEY_OIDS.rsa) return { oid: RSA_WITH[signer.digestAlgorithm], der: new Uint8Array() };
  if (oid === KEY_OIDS.ec) return { oid: ECDSA_WITH[signer.digestAlgorithm], der: new Uint8Array() };
  return signer.signatureAlgorithm;
}
