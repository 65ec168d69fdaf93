/**
 * `@kyso/core/node`: helpers that read certificates and CRLs from files and directories, a CRL
 * cache directory for offline verification (`updateCrlCache`, `loadCrlCache`), node:crypto
 * signature verification (`useNodeCrypto`), and software-key signers (PKCS#8 and PKCS#12: 3DES
 * and RC2, which old PKCS#12 files use, are not in WebCrypto). Everything
 * else in core is browser-safe and lives in the root entry.
 *
 * @packageDocumentation
 */
import { constants, createPublicKey, type KeyObject, verify } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type { CrlCacheEntry, CrlCacheUpdate, UpdateCrlCacheOptions } from './crl-cache.js';
export { crlUrlsOf, loadCrlCache, readCrlCacheIndex, updateCrlCache } from './crl-cache.js';

import { setNativeVerifier } from './crypto/verify.js';
import { KysoError } from './errors.js';
import { toHex } from './lib/bytes.js';
import { TrustStore } from './trust/store.js';
import { type Certificate, parseCertificates } from './x509/certificate.js';
import { type Crl, parseCrls } from './x509/crl.js';

export type { Pkcs12Contents } from './keys/pkcs12.js';
export { readPkcs12 } from './keys/pkcs12.js';
export type { Pkcs12SignerOptions, SoftwareSignerOptions } from './signers/software.js';
export { createPkcs12Signer, createSoftwareSigner } from './signers/software.js';

/** Limits on what the file helpers read. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function filesAt(path: string): string[] {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (cause) {
    throw new KysoError('INPUT_INVALID', `cannot read ${path}`, {
      cause,
      messageVi: `không đọc được ${path}`,
    });
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .map((f) => join(path, f))
    .filter((f) => statSync(f).isFile());
}

function read(file: string): Uint8Array {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) {
    throw new KysoError('INPUT_INVALID', `${file} is larger than ${MAX_FILE_BYTES} bytes`, {
      messageVi: `${file} lớn hơn ${MAX_FILE_BYTES} byte`,
    });
  }
  return new Uint8Array(readFileSync(file));
}

/**
 * Every certificate in a file (DER, PEM bundle, PKCS#7) or, for a directory, in every file in it
 * that holds certificates (files that hold none are skipped when reading a directory).
 */
export function readCertificates(path: string): Certificate[] {
  const files = filesAt(path);
  const single = files.length === 1 && files[0] === path;
  const out: Certificate[] = [];
  for (const file of files) {
    try {
      for (const c of parseCertificates(read(file))) out.push(c);
    } catch (error) {
      if (single) throw error;
    }
  }
  return out;
}

/** Every CRL in a file (DER, PEM, PKCS#7) or in the files of a directory. */
export function readCrls(path: string): Crl[] {
  const files = filesAt(path);
  const single = files.length === 1 && files[0] === path;
  const out: Crl[] = [];
  for (const file of files) {
    try {
      for (const c of parseCrls(read(file))) out.push(c);
    } catch (error) {
      if (single) throw error;
    }
  }
  return out;
}

/** A trust store whose anchors are the certificates at `paths` (files or directories). */
export function readTrustStore(...paths: string[]): TrustStore {
  const store = new TrustStore();
  for (const p of paths) store.addAnchors(readCertificates(p));
  return store;
}

const nodeKeys = new Map<string, KeyObject | null>();

function nodeKey(spkiDer: Uint8Array): KeyObject | null {
  const id = toHex(spkiDer);
  let key = nodeKeys.get(id);
  if (key === undefined) {
    try {
      key = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' });
    } catch {
      key = null;
    }
    nodeKeys.set(id, key);
    if (nodeKeys.size > 512) nodeKeys.delete(nodeKeys.keys().next().value!);
  }
  return key;
}

/**
 * Verifies signatures with node:crypto instead of WebCrypto: synchronous, on the calling thread,
 * several times faster for the small messages certificates and CRLs are. Results are identical;
 * call once at start-up (the `kyso` CLI does).
 */
export function useNodeCrypto(): void {
  setNativeVerifier((scheme, check) => {
    const key = nodeKey(check.publicKey.der);
    if (!key) return undefined;
    const hash = scheme.hash.replace('-', '').toLowerCase();
    try {
      // EdDSA hashes inside the algorithm: node:crypto takes no digest name for it.
      if (scheme.kind === 'ed25519') return verify(null, check.data, key, check.signature);
      if (scheme.kind === 'rsa-pss') {
        return verify(
          hash,
          check.data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength },
          check.signature,
        );
      }
      return verify(hash, check.data, { key, dsaEncoding: 'der' }, check.signature);
    } catch {
      return false;
    }
  });
}

/** Goes back to WebCrypto for signature verification. */
export function useWebCrypto(): void {
  setNativeVerifier(undefined);
}
