import { existsSync } from 'node:fs';
import type { Crl } from '@kyso/core';
import { TRUST_PROFILES, type TrustProfileName, TrustStore, trustProfile } from '@kyso/core';
import { readCertificates, readCrls } from '@kyso/core/node';
import { UsageError } from '../io.js';

/** `path`, or a usage error when nothing is there. */
export function requireFile(path: string): string {
  if (!existsSync(path)) throw new UsageError(`no such file or directory: ${path}`);
  return path;
}

/** The trust store of `--profile` and `--trust` options; at least one anchor is required. */
export function trustFromOptions(profiles: readonly string[], trustFiles: readonly string[]): TrustStore {
  const store = new TrustStore();
  for (const p of profiles) {
    if (!TRUST_PROFILES.includes(p as TrustProfileName)) {
      throw new UsageError(`--profile must be one of ${TRUST_PROFILES.join(', ')}, not "${p}"`);
    }
    store.merge(trustProfile(p as TrustProfileName));
  }
  for (const t of trustFiles) store.addAnchors(readCertificates(requireFile(t)));
  if (store.anchors.length === 0) throw new UsageError('give at least one --trust file or a --profile');
  return store;
}

/** Every CRL of the `--crl` files and directories. */
export function crlsFromOptions(paths: readonly string[]): Crl[] {
  return paths.flatMap((p) => readCrls(requireFile(p)));
}

/** An ISO 8601 `--at` time, or undefined when not given. */
export function parseAt(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) {
    throw new UsageError(`--at must be an ISO 8601 time such as 2025-06-01T00:00:00Z, not "${text}"`);
  }
  return d;
}
