// An incoming-document service for a QLVB-ĐH system: POST a PDF, get back kyso's verification
// report, the decision the rules take on it (accept / reject / out of scope, each reason cited)
// and, for a rejection, the notice to the sender in Vietnamese (Sơn La: Quyết định 1319/QĐ-UBND
// Điều 10; Lào Cai: Quyết định 52/2019/QĐ-UBND Điều 5–6).
//
//   node examples/incoming-service/server.mjs --trust root.pem [--crl crls/] [--offline]
//        [--province lao-cai|son-la|…] [--port 8080] [--host 127.0.0.1] [--max-bytes 52428800]
//   curl --data-binary @cong-van.pdf -H 'content-type: application/pdf' \
//        'http://127.0.0.1:8080/incoming?reference=123/SKHCN-VP&sender=S%E1%BB%9F%20KH%26CN'
//
// The upload is streamed to a temporary file (never more than --max-bytes) and verified from disk
// with verifyPdfFile, so a 200 MB scan does not sit in memory.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createCachingTransport, createHttpTransport, isKysoError, TrustStore } from '@kyso/core';
import { readCertificates, readCrls } from '@kyso/core/node';
import { evaluateIncomingDocument, incomingRegistrationDeadline, vietnamDate } from '@kyso/lifecycle-rules';
import { verifyPdfFile } from '@kyso/pdf-signature/node';

/** Default upper bound on a request body: 50 MiB. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/**
 * @typedef {object} IncomingServiceOptions
 * @property {import('@kyso/core').Certificate[] | import('@kyso/core').TrustStore} trustAnchors
 * @property {import('@kyso/core').Crl[]} [crls] CRLs to use besides those the documents carry.
 * @property {import('@kyso/core').Transport} [transport] Fetches OCSP and CRLs; omit to verify offline.
 * @property {import('@kyso/core').RevocationMode} [revocation] Default `hard-fail`.
 * @property {string} [province] A province profile (`lao-cai`, `son-la`, …); the national rules when absent.
 * @property {number} [maxBytes] Largest body accepted (default 50 MiB); larger ones get 413.
 */

/** Messages shown to the official, in both languages. */
const DECISION_TEXT = {
  accept: { vi: 'Tiếp nhận văn bản', en: 'Accept the document' },
  reject: { vi: 'Không tiếp nhận, thông báo cho nơi gửi', en: 'Refuse it and notify the sender' },
  hold: {
    vi: 'Tạm giữ văn bản, kiểm tra lại chữ ký số khi tra cứu được tình trạng thu hồi',
    en: 'Hold the document and verify again once revocation status can be fetched',
  },
  'out-of-scope': {
    vi: 'Ngoài phạm vi gửi, nhận văn bản điện tử',
    en: 'Outside electronic document exchange',
  },
};

/**
 * An error answered as JSON with a stable code.
 */
class HttpError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} en
   * @param {string} vi
   */
  constructor(status, code, en, vi) {
    super(en);
    this.status = status;
    this.code = code;
    this.vi = vi;
  }
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Streams the request body into `path`, refusing more than `maxBytes`. Resolves to its size and SHA-256.
 * @param {import('node:http').IncomingMessage} req
 * @param {string} path
 * @param {number} maxBytes
 * @returns {Promise<{ bytes: number, sha256: string }>}
 */
function receiveBody(req, path, maxBytes) {
  return new Promise((resolve, reject) => {
    const tooLarge = () =>
      new HttpError(
        413,
        'REQUEST_TOO_LARGE',
        `the document is larger than ${maxBytes} bytes`,
        `văn bản lớn hơn ${maxBytes} byte`,
      );
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      reject(tooLarge());
      return;
    }
    const out = createWriteStream(path);
    const hash = createHash('sha256');
    let bytes = 0;
    let failed = false;
    /** @param {Error} error */
    const fail = (error) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      reject(error);
    };
    req.on('data', (/** @type {Buffer} */ chunk) => {
      bytes += chunk.length;
      if (bytes > maxBytes) fail(tooLarge());
      else hash.update(chunk);
    });
    req.on('error', fail);
    out.on('error', fail);
    out.on('finish', () => {
      if (!failed) resolve({ bytes, sha256: hash.digest('hex') });
    });
    req.pipe(out);
  });
}

/**
 * The document facts the query string gives: `origin` (electronic | digitised), `urgent`, `secret`,
 * `reference` (số, ký hiệu), `sender`.
 * @param {URLSearchParams} q
 * @returns {import('@kyso/lifecycle-rules').DocumentFacts}
 */
function factsFrom(q) {
  const origin = q.get('origin') ?? 'electronic';
  if (origin !== 'electronic' && origin !== 'digitised') {
    throw new HttpError(
      400,
      'INVALID_PARAMETER',
      `origin must be electronic or digitised, not "${origin}"`,
      `origin phải là electronic hoặc digitised, không phải "${origin}"`,
    );
  }
  /** @param {string} name */
  const flag = (name) => {
    const v = q.get(name);
    if (v === null || v === '0' || v === 'false') return false;
    if (v === '' || v === '1' || v === 'true') return true;
    throw new HttpError(
      400,
      'INVALID_PARAMETER',
      `${name} must be true or false, not "${v}"`,
      `${name} phải là true hoặc false, không phải "${v}"`,
    );
  };
  /** @type {import('@kyso/lifecycle-rules').DocumentFacts} */
  const facts = { origin, urgent: flag('urgent'), secret: flag('secret') };
  const reference = q.get('reference');
  const sender = q.get('sender');
  if (reference) facts.reference = reference;
  if (sender) facts.sender = sender;
  return facts;
}

/**
 * The time as Vietnam shows it, ISO 8601 with +07:00.
 * @param {Date} d
 */
function vietnamTime(d) {
  return `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

/**
 * Creates the service (not yet listening). `POST /incoming` with the PDF as the body answers
 * 200 with `{ received, report, decision, notice, summary }`; a body that is not a readable PDF
 * answers 400 with the kyso error code; more than `maxBytes` answers 413.
 * @param {IncomingServiceOptions} options
 * @returns {import('node:http').Server}
 */
export function createIncomingService(options) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    /** @type {string | undefined} */
    let dir;
    try {
      if (url.pathname !== '/incoming') {
        throw new HttpError(
          404,
          'NOT_FOUND',
          'POST the PDF to /incoming',
          'hãy gửi PDF (POST) đến /incoming',
        );
      }
      if (req.method !== 'POST') {
        throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST', 'hãy dùng phương thức POST');
      }
      const facts = factsFrom(url.searchParams);
      const receivedAt = new Date();
      dir = mkdtempSync(join(tmpdir(), 'kyso-incoming-'));
      const file = join(dir, 'document.pdf');
      const body = await receiveBody(req, file, maxBytes);
      if (body.bytes === 0) {
        throw new HttpError(
          400,
          'EMPTY_BODY',
          'the request carries no document',
          'yêu cầu không kèm văn bản',
        );
      }
      facts.receivedAt = vietnamTime(receivedAt);
      const report = await verifyPdfFile(file, {
        trustAnchors: options.trustAnchors,
        at: receivedAt,
        ...(options.crls ? { crls: options.crls } : {}),
        ...(options.transport ? { transport: options.transport } : {}),
        ...(options.revocation ? { revocation: options.revocation } : {}),
      });
      const at = vietnamDate(receivedAt);
      const province = options.province ? { province: options.province } : {};
      const decision = evaluateIncomingDocument(report, facts, { at, ...province });
      const registration =
        decision.decision === 'accept'
          ? incomingRegistrationDeadline(facts.receivedAt, { urgent: facts.urgent ?? false, ...province })
          : null;
      const text = DECISION_TEXT[decision.decision];
      sendJson(res, 200, {
        received: { at: facts.receivedAt, bytes: body.bytes, sha256: body.sha256 },
        report,
        decision,
        registration,
        notice: decision.notice,
        summary: {
          vi: `${text.vi}. Kết quả kiểm tra chữ ký: ${report.indication}; ${report.signatures.length} chữ ký.`,
          en: `${text.en}. Signature verification: ${report.indication}; ${report.signatures.length} signature(s).`,
        },
      });
    } catch (error) {
      if (error instanceof HttpError) {
        // Read what is left of a refused body, so the client gets the answer rather than a reset.
        req.resume();
        sendJson(res, error.status, {
          error: { code: error.code, message: { vi: error.vi, en: error.message } },
        });
      } else if (isKysoError(error)) {
        // Unreadable input: not a PDF, a broken or encrypted file, a bad option.
        sendJson(res, 400, {
          error: { code: error.code, message: { vi: error.messageVi, en: error.message } },
        });
      } else {
        sendJson(res, 500, {
          error: {
            code: 'INTERNAL',
            message: { vi: 'lỗi trong dịch vụ', en: error instanceof Error ? error.message : String(error) },
          },
        });
      }
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** The command line: `--trust`, `--crl`, `--offline`, `--province`, `--host`, `--port`, `--max-bytes`. */
async function main() {
  const { values } = parseArgs({
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      offline: { type: 'boolean', default: false },
      revocation: { type: 'string', default: 'hard-fail' },
      province: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'max-bytes': { type: 'string', default: String(DEFAULT_MAX_BYTES) },
    },
  });
  const store = new TrustStore();
  for (const t of values.trust) store.addAnchors(readCertificates(t));
  if (store.anchors.length === 0) {
    console.error(
      'Cần ít nhất một --trust (chứng thư gốc tin cậy).\nGive at least one --trust root certificate.',
    );
    process.exit(2);
  }
  const revocation = values.revocation;
  if (revocation !== 'hard-fail' && revocation !== 'soft-fail' && revocation !== 'none') {
    console.error(`--revocation: hard-fail | soft-fail | none, không phải / not "${revocation}"`);
    process.exit(2);
  }
  const server = createIncomingService({
    trustAnchors: store,
    crls: values.crl.flatMap((p) => readCrls(p)),
    revocation,
    ...(values.offline ? {} : { transport: createCachingTransport(createHttpTransport()) }),
    ...(values.province ? { province: values.province } : {}),
    maxBytes: Number(values['max-bytes']),
  });
  server.listen(Number(values.port), values.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : values.port;
    console.log(
      `Dịch vụ tiếp nhận văn bản đến / incoming-document service: http://${values.host}:${port}/incoming`,
    );
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
