import { createDecipheriv, createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import { KysoError } from '../errors.js';
import {
  berToDer,
  children,
  contextTag,
  type DerElement,
  expectChildren,
  expectTag,
  readDer,
  readOid,
  readSmallInt,
  TAG,
} from '../lib/der.js';
import { rc2CbcDecrypt } from './rc2.js';

/**
 * Reading a PKCS#12 (PFX, `.p12`) file (RFC 7292) with its password: the private key and the
 * certificates. Both encryptions in use: PBES2 with PBKDF2 and AES (OpenSSL 3's default, RFC 8018)
 * and the PKCS#12 PBEs (pbeWithSHAAnd3-KeyTripleDES-CBC for keys, pbeWithSHAAnd40BitRC2-CBC for
 * certificates: `openssl pkcs12 -legacy`, older Windows and token tools). The MAC is checked first,
 * so a wrong password is told apart from a damaged file. Node only: WebCrypto has no 3DES or RC2.
 */

/** What {@link readPkcs12} returns. */
export interface Pkcs12Contents {
  /** The private key, PKCS#8 DER (unencrypted: keep it in memory only). */
  privateKey: Uint8Array;
  /** Every certificate in the file, DER, in file order. */
  certificates: Uint8Array[];
  /** The localKeyId of the key bag, hex, when the file gives one (it names the key's certificate). */
  localKeyId?: string;
  /** The certificates whose localKeyId equals the key's, DER (usually the signer's certificate). */
  keyCertificates: Uint8Array[];
}

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  sha1With3Des: '1.2.840.113549.1.12.1.3',
  sha1With2Des: '1.2.840.113549.1.12.1.4',
  sha1With128Rc2: '1.2.840.113549.1.12.1.5',
  sha1With40Rc2: '1.2.840.113549.1.12.1.6',
} as const;

const HASHES: Record<string, { node: string; block: number }> = {
  '1.3.14.3.2.26': { node: 'sha1', block: 64 },
  '2.16.840.1.101.3.4.2.1': { node: 'sha256', block: 64 },
  '2.16.840.1.101.3.4.2.2': { node: 'sha384', block: 128 },
  '2.16.840.1.101.3.4.2.3': { node: 'sha512', block: 128 },
};
const HMAC_PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};
const AES_CBC: Record<string, { name: string; keyLength: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLength: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLength: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLength: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLength: 24 },
};

/** Bounds against a hostile file: PBKDF2 and PKCS#12 KDF iterations, bags. */
const MAX_ITERATIONS = 10_000_000;
const MAX_BAGS = 1_000;

function malformed(message: string, cause?: unknown): KysoError {
  return new KysoError('PKCS12_MALFORMED', `not a readable PKCS#12 file: ${message}`, {
    ...(cause === undefined ? {} : { cause }),
    messageVi: `không phải tệp PKCS#12 đọc được: ${message}`,
  });
}

function unsupported(what: string): KysoError {
  return new KysoError('PKCS12_UNSUPPORTED', `the PKCS#12 file uses ${what}, which kyso does not read`, {
    messageVi: `tệp PKCS#12 dùng ${what}, kyso không đọc được`,
  });
}

function wrongPassword(): KysoError {
  return new KysoError('PKCS12_PASSWORD_INCORRECT', 'the password of the PKCS#12 file is incorrect', {
    messageVi: 'mật khẩu của tệp PKCS#12 không đúng',
  });
}

/** The password as PKCS#12 KDF input: BMPString (UTF-16BE) with a two-byte terminator (RFC 7292 B.1). */
function bmpPassword(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2 + 2);
  for (let i = 0; i < password.length; i += 1) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

/** The PKCS#12 key derivation function (RFC 7292 Appendix B.2). `id` 1 = key, 2 = IV, 3 = MAC key. */
function pkcs12Kdf(
  hashOid: string,
  password: Buffer,
  salt: Uint8Array,
  iterations: number,
  id: 1 | 2 | 3,
  length: number,
): Buffer {
  const hash = HASHES[hashOid];
  if (!hash) throw unsupported(`the hash ${hashOid}`);
  const v = hash.block;
  const fill = (src: Uint8Array) => {
    if (src.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(src.length / v));
    for (let i = 0; i < out.length; i += 1) out[i] = src[i % src.length]!;
    return out;
  };
  const D = Buffer.alloc(v, id);
  const I = Buffer.concat([fill(salt), fill(password)]);
  const out: Buffer[] = [];
  let produced = 0;
  while (produced < length) {
    let A = createHash(hash.node).update(D).update(I).digest();
    for (let r = 1; r < iterations; r += 1) A = createHash(hash.node).update(A).digest();
    out.push(A);
    produced += A.length;
    if (produced >= length) break;
    const B = fill(A);
    for (let j = 0; j < I.length; j += v) {
      // I_j = (I_j + B + 1) mod 2^(8v)
      let carry = 1;
      for (let k = v - 1; k >= 0; k -= 1) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(out).subarray(0, length);
}

function iterationsOf(el: DerElement | undefined, what: string): number {
  const n = el ? readSmallInt(el, what) : 1;
  if (n < 1 || n > MAX_ITERATIONS) throw malformed(`${n} iterations`);
  return n;
}

/** Decrypts `data` with the password-based encryption `algorithm` (an AlgorithmIdentifier). */
function decrypt(algorithm: DerElement, data: Uint8Array, password: string): Uint8Array {
  const what = 'PKCS#12 encryption';
  const [oidEl, params] = expectChildren(algorithm, TAG.SEQUENCE, what);
  const alg = readOid(oidEl!, what);
  if (!params) throw malformed('encryption parameters missing');
  if (alg === OIDS.pbes2) {
    const [kdf, scheme] = expectChildren(params, TAG.SEQUENCE, what);
    const [kdfOid, kdfParams] = expectChildren(kdf!, TAG.SEQUENCE, what);
    if (readOid(kdfOid!, what) !== OIDS.pbkdf2)
      throw unsupported(`the key derivation ${readOid(kdfOid!, what)}`);
    const p = expectChildren(kdfParams!, TAG.SEQUENCE, what);
    const salt = expectTag(p[0], TAG.OCTET_STRING, what).value;
    const iterations = iterationsOf(p[1], what);
    let prf = 'sha1';
    for (const extra of p.slice(2)) {
      if (extra.tag === TAG.SEQUENCE) {
        const prfOid = readOid(children(extra, what)[0]!, what);
        const name = HMAC_PRF[prfOid];
        if (!name) throw unsupported(`the PRF ${prfOid}`);
        prf = name;
      }
    }
    const [cipherOid, ivEl] = expectChildren(scheme!, TAG.SEQUENCE, what);
    const cipher = AES_CBC[readOid(cipherOid!, what)];
    if (!cipher) throw unsupported(`the cipher ${readOid(cipherOid!, what)}`);
    const iv = expectTag(ivEl, TAG.OCTET_STRING, what).value;
    // PBES2 inside PKCS#12 takes the password as its UTF-8 bytes (what OpenSSL writes).
    const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, cipher.keyLength, prf);
    return cbc(cipher.name, key, iv, data);
  }
  const [saltEl, iterEl] = expectChildren(params, TAG.SEQUENCE, what);
  const salt = expectTag(saltEl, TAG.OCTET_STRING, what).value;
  const iterations = iterationsOf(iterEl, what);
  const pw = bmpPassword(password);
  const sha1 = '1.3.14.3.2.26';
  if (alg === OIDS.sha1With3Des || alg === OIDS.sha1With2Des) {
    let key = pkcs12Kdf(sha1, pw, salt, iterations, 1, alg === OIDS.sha1With3Des ? 24 : 16);
    if (key.length === 16) key = Buffer.concat([key, key.subarray(0, 8)]);
    const iv = pkcs12Kdf(sha1, pw, salt, iterations, 2, 8);
    return cbc('des-ede3-cbc', key, iv, data);
  }
  if (alg === OIDS.sha1With40Rc2 || alg === OIDS.sha1With128Rc2) {
    const bits = alg === OIDS.sha1With40Rc2 ? 40 : 128;
    const key = pkcs12Kdf(sha1, pw, salt, iterations, 1, bits / 8);
    const iv = pkcs12Kdf(sha1, pw, salt, iterations, 2, 8);
    const out = rc2CbcDecrypt(key, bits, iv, data);
    if (!out) throw wrongPassword();
    return out;
  }
  throw unsupported(`the encryption ${alg}`);
}

function cbc(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  try {
    const d = createDecipheriv(name, key, iv);
    return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
  } catch {
    // Bad padding after decryption: the key, so the password, is wrong.
    throw wrongPassword();
  }
}

/** The content of an OCTET STRING that may be primitive or (BER, after re-encoding) constructed. */
function octetsOf(el: DerElement, what: string): Uint8Array {
  if ((el.tag & 0x20) === 0) return el.value;
  return Buffer.concat(children(el, what).map((c) => c.value));
}

/**
 * Reads a PKCS#12 file with `password`. Throws `PKCS12_PASSWORD_INCORRECT` (the MAC, or the
 * decryption, fails), `PKCS12_MALFORMED`, `PKCS12_UNSUPPORTED` (an algorithm kyso does not read),
 * each a KysoError.
 */
export function readPkcs12(input: Uint8Array, password: string): Pkcs12Contents {
  const what = 'PKCS#12';
  let root: DerElement;
  try {
    root = readDer(berToDer(input, what), what);
  } catch (cause) {
    throw malformed(cause instanceof Error ? cause.message : String(cause), cause);
  }
  try {
    const [versionEl, authSafe, macData] = expectChildren(root, TAG.SEQUENCE, what);
    if (readSmallInt(versionEl!, what) !== 3) throw malformed('version is not 3');
    const [typeEl, contentEl] = expectChildren(authSafe!, TAG.SEQUENCE, what);
    if (readOid(typeEl!, what) !== OIDS.data) throw unsupported('public-key integrity mode');
    const content = octetsOf(children(contentEl!, what)[0]!, what);
    if (macData) checkMac(macData, content, password);
    const safes = expectChildren(readDer(content, what), TAG.SEQUENCE, what);
    const keys: { key: Uint8Array; id?: string }[] = [];
    const certs: { der: Uint8Array; id?: string }[] = [];
    let bags = 0;
    for (const safe of safes) {
      const [safeType, safeContent] = expectChildren(safe, TAG.SEQUENCE, what);
      const type = readOid(safeType!, what);
      let safeContents: Uint8Array;
      if (type === OIDS.data) {
        safeContents = octetsOf(children(safeContent!, what)[0]!, what);
      } else if (type === OIDS.encryptedData) {
        const [, eci] = expectChildren(children(safeContent!, what)[0]!, TAG.SEQUENCE, what);
        const [, algEl, encrypted] = expectChildren(eci!, TAG.SEQUENCE, what);
        if (!encrypted || contextTag(encrypted) !== 0) throw malformed('encrypted content missing');
        safeContents = decrypt(algEl!, octetsOf(encrypted, what), password);
      } else {
        throw unsupported(`a safe of type ${type}`);
      }
      for (const bag of expectChildren(readDer(safeContents, what), TAG.SEQUENCE, what)) {
        bags += 1;
        if (bags > MAX_BAGS) throw malformed(`more than ${MAX_BAGS} bags`);
        const [bagId, bagValue, attrs] = expectChildren(bag, TAG.SEQUENCE, what);
        const id = attrs ? localKeyIdOf(attrs) : undefined;
        const value = children(bagValue!, what)[0]!;
        switch (readOid(bagId!, what)) {
          case OIDS.keyBag:
            keys.push({ key: value.raw, ...(id ? { id } : {}) });
            break;
          case OIDS.shroudedKeyBag: {
            const [algEl, data] = expectChildren(value, TAG.SEQUENCE, what);
            const key = decrypt(algEl!, expectTag(data, TAG.OCTET_STRING, what).value, password);
            readDer(key, 'private key');
            keys.push({ key, ...(id ? { id } : {}) });
            break;
          }
          case OIDS.certBag: {
            const [certType, certValue] = expectChildren(value, TAG.SEQUENCE, what);
            if (readOid(certType!, what) !== OIDS.x509Certificate) break;
            certs.push({
              der: expectTag(children(certValue!, what)[0], TAG.OCTET_STRING, what).value,
              ...(id ? { id } : {}),
            });
            break;
          }
        }
      }
    }
    if (keys.length !== 1) throw malformed(`it holds ${keys.length} private keys, not one`);
    const key = keys[0]!;
    return {
      privateKey: new Uint8Array(key.key),
      certificates: certs.map((c) => new Uint8Array(c.der)),
      ...(key.id ? { localKeyId: key.id } : {}),
      keyCertificates: key.id ? certs.filter((c) => c.id === key.id).map((c) => new Uint8Array(c.der)) : [],
    };
  } catch (error) {
    if (error instanceof KysoError && error.code.startsWith('PKCS12_')) throw error;
    throw malformed(error instanceof Error ? error.message : String(error), error);
  }
}

function localKeyIdOf(attrs: DerElement): string | undefined {
  const what = 'PKCS#12 attributes';
  for (const attr of expectChildren(attrs, TAG.SET, what)) {
    const [type, values] = expectChildren(attr, TAG.SEQUENCE, what);
    if (readOid(type!, what) === OIDS.localKeyId) {
      const v = children(values!, what)[0];
      if (v) return Buffer.from(v.value).toString('hex');
    }
  }
  return undefined;
}

/** MacData ::= SEQUENCE { mac DigestInfo, macSalt OCTET STRING, iterations INTEGER DEFAULT 1 }. */
function checkMac(macData: DerElement, content: Uint8Array, password: string): void {
  const what = 'PKCS#12 MAC';
  const [digestInfo, saltEl, iterEl] = expectChildren(macData, TAG.SEQUENCE, what);
  const [algEl, macEl] = expectChildren(digestInfo!, TAG.SEQUENCE, what);
  const hashOid = readOid(expectChildren(algEl!, TAG.SEQUENCE, what)[0]!, what);
  const hash = HASHES[hashOid];
  if (!hash) throw unsupported(`the MAC hash ${hashOid}`);
  const salt = expectTag(saltEl, TAG.OCTET_STRING, what).value;
  const iterations = iterationsOf(iterEl, what);
  const expected = expectTag(macEl, TAG.OCTET_STRING, what).value;
  const hLen = createHash(hash.node).digest().length;
  const key = pkcs12Kdf(hashOid, bmpPassword(password), salt, iterations, 3, hLen);
  const mac = createHmac(hash.node, key).update(content).digest();
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw wrongPassword();
}
