import { KysoError } from '../errors.js';
import { bufferSource, toHex } from '../lib/bytes.js';
import { type DerElement, expectChildren, readBigInt, readDer, readOid, TAG } from '../lib/der.js';
import type { AlgorithmIdentifier, SubjectPublicKeyInfo } from '../x509/certificate.js';
import { CURVE_OIDS, KEY_OIDS, type SignatureScheme, signatureScheme } from './algorithms.js';

/**
 * Signature verification on WebCrypto (RSA PKCS#1 v1.5, RSA-PSS, ECDSA, Ed25519). DSA, which WebCrypto does
 * not offer and which the NIST PKITS suite still exercises, is verified by hand with BigInt
 * (FIPS 186-4 §4.7), including DSA parameter inheritance from the issuer (RFC 5280 §6.1.4 (e)).
 */

const subtle = globalThis.crypto.subtle;

/**
 * Imported keys by SPKI bytes and scheme. A service validates the same few CA keys over and over,
 * from freshly parsed certificates each time; importing a key costs as much as a verification.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
const KEY_CACHE_SIZE = 512;

/** What a signature check needs. */
export interface SignatureCheck {
  /** The signature algorithm of the signed object. */
  algorithm: AlgorithmIdentifier;
  signature: Uint8Array;
  /** The signed bytes. */
  data: Uint8Array;
  /** The signer's public key. */
  publicKey: SubjectPublicKeyInfo;
  /** DSA domain parameters inherited from the issuer, when the key carries none. */
  inheritedDsaParams?: DerElement;
}

/**
 * A signature verifier for one scheme, when a faster one than WebCrypto is available (node:crypto
 * through `useNodeCrypto()` from `@kyso/core/node`). Returns `undefined` to fall back to WebCrypto.
 */
export type NativeVerifier = (scheme: SignatureScheme, check: SignatureCheck) => boolean | undefined;

let nativeVerifier: NativeVerifier | undefined;

/** Installs (or with `undefined`, removes) a {@link NativeVerifier}. */
export function setNativeVerifier(verifier: NativeVerifier | undefined): void {
  nativeVerifier = verifier;
}

/**
 * Verifies a signature. Resolves `true` or `false`; throws `ALGORITHM_UNSUPPORTED` for algorithms
 * kyso does not know and when the key does not fit the algorithm.
 */
export async function verifySignature(check: SignatureCheck): Promise<boolean> {
  const scheme = signatureScheme(check.algorithm);
  if (
    nativeVerifier &&
    !(scheme.kind === 'dsa' && !check.publicKey.algorithm.params && check.inheritedDsaParams)
  ) {
    const keyOid = check.publicKey.algorithm.oid;
    const fits =
      (scheme.kind === 'dsa' && keyOid === KEY_OIDS.dsa) ||
      (scheme.kind === 'ecdsa' && keyOid === KEY_OIDS.ec) ||
      (scheme.kind === 'ed25519' && keyOid === KEY_OIDS.ed25519) ||
      ((scheme.kind === 'rsa-pkcs1' || scheme.kind === 'rsa-pss') && keyOid === KEY_OIDS.rsa);
    if (!fits) throw mismatch();
    const answer = nativeVerifier(scheme, check);
    if (answer !== undefined) return answer;
  }
  const keyOid = check.publicKey.algorithm.oid;
  if (scheme.kind === 'dsa') {
    if (keyOid !== KEY_OIDS.dsa) throw mismatch();
    return verifyDsa(scheme, check);
  }
  if (scheme.kind === 'ecdsa') {
    if (keyOid !== KEY_OIDS.ec) throw mismatch();
    const key = await importKey(check.publicKey, scheme);
    const raw = ecdsaDerToRaw(check.signature, (key.algorithm as EcKeyAlgorithm).namedCurve);
    if (!raw) return false;
    return subtle.verify(
      { name: 'ECDSA', hash: scheme.hash },
      key,
      bufferSource(raw),
      bufferSource(check.data),
    );
  }
  if (scheme.kind === 'ed25519') {
    if (keyOid !== KEY_OIDS.ed25519) throw mismatch();
    const key = await importKey(check.publicKey, scheme);
    return subtle.verify({ name: 'Ed25519' }, key, bufferSource(check.signature), bufferSource(check.data));
  }
  if (keyOid !== KEY_OIDS.rsa) throw mismatch();
  const key = await importKey(check.publicKey, scheme);
  if (scheme.kind === 'rsa-pss') {
    return subtle.verify(
      { name: 'RSA-PSS', saltLength: scheme.saltLength },
      key,
      bufferSource(check.signature),
      bufferSource(check.data),
    );
  }
  return subtle.verify(
    { name: 'RSASSA-PKCS1-v1_5' },
    key,
    bufferSource(check.signature),
    bufferSource(check.data),
  );
}

function mismatch(): KysoError {
  return new KysoError('ALGORITHM_UNSUPPORTED', 'the public key does not fit the signature algorithm', {
    messageVi: 'khóa công khai không phù hợp với thuật toán chữ ký',
  });
}

function importKey(spki: SubjectPublicKeyInfo, scheme: SignatureScheme): Promise<CryptoKey> {
  const cacheKey = `${scheme.kind}/${scheme.hash}/${toHex(spki.der)}`;
  const cached = keyCache.get(cacheKey);
  if (cached) {
    // Refresh its place: the map's order is the eviction order.
    keyCache.delete(cacheKey);
    keyCache.set(cacheKey, cached);
    return cached;
  }
  let params: RsaHashedImportParams | EcKeyImportParams | Algorithm;
  if (scheme.kind === 'ed25519') params = { name: 'Ed25519' };
  else if (scheme.kind === 'ecdsa') {
    const curveOid =
      spki.algorithm.params?.tag === TAG.OID ? readOid(spki.algorithm.params, 'EC parameters') : '';
    const namedCurve = CURVE_OIDS[curveOid];
    if (!namedCurve) {
      return Promise.reject(
        new KysoError(
          'ALGORITHM_UNSUPPORTED',
          `unsupported elliptic curve ${curveOid || '(explicit parameters)'}`,
          {
            messageVi: `đường cong elliptic không được hỗ trợ: ${curveOid || '(tham số tường minh)'}`,
          },
        ),
      );
    }
    params = { name: 'ECDSA', namedCurve };
  } else {
    params = { name: scheme.kind === 'rsa-pss' ? 'RSA-PSS' : 'RSASSA-PKCS1-v1_5', hash: scheme.hash };
  }
  const key = subtle
    .importKey('spki', bufferSource(spki.der), params, false, ['verify'])
    .catch((cause: unknown) => {
      throw new KysoError('ALGORITHM_UNSUPPORTED', 'the public key cannot be imported', {
        cause,
        messageVi: 'không nạp được khóa công khai',
      });
    });
  keyCache.set(cacheKey, key);
  if (keyCache.size > KEY_CACHE_SIZE) keyCache.delete(keyCache.keys().next().value!);
  return key;
}

/** DER Ecdsa-Sig-Value to the fixed-width r||s WebCrypto expects; `null` when malformed. */
export function ecdsaDerToRaw(der: Uint8Array, curve: string): Uint8Array | null {
  const size = curve === 'P-256' ? 32 : curve === 'P-384' ? 48 : 66;
  try {
    const [r, s, extra] = expectChildren(readDer(der, 'ECDSA signature'), TAG.SEQUENCE, 'ECDSA signature');
    if (!r || !s || extra || r.tag !== TAG.INTEGER || s.tag !== TAG.INTEGER) return null;
    const out = new Uint8Array(size * 2);
    for (const [i, el] of [r, s].entries()) {
      let v = el.value;
      while (v.length > 1 && v[0] === 0) v = v.subarray(1);
      if (v.length > size) return null;
      out.set(v, i * size + (size - v.length));
    }
    return out;
  } catch {
    return null;
  }
}

async function verifyDsa(scheme: SignatureScheme, check: SignatureCheck): Promise<boolean> {
  const paramsEl =
    check.publicKey.algorithm.params?.tag === TAG.SEQUENCE
      ? check.publicKey.algorithm.params
      : check.inheritedDsaParams;
  if (!paramsEl) {
    throw new KysoError('ALGORITHM_UNSUPPORTED', 'DSA key without domain parameters and none to inherit', {
      messageVi: 'khóa DSA không có tham số miền và không có tham số để kế thừa',
    });
  }
  const [pEl, qEl, gEl] = expectChildren(paramsEl, TAG.SEQUENCE, 'DSA parameters');
  const p = readBigInt(pEl!, 'DSA p');
  const q = readBigInt(qEl!, 'DSA q');
  const g = readBigInt(gEl!, 'DSA g');
  const y = readBigInt(readDer(check.publicKey.key, 'DSA public key'), 'DSA public key');
  let r: bigint;
  let s: bigint;
  try {
    const [rEl, sEl] = expectChildren(
      readDer(check.signature, 'DSA signature'),
      TAG.SEQUENCE,
      'DSA signature',
    );
    r = readBigInt(rEl!, 'DSA r');
    s = readBigInt(sEl!, 'DSA s');
  } catch {
    return false;
  }
  if (r <= 0n || r >= q || s <= 0n || s >= q) return false;
  const digest = new Uint8Array(await subtle.digest(scheme.hash, bufferSource(check.data)));
  const qBits = q.toString(2).length;
  let z = 0n;
  for (const b of digest) z = (z << 8n) | BigInt(b);
  if (digest.length * 8 > qBits) z >>= BigInt(digest.length * 8 - qBits);
  const w = modInverse(s, q);
  const u1 = (z * w) % q;
  const u2 = (r * w) % q;
  const v = ((modPow(g, u1, p) * modPow(y, u2, p)) % p) % q;
  return v === r;
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return ((oldS % m) + m) % m;
}
