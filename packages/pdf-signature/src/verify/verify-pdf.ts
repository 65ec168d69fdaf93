import {
  type Certificate,
  type CertificateValidationReport,
  type Crl,
  checkDate,
  checkOptionalCrlList,
  checkOptionalDate,
  checkOptionalFunction,
  checkOptionalTransport,
  checkOptionsObject,
  checkRevocationMode,
  checkTrustAnchors,
  isKysoError,
  OptionError,
  type RevocationMode,
  type TimestampVerification,
  type Transport,
  type TrustStore,
  validateCertificate,
} from '@kyso/core';
import { PdfDocument } from '../reader/document.js';
import { readDocumentSecurityStore } from '../reader/dss.js';
import { PdfDict, PdfRef } from '../reader/objects.js';
import { findSignatures, type PdfSignatureField } from '../reader/signatures.js';
import type { ByteSource } from '../reader/source.js';
import { checkByteRange } from './byte-range.js';
import { checkSignatureCms, type IntactSignature } from './check-signature.js';
import { checkX509RsaSha1 } from './check-x509-rsa-sha1.js';
import { judgeClaimedTimes } from './claimed-time.js';
import { createDefaultDigest, type DigestFunction, type DigestName } from './digest.js';
import { checkDocumentTimestamp } from './document-timestamp.js';
import { type Evidence, parsedEvidence } from './evidence.js';
import { type CertificateEncoding, identityOf } from './identity.js';
import { analyseModifications, type ModificationReport } from './modifications.js';
import { earlierProof, type ProofOfExistence, tsaRevocationVoidsTimes, validateWithProof } from './poe.js';
import { blankReport, fail, note, type PdfVerificationReport, type SignatureReport } from './report.js';
import { widgetShows } from './widget-visibility.js';

export type { DigestFunction, DigestName } from './digest.js';
export type { PdfVerificationReport, SignatureReport, SignatureReportCheck } from './report.js';

/** Options of {@link verifyPdf}. */
export interface VerifyPdfOptions {
  /** Trust anchors, or a TrustStore such as `trustProfile('vn-gov')`. */
  trustAnchors: readonly Certificate[] | TrustStore;
  /** More CRLs (those inside each signature and the document's DSS are used too). */
  crls?: readonly Crl[];
  /**
   * The validation time: every certificate is validated at it, and at an earlier time only where a
   * proof of existence reaches back (default: when verification runs). A time the signer claims
   * is never used.
   */
  at?: Date;
  /**
   * A proof the calling application holds that this document existed, exactly as given, at
   * `time`: a document system's receipt record (Nghị định 30/2020/NĐ-CP, Điều 21 khoản 2). A
   * certificate that expired or was revoked after it still validates at it.
   */
  proofOfExistence?: { time: Date; source?: string };
  /**
   * Put each signer's (and TSA's) certificate in the report, as PEM or base64 DER (default: not;
   * the report still names it: subject, issuer, serial, SHA-256 fingerprint, validity).
   */
  includeCertificates?: CertificateEncoding;
  /** What an unknown revocation status means (default `hard-fail`). */
  revocation?: RevocationMode;
  /** Fetches OCSP and CRLs; omit for offline verification. */
  transport?: Transport;
  /**
   * Hashes the signed byte ranges of the document (default: in Node, an incremental node:crypto
   * hash over them, without a copy; elsewhere WebCrypto over a copy). `verifyPdfFile` from
   * `@kyso/pdf-signature/node` also reads the file a window at a time and hashes a prefix that
   * several signatures share once.
   */
  digest?: DigestFunction;
  /**
   * The password of an encrypted document: its user password, or its owner password (default:
   * the empty user password, which opens most encrypted signed files). A document that needs
   * another throws `PDF_PASSWORD_REQUIRED`; a wrong one `PDF_PASSWORD_INCORRECT`.
   */
  password?: string | Uint8Array;
}

/**
 * Refuses options that would silently weaken a check (a misspelt revocation mode, one certificate
 * where a list is expected, a time that is not one) with `OPTION_INVALID`, naming the option.
 */
function checkOptions(options: VerifyPdfOptions): VerifyPdfOptions {
  const checked = checkOptionsObject(options, 'verifyPdf');
  checkTrustAnchors(checked.trustAnchors);
  if (checked.revocation !== undefined) checkRevocationMode(checked.revocation);
  checkOptionalCrlList(checked.crls, 'crls');
  checkOptionalDate(checked.at, 'at');
  checkOptionalTransport(checked.transport);
  checkOptionalFunction(checked.digest, 'digest');
  if (checked.proofOfExistence !== undefined) {
    checkOptionsObject(checked.proofOfExistence, 'verifyPdf proofOfExistence');
    checkDate(checked.proofOfExistence.time, 'proofOfExistence.time');
  }
  if (checked.includeCertificates !== undefined && !['pem', 'der'].includes(checked.includeCertificates))
    throw new OptionError(
      'includeCertificates',
      `verifyPdf: \`includeCertificates\` must be 'pem' or 'der' (got ${JSON.stringify(checked.includeCertificates)})`,
      `verifyPdf: \`includeCertificates\` phải là 'pem' hoặc 'der' (nhận được ${JSON.stringify(checked.includeCertificates)})`,
    );
  if (
    checked.password !== undefined &&
    typeof checked.password !== 'string' &&
    !(checked.password instanceof Uint8Array)
  )
    throw new OptionError(
      'password',
      'verifyPdf: `password` must be a string or a Uint8Array',
      'verifyPdf: `password` phải là chuỗi hoặc Uint8Array',
    );
  return checked;
}

/** One signature or document timestamp on its way through the steps. */
interface Entry {
  field: PdfSignatureField;
  report: SignatureReport;
  /** The revision end its ByteRange covers, when the ByteRange is sound. */
  end?: number;
  modifications?: ModificationReport;
  signature?: IntactSignature;
  documentTimestamp?: TimestampVerification;
}

/**
 * Verifies every signature of a PDF, in named steps: the ByteRange (`byte-range`), what changed
 * after it (`modifications`), the CMS and its signature value (`signature`), document timestamps,
 * then the proofs of existence timestamps give, and each certification path at the validation
 * time, or at a proven earlier time when the path has since expired or been revoked.
 *
 * @throws OptionError `OPTION_INVALID` (a KysoError) naming the option, when `options` is missing
 *   or one of them is wrong (a revocation mode kyso does not know, a time that is not a valid
 *   Date, trust anchors that are neither a list of certificates nor a TrustStore).
 * @throws PdfError when the file cannot be read as a PDF at all (`PDF_NOT_PDF`, `PDF_ENCRYPTED`,
 *   `PDF_XREF_BROKEN`, …); a signature that cannot be examined is a report check, not an error.
 * @example
 * ```ts
 * import { trustProfile } from '@kyso/core';
 * import { verifyPdf } from '@kyso/pdf-signature';
 * const report = await verifyPdf(bytes, {
 *   trustAnchors: trustProfile('vn-gov'),
 *   proofOfExistence: { time: receivedAt, source: 'sổ đăng ký văn bản đến' },
 * });
 * for (const s of report.signatures) console.log(s.signer.commonName, s.indication, s.modifiedAfter);
 * ```
 */
export async function verifyPdf(
  input: Uint8Array | ByteSource,
  options: VerifyPdfOptions,
): Promise<PdfVerificationReport> {
  checkOptions(options);
  const validationTime = options.at ?? new Date();
  const doc = await PdfDocument.open(
    input,
    options.password !== undefined ? { password: options.password } : {},
  );
  const entries = findEntries(doc);
  // Revocation data the file carries for every signature (PAdES-LT): it may only add evidence.
  const dss = parsedEvidence(readDocumentSecurityStore(doc));
  const defaultDigest = createDefaultDigest();
  for (const entry of entries) {
    try {
      await examine(entry, doc, options, defaultDigest);
    } catch (error) {
      // One signature kyso could not examine must not cost the report on the others.
      fail(
        entry.report,
        'verification',
        'SIG_CONSTRAINTS_FAILURE',
        'INDETERMINATE',
        `kyso could not examine this signature: ${error instanceof Error ? error.message : String(error)}`,
        `kyso không kiểm tra được chữ ký này: ${isKysoError(error) ? error.messageVi : 'lỗi không mong đợi'}`,
      );
    }
  }
  await validatePaths(entries, options, dss, validationTime);
  for (const entry of entries) judgeChangesAfter(entry);
  failBeforeBrokenLaterSignatures(entries, doc);
  const signatures = entries.map((e) => e.report);
  return {
    indication: documentIndication(signatures),
    validationTime: validationTime.toISOString(),
    encryption: doc.encryption ? { ...doc.encryption } : null,
    reconstructed: doc.reconstruction
      ? { intactEnd: doc.reconstruction.intactEnd, reason: doc.reconstruction.reason }
      : null,
    signatures,
  };
}

/** Every signature and document timestamp, in revision order, each with a blank report. */
function findEntries(doc: PdfDocument): Entry[] {
  // The form may list fields in any order. Where the signature dictionary is defined tells its
  // revision even when its ByteRange is forged; the ByteRange end breaks ties.
  const end = (f: PdfSignatureField) => (f.byteRange?.length === 4 ? f.byteRange[2]! + f.byteRange[3]! : 0);
  const where = (f: PdfSignatureField) =>
    f.objectNumber !== null ? (doc.offsetOf(f.objectNumber) ?? end(f)) : end(f);
  return findSignatures(doc)
    .sort((a, b) => where(a) - where(b) || end(a) - end(b))
    .map((field, i) => ({ field, report: blankReport(i + 1, field.type, field.fieldName, field.subFilter) }));
}

/** Step 1: the ByteRange, what changed after it, and the cryptography of the signature or timestamp. */
async function examine(
  entry: Entry,
  doc: PdfDocument,
  options: VerifyPdfOptions,
  defaultDigest: DigestFunction,
): Promise<void> {
  const { field: sig, report } = entry;
  report.reason = sig.reason;
  report.location = sig.location;
  const range = checkByteRange(sig, doc);
  report.coversWholeDocument = range.ok && range.end === doc.length;
  if (!range.ok) {
    fail(
      report,
      'byte-range',
      'FORMAT_FAILURE',
      'TOTAL_FAILED',
      range.why,
      `ByteRange không hợp lệ: ${range.whyVi}`,
    );
    return;
  }
  entry.end = range.end;
  note(report, 'byte-range', 'passed', {
    en: 'the ByteRange covers the revision except /Contents',
    vi: 'ByteRange bao phủ cả phiên bản trừ /Contents',
  });
  entry.modifications = analyseModifications(doc, range.end, {
    dictionary: sig.objectNumber,
    field: sig.fieldObjectNumber,
  });
  report.modifiedAfter = entry.modifications.level;
  const digestOf = (hash: DigestName) => (options.digest ?? defaultDigest)(hash, range.spans, doc.source);
  if (sig.type === 'usage-rights')
    note(report, 'usage-rights', 'passed', {
      en: "a usage-rights signature (ISO 32000-2 §12.8.2.3): a reader vendor's signature enabling features, not a signature of the document; checked and listed, not counted in the document's result",
      vi: 'chữ ký quyền sử dụng (ISO 32000-2 §12.8.2.3): chữ ký của hãng phần mềm đọc để mở tính năng, không phải chữ ký của văn bản; được kiểm tra và liệt kê, không tính vào kết quả của văn bản',
    });
  if (sig.subFilter === 'adbe.x509.rsa_sha1') {
    const intact = await checkX509RsaSha1(report, sig, range.spans, doc.source);
    if (intact) entry.signature = intact;
    return;
  }
  if (sig.type === 'timestamp') {
    const ts = await checkDocumentTimestamp(
      report,
      sig.contents ?? new Uint8Array(),
      digestOf,
      options.includeCertificates,
    );
    if (ts) entry.documentTimestamp = ts;
    return;
  }
  const intact = await checkSignatureCms(
    report,
    sig,
    range.spans,
    doc.source,
    digestOf,
    options.includeCertificates,
  );
  if (intact) entry.signature = intact;
}

/** The TSA's certification path at `time`, with extended key usage timeStamping. */
function validateTsa(
  ts: TimestampVerification,
  options: VerifyPdfOptions,
  dss: Evidence,
  time: Date,
): Promise<CertificateValidationReport> {
  return validateCertificate({
    certificate: ts.tsaCertificate!,
    trustAnchors: options.trustAnchors,
    intermediates: [...ts.signedData.certificates, ...dss.certificates],
    crls: [...ts.signedData.crls, ...dss.crls, ...(options.crls ?? [])],
    ocspResponses: dss.ocspResponses,
    validationTime: time,
    revocation: options.revocation ?? 'hard-fail',
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.8'],
    ...(options.transport ? { transport: options.transport } : {}),
  });
}

/** A certificate validation's checks as report checks (a skipped check is a warning here). */
function certificateChecks(chain: CertificateValidationReport): SignatureReport['checks'] {
  return chain.checks.map((c) => ({
    id: `certificate:${c.id}`,
    status: c.status === 'skipped' ? 'warning' : c.status,
    message: c.message,
  }));
}

/**
 * A timestamp's TSA path, at the validation time or at the proof its own coverage gives it, and
 * the ISO 32000-2 §12.8.3.4.8 rule that a TSA revoked for key compromise stamps no valid times.
 * Returns the proof the timestamp gives, or why it gives none.
 */
async function timestampProof(
  ts: TimestampVerification,
  options: VerifyPdfOptions,
  dss: Evidence,
  validationTime: Date,
  coveredBy: ProofOfExistence | undefined,
  what: { en: string; vi: string },
): Promise<{
  proof?: ProofOfExistence;
  chain: CertificateValidationReport;
  indication: SignatureReport['indication'];
  subIndication: SignatureReport['subIndication'];
  voided?: string;
}> {
  const tsa = await validateWithProof((t) => validateTsa(ts, options, dss, t), validationTime, coveredBy);
  const voided = tsaRevocationVoidsTimes(tsa.chain);
  if (voided)
    return { chain: tsa.chain, indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE', voided };
  if (tsa.indication !== 'TOTAL_PASSED')
    return { chain: tsa.chain, indication: tsa.indication, subIndication: tsa.subIndication };
  const time = ts.info.genTime;
  return {
    chain: tsa.chain,
    indication: 'TOTAL_PASSED',
    subIndication: null,
    proof: {
      time,
      source: { en: `${what.en} of ${time.toISOString()}`, vi: `${what.vi} lúc ${time.toISOString()}` },
    },
  };
}

/**
 * Step 2: proofs of existence and certification paths, newest first: a document timestamp whose
 * TSA validates proves that everything it covers existed at its time; a signature timestamp
 * proves its signature; the caller's record proves the whole file. Each path is validated at the
 * validation time, and again at the earliest proof when it has since expired or been revoked.
 */
async function validatePaths(
  entries: Entry[],
  options: VerifyPdfOptions,
  dss: Evidence,
  validationTime: Date,
): Promise<void> {
  const caller = options.proofOfExistence;
  let later: ProofOfExistence | undefined =
    caller && caller.time <= validationTime
      ? {
          time: caller.time,
          source: {
            en: `the calling application's record${caller.source ? ` (${caller.source})` : ''}`,
            vi: `hồ sơ của ứng dụng gọi${caller.source ? ` (${caller.source})` : ''}`,
          },
        }
      : undefined;
  for (const entry of [...entries].reverse()) {
    const { report } = entry;
    if (entry.documentTimestamp) {
      const ts = entry.documentTimestamp;
      const result = await timestampProof(ts, options, dss, validationTime, later, {
        en: 'the document timestamp',
        vi: 'dấu thời gian văn bản',
      });
      report.checks.push(...certificateChecks(result.chain));
      report.path = result.chain.path;
      report.indication = result.indication;
      report.subIndication = result.subIndication;
      if (result.voided)
        report.checks.push({
          id: 'tsa-revocation',
          status: 'failed',
          message: {
            en: `the TSA's certificate was revoked (${result.voided}): none of its times count (ISO 32000-2 §12.8.3.4.8)`,
            vi: `chứng thư số của máy chủ dấu thời gian đã bị thu hồi (${result.voided}): mọi thời điểm nó cấp đều không được công nhận (ISO 32000-2 §12.8.3.4.8)`,
          },
        });
      if (result.proof) {
        report.timestampTime = ts.info.genTime.toISOString();
        report.signingTimeProven = true;
        later = earlierProof(later, result.proof);
      }
      continue;
    }
    const intact = entry.signature;
    if (!intact) continue;
    let own: ProofOfExistence | undefined;
    if (intact.timestamp) {
      const result = await timestampProof(intact.timestamp, options, dss, validationTime, later, {
        en: 'the signature timestamp',
        vi: 'dấu thời gian của chữ ký',
      });
      if (intact.timestamp.tsaCertificate)
        report.timestampAuthority = identityOf(intact.timestamp.tsaCertificate, {
          kind: 'timestamp-authority',
          ...(options.includeCertificates ? { encoding: options.includeCertificates } : {}),
        });
      if (result.proof) {
        own = result.proof;
        report.timestampTime = intact.timestamp.info.genTime.toISOString();
        note(report, 'timestamp', 'passed', {
          en: `timestamped at ${report.timestampTime} by a trusted TSA`,
          vi: `có dấu thời gian ${report.timestampTime} của máy chủ tin cậy`,
        });
      } else {
        note(report, 'timestamp', 'warning', {
          en: `a timestamp is present but does not prove the time: ${result.voided ? `its TSA's certificate was revoked (${result.voided}; ISO 32000-2 §12.8.3.4.8)` : `its TSA is not trusted (${result.subIndication})`}`,
          vi: `có dấu thời gian nhưng không chứng minh được thời điểm: ${result.voided ? `chứng thư số của máy chủ dấu thời gian đã bị thu hồi (${result.voided})` : `máy chủ cấp không được tin cậy (${result.subIndication})`}`,
        });
      }
    }
    const times = judgeClaimedTimes(intact.claims, own?.time ?? null);
    report.signingTime = times.shown?.toISOString() ?? null;
    report.signingTimeProven = own !== undefined;
    report.claimedSigningTime = times.claimed?.toISOString() ?? null;
    for (const message of times.warnings) note(report, 'claimed-time', 'warning', message);
    const proof = earlierProof(own, later);
    const archived = parsedEvidence(intact.signer.archivedRevocation ?? { crls: [], ocspResponses: [] });
    const sd = intact.signedData;
    const inCms = parsedEvidence({ crls: [], ocspResponses: sd.ocspResponses });
    const chain = await validateWithProof(
      (time) =>
        validateCertificate({
          certificate: intact.certificate,
          trustAnchors: options.trustAnchors,
          intermediates: [...sd.certificates, ...dss.certificates],
          crls: [...sd.crls, ...archived.crls, ...dss.crls, ...(options.crls ?? [])],
          ocspResponses: [...archived.ocspResponses, ...inCms.ocspResponses, ...dss.ocspResponses],
          validationTime: time,
          revocation: options.revocation ?? 'hard-fail',
          keyUsage: ['digitalSignature', 'nonRepudiation'],
          ...(options.transport ? { transport: options.transport } : {}),
        }),
      validationTime,
      proof,
    );
    report.checks.push(...certificateChecks(chain.chain));
    report.path = chain.chain.path;
    report.indication = chain.indication;
    report.subIndication = chain.subIndication;
    if (chain.provenAt) {
      report.proofOfExistence = { time: chain.provenAt.time.toISOString(), source: chain.provenAt.source };
      note(report, 'proof-of-existence', 'passed', {
        en: `the certificate is no longer valid now, but was at ${chain.provenAt.time.toISOString()}, when ${chain.provenAt.source.en} proves the signature existed`,
        vi: `chứng thư số nay không còn hiệu lực, nhưng còn hiệu lực lúc ${chain.provenAt.time.toISOString()}, thời điểm ${chain.provenAt.source.vi} chứng minh chữ ký đã tồn tại`,
      });
    } else if (chain.subIndication === 'REVOKED_NO_POE' || chain.subIndication === 'OUT_OF_BOUNDS_NO_POE') {
      note(report, 'proof-of-existence', 'warning', {
        en: 'nothing proves the signature existed before its certificate expired or was revoked (no valid timestamp, no record of receipt); the time the signer claims does not count',
        vi: 'không có gì chứng minh chữ ký đã tồn tại trước khi chứng thư số hết hạn hoặc bị thu hồi (không có dấu thời gian hợp lệ, không có hồ sơ tiếp nhận); thời điểm người ký tự ghi không được tính',
      });
    }
  }
}

/** Step 3: a signature or timestamp that verifies is still failed by a disallowed change after it. */
function judgeChangesAfter(entry: Entry): void {
  const { report, modifications } = entry;
  if (!modifications) return;
  const reasons = modifications.reasons.join('; ');
  const reasonsVi = modifications.reasonsVi.join('; ');
  if (modifications.level === 'disallowed') {
    report.checks.push({
      id: 'modifications',
      status: 'failed',
      message: {
        en: `changed after signing: ${reasons}`,
        vi: `văn bản bị thay đổi sau khi ký: ${reasonsVi}`,
      },
    });
    // Changed after signing is a format failure (EN 319 102-1 §5.2.2), whatever the path said.
    if (report.indication !== 'TOTAL_FAILED') {
      report.indication = 'TOTAL_FAILED';
      report.subIndication = 'FORMAT_FAILURE';
    }
  } else if (modifications.level === 'indeterminate') {
    report.checks.push({
      id: 'modifications',
      status: 'indeterminate',
      message: {
        en: `what changed after signing could not be analysed: ${reasons}`,
        vi: `không phân tích được những thay đổi sau khi ký: ${reasonsVi}`,
      },
    });
    if (report.indication === 'TOTAL_PASSED') {
      report.indication = 'INDETERMINATE';
      report.subIndication = 'SIG_CONSTRAINTS_FAILURE';
    }
  } else if (modifications.level === 'allowed') {
    report.checks.push({
      id: 'modifications',
      status: 'passed',
      message: {
        en: `changed after signing only as permitted: ${reasons}`,
        vi: `sau khi ký chỉ có các thay đổi được phép: ${reasonsVi}`,
      },
    });
  }
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
    const form = doc.deref(doc.catalog().get('AcroForm'));
    const needAppearances = form instanceof PdfDict && doc.deref(form.get('NeedAppearances')) === true;
    const kids = doc.deref(field.get('Kids'));
    const widgets = [field, ...(Array.isArray(kids) ? kids.map((k) => doc.deref(k)) : [])];
    return widgets.some((w) => w instanceof PdfDict && widgetShows(doc, w, needAppearances));
  } catch {
    return true;
  }
}

/**
 * Step 4: a later signature that is not intact (broken ByteRange, digest or value, no signed
 * attributes, an algorithm kyso cannot check) vouches for nothing: if its field shows something,
 * that appearance is unsigned content painted over the page, a change for every earlier signature
 * (Universal Signature Forgery, Sneaky Signature). An invisible one changes nothing shown; it
 * fails on its own. The level and the message come from one place, so they never disagree.
 */
function failBeforeBrokenLaterSignatures(entries: Entry[], doc: PdfDocument): void {
  entries.forEach((entry, i) => {
    const s = entry.report;
    const broken = entries
      .slice(i + 1)
      .find(
        (later) =>
          later.report.kind !== 'usage-rights' &&
          !later.report.intact &&
          showsSomething(doc, later.field.fieldObjectNumber),
      );
    if (!broken || s.modifiedAfter === 'disallowed') return;
    s.modifiedAfter = 'disallowed';
    // The earlier "only as permitted" verdict no longer holds: drop it.
    s.checks = s.checks.filter((c) => !(c.id === 'modifications' && c.status !== 'failed'));
    s.checks.push({
      id: 'modifications',
      status: 'failed',
      message: {
        en: `changed after signing by an update whose signature ${broken.report.index} is not valid`,
        vi: `văn bản bị thay đổi sau khi ký bởi một lần cập nhật có chữ ký số thứ ${broken.report.index} không hợp lệ`,
      },
    });
    if (s.indication !== 'TOTAL_FAILED') {
      s.indication = 'TOTAL_FAILED';
      s.subIndication = 'FORMAT_FAILURE';
    }
  });
}

/** The document's indication over its signatures (or, when it has none, its timestamps). */
function documentIndication(all: SignatureReport[]): PdfVerificationReport['indication'] {
  // A usage-rights signature vouches for a reader's features, not for the document.
  const signatures = all.filter((s) => s.kind !== 'usage-rights');
  const signed = signatures.filter((s) => s.kind === 'signature');
  const judged = signed.length > 0 ? signed : signatures;
  // Any entry that failed (a broken timestamp too) fails the document; an untrusted TSA does not.
  const failed = signatures.some((s) => s.indication === 'TOTAL_FAILED');
  if (
    judged.length > 0 &&
    !failed &&
    judged.every((s) => s.indication === 'TOTAL_PASSED' && s.modifiedAfter !== 'disallowed')
  )
    return 'TOTAL_PASSED';
  return failed || judged.some((s) => s.modifiedAfter === 'disallowed') ? 'TOTAL_FAILED' : 'INDETERMINATE';
}
