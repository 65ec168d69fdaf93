import { HASH_OIDS } from '../crypto/algorithms.js';
import { verifySignature } from '../crypto/verify.js';
import { isKysoError, KysoError } from '../errors.js';
import { bufferSource, bytesEqual, toHex } from '../lib/bytes.js';
import { children, contextTag, type DerElement, expectChildren, readDer, readOid, TAG } from '../lib/der.js';
import {
  compareDer,
  implicitSetOf,
  integerBytes,
  octets,
  oid,
  seq,
  setOf,
  smallInteger,
  tlv,
} from '../lib/der-write.js';
import type { HashName, SignatureAlgorithm, Signer } from '../signer.js';
import { type Certificate, parseCertificateDer } from '../x509/certificate.js';
import {
  assertAlgorithmFitsCertificate,
  assertSigningHash,
  digestAlgorithmIdentifier,
  digestInfo,
  ecdsaComponentSize,
  ecdsaSignatureToDer,
  hashLength,
  parsedSignatureAlgorithm,
  signatureAlgorithmIdentifier,
} from './algorithm-identifiers.js';
import { CMS_OIDS } from './signed-data.js';

/**
 * Building a detached CMS SignedData for PAdES (ETSI.CAdES.detached) and CAdES, in phases so that
 * a remote signer fits between them:
 * 1. {@link buildSignedAttributes}: content-type (id-data), message-digest and ESS
 *    signing-certificate-v2, DER-sorted, no signing-time (the PDF's /M carries the time). Gives the
 *    DER SET that is signed (RFC 5652 §5.4: tag 0x31, not the [0] it is stored under) and its hash.
 * 2. The signature value, from any {@link Signer} (`sign(der)`, or `signDigest` of the hash).
 * 3. {@link verifySignatureValue} with the certificate, before anything is embedded.
 * 4. {@link assembleSignedData}: exactly one SignerInfo, version 1, issuerAndSerialNumber; eContent
 *    absent.
 * 5. {@link addSignatureTimestamp}: the RFC 3161 token over the signature value as the unsigned
 *    attribute id-aa-signatureTimeStampToken.
 */

/** Input of {@link buildSignedAttributes}. */
export interface SignedAttributesInput {
  /** The hash of the signed content (for a PDF, of the ByteRange), computed with `hash`. */
  messageDigest: Uint8Array;
  /** The hash algorithm of `messageDigest`, of the signing-certificate hash and of the signature (default `SHA-256`). */
  hash?: HashName;
  /** The signer's certificate, DER or parsed: signing-certificate-v2 is a signed attribute, so it is needed now. */
  signerCertificate: Uint8Array | Certificate;
}

/** What {@link buildSignedAttributes} returns. */
export interface SignedAttributes {
  /** The DER SignedAttributes, a SET (tag 0x31): exactly the bytes the signature covers. */
  der: Uint8Array;
  /** The hash algorithm used throughout. */
  hash: HashName;
  /** `hash(der)`: what a signer that takes a bare hash signs (`signDigest` with `digestInput: 'hash'`). */
  digest: Uint8Array;
  /** `DigestInfo(hash, digest)`: what a signer with `digestInput: 'digest-info'` signs (RSA PKCS#1 v1.5). */
  digestInfo: Uint8Array;
}

function certificateOf(input: Uint8Array | Certificate): Certificate {
  return input instanceof Uint8Array ? parseCertificateDer(input) : input;
}

async function digestOf(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, bufferSource(data)));
}

function attribute(type: string, ...values: Uint8Array[]): Uint8Array {
  return seq(oid(type), setOf(...values));
}

function invalid(message: string, messageVi: string): KysoError {
  return new KysoError('INPUT_INVALID', message, { messageVi });
}

/**
 * Builds the signed attributes of a PAdES/CAdES signature: content-type id-data, message-digest,
 * and ESS signing-certificate-v2 (RFC 5035) with the certificate's hash (hashAlgorithm omitted when
 * it is SHA-256, the DER DEFAULT) and issuerSerial. Sorted as DER requires; no signing-time.
 * Throws `SIGNATURE_ALGORITHM_REFUSED` for SHA-1, `INPUT_INVALID` for a digest of the wrong length.
 */
export async function buildSignedAttributes(input: SignedAttributesInput): Promise<SignedAttributes> {
  const hash = input.hash ?? 'SHA-256';
  assertSigningHash(hash);
  if (input.messageDigest.length !== hashLength(hash)) {
    throw invalid(
      `the message digest is ${input.messageDigest.length} bytes; a ${hash} digest is ${hashLength(hash)}`,
      `giá trị băm nội dung dài ${input.messageDigest.length} byte; giá trị băm ${hash} dài ${hashLength(hash)} byte`,
    );
  }
  const certificate = certificateOf(input.signerCertificate);
  const certHash = await digestOf(hash, certificate.der);
  // ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT id-sha256, certHash, issuerSerial }
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames (directoryName [4]), serialNumber }
  const issuerSerial = seq(seq(tlv(0xa4, certificate.issuer.der)), integerBytes(certificate.serialNumber));
  const essCertId =
    hash === 'SHA-256'
      ? seq(octets(certHash), issuerSerial)
      : seq(digestAlgorithmIdentifier(hash), octets(certHash), issuerSerial);
  const der = setOf(
    attribute(CMS_OIDS.contentType, oid(CMS_OIDS.data)),
    attribute(CMS_OIDS.messageDigest, octets(input.messageDigest)),
    attribute(CMS_OIDS.signingCertificateV2, seq(seq(essCertId))),
  );
  const digest = await digestOf(hash, der);
  return { der, hash, digest, digestInfo: digestInfo(hash, digest) };
}

/** Input of {@link verifySignatureValue}. */
export interface SignatureValueCheck {
  /** The DER SignedAttributes (SET, tag 0x31) the value should sign. */
  signedAttributes: Uint8Array;
  /** The value from the signer; for ECDSA raw `r‖s` or DER. */
  signatureValue: Uint8Array;
  algorithm: SignatureAlgorithm;
  /** The signer's certificate, DER or parsed. */
  certificate: Uint8Array | Certificate;
}

/**
 * Verifies a signature value over the DER signed attributes with the certificate's public key,
 * before it is embedded: what catches a value made for another preparation, by another key, or
 * with another algorithm. Resolves with the value as it goes into the SignerInfo (ECDSA as DER);
 * throws `SIGNATURE_INVALID` when it does not verify, `SIGNER_CERTIFICATE_MISMATCH` when the
 * attributes' ESS signing-certificate-v2 names another certificate, `SIGNATURE_ALGORITHM_REFUSED`
 * when the algorithm does not fit the certificate.
 */
export async function verifySignatureValue(check: SignatureValueCheck): Promise<Uint8Array> {
  const certificate = certificateOf(check.certificate);
  assertAlgorithmFitsCertificate(check.algorithm, certificate);
  await assertSigningCertificate(check.signedAttributes, certificate);
  const value = normalizeSignatureValue(check.signatureValue, check.algorithm, certificate);
  let valid = false;
  try {
    valid = await verifySignature({
      algorithm: parsedSignatureAlgorithm(check.algorithm),
      signature: value,
      data: check.signedAttributes,
      publicKey: certificate.publicKey,
    });
  } catch (cause) {
    if (!isKysoError(cause)) throw cause;
    throw signatureInvalid(cause);
  }
  if (!valid) throw signatureInvalid();
  return value;
}

/**
 * When `signedAttributes` hold ESS signing-certificate-v2, its hash must be `certificate`'s: the
 * attribute was fixed at preparation, so a certificate supplied later must be that one (pades-notes H1).
 */
async function assertSigningCertificate(
  signedAttributes: Uint8Array,
  certificate: Certificate,
): Promise<void> {
  let refs: { hash: string; digest: Uint8Array }[] = [];
  try {
    const what = 'signed attributes';
    const root = readDer(signedAttributes, what);
    if (root.tag !== TAG.SET) return;
    for (const attr of children(root, what)) {
      const [typeEl, values] = expectChildren(attr, TAG.SEQUENCE, what);
      if (readOid(typeEl!, what) !== CMS_OIDS.signingCertificateV2) continue;
      const [certs] = expectChildren(children(values!, what)[0]!, TAG.SEQUENCE, what);
      refs = expectChildren(certs!, TAG.SEQUENCE, what).map((id) => {
        const fields = expectChildren(id, TAG.SEQUENCE, what);
        const withAlg = fields[0]?.tag === TAG.SEQUENCE;
        const hash = withAlg ? (HASH_OIDS[readOid(children(fields[0]!, what)[0]!, what)] ?? '') : 'SHA-256';
        return { hash, digest: fields[withAlg ? 1 : 0]!.value };
      });
    }
  } catch {
    return; // not attributes kyso reads: the signature check alone decides
  }
  if (refs.length === 0) return;
  for (const ref of refs) {
    if (!ref.hash) continue;
    const d = new Uint8Array(await globalThis.crypto.subtle.digest(ref.hash, bufferSource(certificate.der)));
    if (bytesEqual(d, ref.digest)) return;
  }
  throw new KysoError(
    'SIGNER_CERTIFICATE_MISMATCH',
    'the certificate is not the one the signed attributes name (ESS signing-certificate-v2)',
    {
      messageVi:
        'chứng thư số không phải chứng thư được nêu trong các thuộc tính được ký (ESS signing-certificate-v2)',
    },
  );
}

function signatureInvalid(cause?: unknown): KysoError {
  return new KysoError(
    'SIGNATURE_INVALID',
    'the signature value does not verify over the signed attributes with the certificate: it was made for other data, by another key or with another algorithm',
    {
      ...(cause ? { cause } : {}),
      messageVi:
        'giá trị chữ ký không khớp với các thuộc tính được ký và chứng thư số: chữ ký được tạo cho dữ liệu khác, bằng khóa khác hoặc theo thuật toán khác',
    },
  );
}

function normalizeSignatureValue(
  value: Uint8Array,
  algorithm: SignatureAlgorithm,
  certificate: Certificate,
): Uint8Array {
  if (algorithm.name !== 'ECDSA') return value;
  const size = ecdsaComponentSize(certificate);
  return size ? ecdsaSignatureToDerSafe(value, size) : value;
}

function ecdsaSignatureToDerSafe(value: Uint8Array, size: number): Uint8Array {
  try {
    return ecdsaSignatureToDer(value, size);
  } catch (cause) {
    throw signatureInvalid(cause);
  }
}

/** Input of {@link assembleSignedData}. */
export interface AssembleSignedDataInput {
  /** The DER SignedAttributes (SET, tag 0x31) from {@link buildSignedAttributes}. */
  signedAttributes: Uint8Array;
  /** The signature value over them; ECDSA raw `r‖s` is converted to DER. Verify it first ({@link verifySignatureValue}). */
  signatureValue: Uint8Array;
  algorithm: SignatureAlgorithm;
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  /** More certificates to carry, DER (the chain; the trust anchor may be left out). Default none. */
  chain?: readonly Uint8Array[];
  /** Unsigned attributes, each a DER `Attribute` SEQUENCE (such as {@link signatureTimestampAttribute}). Default none. */
  unsignedAttributes?: readonly Uint8Array[];
}

/**
 * Assembles a detached SignedData (RFC 5652 §5) in a ContentInfo, DER: version 1, one digest
 * algorithm, eContentType id-data without eContent, the certificates (signer's and chain's,
 * duplicates dropped), and exactly one SignerInfo (version 1, issuerAndSerialNumber).
 */
export function assembleSignedData(input: AssembleSignedDataInput): Uint8Array {
  const certificate = parseCertificateDer(input.certificate);
  assertAlgorithmFitsCertificate(input.algorithm, certificate);
  const attrs = readSignedAttributes(input.signedAttributes);
  const value = normalizeSignatureValue(input.signatureValue, input.algorithm, certificate);
  const digestAlgorithm = digestAlgorithmIdentifier(input.algorithm.hash);
  const messageDigest = attrs.find((a) => a.type === CMS_OIDS.messageDigest);
  if (!messageDigest || messageDigest.value.length !== hashLength(input.algorithm.hash) + 2) {
    throw invalid(
      `the signed attributes hold no ${input.algorithm.hash} message digest`,
      `các thuộc tính được ký không chứa giá trị băm ${input.algorithm.hash} của nội dung`,
    );
  }
  const unsigned = input.unsignedAttributes ?? [];
  const signerInfo = seq(
    smallInteger(1),
    seq(certificate.issuer.der, integerBytes(certificate.serialNumber)),
    digestAlgorithm,
    // [0] IMPLICIT SET OF Attribute: the SET's content under tag 0xa0.
    tlv(0xa0, readDer(input.signedAttributes, 'signed attributes').value),
    signatureAlgorithmIdentifier(input.algorithm),
    octets(value),
    ...(unsigned.length > 0 ? [implicitSetOf(1, ...unsigned)] : []),
  );
  const seen = new Set<string>();
  const certs: Uint8Array[] = [];
  for (const der of [input.certificate, ...(input.chain ?? [])]) {
    const key = toHex(der);
    if (seen.has(key)) continue;
    seen.add(key);
    certs.push(parseCertificateDer(der).der);
  }
  const signedData = seq(
    smallInteger(1),
    setOf(digestAlgorithm),
    seq(oid(CMS_OIDS.data)),
    implicitSetOf(0, ...certs),
    setOf(signerInfo),
  );
  return seq(oid(CMS_OIDS.signedData), tlv(0xa0, signedData));
}

/** The attributes of a DER SignedAttributes SET, checked to be the SET kyso signs. */
function readSignedAttributes(der: Uint8Array): { type: string; value: Uint8Array }[] {
  const what = 'signed attributes';
  try {
    const root = readDer(der, what);
    if (root.tag !== TAG.SET)
      throw invalid(
        'the signed attributes are not a DER SET (tag 0x31)',
        'các thuộc tính được ký không phải một SET DER (thẻ 0x31)',
      );
    const list = children(root, what);
    // RFC 5652 §5.4 signs the DER encoding: a SET OF out of order is another encoding.
    if (list.some((a, k) => k > 0 && compareDer(list[k - 1]!.raw, a.raw) > 0)) {
      throw invalid(
        'the signed attributes are not in DER order (X.690 §11.6)',
        'các thuộc tính được ký không theo thứ tự DER (X.690 §11.6)',
      );
    }
    return list.map((attr) => {
      const [typeEl, values] = expectChildren(attr, TAG.SEQUENCE, what);
      const first = children(values!, what)[0];
      return { type: readOid(typeEl!, what), value: first?.raw ?? new Uint8Array() };
    });
  } catch (error) {
    if (isKysoError(error) && error.code === 'INPUT_INVALID') throw error;
    throw invalid(
      `the signed attributes are not readable DER: ${error instanceof Error ? error.message : String(error)}`,
      'các thuộc tính được ký không phải DER đọc được',
    );
  }
}

/** The unsigned attribute id-aa-signatureTimeStampToken (1.2.840.113549.1.9.16.2.14) holding `token`. */
export function signatureTimestampAttribute(token: Uint8Array): Uint8Array {
  readDer(token, 'timestamp token');
  return seq(oid(CMS_OIDS.timestampToken), setOf(token));
}

function cmsMalformed(message: string): KysoError {
  return new KysoError('CMS_MALFORMED', `not a SignedData kyso can add to: ${message}`, {
    messageVi: `không phải SignedData mà kyso bổ sung được: ${message}`,
  });
}

/** The parts of a DER ContentInfo/SignedData with exactly one SignerInfo, for rewriting it. */
function signerInfoParts(signedData: Uint8Array): { sd: DerElement[]; si: DerElement[] } {
  const what = 'CMS';
  const root = readDer(signedData, what);
  const [typeEl, contentEl] = expectChildren(root, TAG.SEQUENCE, what);
  if (!typeEl || readOid(typeEl, what) !== CMS_OIDS.signedData || !contentEl || contextTag(contentEl) !== 0)
    throw cmsMalformed('the content is not SignedData');
  const sd = expectChildren(children(contentEl, what)[0]!, TAG.SEQUENCE, what);
  const infos = expectChildren(sd[sd.length - 1]!, TAG.SET, what);
  if (infos.length !== 1) throw cmsMalformed(`it has ${infos.length} SignerInfos, not one`);
  return { sd, si: expectChildren(infos[0]!, TAG.SEQUENCE, what) };
}

/** The signature value of the one SignerInfo of a DER SignedData: what a signature timestamp stamps. */
export function signatureValueOf(signedData: Uint8Array): Uint8Array {
  const { si } = signerInfoParts(signedData);
  const value = si.find((el) => el.tag === TAG.OCTET_STRING);
  if (!value) throw cmsMalformed('the SignerInfo has no signature value');
  return value.value;
}

/**
 * Adds `attributes` (DER `Attribute`s, such as {@link signatureTimestampAttribute}) to the unsigned
 * attributes of the one SignerInfo of a DER SignedData, keeping every other byte as it was.
 */
export function addUnsignedAttributes(signedData: Uint8Array, attributes: readonly Uint8Array[]): Uint8Array {
  let parts: { sd: DerElement[]; si: DerElement[] };
  try {
    parts = signerInfoParts(signedData);
  } catch (error) {
    if (isKysoError(error) && error.code === 'CMS_MALFORMED') throw error;
    throw cmsMalformed(error instanceof Error ? error.message : String(error));
  }
  const { sd, si } = parts;
  const last = si[si.length - 1]!;
  const existing = contextTag(last) === 1 ? children(last, 'CMS') : [];
  const kept = contextTag(last) === 1 ? si.slice(0, -1) : si;
  const newSi = seq(
    ...kept.map((e) => e.raw),
    implicitSetOf(1, ...existing.map((e) => e.raw), ...attributes),
  );
  const newSd = seq(...sd.slice(0, -1).map((e) => e.raw), setOf(newSi));
  return seq(oid(CMS_OIDS.signedData), tlv(0xa0, newSd));
}

/** Adds an RFC 3161 token (over {@link signatureValueOf}) as the signature timestamp of a DER SignedData. */
export function addSignatureTimestamp(signedData: Uint8Array, timestampToken: Uint8Array): Uint8Array {
  return addUnsignedAttributes(signedData, [signatureTimestampAttribute(timestampToken)]);
}

/** Input of {@link signDetached}. */
export interface SignDetachedInput {
  /** The hash of the content, computed with `signer.algorithm.hash`. */
  messageDigest: Uint8Array;
  signer: Signer;
}

/**
 * The one-step form: builds the signed attributes for `signer`, has it sign them, verifies the
 * value with its certificate and assembles the SignedData (DER ContentInfo). Throws
 * `SIGNATURE_INVALID` when the signer's key does not match its certificate.
 * @example
 * ```ts
 * const signer = createPkcs12Signer(readFileSync('khoa.p12'), password);
 * const cms = await signDetached({ messageDigest: sha256OfContent, signer });
 * ```
 * @throws {KysoError} `SIGNATURE_ALGORITHM_REFUSED` (SHA-1, a curve and hash that do not fit),
 * `SIGNATURE_INVALID` (the signer's value does not verify), `SIGNER_CERTIFICATE_MISMATCH`.
 */
export async function signDetached(input: SignDetachedInput): Promise<Uint8Array> {
  const { signer } = input;
  const attrs = await buildSignedAttributes({
    messageDigest: input.messageDigest,
    hash: signer.algorithm.hash,
    signerCertificate: signer.certificate,
  });
  const raw = await signer.sign(attrs.der);
  const signatureValue = await verifySignatureValue({
    signedAttributes: attrs.der,
    signatureValue: raw,
    algorithm: signer.algorithm,
    certificate: signer.certificate,
  });
  return assembleSignedData({
    signedAttributes: attrs.der,
    signatureValue,
    algorithm: signer.algorithm,
    certificate: signer.certificate,
    chain: signer.chain,
  });
}
