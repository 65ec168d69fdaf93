import {
  type Certificate,
  type Crl,
  findSignerCertificate,
  formatName,
  isKysoError,
  type LocalizedMessage,
  type OcspResponse,
  parseCertificates,
  parseCrlDer,
  parseOcspResponse,
  parseSignedData,
  parseTstInfo,
  requestTimestamp,
  type Transport,
  type TransportRequest,
  validateCertificate,
} from '@kyso/core';
import { PdfError } from '../errors.js';
import { PdfDocument } from '../reader/document.js';
import { findSignatures } from '../reader/signatures.js';
import type { DigestFunction, PdfVerificationReport } from '../verify/verify-pdf.js';
import { verifyPdf } from '../verify/verify-pdf.js';
import type { LevelOptions, TimestampAuthorityConfig } from './complete.js';
import { appendDocumentSecurityStore } from './dss.js';
import { digestSignedRanges, embedSignatureContents } from './embed.js';
import { addDocumentTimestampPlaceholder } from './placeholder.js';
import type { SignerValidationOptions } from './signer-check.js';
import type { PadesLevel } from './state.js';

/**
 * Raising a signed PDF to B-LT and B-LTA (ETSI EN 319 142-1 §6.3; ISO 32000-2 §12.8.4–12.8.5;
 * pades-notes H11, H12), each step its own appended revision, all allowed under DocMDP /P 1:
 * - a signature with no timestamp first gets a document timestamp (§12.8.3.4.4 accepts it as the
 *   B-T timestamp): a DSS alone is not B-LT;
 * - B-LT: a `/DSS` with the certificates and revocation data that validate every signature and
 *   timestamp of the file — the signers' chains, the TSAs' chains, the OCSP responders' and CRL
 *   issuers' chains, up to the anchor — fetched through the Transport now, each issued after the
 *   timestamp it supports (EN 319 102-1 §5.2.5), and proven sufficient: they validate every
 *   certificate offline before they are written. A stale CRL is never written; when fresh data
 *   is not yet published, the extension is refused and can be retried later;
 * - B-LTA: a document timestamp over that DSS, then a DSS for the document timestamp's own TSA.
 */

/** Options of {@link extendPdf}. */
export interface ExtendPdfOptions extends LevelOptions {
  /** `B-LT` or `B-LTA` (`B-T` adds a document timestamp to signatures that have none). */
  level: PadesLevel;
  /** Trust anchors and revocation settings: the validation data must validate to these anchors. */
  validation: SignerValidationOptions;
  /** The validation time (default: when it runs). */
  at?: Date;
  /** Hashes covered ranges (default WebCrypto). */
  digest?: DigestFunction;
}

/** What {@link extendPdf} returns. */
export interface ExtendPdfResult {
  bytes: Uint8Array;
  level: PadesLevel;
  /** What was appended, in order: `document-timestamp`, `dss`. */
  added: ('document-timestamp' | 'dss')[];
  /** kyso's verification of the result. */
  verification: PdfVerificationReport;
  warnings: LocalizedMessage[];
}

/** One certificate to validate, and the time its revocation data must be issued after. */
interface Target {
  certificate: Certificate;
  pool: Certificate[];
  after: Date;
  what: string;
  kind: 'signature' | 'tsa' | 'dts';
}

const DTS_ROOM = 16 * 1024;

/**
 * Raises every signature of `pdf` to `level`.
 *
 * @throws PdfError `PDF_SIGN_TSA_REQUIRED`, `PDF_SIGN_VALIDATION_DATA_UNAVAILABLE` (fresh data not
 * yet published, or a certificate that does not validate), `PDF_SIGN_SIGNER_REVOKED`,
 * `PDF_ENCRYPTED`, the reader's codes; KysoError `TSA_*`.
 * @example
 * ```ts
 * const { bytes } = await extendPdf(signed, { level: 'B-LTA', timestamp: { url, transport }, validation });
 * ```
 */
export async function extendPdf(pdf: Uint8Array, options: ExtendPdfOptions): Promise<ExtendPdfResult> {
  const { bytes, added } = await raiseToLevel(pdf, { ...options, at: options.at ?? new Date() });
  const v = options.validation;
  const verification = await verifyPdf(bytes, {
    trustAnchors: v.trustAnchors,
    ...(v.crls ? { crls: v.crls } : {}),
    revocation: v.revocation ?? 'hard-fail',
    ...(options.at ? { at: options.at } : {}),
    ...(options.digest ? { digest: options.digest } : {}),
  });
  return { bytes, level: options.level, added, verification, warnings: [] };
}

/** The steps of {@link extendPdf} without the final verification (also used by complete). */
export async function raiseToLevel(
  pdf: Uint8Array,
  options: LevelOptions & {
    level: PadesLevel;
    validation?: SignerValidationOptions;
    at: Date;
    digest?: DigestFunction;
  },
): Promise<{ bytes: Uint8Array; added: ('document-timestamp' | 'dss')[] }> {
  const level = options.level;
  if (!['B-T', 'B-LT', 'B-LTA'].includes(level))
    throw new PdfError('PDF_SIGN_INVALID_OPTION', `extend to ${level}: B-T, B-LT or B-LTA`, {
      messageVi: `nâng lên mức ${level}: chỉ B-T, B-LT hoặc B-LTA`,
    });
  const tsa = options.tsa;
  let bytes = pdf;
  const added: ('document-timestamp' | 'dss')[] = [];
  const inventory = readInventory(bytes);
  if (inventory.untimestamped) {
    if (!tsa) throw tsaRequired(level);
    bytes = await addDocumentTimestamp(bytes, tsa, options.transport, options.digest);
    added.push('document-timestamp');
  }
  if (level === 'B-T') return { bytes, added };
  const validation = options.validation;
  if (!validation?.trustAnchors)
    throw new PdfError(
      'PDF_SIGN_INVALID_OPTION',
      `level ${level} needs trust anchors to collect validation data`,
      {
        messageVi: `mức ${level} cần chứng thư gốc tin cậy để thu thập dữ liệu kiểm tra`,
      },
    );
  const transport = options.transport;
  if (!transport)
    throw new PdfError(
      'PDF_SIGN_INVALID_OPTION',
      `level ${level} needs a transport to fetch revocation data`,
      {
        messageVi: `mức ${level} cần transport để tải dữ liệu thu hồi`,
      },
    );
  bytes = await appendValidationData(bytes, readInventory(bytes).targets, validation, transport, options.at);
  added.push('dss');
  if (level === 'B-LTA') {
    if (!tsa) throw tsaRequired(level);
    const before = PdfDocument.load(bytes).sections.length;
    bytes = await addDocumentTimestamp(bytes, tsa, options.transport, options.digest);
    added.push('document-timestamp');
    const dts = readInventory(bytes).targets.filter((t) => t.revision >= before);
    bytes = await appendValidationData(bytes, dts, validation, transport, options.at);
    added.push('dss');
  }
  return { bytes, added };
}

function tsaRequired(level: string): PdfError {
  return new PdfError('PDF_SIGN_TSA_REQUIRED', `level ${level} needs a timestamp authority (tsa)`, {
    messageVi: `mức ${level} cần máy chủ cấp dấu thời gian (tsa)`,
  });
}

/** The signatures and timestamps of a file, as validation targets. */
function readInventory(bytes: Uint8Array): {
  targets: (Target & { revision: number })[];
  untimestamped: boolean;
} {
  const doc = PdfDocument.load(bytes);
  const fields = findSignatures(doc);
  const targets: (Target & { revision: number })[] = [];
  const revisionOf = (end: number) => doc.sections.filter((s) => s.offset < end).length;
  let lastDtsEnd = -1;
  const unstamped: number[] = [];
  for (const f of fields) {
    if (!f.contents || !f.byteRange || f.byteRange.length !== 4) continue;
    const end = f.byteRange[2]! + f.byteRange[3]!;
    const revision = revisionOf(end);
    const sd = parseSignedData(f.contents);
    const si = sd.signers[0];
    if (!si) continue;
    const signer = findSignerCertificate(si, sd.certificates);
    if (!signer) continue;
    if (f.type === 'timestamp') {
      const info = parseTstInfo(sd.eContent ?? new Uint8Array());
      lastDtsEnd = Math.max(lastDtsEnd, end);
      targets.push({
        certificate: signer,
        pool: sd.certificates,
        after: info.genTime,
        what: f.fieldName,
        revision,
        kind: 'dts',
      });
      continue;
    }
    if (si.timestampToken) {
      const tsd = parseSignedData(si.timestampToken);
      const info = parseTstInfo(tsd.eContent ?? new Uint8Array());
      const tsaCert = tsd.signers[0] ? findSignerCertificate(tsd.signers[0], tsd.certificates) : undefined;
      targets.push({
        certificate: signer,
        pool: sd.certificates,
        after: info.genTime,
        what: f.fieldName,
        revision,
        kind: 'signature',
      });
      if (tsaCert)
        targets.push({
          certificate: tsaCert,
          pool: tsd.certificates,
          after: info.genTime,
          what: `${f.fieldName} (TSA)`,
          revision,
          kind: 'tsa',
        });
    } else {
      unstamped.push(end);
      targets.push({
        certificate: signer,
        pool: sd.certificates,
        after: new Date(0),
        what: f.fieldName,
        revision,
        kind: 'signature',
      });
    }
  }
  // A signature without its own timestamp is proven by the first document timestamp after it.
  const dtsTimes = targets.filter((t) => t.kind === 'dts');
  for (const t of targets)
    if (t.after.getTime() === 0) {
      const later = dtsTimes.find((d) => d.revision > t.revision && d.after.getTime() > 0);
      if (later) t.after = later.after;
    }
  return { targets, untimestamped: unstamped.some((end) => end > lastDtsEnd) };
}

/** A document timestamp revision over the whole file (H12: imprint = H(ByteRange)). */
export async function addDocumentTimestamp(
  pdf: Uint8Array,
  tsa: TimestampAuthorityConfig,
  transport: Transport | undefined,
  digest?: DigestFunction,
): Promise<Uint8Array> {
  const t = tsa.transport ?? transport;
  if (!t)
    throw new PdfError('PDF_SIGN_INVALID_OPTION', 'a TSA is configured without a transport to reach it', {
      messageVi: 'đã cấu hình máy chủ cấp dấu thời gian nhưng không có transport để kết nối',
    });
  const placeholder = addDocumentTimestampPlaceholder(pdf, { contentsSize: DTS_ROOM });
  const { digest: imprint } = await digestSignedRanges(
    placeholder.bytes,
    'SHA-256',
    digest ? { digest } : {},
  );
  const stamp = await requestTimestamp(
    { digest: imprint },
    { url: tsa.url, transport: t, ...(tsa.policy ? { policy: tsa.policy } : {}) },
  );
  return embedSignatureContents(placeholder.bytes, stamp.token);
}

/** A transport that keeps what it fetched. */
function recording(transport: Transport): {
  transport: Transport;
  got: { request: TransportRequest; body: Uint8Array }[];
} {
  const got: { request: TransportRequest; body: Uint8Array }[] = [];
  return {
    got,
    transport: {
      async fetch(request) {
        const body = await transport.fetch(request);
        got.push({ request, body });
        return body;
      },
    },
  };
}

function unavailable(what: string, en: string, vi: string): PdfError {
  return new PdfError(
    'PDF_SIGN_VALIDATION_DATA_UNAVAILABLE',
    `validation data for ${what} cannot be gathered now: ${en}; extend the file later`,
    { messageVi: `chưa thu thập được dữ liệu kiểm tra cho ${what}: ${vi}; hãy nâng cấp tệp sau` },
  );
}

/**
 * Fetches, checks and appends the DSS that validates `targets` offline. Revocation data issued
 * before a target's time is not written; the data kept must validate every target offline.
 */
async function appendValidationData(
  pdf: Uint8Array,
  targets: Target[],
  validation: SignerValidationOptions,
  transport: Transport,
  at: Date,
): Promise<Uint8Array> {
  const anchors = Array.isArray(validation.trustAnchors)
    ? (validation.trustAnchors as readonly Certificate[])
    : [...(validation.trustAnchors as { anchors: readonly Certificate[] }).anchors];
  const certs = new Map<string, Certificate>();
  const ocsps = new Map<string, { der: Uint8Array; parsed: OcspResponse }>();
  const crls = new Map<string, { der: Uint8Array; parsed: Crl }>();
  const key = (der: Uint8Array) => {
    let s = '';
    for (let i = 0; i < der.length; i += 1) s += der[i]!.toString(16).padStart(2, '0');
    return s;
  };
  const candidates: Certificate[] = [...anchors];
  for (const target of targets) {
    const rec = recording(transport);
    const pool = [...target.pool, ...(validation.intermediates ?? [])];
    const report = await validateCertificate({
      certificate: target.certificate,
      trustAnchors: validation.trustAnchors,
      intermediates: pool,
      crls: validation.crls ?? [],
      validationTime: at,
      revocation: 'hard-fail',
      transport: rec.transport,
    });
    if (report.indication !== 'TOTAL_PASSED') {
      if (report.subIndication === 'REVOKED')
        throw new PdfError('PDF_SIGN_SIGNER_REVOKED', `the certificate of ${target.what} is revoked`, {
          messageVi: `chứng thư số của ${target.what} đã bị thu hồi`,
        });
      throw unavailable(
        target.what,
        `its certificate does not validate (${report.indication}, ${report.subIndication})`,
        `chứng thư số không hợp lệ (${report.indication}, ${report.subIndication})`,
      );
    }
    candidates.push(target.certificate, ...pool);
    // Only what was issued after the target's time counts (rounded down to the second: DER times).
    const after = Math.floor(target.after.getTime() / 1000) * 1000;
    const fresh: { ocsp: OcspResponse[]; crl: Crl[] } = { ocsp: [], crl: [] };
    for (const { request, body } of rec.got) {
      try {
        if (request.purpose === 'ocsp') {
          const parsed = parseOcspResponse(body);
          if (parsed.responseStatus !== 'successful' || !parsed.basic) continue;
          candidates.push(...parsed.basic.certs);
          if (parsed.basic.producedAt.getTime() < after) continue;
          ocsps.set(key(body), { der: body, parsed });
          fresh.ocsp.push(parsed);
        } else if (request.purpose === 'crl') {
          const parsed = parseCrlDer(body);
          if (parsed.thisUpdate.getTime() < after) continue; // a stale CRL is never written
          crls.set(key(body), { der: body, parsed });
          fresh.crl.push(parsed);
        } else if (request.purpose === 'ca-issuers') {
          candidates.push(...parseCertificates(body));
        }
      } catch (error) {
        if (!isKysoError(error)) throw error;
      }
    }
    // The data kept must settle every status on their own (offline, nothing stale).
    const offline = await validateCertificate({
      certificate: target.certificate,
      trustAnchors: validation.trustAnchors,
      intermediates: candidates,
      crls: [...crls.values()].map((c) => c.parsed),
      ocspResponses: [...ocsps.values()].map((o) => o.parsed),
      validationTime: at,
      revocation: 'hard-fail',
    });
    if (offline.indication !== 'TOTAL_PASSED')
      throw unavailable(
        target.what,
        `no revocation data issued after ${target.after.toISOString()} settles it yet (${offline.subIndication})`,
        `chưa có dữ liệu thu hồi phát hành sau ${target.after.toISOString()} xác định được trạng thái (${offline.subIndication})`,
      );
    // Every certificate of the path, anchor included (§12.8.4.3).
    for (const p of offline.path) {
      const cert = candidates.find(
        (c) => c.serialHex === p.serialNumber && formatName(c.subject) === p.subject,
      );
      if (cert) certs.set(key(cert.der), cert);
    }
  }
  // The OCSP responders' and CRL issuers' certificates: those the responses carry, and issuers' paths.
  for (const o of ocsps.values()) for (const c of o.parsed.basic?.certs ?? []) certs.set(key(c.der), c);
  for (const c of crls.values()) {
    const issuer = candidates.find((x) => formatName(x.subject) === formatName(c.parsed.issuer));
    if (issuer) certs.set(key(issuer.der), issuer);
  }
  return appendDocumentSecurityStore(pdf, {
    certificates: [...certs.values()].map((c) => c.der),
    ocspResponses: [...ocsps.values()].map((o) => o.der),
    crls: [...crls.values()].map((c) => c.der),
  });
}
