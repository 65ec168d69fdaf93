import { HASH_OIDS, KEY_OIDS, type VerifyHash } from '../crypto/algorithms.js';
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
} as const;

/** X.690 §11.6 order: as octet strings, the shorter padded at its end with zero octets. */
function compareDerOrder(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

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
  /** ESS signing-certificate(-v2) hashes: algorithm and hash of the signer's certificate. */
  signingCertificateRefs: { hash: VerifyHash; digest: Uint8Array }[];
  /** An RFC 3161 timestamp token over the signature value, DER, when present. */
  timestampToken?: Uint8Array;
  /**
   * Revocation data the signer archived in the signed attribute adbe-revocationInfoArchival
   * (ISO 32000-2 §12.8.3.3.2): DER CRLs and OCSPResponses, unparsed (a bad one must not make the
   * signature unreadable; the caller parses and checks each).
   */
  archivedRevocation?: { crls: Uint8Array[]; ocspResponses: Uint8Array[] };
}

/** A parsed SignedData. */
export interface SignedData {
  eContentType: string;
  /** Encapsulated content (absent for detached signatures). */
  eContent?: Uint8Array;
  certificates: Certificate[];
  crls: Crl[];
  signers: SignerInfo[];
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
    // CMS may be BER (indefinite lengths); PDF /Contents is zero-padded after it.
    const first = readDer(
      input[1] === 0x80 || hasIndefinite(input) ? berToDer(input, what) : trimPadding(input),
      what,
    );
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
    const certificates: Certificate[] = [];
    const crls: Crl[] = [];
    for (; i < sd.length && contextTag(sd[i]!) >= 0; i += 1) {
      const el = sd[i]!;
      for (const item of children(el, what)) {
        if (item.tag !== TAG.SEQUENCE) continue;
        if (contextTag(el) === 0) certificates.push(parseCertificateDer(item.raw));
        else if (contextTag(el) === 1) crls.push(parseCrlDer(item.raw));
      }
    }
    const signers = expectChildren(sd[i]!, TAG.SET, what).map((si) => parseSignerInfo(si, what));
    return { eContentType, ...(eContent ? { eContent } : {}), certificates, crls, signers };
  } catch (error) {
    // A well-formed CMS in an algorithm kyso does not know is not malformed: say which it is.
    if (isKysoError(error) && (error.code === 'CMS_MALFORMED' || error.code === 'ALGORITHM_UNSUPPORTED'))
      throw error;
    throw malformed(error instanceof Error ? error.message : String(error), error);
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
  if (!h) {
    throw new KysoError('ALGORITHM_UNSUPPORTED', `unsupported digest algorithm ${alg.oid}`, {
      messageVi: `thuật toán băm không được hỗ trợ: ${alg.oid}`,
    });
  }
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
  };
  if (parts[i] && contextTag(parts[i]!) === 0) {
    const attrs = parts[i++]!;
    // The signature covers the attributes as a SET OF (tag 0x31), not as the [0] they are stored in.
    const der = new Uint8Array(attrs.raw);
    der[0] = 0x31;
    info.signedAttributesDer = der;
    const list = children(attrs, what);
    info.signedAttributesInDerOrder = list.every(
      (a, k) => k === 0 || compareDerOrder(list[k - 1]!.raw, a.raw) <= 0,
    );
    for (const attr of list) readAttribute(attr, info, what);
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

function readAttribute(attr: DerElement, info: SignerInfo, what: string): void {
  const [oidEl, valuesEl] = expectChildren(attr, TAG.SEQUENCE, what);
  const oid = readOid(oidEl!, what);
  const value = children(valuesEl!, what)[0];
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
      const [certs] = expectChildren(value, TAG.SEQUENCE, what);
      for (const id of expectChildren(certs!, TAG.SEQUENCE, what)) {
        const fields = expectChildren(id, TAG.SEQUENCE, what);
        let hash: VerifyHash = oid === CMS_OIDS.signingCertificate ? 'SHA-1' : 'SHA-256';
        let k = 0;
        if (oid === CMS_OIDS.signingCertificateV2 && fields[0]?.tag === TAG.SEQUENCE)
          hash = hashOf(parseAlgorithmIdentifier(fields[k++]!, what));
        info.signingCertificateRefs.push({
          hash,
          digest: expectTag(fields[k], TAG.OCTET_STRING, what).value,
        });
      }
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
          (tag === 0 ? archive.crls : archive.ocspResponses).push(...list);
        }
      } catch {
        // Unreadable archived revocation data is no revocation data, not an unreadable signature.
      }
      info.archivedRevocation = archive;
      break;
    }
  }
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

/** What {@link verifySignerInfo} found. */
export interface SignerVerification {
  certificate?: Certificate;
  /** The message digest attribute equals the digest of the content. */
  digestMatches: boolean;
  /** The signature verifies with the certificate's key. */
  signatureValid: boolean;
  /** `ok`, `absent` (no ESS attribute), or `mismatch` (it names another certificate). */
  signingCertificateBinding: 'ok' | 'absent' | 'mismatch';
  /** The content type attribute matches the encapsulated content type. */
  contentTypeMatches: boolean;
  /**
   * Set when the signature could not be checked at all: its algorithm (or key) is one kyso does
   * not verify. `signatureValid` is then false without the signature having been shown wrong.
   */
  unsupportedAlgorithm?: string;
  problems: string[];
}

/**
 * Verifies one SignerInfo: the message digest against `contentDigest` (computed by the caller with
 * `signer.digestAlgorithm`, so that large content can be hashed as a stream), the signature over
 * the signed attributes, and the ESS signing-certificate binding. A SignerInfo without signed
 * attributes signs the content itself (RFC 5652 §5.4): it is verified when `options.content`
 * holds that content, and otherwise reported unverified.
 */
export async function verifySignerInfo(
  sd: SignedData,
  signer: SignerInfo,
  contentDigest: Uint8Array,
  extraCertificates: readonly Certificate[] = [],
  options: { content?: Uint8Array } = {},
): Promise<SignerVerification> {
  const problems: string[] = [];
  const certificate = findSignerCertificate(signer, [...sd.certificates, ...extraCertificates]);
  const result: SignerVerification = {
    ...(certificate ? { certificate } : {}),
    digestMatches: false,
    signatureValid: false,
    signingCertificateBinding: 'absent',
    contentTypeMatches: signer.contentType === undefined || signer.contentType === sd.eContentType,
    problems,
  };
  if (!result.contentTypeMatches) problems.push('the content-type attribute does not match the content');
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
  for (const ref of signer.signingCertificateRefs) {
    const d = new Uint8Array(await globalThis.crypto.subtle.digest(ref.hash, bufferSource(certificate.der)));
    result.signingCertificateBinding = bytesEqual(d, ref.digest) ? 'ok' : 'mismatch';
    if (result.signingCertificateBinding === 'ok') break;
  }
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
