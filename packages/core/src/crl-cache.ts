/**
 * A directory of CRLs for offline and air-gapped verification (Node only). `updateCrlCache` fetches
 * the CRLs that certificates name in their CRL distribution points through a {@link Transport},
 * leaving alone every CRL still fresh (before its `nextUpdate`); `loadCrlCache` reads them back for
 * `validateCertificate` and `verifyPdf`. The directory is plain files, to carry on removable media:
 *
 * ```
 * <dir>/index.json      one entry per URL: file, issuer, thisUpdate, nextUpdate, fetchedAt, sha256
 * <dir>/crl/<hash>.crl  the CRLs as fetched (DER)
 * <dir>/SHA256SUMS      for `sha256sum -c SHA256SUMS` after the copy
 * ```
 *
 * A CRL is signed by its issuer: validation checks that signature, so a cache needs no trust of its
 * own; the digests only catch a copy gone wrong.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKysoError, KysoError } from './errors.js';
import { checkDate, checkOptionsObject } from './lib/options.js';
import type { Transport } from './transport.js';
import type { TrustStore } from './trust/store.js';
import type { Certificate } from './x509/certificate.js';
import { type Crl, parseCrl } from './x509/crl.js';
import { formatName } from './x509/name.js';

/** One CRL in a cache directory. */
export interface CrlCacheEntry {
  /** The distribution point it was fetched from. */
  url: string;
  /** Its file, relative to the cache directory. */
  file: string;
  /** The CRL's issuer, as text. */
  issuer: string;
  thisUpdate: string;
  /** Null when the CRL gives none: such a CRL is fetched again on every update. */
  nextUpdate: string | null;
  /** When this copy was fetched (the `now` of that update). */
  fetchedAt: string;
  /** SHA-256 of the file, hex. */
  sha256: string;
}

/** What {@link updateCrlCache} did for one URL. */
export interface CrlCacheUpdate {
  url: string;
  /** `fetched`: a new copy is in the cache; `fresh`: the cached one is before its nextUpdate; `failed`: see `error`. */
  status: 'fetched' | 'fresh' | 'failed';
  /** The cache's entry after the update (the old one when the fetch failed), if any. */
  entry: CrlCacheEntry | null;
  /** Subjects of the certificates that name this URL. */
  namedBy: string[];
  error: { code: string; message: string; messageVi: string } | null;
}

/** Options of {@link updateCrlCache}. */
export interface UpdateCrlCacheOptions {
  /** The cache directory; created when missing. Entries for other URLs are kept. */
  dir: string;
  /**
   * The certificates whose CRL distribution points to follow: a trust profile (anchors and
   * intermediates), TSA certificates, and any end-entity certificates whose issuer's CRL is wanted.
   */
  certificates: readonly Certificate[] | TrustStore;
  /** How to fetch (required: e.g. `createHttpTransport()`). */
  transport: Transport;
  /** The time freshness is judged at (required: nothing reads the clock). */
  now: Date;
}

const INDEX = 'index.json';

function cacheError(message: string, messageVi: string, cause?: unknown): KysoError {
  return new KysoError('CRL_CACHE_INVALID', message, { messageVi, ...(cause ? { cause } : {}) });
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The http(s) URLs a certificate's CRL distribution points name, in order. */
export function crlUrlsOf(cert: Certificate): string[] {
  const urls: string[] = [];
  for (const point of cert.extensions.cRLDistributionPoints ?? []) {
    for (const name of point.fullName ?? []) {
      if (name.type === 'uniformResourceIdentifier' && /^https?:\/\//i.test(name.value))
        urls.push(name.value);
    }
  }
  return urls;
}

/** The entries of a cache directory's index (empty for a directory without one). */
export function readCrlCacheIndex(dir: string): CrlCacheEntry[] {
  const path = join(dir, INDEX);
  if (!existsSync(path)) return [];
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as { entries?: CrlCacheEntry[] };
    if (!Array.isArray(index.entries)) throw new Error('no entries array');
    return index.entries;
  } catch (cause) {
    throw cacheError(
      `the CRL cache index ${path} is not readable`,
      `không đọc được chỉ mục bộ nhớ đệm CRL ${path}`,
      cause,
    );
  }
}

function writeAtomically(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function writeIndex(dir: string, entries: CrlCacheEntry[]): void {
  const sorted = [...entries].sort((a, b) => a.url.localeCompare(b.url));
  writeAtomically(join(dir, INDEX), `${JSON.stringify({ version: 1, entries: sorted }, null, 2)}\n`);
  writeAtomically(join(dir, 'SHA256SUMS'), sorted.map((e) => `${e.sha256}  ${e.file}\n`).join(''));
}

/**
 * Brings a CRL cache directory up to date: for every CRL distribution point URL the certificates
 * name, keeps the cached CRL while `now` is before its `nextUpdate`, and otherwise fetches it
 * through the transport (purpose `crl`). A fetched CRL that does not parse, or is older than the
 * cached one, does not replace it. One URL failing does not stop the others: its outcome says why.
 *
 * @example
 * ```ts
 * import { createHttpTransport, trustProfile } from '@kyso/core';
 * import { loadCrlCache, updateCrlCache } from '@kyso/core/node';
 * await updateCrlCache({ dir: 'crl-cache', certificates: trustProfile('vn-gov'), transport: createHttpTransport(), now: new Date() });
 * const crls = loadCrlCache('crl-cache'); // later, offline: validateCertificate({ ..., crls })
 * ```
 * @throws OptionError `OPTION_INVALID` for missing or wrong options; KysoError `CRL_CACHE_INVALID`
 *   when the directory holds an index that cannot be read.
 */
export async function updateCrlCache(options: UpdateCrlCacheOptions): Promise<CrlCacheUpdate[]> {
  const o = checkOptionsObject(options, 'updateCrlCache');
  const now = checkDate(o.now, 'now');
  if (typeof o.dir !== 'string' || o.dir.length === 0) {
    throw new KysoError('OPTION_INVALID', 'option `dir` must name a directory', {
      messageVi: 'tuỳ chọn `dir` phải là đường dẫn thư mục',
    });
  }
  if (typeof o.transport?.fetch !== 'function') {
    throw new KysoError('OPTION_INVALID', 'option `transport` must be a Transport (updateCrlCache fetches)', {
      messageVi: 'tuỳ chọn `transport` phải là một Transport (updateCrlCache cần tải dữ liệu)',
    });
  }
  const certs = Array.isArray(o.certificates)
    ? (o.certificates as readonly Certificate[])
    : [...(o.certificates as TrustStore).anchors, ...(o.certificates as TrustStore).intermediates];
  mkdirSync(join(o.dir, 'crl'), { recursive: true });
  const entries = new Map(readCrlCacheIndex(o.dir).map((e) => [e.url, e]));
  const wanted = new Map<string, string[]>();
  for (const cert of certs) {
    for (const url of crlUrlsOf(cert)) {
      const names = wanted.get(url) ?? [];
      names.push(formatName(cert.subject));
      wanted.set(url, names);
    }
  }
  const out: CrlCacheUpdate[] = [];
  for (const [url, namedBy] of wanted) {
    const cached = entries.get(url) ?? null;
    if (cached?.nextUpdate && now < new Date(cached.nextUpdate) && existsSync(join(o.dir, cached.file))) {
      out.push({ url, status: 'fresh', entry: cached, namedBy, error: null });
      continue;
    }
    try {
      const der = await o.transport.fetch({ purpose: 'crl', url, method: 'GET' });
      const crl = parseCrl(der);
      if (cached && crl.thisUpdate < new Date(cached.thisUpdate)) {
        throw new KysoError(
          'CRL_CACHE_INVALID',
          `the CRL served at ${url} (thisUpdate ${crl.thisUpdate.toISOString()}) is older than the cached one (${cached.thisUpdate})`,
          {
            messageVi: `CRL tải về từ ${url} (thisUpdate ${crl.thisUpdate.toISOString()}) cũ hơn bản đang lưu (${cached.thisUpdate})`,
          },
        );
      }
      const file = `crl/${sha256(new TextEncoder().encode(url)).slice(0, 32)}.crl`;
      writeAtomically(join(o.dir, file), crl.der);
      const entry: CrlCacheEntry = {
        url,
        file,
        issuer: formatName(crl.issuer),
        thisUpdate: crl.thisUpdate.toISOString(),
        nextUpdate: crl.nextUpdate ? crl.nextUpdate.toISOString() : null,
        fetchedAt: now.toISOString(),
        sha256: sha256(crl.der),
      };
      entries.set(url, entry);
      out.push({ url, status: 'fetched', entry, namedBy, error: null });
    } catch (error) {
      const e = isKysoError(error)
        ? { code: error.code, message: error.message, messageVi: error.messageVi }
        : {
            code: 'TRANSPORT_FAILED',
            message: error instanceof Error ? error.message : String(error),
            messageVi: `lỗi khi tải: ${error instanceof Error ? error.message : String(error)}`,
          };
      out.push({ url, status: 'failed', entry: cached, namedBy, error: e });
    }
  }
  writeIndex(o.dir, [...entries.values()]);
  return out;
}

/**
 * The CRLs of a cache directory that {@link updateCrlCache} filled (or a copy of it carried into
 * an air-gapped network), each checked against its recorded SHA-256. Stale CRLs are returned too:
 * validation judges freshness at its own validation time.
 *
 * @throws KysoError `CRL_CACHE_INVALID` when the directory has no index, or a file is missing, altered
 *   or not a CRL.
 */
export function loadCrlCache(dir: string): Crl[] {
  if (!existsSync(join(dir, INDEX))) {
    throw cacheError(
      `${dir} is not a CRL cache (no ${INDEX}); fill it with kyso trust update or updateCrlCache`,
      `${dir} không phải bộ nhớ đệm CRL (không có ${INDEX}); hãy tạo bằng kyso trust update hoặc updateCrlCache`,
    );
  }
  return readCrlCacheIndex(dir).map((entry) => {
    const path = join(dir, entry.file);
    if (!existsSync(path))
      throw cacheError(
        `the CRL cache lacks ${entry.file} (${entry.url})`,
        `bộ nhớ đệm CRL thiếu ${entry.file} (${entry.url})`,
      );
    const der = new Uint8Array(readFileSync(path));
    if (sha256(der) !== entry.sha256) {
      throw cacheError(
        `${entry.file} (${entry.url}) does not match its SHA-256 in the index: the copy is damaged`,
        `${entry.file} (${entry.url}) không khớp SHA-256 trong chỉ mục: bản sao bị hỏng`,
      );
    }
    try {
      return parseCrl(der);
    } catch (cause) {
      throw cacheError(
        `${entry.file} (${entry.url}) is not a CRL`,
        `${entry.file} (${entry.url}) không phải CRL`,
        cause,
      );
    }
  });
}
