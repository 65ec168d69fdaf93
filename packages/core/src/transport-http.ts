import { KysoError } from './errors.js';
import {
  checkOptionalFunction,
  checkOptionalPositiveNumber,
  checkOptionalTransport,
  checkOptionsObject,
} from './lib/options.js';
import { networkVi } from './lib/problems-vi.js';
import type { Transport, TransportRequest } from './transport.js';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** Give up after this many milliseconds (default 10 000). */
  timeoutMs?: number;
  /** Refuse bodies larger than this many bytes (default 20 MiB, for large CRLs). */
  maxBytes?: number;
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/**
 * A Transport over `fetch` (Node 20 and browsers): http and https only, a timeout on the whole
 * exchange, and a size limit enforced while the body streams in.
 *
 * @throws OptionError `OPTION_INVALID` naming an option that is not a positive number or a function.
 */
export function createHttpTransport(options: HttpTransportOptions = {}): Transport {
  checkOptionsObject(options, 'createHttpTransport');
  checkOptionalPositiveNumber(options.timeoutMs, 'timeoutMs');
  checkOptionalPositiveNumber(options.maxBytes, 'maxBytes');
  checkOptionalFunction(options.fetch, 'fetch');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
  const doFetch = options.fetch ?? globalThis.fetch;
  return {
    async fetch(request: TransportRequest): Promise<Uint8Array> {
      let url: URL;
      try {
        url = new URL(request.url);
      } catch (cause) {
        throw failed(request, 'not a valid URL', cause);
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new KysoError(
          'TRANSPORT_REFUSED',
          `refused to fetch ${request.url}: only http and https are used`,
          {
            messageVi: `từ chối tải ${request.url}: chỉ dùng http và https`,
          },
        );
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const init: RequestInit = { method: request.method, signal: controller.signal, redirect: 'follow' };
        if (request.body) {
          init.body = request.body as Uint8Array<ArrayBuffer>;
          init.headers = { 'content-type': request.contentType ?? 'application/octet-stream' };
        }
        const response = await doFetch(url, init);
        if (!response.ok) throw failed(request, `HTTP ${response.status}`);
        const declared = Number(response.headers.get('content-length') ?? 'NaN');
        if (declared > maxBytes) throw tooLarge(request, maxBytes);
        return await readLimited(response, request, maxBytes);
      } catch (error) {
        if (controller.signal.aborted) {
          throw new KysoError('TRANSPORT_TIMEOUT', `no answer from ${request.url} within ${timeoutMs} ms`, {
            cause: error,
            messageVi: `không nhận được trả lời từ ${request.url} trong ${timeoutMs} ms`,
          });
        }
        if (error instanceof KysoError) throw error;
        throw failed(request, networkReason(error), error);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

async function readLimited(
  response: Response,
  request: TransportRequest,
  maxBytes: number,
): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(request, maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

function failed(request: TransportRequest, why: string, cause?: unknown): KysoError {
  return new KysoError('TRANSPORT_FAILED', `fetching ${request.url} failed: ${why}`, {
    cause,
    messageVi: `tải ${request.url} thất bại: ${networkVi(why)}`,
  });
}

const SYSTEM_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'connection reset',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'network unreachable',
};

/**
 * What went wrong under `fetch`: undici says only "fetch failed" and puts the system error in
 * `cause`; name it (`connection refused (ECONNREFUSED)`).
 */
function networkReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  if (typeof code !== 'string') return message;
  return `${SYSTEM_ERRORS[code] ?? message} (${code})`;
}

function tooLarge(request: TransportRequest, maxBytes: number): KysoError {
  return new KysoError('TRANSPORT_TOO_LARGE', `${request.url} sent more than ${maxBytes} bytes`, {
    messageVi: `${request.url} trả về hơn ${maxBytes} byte`,
  });
}

/** Options of {@link createCachingTransport}. */
export interface CachingTransportOptions {
  /** How long a GET answer is reused, in milliseconds (default one hour). */
  ttlMs?: number;
  /** Most answers kept (default 256; the oldest go first). */
  maxEntries?: number;
  /** The clock, for expiry only (default `Date.now`). */
  now?: () => number;
}

/**
 * Wraps a Transport with a cache of GET answers (CRLs, CA certificates, GET-style OCSP). POSTs are
 * never cached: OCSP requests carry nonces. Concurrent requests for one URL share one fetch.
 */
export function createCachingTransport(inner: Transport, options: CachingTransportOptions = {}): Transport {
  checkOptionalTransport(inner, 'inner');
  if (inner === undefined) checkOptionalTransport(null, 'inner');
  checkOptionsObject(options, 'createCachingTransport');
  checkOptionalPositiveNumber(options.ttlMs, 'ttlMs');
  checkOptionalPositiveNumber(options.maxEntries, 'maxEntries');
  checkOptionalFunction(options.now, 'now');
  const ttl = options.ttlMs ?? 3_600_000;
  const max = options.maxEntries ?? 256;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<Uint8Array> }>();
  return {
    fetch(request) {
      if (request.method !== 'GET') return inner.fetch(request);
      const hit = entries.get(request.url);
      if (hit && now() - hit.at < ttl) return hit.value;
      const value = inner.fetch(request);
      entries.set(request.url, { at: now(), value });
      value.catch(() => entries.delete(request.url));
      while (entries.size > max) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}
