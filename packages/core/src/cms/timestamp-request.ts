import { isKysoError, KysoError } from '../errors.js';
import { bufferSource, bytesEqual, toHex } from '../lib/bytes.js';
import { children, contextTag, expectChildren, readBigInt, readDer, readSmallInt, TAG } from '../lib/der.js';
import { boolean, octets, oid, seq, smallInteger, unsignedInteger } from '../lib/der-write.js';
import type { HashName } from '../signer.js';
import type { Transport } from '../transport.js';
import type { Certificate } from '../x509/certificate.js';
import { OID } from '../x509/oids.js';
import { assertSigningHash, digestAlgorithmIdentifier, hashLength } from './algorithm-identifiers.js';
import { type TstInfo, verifyTimestampToken } from './timestamp.js';

/**
 * An RFC 3161 client over the injected {@link Transport}: builds a TimeStampReq (imprint, random
 * nonce, certReq true), sends it, and checks every reply before it is used: status granted, the
 * nonce, the imprint, the TSA's signature, a TSA certificate whose only extended key usage is
 * timeStamping and critical (RFC 3161 §2.3), and the ESS certificate identifier naming it.
 * Validating the TSA's certification path (at genTime) is the caller's, with the token's certificates.
 */

/** Input of {@link buildTimestampRequest}. */
export interface TimestampRequestInput {
  /** The hash of the data to stamp. */
  imprint: Uint8Array;
  /** Its algorithm (default `SHA-256`). */
  hash?: HashName;
  /** The nonce (default: 8 random bytes, as a positive INTEGER). */
  nonce?: Uint8Array;
  /** A TSA policy OID to ask for (default none: the TSA's default policy). */
  policy?: string;
}

/** A TimeStampReq, DER, and the nonce it carries (as the INTEGER's content bytes). */
export interface TimestampRequest {
  der: Uint8Array;
  nonce: Uint8Array;
}

/** Builds a TimeStampReq (RFC 3161 §2.4.1) with certReq true. */
export function buildTimestampRequest(input: TimestampRequestInput): TimestampRequest {
  const hash = input.hash ?? 'SHA-256';
  assertSigningHash(hash);
  if (input.imprint.length !== hashLength(hash)) {
    throw new KysoError(
      'INPUT_INVALID',
      `a ${hash} imprint is ${hashLength(hash)} bytes, not ${input.imprint.length}`,
      {
        messageVi: `dấu băm ${hash} dài ${hashLength(hash)} byte, không phải ${input.imprint.length}`,
      },
    );
  }
  const nonceInt = unsignedInteger(input.nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(8)));
  const der = seq(
    smallInteger(1),
    seq(digestAlgorithmIdentifier(hash), octets(input.imprint)),
    ...(input.policy ? [oid(input.policy)] : []),
    nonceInt,
    boolean(true),
  );
  return { der, nonce: readDer(nonceInt, 'nonce').value };
}

/** Options of {@link requestTimestamp}. */
export interface RequestTimestampOptions {
  /** The TSA's URL. It comes from server configuration, never from a client-held state. */
  url: string;
  /** How to reach it (timeouts and size limits are the transport's). */
  transport: Transport;
  /** The imprint's hash algorithm (default `SHA-256`). */
  hash?: HashName;
  /** A TSA policy OID to ask for (default none). */
  policy?: string;
}

/** A checked timestamp. */
export interface Timestamp {
  /** The TimeStampToken, DER (a ContentInfo with SignedData over a TSTInfo). */
  token: Uint8Array;
  info: TstInfo;
  /** The certificate that signed the token. */
  tsaCertificate: Certificate;
  /** The certificates the token carries (to validate the TSA's path with). */
  certificates: Certificate[];
}

const STATUS_TEXT: Record<number, { en: string; vi: string }> = {
  2: { en: 'rejection', vi: 'từ chối' },
  3: { en: 'waiting', vi: 'đang chờ' },
  4: { en: 'revocation warning', vi: 'cảnh báo thu hồi' },
  5: { en: 'revocation notification', vi: 'thông báo thu hồi' },
};
/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
const FAIL_INFO: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

function tsaError(code: string, en: string, vi: string, cause?: unknown): KysoError {
  return new KysoError(code, en, { messageVi: vi, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Asks the TSA at `options.url` for a timestamp over `data` (hashed here) or over `{ digest }`
 * (already hashed with `options.hash`), and checks the reply. For a CAdES/PAdES signature
 * timestamp, `data` is the SignerInfo's signature value (`signatureValueOf`).
 *
 * Throws, each a {@link KysoError}: `TSA_TIMEOUT`, `TSA_UNREACHABLE` (the transport failed; the
 * transport's error is the cause), `TSA_RESPONSE_MALFORMED`, `TSA_REJECTED` (status other than
 * granted), `TSA_NONCE_MISMATCH`, `TSA_IMPRINT_MISMATCH`, `TSA_SIGNATURE_INVALID`,
 * `TSA_CERTIFICATE_INVALID` (missing, or not timeStamping-only and critical),
 * `TSA_CERTIFICATE_ID_MISMATCH`.
 * @example
 * ```ts
 * const stamp = await requestTimestamp(signatureValue, {
 *   url: 'http://tsa.example.gov.vn',
 *   transport: createHttpTransport({ timeoutMs: 10_000 }),
 * });
 * stamp.info.genTime;
 * ```
 * @throws {KysoError} `TSA_UNREACHABLE`, `TSA_TIMEOUT`, `TSA_RESPONSE_MALFORMED`, `TSA_REJECTED`,
 * `TSA_NONCE_MISMATCH`, `TSA_IMPRINT_MISMATCH`, `TSA_SIGNATURE_INVALID`, `TSA_CERTIFICATE_INVALID`,
 * `TSA_CERTIFICATE_ID_MISMATCH`.
 */
export async function requestTimestamp(
  data: Uint8Array | { digest: Uint8Array },
  options: RequestTimestampOptions,
): Promise<Timestamp> {
  const hash = options.hash ?? 'SHA-256';
  assertSigningHash(hash);
  const imprint =
    data instanceof Uint8Array
      ? new Uint8Array(await globalThis.crypto.subtle.digest(hash, bufferSource(data)))
      : data.digest;
  const request = buildTimestampRequest({
    imprint,
    hash,
    ...(options.policy ? { policy: options.policy } : {}),
  });
  let response: Uint8Array;
  try {
    response = await options.transport.fetch({
      purpose: 'timestamp',
      url: options.url,
      method: 'POST',
      body: request.der,
      contentType: 'application/timestamp-query',
    });
  } catch (error) {
    if (isKysoError(error) && error.code === 'TRANSPORT_TIMEOUT') {
      throw tsaError(
        'TSA_TIMEOUT',
        `the timestamp authority ${options.url} did not answer in time`,
        `máy chủ cấp dấu thời gian ${options.url} không trả lời kịp thời hạn`,
        error,
      );
    }
    const why = error instanceof Error ? error.message : String(error);
    throw tsaError(
      'TSA_UNREACHABLE',
      `the timestamp authority ${options.url} could not be reached: ${why}`,
      `không kết nối được máy chủ cấp dấu thời gian ${options.url}: ${why}`,
      error,
    );
  }
  const token = tokenOf(response, options.url);
  return checkToken(token, imprint, hash, request.nonce);
}

function malformedReply(url: string, cause?: unknown): KysoError {
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return tsaError(
    'TSA_RESPONSE_MALFORMED',
    `the answer of ${url} is not a readable RFC 3161 TimeStampResp${why}`,
    `câu trả lời của ${url} không phải TimeStampResp RFC 3161 đọc được${why}`,
    cause,
  );
}

/** The token of a TimeStampResp, after its status says granted. */
function tokenOf(response: Uint8Array, url: string): Uint8Array {
  const what = 'TimeStampResp';
  let status: number;
  let failures: string[] = [];
  let texts: string[] = [];
  let token: Uint8Array | undefined;
  try {
    const [statusEl, tokenEl, extra] = expectChildren(readDer(response, what), TAG.SEQUENCE, what);
    if (extra) throw new Error('unexpected element after the token');
    const info = expectChildren(statusEl!, TAG.SEQUENCE, what);
    status = readSmallInt(info[0]!, what);
    for (const el of info.slice(1)) {
      if (el.tag === TAG.SEQUENCE) texts = children(el, what).map((t) => new TextDecoder().decode(t.value));
      if (el.tag === TAG.BIT_STRING) {
        const bits = el.value.subarray(1);
        failures = Object.entries(FAIL_INFO)
          .filter(([i]) => ((bits[Number(i) >> 3] ?? 0) & (0x80 >> (Number(i) & 7))) !== 0)
          .map(([, name]) => name);
      }
    }
    if (tokenEl) {
      if (tokenEl.tag !== TAG.SEQUENCE) throw new Error('the token is not a ContentInfo');
      token = tokenEl.raw;
    }
  } catch (error) {
    throw malformedReply(url, error);
  }
  if (status !== 0 && status !== 1) {
    const text = STATUS_TEXT[status] ?? { en: `status ${status}`, vi: `trạng thái ${status}` };
    const detail = [...failures, ...texts].join('; ');
    throw tsaError(
      'TSA_REJECTED',
      `the timestamp authority ${url} refused the request (${text.en}${detail ? `: ${detail}` : ''})`,
      `máy chủ cấp dấu thời gian ${url} từ chối yêu cầu (${text.vi}${detail ? `: ${detail}` : ''})`,
    );
  }
  if (!token) throw malformedReply(url, new Error('status granted but no token'));
  return token;
}

/** The nonce of a TSTInfo (the INTEGER after genTime and the optional accuracy and ordering), if any. */
function nonceOf(tstInfo: Uint8Array): Uint8Array | undefined {
  const what = 'TSTInfo';
  const parts = expectChildren(readDer(tstInfo, what), TAG.SEQUENCE, what);
  for (const p of parts.slice(5)) {
    if (p.tag === TAG.INTEGER) {
      readBigInt(p, what);
      return p.value;
    }
    if (contextTag(p) >= 0) break;
  }
  return undefined;
}

async function checkToken(
  token: Uint8Array,
  imprint: Uint8Array,
  hash: HashName,
  nonce: Uint8Array,
): Promise<Timestamp> {
  let v: Awaited<ReturnType<typeof verifyTimestampToken>>;
  let tokenNonce: Uint8Array | undefined;
  try {
    v = await verifyTimestampToken(token, async (tokenHash) =>
      tokenHash === hash ? imprint : new Uint8Array(),
    );
    tokenNonce = nonceOf(v.signedData.eContent!);
  } catch (error) {
    throw tsaError(
      'TSA_RESPONSE_MALFORMED',
      `the timestamp token is not readable: ${error instanceof Error ? error.message : String(error)}`,
      `không đọc được dấu thời gian: ${error instanceof Error ? error.message : String(error)}`,
      error,
    );
  }
  if (!tokenNonce || !bytesEqual(stripZeros(tokenNonce), stripZeros(nonce))) {
    throw tsaError(
      'TSA_NONCE_MISMATCH',
      `the timestamp answers another request: its nonce ${tokenNonce ? toHex(tokenNonce) : '(none)'} is not ${toHex(nonce)} (a replayed or misrouted reply)`,
      `dấu thời gian trả lời một yêu cầu khác: số nonce ${tokenNonce ? toHex(tokenNonce) : '(không có)'} khác ${toHex(nonce)} (câu trả lời bị phát lại hoặc gửi nhầm)`,
    );
  }
  if (!v.imprintMatches || v.info.hash !== hash) {
    throw tsaError(
      'TSA_IMPRINT_MISMATCH',
      'the timestamp is over other data than was sent (imprint mismatch)',
      'dấu thời gian được cấp cho dữ liệu khác với dữ liệu đã gửi (sai dấu băm)',
    );
  }
  const cert = v.tsaCertificate;
  if (!cert) {
    throw tsaError(
      'TSA_CERTIFICATE_INVALID',
      'the timestamp token does not carry the TSA certificate that was asked for (certReq)',
      'dấu thời gian không kèm chứng thư số của máy chủ cấp dấu thời gian như đã yêu cầu (certReq)',
    );
  }
  if (!v.signatureValid) {
    throw tsaError(
      'TSA_SIGNATURE_INVALID',
      `the TSA's signature on the timestamp does not verify: ${v.problems.join('; ')}`,
      'chữ ký của máy chủ cấp dấu thời gian trên dấu thời gian không hợp lệ',
    );
  }
  const eku = cert.extensions.extKeyUsage;
  if (!eku || !eku.critical || eku.oids.length !== 1 || eku.oids[0] !== OID.ekuTimeStamping) {
    throw tsaError(
      'TSA_CERTIFICATE_INVALID',
      'the TSA certificate must have timeStamping as its only extended key usage, marked critical (RFC 3161 §2.3)',
      'chứng thư số của máy chủ cấp dấu thời gian phải có mục đích sử dụng mở rộng duy nhất là timeStamping, đánh dấu critical (RFC 3161 §2.3)',
    );
  }
  const signer = v.signedData.signers[0]!;
  let named = false;
  for (const ref of signer.signingCertificateRefs) {
    const d = new Uint8Array(await globalThis.crypto.subtle.digest(ref.hash, bufferSource(cert.der)));
    if (bytesEqual(d, ref.digest)) named = true;
  }
  if (!named) {
    throw tsaError(
      'TSA_CERTIFICATE_ID_MISMATCH',
      signer.signingCertificateRefs.length === 0
        ? 'the timestamp token has no ESS signing-certificate attribute naming the TSA certificate'
        : 'the ESS certificate identifier in the timestamp token names another certificate than the one that signed it',
      signer.signingCertificateRefs.length === 0
        ? 'dấu thời gian không có thuộc tính ESS signing-certificate xác định chứng thư số của máy chủ'
        : 'định danh chứng thư ESS trong dấu thời gian trỏ tới chứng thư khác với chứng thư đã ký',
    );
  }
  return { token, info: v.info, tsaCertificate: cert, certificates: v.signedData.certificates };
}

function stripZeros(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  return bytes.subarray(i);
}
