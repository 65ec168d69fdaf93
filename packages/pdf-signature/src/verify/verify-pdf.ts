import {
  type Certificate,
  type Crl,
  describeCertificate,
  type Indication,
  isKysoError,
  type LocalizedMessage,
  type OcspResponse,
  parseCertificateDer,
  parseCrlDer,
  parseOcspResponse,
  parseSignedData,
  type RevocationMode,
  type SubIndication,
  type Transport,
  type TrustStore,
  validateCertificate,
  verifySignerInfo,
  verifyTimestampToken,
} from '@kyso/core';
import { PdfDocument } from '../reader/document.js';
import { readDocumentSecurityStore } from '../reader/dss.js';
import { PdfDict, PdfRef } from '../reader/objects.js';
import { findSignatures, type PdfSignatureField } from '../reader/signatures.js';
import type { ByteSource, ByteSpan } from '../reader/source.js';
import { analyseModifications } from './modifications.js';

/** Options of {@link verifyPdf}. */
export interface VerifyPdfOptions {
  /** Trust anchors, or a TrustStore such as `trustProfile('vn-gov')`. */
  trustAnchors: readonly Certificate[] | TrustStore;
  /** More CRLs (those inside each signature are used too). */
  crls?: readonly Crl[];
  /** Validate at this time instead of each signature's signing time. */
  at?: Date;
  /** What an unknown revocation status means (default `hard-fail`). */
  revocation?: RevocationMode;
  /** Fetches OCSP and CRLs; omit for offline verification. */
  transport?: Transport;
  /**
   * Hashes the signed byte ranges of the document (default: WebCrypto over a copy of them). In
   * Node, `verifyPdfFile` and `nodeDigest` from `@kyso/pdf-signature/node` stream them through an
   * incremental node:crypto hash instead.
   */
  digest?: DigestFunction;
}

/** Hashes the bytes `spans` of `source`, in order, as one message. */
export type DigestFunction = (
  hash: DigestName,
  spans: readonly ByteSpan[],
  source: ByteSource,
) => Promise<Uint8Array>;

/** The digest algorithms a PDF signature or timestamp may use over its byte ranges. */
export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

type Fail = (id: string, sub: SubIndication, indication: Indication, en: string, vi: string) => void;

/** Validation data found in the file: the DSS, or one signature's archive; each item parsed or dropped. */
interface Evidence {
  certificates: Certificate[];
  crls: Crl[];
  ocspResponses: OcspResponse[];
}

function parsedEvidence(raw: {
  certificates?: Uint8Array[];
  crls: Uint8Array[];
  ocspResponses: Uint8Array[];
}): Evidence {
  const keep = <T>(items: Uint8Array[] | undefined, parse: (der: Uint8Array) => T): T[] =>
    (items ?? []).flatMap((der) => {
      try {
        return [parse(der)];
      } catch {
        return []; // unreadable revocation data is no revocation data
      }
    });
  return {
    certificates: keep(raw.certificates, parseCertificateDer),
    crls: keep(raw.crls, parseCrlDer),
    ocspResponses: keep(raw.ocspResponses, parseOcspResponse),
  };
}

/** The TSA's certification path at `validationTime`, with extended key usage timeStamping. */
function validateTsa(
  ts: Awaited<ReturnType<typeof verifyTimestampToken>>,
  options: VerifyPdfOptions,
  dss: Evidence,
  validationTime: Date,
) {
  return validateCertificate({
    certificate: ts.tsaCertificate!,
    trustAnchors: options.trustAnchors,
    intermediates: [...ts.signedData.certificates, ...dss.certificates],
    crls: [...ts.signedData.crls, ...dss.crls, ...(options.crls ?? [])],
    ocspResponses: dss.ocspResponses,
    validationTime,
    revocation: options.revocation ?? 'hard-fail',
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'],
    ...(options.transport ? { transport: options.transport } : {}),
  });
}

/** A certificate validation's checks as report checks (a skipped check is a warning here). */
function certificateChecks(
  chain: Awaited<ReturnType<typeof validateCertificate>>,
): SignatureReport['checks'] {
  return chain.checks.map((c) => ({
    id: `certificate:${c.id}`,
    status: c.status === 'skipped' ? 'warning' : c.status,
    message: c.message,
  }));
}

/**
 * Whether a signature field shows anything: a widget (the field itself or a kid) with an
 * appearance, an area, and neither the Hidden nor the NoView flag (ISO 32000-2 §12.5.3).
 */
function showsSomething(doc: PdfDocument, fieldNumber: number | null): boolean {
  if (fieldNumber === null) return true; // cannot tell: assume it does
  try {
    const field = doc.deref(new PdfRef(fieldNumber, 0));
    if (!(field instanceof PdfDict)) return true;
    const kids = doc.deref(field.get('Kids'));
    const widgets = [field, ...(Array.isArray(kids) ? kids.map((k) => doc.deref(k)) : [])];
    return widgets.some((w) => {
      if (!(w instanceof PdfDict) || w.get('AP') === undefined) return false;
      const rect = doc.deref(w.get('Rect'));
      const flags = doc.deref(w.get('F'));
      const hidden = typeof flags === 'number' && (flags & (2 | 32)) !== 0;
      const area =
        Array.isArray(rect) &&
        rect.length === 4 &&
        rect.every((x) => typeof x === 'number') &&
        (rect[2] as number) !== (rect[0] as number) &&
        (rect[3] as number) !== (rect[1] as number);
      return area && !hidden;
    });
  } catch {
    return true;
  }
}

/** A signature or timestamp that verifies is still failed by a disallowed change after it. */
function failIfChangedAfter(report: SignatureReport, level: SignatureReport['modifiedAfter']): void {
  if (report.indication === 'TOTAL_PASSED' && level === 'disallowed') {
    report.indication = 'TOTAL_FAILED';
    report.subIndication = 'FORMAT_FAILURE';
  }
}

/**
 * A document timestamp (ISO 32000-2 §12.8.5): an RFC 3161 token whose imprint is the digest of the
 * byte ranges, its TSA's signature, and the TSA's path to a trust anchor at the token's time.
 */
async function checkDocumentTimestamp(
  report: SignatureReport,
  token: Uint8Array,
  digestOf: (hash: DigestName) => Promise<Uint8Array>,
  options: VerifyPdfOptions,
  dss: Evidence,
  fail: Fail,
): Promise<void> {
  let ts: Awaited<ReturnType<typeof verifyTimestampToken>>;
  try {
    ts = await verifyTimestampToken(token, digestOf);
  } catch (error) {
    fail(
      'timestamp',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      `the document timestamp is not a readable RFC 3161 token: ${(error as Error).message}`,
      'dấu thời gian của văn bản không phải token RFC 3161 đọc được',
    );
    return;
  }
  report.signingTime = ts.info.genTime.toISOString();
  if (ts.tsaCertificate) {
    const d = describeCertificate(ts.tsaCertificate);
    report.signer = { commonName: d.subject.commonName, organization: d.subject.organization, kind: d.kind };
  }
  if (!ts.imprintMatches) {
    fail(
      'digest',
      'HASH_FAILURE',
      'TOTAL_FAILED',
      'the timestamped bytes were changed: the imprint does not match',
      'nội dung được gắn dấu thời gian bị thay đổi: giá trị băm không khớp',
    );
    return;
  }
  if (!ts.tsaCertificate) {
    fail(
      'signer-certificate',
      'NO_SIGNING_CERTIFICATE_FOUND',
      'INDETERMINATE',
      'the TSA certificate is not in the timestamp',
      'không tìm thấy chứng thư số của máy chủ dấu thời gian',
    );
    return;
  }
  if (!ts.signatureValid) {
    fail(
      'signature',
      'SIG_CRYPTO_FAILURE',
      'TOTAL_FAILED',
      'the timestamp signature does not verify',
      'chữ ký của dấu thời gian không hợp lệ',
    );
    return;
  }
  report.timestamped = true;
  report.checks.push({
    id: 'signature',
    status: 'passed',
    message: {
      en: 'the imprint and the TSA signature are correct',
      vi: 'giá trị băm và chữ ký của máy chủ dấu thời gian đúng',
    },
  });
  const chain = await validateTsa(ts, options, dss, options.at ?? ts.info.genTime);
  report.checks.push(...certificateChecks(chain));
  if (chain.indication === 'TOTAL_PASSED') report.timestampTime = report.signingTime;
  report.indication = chain.indication;
  report.subIndication = chain.subIndication;
}

/** One signature's result, in the JSON shape `kyso verify --json` prints. */
export interface SignatureReport {
  index: number;
  /** A signature (`/Sig`), or a document timestamp (`/DocTimeStamp`, ETSI.RFC3161) whose signer is its TSA. */
  kind: 'signature' | 'timestamp';
  fieldName: string;
  subFilter: string | null;
  indication: Indication;
  subIndication: SubIndication | null;
  signer: { commonName: string | null; organization: string | null; kind: string | null };
  signingTime: string | null;
  /** A signature timestamp is present whose imprint and TSA signature verify. */
  timestamped: boolean;
  /** Its time, when the TSA's certificate also validates to a trust anchor (then it is the signing time used). */
  timestampTime: string | null;
  coversWholeDocument: boolean;
  modifiedAfter: 'none' | 'allowed' | 'disallowed';
  checks: {
    id: string;
    status: 'passed' | 'failed' | 'warning' | 'indeterminate';
    message: LocalizedMessage;
  }[];
}

/** The document's result. */
export interface PdfVerificationReport {
  /**
   * Over the signatures; a document with only document timestamps takes theirs. A timestamp whose
   * TSA is not trusted does not make signed content doubtful; a broken one is an unsigned change
   * that fails every earlier signature.
   */
  indication: Indication;
  signatures: SignatureReport[];
}

/** ByteRange sanity (ISO 32000-2 §12.8.1): from 0, one hole that is exactly /Contents, to a revision end. */
function checkByteRange(sig: PdfSignatureField, doc: PdfDocument): { ok: boolean; why: string; end: number } {
  const br = sig.byteRange;
  if (!br || br.length !== 4 || br.some((n) => !Number.isInteger(n) || n < 0))
    return { ok: false, why: 'the ByteRange is not four non-negative integers', end: 0 };
  const [a, b, c, d] = br as [number, number, number, number];
  const end = c + d;
  if (a !== 0) return { ok: false, why: 'the ByteRange does not start at byte 0', end };
  if (b > c) return { ok: false, why: 'the two ranges of the ByteRange overlap', end };
  if (end > doc.length) return { ok: false, why: 'the ByteRange points past the end of the file', end };
  if (sig.contentsStart !== b || sig.contentsEnd !== c)
    return { ok: false, why: 'the hole in the ByteRange is not exactly the /Contents string', end };
  if (!doc.isRevisionEnd(end) && end !== doc.length)
    return { ok: false, why: 'the ByteRange does not end where a revision ends', end };
  return { ok: true, why: '', end };
}

/** The most covered bytes read whole to verify a signature without signed attributes. */
const MAX_UNATTRIBUTED_CONTENT = 64 * 1024 * 1024;

/** The covered bytes, joined (only for signatures that sign them directly). */
async function coveredBytes(
  source: ByteSource,
  spans: readonly ByteSpan[],
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(spans.reduce((n, s) => n + (s.end - s.start), 0));
  let pos = 0;
  for (const span of spans)
    for await (const chunk of source.chunks(span.start, span.end)) {
      out.set(chunk, pos);
      pos += chunk.length;
    }
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** WebCrypto has no incremental hash: the spans are copied into one buffer first. */
async function webCryptoDigest(
  hash: DigestName,
  spans: readonly ByteSpan[],
  source: ByteSource,
): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, await coveredBytes(source, spans)));
}

function parseClaimedTime(m: string | null): Date | null {
  const x = m ? /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(m) : null;
  if (!x) return null;
  const tz = x[7] && x[7] !== 'Z' ? `${x[7].slice(0, 3)}:${x[7].replace(/'/g, '').slice(3, 5) || '00'}` : 'Z';
  const d = new Date(
    `${x[1]}-${x[2] ?? '01'}-${x[3] ?? '01'}T${x[4] ?? '00'}:${x[5] ?? '00'}:${x[6] ?? '00'}${tz}`,
  );
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * Verifies every signature of a PDF: ByteRange, digest, CMS signature and signed attributes, the
 * signer's certification path at the signing time, and what changed after each signature.
 */
export async function verifyPdf(
  input: Uint8Array | ByteSource,
  options: VerifyPdfOptions,
): Promise<PdfVerificationReport> {
  const doc = PdfDocument.load(input);
  // In revision order: the form may list fields in any order. Where the signature dictionary is
  // defined tells its revision even when its ByteRange is forged; the ByteRange end breaks ties.
  const end = (f: PdfSignatureField) => (f.byteRange?.length === 4 ? f.byteRange[2]! + f.byteRange[3]! : 0);
  const where = (f: PdfSignatureField) =>
    f.objectNumber !== null ? (doc.offsetOf(f.objectNumber) ?? end(f)) : end(f);
  const fields = findSignatures(doc).sort((a, b) => where(a) - where(b) || end(a) - end(b));
  // Revocation data the file carries for every signature (PAdES-LT): it may only add evidence.
  const dss = parsedEvidence(readDocumentSecurityStore(doc));
  const signatures: SignatureReport[] = [];
  for (const [i, sig] of fields.entries()) {
    const report: SignatureReport = {
      index: i + 1,
      kind: sig.type,
      fieldName: sig.fieldName,
      subFilter: sig.subFilter,
      indication: 'TOTAL_FAILED',
      subIndication: 'FORMAT_FAILURE',
      signer: { commonName: null, organization: null, kind: null },
      signingTime: null,
      timestamped: false,
      timestampTime: null,
      coversWholeDocument: false,
      modifiedAfter: 'none',
      checks: [],
    };
    signatures.push(report);
    const fail: Fail = (id, sub, indication, en, vi) => {
      report.indication = indication;
      report.subIndication = sub;
      report.checks.push({ id, status: 'failed', message: { en, vi } });
    };
    // An algorithm kyso does not know: not shown wrong, only not checkable here, a constraint
    // kyso's validation cannot meet.
    const cannotVerify = (id: string, why: string, whyVi: string) =>
      fail(
        id,
        'CRYPTO_CONSTRAINTS_FAILURE',
        'INDETERMINATE',
        `kyso cannot verify this signature: ${why}`,
        `kyso không kiểm tra được chữ ký này: ${whyVi}`,
      );
    const range = checkByteRange(sig, doc);
    report.coversWholeDocument = range.ok && range.end === doc.length;
    if (!range.ok) {
      fail('byte-range', 'FORMAT_FAILURE', 'TOTAL_FAILED', range.why, `ByteRange không hợp lệ: ${range.why}`);
      continue;
    }
    report.checks.push({
      id: 'byte-range',
      status: 'passed',
      message: {
        en: 'the ByteRange covers the revision except /Contents',
        vi: 'ByteRange bao phủ cả phiên bản trừ /Contents',
      },
    });
    const mods = analyseModifications(doc, range.end, {
      dictionary: sig.objectNumber,
      field: sig.fieldObjectNumber,
    });
    report.modifiedAfter = mods.level;
    if (mods.level === 'disallowed') {
      report.checks.push({
        id: 'modifications',
        status: 'failed',
        message: {
          en: `changed after signing: ${mods.reasons.join('; ')}`,
          vi: `văn bản bị thay đổi sau khi ký: ${mods.reasons.join('; ')}`,
        },
      });
    } else if (mods.level === 'allowed') {
      report.checks.push({
        id: 'modifications',
        status: 'passed',
        message: {
          en: `changed after signing only as permitted: ${mods.reasons.join('; ')}`,
          vi: `sau khi ký chỉ có các thay đổi được phép: ${mods.reasons.join('; ')}`,
        },
      });
    }
    const [a, b, c, d] = sig.byteRange as [number, number, number, number];
    const spans = [
      { start: a, end: a + b },
      { start: c, end: c + d },
    ];
    const digestOf = (hash: DigestName) => (options.digest ?? webCryptoDigest)(hash, spans, doc.source);
    if (sig.type === 'timestamp') {
      await checkDocumentTimestamp(report, sig.contents ?? new Uint8Array(), digestOf, options, dss, fail);
      failIfChangedAfter(report, mods.level);
      continue;
    }
    let sd: ReturnType<typeof parseSignedData>;
    try {
      sd = parseSignedData(sig.contents ?? new Uint8Array());
    } catch (error) {
      if (isKysoError(error) && error.code === 'ALGORITHM_UNSUPPORTED') {
        cannotVerify('cms', error.message, error.messageVi);
        continue;
      }
      fail(
        'cms',
        'FORMAT_FAILURE',
        'TOTAL_FAILED',
        `the signature is not readable CMS: ${(error as Error).message}`,
        'chữ ký không phải CMS đọc được',
      );
      continue;
    }
    const signer = sd.signers[0]!;
    let digest: Uint8Array;
    if (sig.subFilter === 'adbe.pkcs7.sha1') {
      // ISO 32000-1 §12.8.3.3.1: the CMS encapsulates the SHA-1 digest of the ByteRange, and signs
      // that. (ISO 32000-2 deprecates it: SHA-1 no longer resists collisions.)
      const documentDigest = await digestOf('SHA-1');
      if (!sd.eContent || !bytesEqual(sd.eContent, documentDigest)) {
        fail(
          'digest',
          'HASH_FAILURE',
          'TOTAL_FAILED',
          'the signed bytes were changed: the SHA-1 digest the signature encapsulates does not match',
          'nội dung đã ký bị thay đổi: giá trị băm SHA-1 trong chữ ký không khớp',
        );
        continue;
      }
      report.checks.push({
        id: 'sub-filter',
        status: 'warning',
        message: {
          en: 'adbe.pkcs7.sha1 hashes the document with SHA-1, which ISO 32000-2 deprecates',
          vi: 'adbe.pkcs7.sha1 băm văn bản bằng SHA-1, thuật toán ISO 32000-2 không còn khuyến nghị',
        },
      });
      digest = new Uint8Array(
        await globalThis.crypto.subtle.digest(signer.digestAlgorithm, new Uint8Array(sd.eContent)),
      );
    } else {
      // The other subfilters are detached: the CMS signs the ByteRange. One that carries its own
      // content signs that instead (DSS's enveloping-CMS case), which they do not provide for.
      if (sd.eContent !== undefined && sd.eContent.length > 0) {
        fail(
          'cms',
          'FORMAT_FAILURE',
          'TOTAL_FAILED',
          'the CMS carries its own signed content instead of signing the document bytes (not detached)',
          'CMS chứa nội dung riêng thay vì ký các byte của văn bản (không phải chữ ký tách rời)',
        );
        continue;
      }
      digest = await digestOf(signer.digestAlgorithm);
    }
    // Without signed attributes the signature covers the content itself (RFC 5652 §5.4): the
    // encapsulated digest of adbe.pkcs7.sha1, or the covered bytes, read whole when they fit.
    let content: Uint8Array | undefined;
    let unverifiable: string | undefined;
    if (!signer.signedAttributesDer) {
      if (sig.subFilter === 'ETSI.CAdES.detached')
        unverifiable =
          'the signature has no signed attributes, which PAdES (ETSI EN 319 142-1) requires: content-type, message-digest and signing-certificate';
      else if (sig.subFilter === 'adbe.pkcs7.sha1') content = sd.eContent;
      else if (b + d > MAX_UNATTRIBUTED_CONTENT)
        unverifiable = `the signature has no signed attributes, so it signs the ${b + d} covered bytes themselves; kyso verifies such signatures up to ${MAX_UNATTRIBUTED_CONTENT} bytes`;
      else content = await coveredBytes(doc.source, spans);
    }
    const v = await verifySignerInfo(sd, signer, digest, [], content ? { content } : {});
    if (v.certificate) {
      const d = describeCertificate(v.certificate);
      report.signer = {
        commonName: d.subject.commonName,
        organization: d.subject.organization,
        kind: d.kind,
      };
    }
    const claimed = signer.signingTime ?? parseClaimedTime(sig.claimedSigningTime);
    report.signingTime = claimed ? claimed.toISOString() : null;
    // A valid signature timestamp beats the claimed time (ETSI EN 319 102-1: best signing time).
    let bestTime = claimed;
    // A signature timestamp that is there but does not verify: the unsigned attributes were
    // altered or damaged. The signature may still verify, but it is not one to accept as is.
    let timestampBroken = false;
    if (signer.timestampToken) {
      try {
        const ts = await verifyTimestampToken(signer.timestampToken, signer.signature);
        report.timestamped = ts.imprintMatches && ts.signatureValid;
        if (report.timestamped && ts.tsaCertificate) {
          const tsaChain = await validateTsa(ts, options, dss, ts.info.genTime);
          if (tsaChain.indication === 'TOTAL_PASSED') {
            bestTime = ts.info.genTime;
            report.timestampTime = ts.info.genTime.toISOString();
            report.signingTime = report.timestampTime;
          }
          report.checks.push({
            id: 'timestamp',
            status: tsaChain.indication === 'TOTAL_PASSED' ? 'passed' : 'warning',
            message:
              tsaChain.indication === 'TOTAL_PASSED'
                ? {
                    en: `timestamped at ${ts.info.genTime.toISOString()} by a trusted TSA`,
                    vi: `có dấu thời gian ${ts.info.genTime.toISOString()} của máy chủ tin cậy`,
                  }
                : {
                    en: `a timestamp is present but its TSA is not trusted (${tsaChain.subIndication})`,
                    vi: `có dấu thời gian nhưng máy chủ cấp không được tin cậy (${tsaChain.subIndication})`,
                  },
          });
        } else {
          timestampBroken = true;
          report.checks.push({
            id: 'timestamp',
            status: 'failed',
            message: {
              en: `the timestamp does not verify: ${ts.problems.join('; ')}`,
              vi: 'dấu thời gian không hợp lệ',
            },
          });
        }
      } catch (error) {
        timestampBroken = true;
        report.checks.push({
          id: 'timestamp',
          status: 'failed',
          message: {
            en: `the timestamp cannot be read: ${(error as Error).message}`,
            vi: 'không đọc được dấu thời gian',
          },
        });
      }
    }
    if (unverifiable) {
      // Not shown to be changed: a constraint kyso cannot check, not a hash failure.
      fail(
        'signed-attributes',
        'SIG_CONSTRAINTS_FAILURE',
        'INDETERMINATE',
        `${unverifiable}; kyso does not verify it`,
        'chữ ký không có thuộc tính được ký; kyso không kiểm tra được chữ ký này',
      );
      continue;
    }
    if (!signer.signedAttributesDer) {
      report.checks.push({
        id: 'signed-attributes',
        status: 'warning',
        message: {
          en: 'the signature has no signed attributes: it signs the content itself, and no signing-certificate attribute binds the certificate to it',
          vi: 'chữ ký không có thuộc tính được ký: chữ ký ký trực tiếp nội dung, không có thuộc tính signing-certificate gắn chứng thư số với chữ ký',
        },
      });
    }
    if (!v.digestMatches) {
      fail(
        'digest',
        'HASH_FAILURE',
        'TOTAL_FAILED',
        'the signed bytes were changed: the digest does not match',
        'nội dung đã ký bị thay đổi: giá trị băm không khớp',
      );
      continue;
    }
    if (!v.certificate) {
      fail(
        'signer-certificate',
        'NO_SIGNING_CERTIFICATE_FOUND',
        'INDETERMINATE',
        'the signer certificate is not in the signature',
        'không tìm thấy chứng thư số của người ký',
      );
      continue;
    }
    if (v.unsupportedAlgorithm) {
      cannotVerify('signature', v.unsupportedAlgorithm, v.unsupportedAlgorithm);
      continue;
    }
    if (!v.signatureValid) {
      fail(
        'signature',
        'SIG_CRYPTO_FAILURE',
        'TOTAL_FAILED',
        'the signature value does not verify',
        'giá trị chữ ký không hợp lệ',
      );
      continue;
    }
    if (signer.signedAttributesInDerOrder === false) {
      // RFC 5652 §5.4 hashes the DER encoding of the signed attributes; these are not in DER
      // order, so a verifier that re-encodes them (EU DSS, DSS-818) finds the hash different.
      // kyso verifies the bytes as signed, as Adobe Reader and pdfsig do: nothing was altered,
      // and @signpdf (node-forge) signs every attribute set this way. It says so.
      report.checks.push({
        id: 'signed-attributes',
        status: 'warning',
        message: {
          en: 'the signed attributes are not in DER order (RFC 5652 §5.4); the signature verifies over them as signed, but validators that re-encode them (EU DSS) report HASH_FAILURE',
          vi: 'các thuộc tính được ký không theo thứ tự DER (RFC 5652 §5.4); chữ ký đúng trên dữ liệu như đã ký, nhưng các trình kiểm tra mã hóa lại (EU DSS) sẽ báo HASH_FAILURE',
        },
      });
    }
    if (v.signingCertificateBinding === 'mismatch') {
      fail(
        'signing-certificate',
        'FORMAT_FAILURE',
        'TOTAL_FAILED',
        'the signing-certificate attribute names another certificate',
        'thuộc tính signing-certificate trỏ tới chứng thư khác',
      );
      continue;
    }
    report.checks.push({
      id: 'signature',
      status: 'passed',
      message: { en: 'the digest and the signature value are correct', vi: 'giá trị băm và chữ ký đúng' },
    });
    const archived = parsedEvidence(signer.archivedRevocation ?? { crls: [], ocspResponses: [] });
    const chain = await validateCertificate({
      certificate: v.certificate,
      trustAnchors: options.trustAnchors,
      intermediates: [...sd.certificates, ...dss.certificates],
      crls: [...sd.crls, ...archived.crls, ...dss.crls, ...(options.crls ?? [])],
      ocspResponses: [...archived.ocspResponses, ...dss.ocspResponses],
      validationTime: options.at ?? bestTime ?? new Date(),
      revocation: options.revocation ?? 'hard-fail',
      keyUsage: ['digitalSignature', 'nonRepudiation'],
      ...(options.transport ? { transport: options.transport } : {}),
    });
    report.checks.push(...certificateChecks(chain));
    report.indication = chain.indication;
    report.subIndication = chain.subIndication;
    if (timestampBroken && report.indication === 'TOTAL_PASSED') {
      report.indication = 'INDETERMINATE';
      report.subIndication = 'SIG_CONSTRAINTS_FAILURE';
    }
    failIfChangedAfter(report, mods.level);
  }
  // A later signature that was not verified (broken ByteRange, digest or value, no signed
  // attributes, an algorithm kyso cannot check) vouches for nothing: if its field shows something, that appearance is unsigned
  // content painted over the page, a change for every earlier signature (Universal Signature
  // Forgery, Sneaky Signature). An invisible one changes nothing shown; it fails on its own.
  const notIntact = (later: SignatureReport) =>
    !later.checks.some((c) => c.id === 'signature' && c.status === 'passed');
  signatures.forEach((s, i) => {
    const broken = signatures
      .slice(i + 1)
      .find((later) => notIntact(later) && showsSomething(doc, fields[later.index - 1]!.fieldObjectNumber));
    if (broken && s.modifiedAfter !== 'disallowed') {
      s.modifiedAfter = 'disallowed';
      s.checks.push({
        id: 'modifications',
        status: 'failed',
        message: {
          en: `changed after signing by an update whose signature ${broken.index} is not valid`,
          vi: `văn bản bị thay đổi sau khi ký bởi một lần cập nhật có chữ ký số thứ ${broken.index} không hợp lệ`,
        },
      });
      if (s.indication === 'TOTAL_PASSED') {
        s.indication = 'TOTAL_FAILED';
        s.subIndication = 'FORMAT_FAILURE';
      }
    }
  });
  const signed = signatures.filter((s) => s.kind === 'signature');
  const judged = signed.length > 0 ? signed : signatures;
  // Any entry that failed (a broken timestamp too) fails the document; an untrusted TSA does not.
  const failed = signatures.some((s) => s.indication === 'TOTAL_FAILED');
  const indication: Indication =
    judged.length > 0 &&
    !failed &&
    judged.every((s) => s.indication === 'TOTAL_PASSED' && s.modifiedAfter !== 'disallowed')
      ? 'TOTAL_PASSED'
      : failed || judged.some((s) => s.modifiedAfter === 'disallowed')
        ? 'TOTAL_FAILED'
        : 'INDETERMINATE';
  return { indication, signatures };
}
