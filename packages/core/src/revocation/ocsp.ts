import { KysoError } from '../errors.js';
import { bufferSource, bytesEqual, toHex } from '../lib/bytes.js';
import {
  children,
  contextTag,
  type DerElement,
  expectChildren,
  expectTag,
  readBitString,
  readDer,
  readOid,
  readSmallInt,
  readTime,
  TAG,
} from '../lib/der.js';
import { explicit, integerBytes, nul, octets, oid, seq } from '../lib/der-write.js';
import { verifySigned } from '../path/signature-cache.js';
import type { ValidationContext } from '../path/types.js';
import {
  type AlgorithmIdentifier,
  type Certificate,
  parseAlgorithmIdentifier,
  parseCertificateDer,
} from '../x509/certificate.js';
import { CRL_REASONS } from '../x509/crl.js';
import { OID } from '../x509/oids.js';

/**
 * OCSP (RFC 6960): request building with a nonce (RFC 8954), response parsing, and the checks a
 * response must pass before kyso believes it: status, the CertID of the certificate asked about,
 * the responder (the CA itself, or a delegated responder it certified for OCSPSigning), the
 * signature, the nonce, and freshness at the validation time.
 */

const OID_BASIC = '1.3.6.1.5.5.7.48.1.1';
const OID_NONCE = '1.3.6.1.5.5.7.48.1.2';
const OID_SHA1 = '1.3.14.3.2.26';
const subtle = globalThis.crypto.subtle;

/** A CertID: which certificate a request or single response is about. */
export interface CertId {
  hashAlgorithm: string;
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serialNumber: Uint8Array;
}

/** A built OCSP request. */
export interface OcspRequest {
  der: Uint8Array;
  certId: CertId;
  nonce: Uint8Array;
}

/** Builds an OCSP request for `cert` issued by `issuer`, with SHA-1 CertID (what responders expect) and a fresh nonce. */
export async function buildOcspRequest(
  cert: Certificate,
  issuer: Certificate,
  nonce?: Uint8Array,
): Promise<OcspRequest> {
  const certId: CertId = {
    hashAlgorithm: OID_SHA1,
    issuerNameHash: new Uint8Array(await subtle.digest('SHA-1', bufferSource(issuer.subject.der))),
    issuerKeyHash: new Uint8Array(await subtle.digest('SHA-1', bufferSource(issuer.publicKey.key))),
    serialNumber: cert.serialNumber,
  };
  const n = nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(32));
  const certIdDer = seq(
    seq(oid(OID_SHA1), nul()),
    octets(certId.issuerNameHash),
    octets(certId.issuerKeyHash),
    integerBytes(certId.serialNumber),
  );
  const nonceExt = seq(oid(OID_NONCE), octets(octets(n)));
  const der = seq(seq(seq(seq(certIdDer)), explicit(2, seq(nonceExt))));
  return { der, certId, nonce: n };
}

/** One SingleResponse. */
export interface OcspSingleResponse {
  certId: CertId;
  status: 'good' | 'revoked' | 'unknown';
  revocationTime?: Date;
  revocationReason?: string;
  thisUpdate: Date;
  nextUpdate?: Date;
}

/** A parsed OCSP response. */
export interface OcspResponse {
  /** `successful`, `malformedRequest`, `internalError`, `tryLater`, `sigRequired`, `unauthorized`. */
  responseStatus: string;
  basic?: {
    tbs: Uint8Array;
    signatureAlgorithm: AlgorithmIdentifier;
    signatureValue: Uint8Array;
    responderName?: string;
    responderKeyHash?: Uint8Array;
    responderNameDer?: Uint8Array;
    producedAt: Date;
    responses: OcspSingleResponse[];
    nonce?: Uint8Array;
    certs: Certificate[];
  };
}

const RESPONSE_STATUS = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  '(unused)',
  'sigRequired',
  'unauthorized',
];

function malformed(message: string, cause?: unknown): KysoError {
  return new KysoError('OCSP_MALFORMED', `not a valid OCSP response: ${message}`, {
    cause,
    messageVi: `phản hồi OCSP không hợp lệ: ${message}`,
  });
}

function parseCertId(el: DerElement, what: string): CertId {
  const [alg, nameHash, keyHash, serial] = expectChildren(el, TAG.SEQUENCE, what);
  return {
    hashAlgorithm: readOid(expectChildren(alg!, TAG.SEQUENCE, what)[0]!, what),
    issuerNameHash: expectTag(nameHash, TAG.OCTET_STRING, what).value,
    issuerKeyHash: expectTag(keyHash, TAG.OCTET_STRING, what).value,
    serialNumber: expectTag(serial, TAG.INTEGER, what).value,
  };
}

/** Parses an OCSPResponse. */
export function parseOcspResponse(der: Uint8Array): OcspResponse {
  const what = 'OCSP response';
  try {
    const [statusEl, bytesEl] = expectChildren(readDer(der, what), TAG.SEQUENCE, what);
    const code = readSmallInt(statusEl!, what, TAG.ENUMERATED);
    const responseStatus = RESPONSE_STATUS[code] ?? `status ${code}`;
    if (!bytesEl) return { responseStatus };
    const [typeEl, respEl] = expectChildren(children(bytesEl, what)[0]!, TAG.SEQUENCE, what);
    if (readOid(typeEl!, what) !== OID_BASIC) throw malformed('not a basic OCSP response');
    const [tbsEl, algEl, sigEl, certsEl] = expectChildren(
      readDer(expectTag(respEl, TAG.OCTET_STRING, what).value, what),
      TAG.SEQUENCE,
      what,
    );
    const tbs = expectChildren(tbsEl!, TAG.SEQUENCE, what);
    let i = 0;
    if (tbs[0] && contextTag(tbs[0]) === 0) i += 1;
    const responder = tbs[i++]!;
    const basic: NonNullable<OcspResponse['basic']> = {
      tbs: tbsEl!.raw,
      signatureAlgorithm: parseAlgorithmIdentifier(algEl!, what),
      signatureValue: readBitString(sigEl!, what).bytes,
      producedAt: new Date(0),
      responses: [],
      certs: [],
    };
    if (contextTag(responder) === 1) basic.responderNameDer = children(responder, what)[0]!.raw;
    else if (contextTag(responder) === 2)
      basic.responderKeyHash = expectTag(children(responder, what)[0], TAG.OCTET_STRING, what).value;
    else throw malformed('unknown responder id');
    basic.producedAt = readTime(tbs[i++]!, what);
    for (const single of expectChildren(tbs[i++]!, TAG.SEQUENCE, what)) {
      const parts = expectChildren(single, TAG.SEQUENCE, what);
      const certId = parseCertId(parts[0]!, what);
      const statusEl2 = parts[1]!;
      const thisUpdate = readTime(parts[2]!, what);
      const r: OcspSingleResponse = { certId, status: 'unknown', thisUpdate };
      const st = contextTag(statusEl2);
      if (st === 0) r.status = 'good';
      else if (st === 1) {
        r.status = 'revoked';
        const info = children(statusEl2, what);
        r.revocationTime = readTime(info[0]!, what);
        r.revocationReason = info[1]
          ? (CRL_REASONS[readSmallInt(children(info[1], what)[0]!, what, TAG.ENUMERATED)] ?? 'unspecified')
          : 'unspecified';
      } else if (st !== 2) throw malformed('unknown certificate status');
      for (const extra of parts.slice(3)) {
        if (contextTag(extra) === 0) r.nextUpdate = readTime(children(extra, what)[0]!, what);
      }
      basic.responses.push(r);
    }
    for (const rest of tbs.slice(i)) {
      if (contextTag(rest) !== 1) continue;
      for (const ext of expectChildren(children(rest, what)[0]!, TAG.SEQUENCE, what)) {
        const [extOid, ...vals] = expectChildren(ext, TAG.SEQUENCE, what);
        if (readOid(extOid!, what) !== OID_NONCE) continue;
        const value = expectTag(vals[vals.length - 1], TAG.OCTET_STRING, what).value;
        // RFC 8954: the nonce is an OCTET STRING inside the extension value; old responders send it bare.
        try {
          basic.nonce = expectTag(readDer(value, what), TAG.OCTET_STRING, what).value;
        } catch {
          basic.nonce = value;
        }
      }
    }
    if (certsEl)
      for (const c of children(children(certsEl, what)[0]!, what))
        basic.certs.push(parseCertificateDer(c.raw));
    return { responseStatus, basic };
  } catch (error) {
    if (error instanceof KysoError && error.code === 'OCSP_MALFORMED') throw error;
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
}

/** What an OCSP check established. */
export interface OcspOutcome {
  status: 'good' | 'revoked' | 'unknown';
  revocationTime?: Date;
  reason?: string;
  problems: string[];
}

/** How long a response without nextUpdate is believed after its thisUpdate (RFC 5019 practice). */
const MAX_AGE_WITHOUT_NEXT_UPDATE = 24 * 3600 * 1000;

/**
 * Asks the OCSP responders named in `cert`'s authorityInfoAccess through the context's Transport
 * and checks the answer. Any failure leaves the status unknown, with the reason.
 */
export async function ocspStatus(
  cert: Certificate,
  issuer: Certificate,
  ctx: ValidationContext,
): Promise<OcspOutcome> {
  const problems: string[] = [];
  const urls = (cert.extensions.authorityInfoAccess ?? [])
    .filter((a) => a.method === OID.ocsp && a.location.type === 'uniformResourceIdentifier')
    .map((a) => (a.location as { value: string }).value);
  if (!ctx.transport || urls.length === 0) return { status: 'unknown', problems };
  for (const url of urls) {
    try {
      const request = await buildOcspRequest(cert, issuer);
      const body = await ctx.transport.fetch({
        purpose: 'ocsp',
        url,
        method: 'POST',
        body: request.der,
        contentType: 'application/ocsp-request',
      });
      const outcome = await checkOcspResponse(parseOcspResponse(body), request, issuer, ctx);
      if (outcome.status !== 'unknown') return outcome;
      problems.push(...outcome.problems.map((p) => `${url}: ${p}`));
    } catch (error) {
      problems.push(`${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { status: 'unknown', problems };
}

/**
 * The status from OCSP responses the caller already holds: the first one about `cert` that passes
 * every check but the nonce (an archived response answers no request of ours).
 */
export async function storedOcspStatus(
  cert: Certificate,
  issuer: Certificate,
  ctx: ValidationContext,
): Promise<OcspOutcome> {
  const problems: string[] = [];
  if (ctx.ocspResponses.length === 0) return { status: 'unknown', problems };
  const { certId } = await buildOcspRequest(cert, issuer, new Uint8Array());
  for (const response of ctx.ocspResponses) {
    const about = response.basic?.responses.some(
      (r) =>
        bytesEqual(r.certId.serialNumber, certId.serialNumber) &&
        bytesEqual(r.certId.issuerKeyHash, certId.issuerKeyHash) &&
        bytesEqual(r.certId.issuerNameHash, certId.issuerNameHash),
    );
    if (!about) continue;
    const outcome = await checkOcspResponse(
      response,
      { certId, nonce: response.basic!.nonce ?? new Uint8Array() },
      issuer,
      ctx,
    );
    if (outcome.status !== 'unknown') return outcome;
    problems.push(...outcome.problems.map((p) => `stored OCSP response: ${p}`));
  }
  return { status: 'unknown', problems };
}

/** Checks a parsed response against the request it answers. */
export async function checkOcspResponse(
  response: OcspResponse,
  request: Pick<OcspRequest, 'certId' | 'nonce'>,
  issuer: Certificate,
  ctx: ValidationContext,
): Promise<OcspOutcome> {
  const unknown = (why: string): OcspOutcome => ({ status: 'unknown', problems: [why] });
  if (response.responseStatus !== 'successful' || !response.basic)
    return unknown(`the responder answered ${response.responseStatus}`);
  const basic = response.basic;
  const single = basic.responses.find(
    (r) =>
      bytesEqual(r.certId.serialNumber, request.certId.serialNumber) &&
      bytesEqual(r.certId.issuerKeyHash, request.certId.issuerKeyHash) &&
      bytesEqual(r.certId.issuerNameHash, request.certId.issuerNameHash),
  );
  if (!single) return unknown('the response is not about this certificate');
  if (basic.nonce && !bytesEqual(basic.nonce, request.nonce))
    return unknown('the response nonce does not match the request (replayed response?)');
  // The responder: the CA itself, or a certificate the CA issued for OCSP signing.
  const issuerKeyHash = new Uint8Array(await subtle.digest('SHA-1', bufferSource(issuer.publicKey.key)));
  const isResponder = async (c: Certificate) =>
    basic.responderKeyHash
      ? bytesEqual(
          basic.responderKeyHash,
          c === issuer
            ? issuerKeyHash
            : new Uint8Array(await subtle.digest('SHA-1', bufferSource(c.publicKey.key))),
        )
      : basic.responderNameDer !== undefined && toHex(basic.responderNameDer) === toHex(c.subject.der);
  const signed = {
    tbs: basic.tbs,
    signatureAlgorithm: basic.signatureAlgorithm,
    signatureValue: basic.signatureValue,
  };
  let trusted = false;
  if (await isResponder(issuer)) {
    trusted = await verifySigned(signed, issuer.publicKey, ctx);
    if (!trusted) return unknown('the response signature does not verify with the CA key');
  } else {
    for (const candidate of basic.certs) {
      if (!(await isResponder(candidate))) continue;
      if (
        candidate.issuer.key !== issuer.subject.key ||
        !(await verifySigned(candidate, issuer.publicKey, ctx))
      ) {
        return unknown('the delegated responder was not certified by the CA of the certificate');
      }
      if (!candidate.extensions.extKeyUsage?.oids.includes(OID.ekuOcspSigning))
        return unknown('the delegated responder lacks extended key usage OCSPSigning');
      if (ctx.time < candidate.notBefore || ctx.time > candidate.notAfter)
        return unknown('the delegated responder certificate is not valid at the validation time');
      if (!(await verifySigned(signed, candidate.publicKey, ctx)))
        return unknown('the response signature does not verify with the delegated responder key');
      trusted = true;
      break;
    }
    if (!trusted) return unknown('the response is signed by a responder kyso cannot tie to the CA');
  }
  const expiry = single.nextUpdate ?? new Date(single.thisUpdate.getTime() + MAX_AGE_WITHOUT_NEXT_UPDATE);
  if (expiry < ctx.time) return unknown(`the response is stale (valid until ${expiry.toISOString()})`);
  if (single.status === 'unknown') return unknown('the responder does not know the certificate');
  if (single.status === 'revoked') {
    return {
      status: 'revoked',
      revocationTime: single.revocationTime!,
      reason: single.revocationReason ?? 'unspecified',
      problems: [],
    };
  }
  return { status: 'good', problems: [] };
}
