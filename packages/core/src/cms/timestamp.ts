import { HASH_OIDS, unsupportedDigest, type VerifyHash } from '../crypto/algorithms.js';
import { isKysoError, KysoError } from '../errors.js';
import { bufferSource, bytesEqual } from '../lib/bytes.js';
import {
  children,
  contextTag,
  expectChildren,
  expectTag,
  readDer,
  readOid,
  readSmallInt,
  readTime,
  TAG,
} from '../lib/der.js';
import type { Certificate } from '../x509/certificate.js';
import {
  CMS_OIDS,
  type ContentTypeCheck,
  parseSignedData,
  type SignedData,
  signerInfoCountProblem,
  verifySignerInfo,
} from './signed-data.js';

/**
 * RFC 3161 timestamp tokens: a CMS SignedData over a TSTInfo that says "this hash existed at
 * genTime". A signature timestamp's imprint is the hash of the signature value it stamps.
 */

/** The TSTInfo of a token. */
export interface TstInfo {
  policy: string;
  hash: VerifyHash;
  hashedMessage: Uint8Array;
  serialNumber: Uint8Array;
  genTime: Date;
}

/** What {@link verifyTimestampToken} found. */
export interface TimestampVerification {
  info: TstInfo;
  /** The token's own SignedData (its certificates help validate the TSA). */
  signedData: SignedData;
  tsaCertificate?: Certificate;
  /** The imprint equals the hash of the stamped data. */
  imprintMatches: boolean;
  /** The TSA's signature over the TSTInfo verifies. */
  signatureValid: boolean;
  /**
   * The TSA certificate's extended key usage is what RFC 3161 §2.3 requires: present, critical,
   * and timeStamping as its only purpose. See `tsaKeyUsage` for which part failed.
   */
  tsaKeyUsageOk: boolean;
  /**
   * `ok`; `absent` (no extended key usage); `not-critical`; `not-timestamping` (timeStamping is
   * not among the purposes); `other-purposes` (timeStamping with others); `no-certificate`.
   */
  tsaKeyUsage: 'ok' | 'absent' | 'not-critical' | 'not-timestamping' | 'other-purposes' | 'no-certificate';
  /**
   * The ESS signing-certificate(-v2) attribute of the token names the TSA certificate (RFC 3161
   * §2.4.1 requires the attribute; RFC 5035 §5.4 the first reference to be that certificate):
   * `ok`, `absent` or `mismatch`.
   */
  tsaCertificateBinding: 'ok' | 'absent' | 'mismatch';
  /** The signed content-type attribute is id-ct-TSTInfo, as the eContentType (see {@link ContentTypeCheck}). */
  contentType: ContentTypeCheck;
  /**
   * Everything kyso checks in the token itself holds: imprint, TSA signature, content type, TSA
   * key usage and ESS certificate identifier. The TSA's certification path is still the caller's
   * to validate; a token that is not `valid` is no proof of existence (drop it with a warning).
   */
  valid: boolean;
  problems: string[];
}

function malformed(message: string, cause?: unknown): KysoError {
  return new KysoError('CMS_MALFORMED', `not a valid timestamp token: ${message}`, {
    cause,
    messageVi: `dấu thời gian không hợp lệ: ${message}`,
  });
}

/** Parses the TSTInfo inside a timestamp token. */
export function parseTstInfo(der: Uint8Array): TstInfo {
  const what = 'TSTInfo';
  try {
    const parts = expectChildren(readDer(der, what), TAG.SEQUENCE, what);
    readSmallInt(parts[0]!, what);
    const policy = readOid(parts[1]!, what);
    const [algEl, hashEl] = expectChildren(parts[2]!, TAG.SEQUENCE, what);
    const hashOid = readOid(expectChildren(algEl!, TAG.SEQUENCE, what)[0]!, what);
    const hash = HASH_OIDS[hashOid];
    // A well-formed token over a hash kyso does not compute is unsupported, not malformed.
    if (!hash) throw unsupportedDigest(hashOid);
    const serialNumber = expectTag(parts[3], TAG.INTEGER, what).value;
    const genTime = readTime(parts[4]!, what);
    for (const p of parts.slice(5))
      if (p.tag !== TAG.SEQUENCE && p.tag !== TAG.BOOLEAN && p.tag !== TAG.INTEGER && contextTag(p) < 0)
        throw malformed('unexpected field');
    return {
      policy,
      hash,
      hashedMessage: expectTag(hashEl, TAG.OCTET_STRING, what).value,
      serialNumber,
      genTime,
    };
  } catch (error) {
    if (isKysoError(error) && (error.code === 'CMS_MALFORMED' || error.code === 'ALGORITHM_UNSUPPORTED'))
      throw error;
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
}

/**
 * Verifies a timestamp token over `stampedData` (for a signature timestamp, the signature value):
 * the imprint, the TSA's signature and its timeStamping key usage. The TSA's certification path is
 * the caller's to validate (at `info.genTime`), with the token's certificates as intermediates.
 *
 * `stampedData` may instead be a function that hashes the stamped data with the token's imprint
 * algorithm, for data too large to join in memory (a PDF document timestamp's byte ranges).
 */
export async function verifyTimestampToken(
  token: Uint8Array,
  stampedData: Uint8Array | ((hash: VerifyHash) => Promise<Uint8Array>),
): Promise<TimestampVerification> {
  const signedData = parseSignedData(token);
  if (signedData.eContentType !== CMS_OIDS.tstInfo || !signedData.eContent)
    throw malformed('the token does not hold a TSTInfo');
  const info = parseTstInfo(signedData.eContent);
  const problems: string[] = [];
  const imprint =
    typeof stampedData === 'function'
      ? await stampedData(info.hash)
      : new Uint8Array(await globalThis.crypto.subtle.digest(info.hash, bufferSource(stampedData)));
  const imprintMatches = bytesEqual(imprint, info.hashedMessage);
  if (!imprintMatches) problems.push('the timestamp is over other data (imprint mismatch)');
  // RFC 3161 §2.4.2: the token holds the TSA's signature and no other.
  const countProblem = signerInfoCountProblem(signedData);
  if (countProblem)
    throw malformed(countProblem === 'no-signer-info' ? 'no SignerInfo' : 'more than one SignerInfo');
  const signer = signedData.signers[0]!;
  const contentDigest = new Uint8Array(
    await globalThis.crypto.subtle.digest(signer.digestAlgorithm, bufferSource(signedData.eContent)),
  );
  const v = await verifySignerInfo(signedData, signer, contentDigest, [], {
    expectedContentType: CMS_OIDS.tstInfo,
  });
  for (const p of v.problems) problems.push(p);
  const tsaKeyUsage = tsaKeyUsageOf(v.certificate);
  const tsaKeyUsageOk = tsaKeyUsage === 'ok';
  if (v.certificate && !tsaKeyUsageOk) problems.push(TSA_KEY_USAGE_PROBLEMS[tsaKeyUsage]);
  const tsaCertificateBinding = v.signingCertificateBinding;
  if (v.certificate && tsaCertificateBinding === 'absent')
    problems.push(
      'the token has no ESS signing-certificate attribute naming the TSA certificate (RFC 3161 §2.4.1)',
    );
  const signatureValid = v.signatureValid && v.digestMatches;
  return {
    info,
    signedData,
    ...(v.certificate ? { tsaCertificate: v.certificate } : {}),
    imprintMatches,
    signatureValid,
    tsaKeyUsageOk,
    tsaKeyUsage,
    tsaCertificateBinding,
    contentType: v.contentType,
    valid:
      imprintMatches &&
      signatureValid &&
      tsaKeyUsageOk &&
      tsaCertificateBinding === 'ok' &&
      v.contentType === 'ok' &&
      v.attributesWellFormed,
    problems,
  };
}

const TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

const TSA_KEY_USAGE_PROBLEMS: Record<TimestampVerification['tsaKeyUsage'], string> = {
  ok: '',
  absent: 'the TSA certificate has no extended key usage; RFC 3161 §2.3 requires timeStamping',
  'not-critical': "the TSA certificate's extended key usage is not critical (RFC 3161 §2.3)",
  'not-timestamping': 'the TSA certificate lacks extended key usage timeStamping',
  'other-purposes': 'the TSA certificate may be used for other purposes than timeStamping (RFC 3161 §2.3)',
  'no-certificate': 'the TSA certificate is not in the token',
};

/** RFC 3161 §2.3: "The corresponding certificate MUST contain only one instance of the extended key usage field extension … with KeyPurposeID having value id-kp-timeStamping. This extension MUST be critical." */
function tsaKeyUsageOf(cert: Certificate | undefined): TimestampVerification['tsaKeyUsage'] {
  if (!cert) return 'no-certificate';
  const eku = cert.extensions.extKeyUsage;
  if (!eku) return 'absent';
  if (!eku.oids.includes(TIME_STAMPING)) return 'not-timestamping';
  if (eku.oids.some((o) => o !== TIME_STAMPING)) return 'other-purposes';
  if (!eku.critical) return 'not-critical';
  return 'ok';
}

/** The token inside a TimeStampResp (RFC 3161 §2.4.2), or an error with the TSA's status. */
export function timestampTokenFromResponse(response: Uint8Array): Uint8Array {
  const what = 'TimeStampResp';
  const [statusEl, tokenEl] = expectChildren(readDer(response, what), TAG.SEQUENCE, what);
  const status = readSmallInt(children(statusEl!, what)[0]!, what);
  if ((status !== 0 && status !== 1) || !tokenEl) {
    throw new KysoError(
      'TRANSPORT_FAILED',
      `the timestamp authority refused the request (status ${status})`,
      {
        messageVi: `máy chủ dấu thời gian từ chối yêu cầu (trạng thái ${status})`,
      },
    );
  }
  return tokenEl.raw;
}
