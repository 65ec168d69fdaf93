import { HASH_OIDS, type VerifyHash } from '../crypto/algorithms.js';
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
import { CMS_OIDS, parseSignedData, type SignedData, verifySignerInfo } from './signed-data.js';

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
  /** The TSA certificate has extended key usage timeStamping (critical, RFC 3161 §2.3). */
  tsaKeyUsageOk: boolean;
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
    if (!hash) throw malformed(`unsupported imprint hash ${hashOid}`);
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
    if (isKysoError(error) && error.code === 'CMS_MALFORMED') throw error;
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
  const signer = signedData.signers[0];
  if (!signer) throw malformed('no signer');
  const contentDigest = new Uint8Array(
    await globalThis.crypto.subtle.digest(signer.digestAlgorithm, bufferSource(signedData.eContent)),
  );
  const v = await verifySignerInfo(signedData, signer, contentDigest);
  problems.push(...v.problems);
  const eku = v.certificate?.extensions.extKeyUsage;
  const tsaKeyUsageOk = eku?.oids.includes('1.3.6.1.5.5.7.3.8') === true;
  if (v.certificate && !tsaKeyUsageOk)
    problems.push('the TSA certificate lacks extended key usage timeStamping');
  return {
    info,
    signedData,
    ...(v.certificate ? { tsaCertificate: v.certificate } : {}),
    imprintMatches,
    signatureValid: v.signatureValid && v.digestMatches,
    tsaKeyUsageOk,
    problems,
  };
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
