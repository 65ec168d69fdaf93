import { KysoError } from '../errors.js';
import { children, expectChildren, readDer, readOid, readSmallInt, TAG } from '../lib/der.js';
import type { AlgorithmIdentifier, SubjectPublicKeyInfo } from '../x509/certificate.js';

/** Hash functions kyso verifies with. */
export type VerifyHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A signature algorithm as kyso understands it. */
export type SignatureScheme =
  | { kind: 'rsa-pkcs1'; hash: VerifyHash }
  | { kind: 'rsa-pss'; hash: VerifyHash; saltLength: number }
  | { kind: 'ecdsa'; hash: VerifyHash }
  | { kind: 'dsa'; hash: VerifyHash }
  /** Pure EdDSA on Ed25519 (RFC 8032, RFC 8410); its hash is SHA-512, inside the algorithm. */
  | { kind: 'ed25519'; hash: 'SHA-512' };

const BY_OID: Record<string, SignatureScheme> = {
  '1.2.840.113549.1.1.5': { kind: 'rsa-pkcs1', hash: 'SHA-1' },
  '1.2.840.113549.1.1.11': { kind: 'rsa-pkcs1', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { kind: 'rsa-pkcs1', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { kind: 'rsa-pkcs1', hash: 'SHA-512' },
  '1.2.840.10045.4.1': { kind: 'ecdsa', hash: 'SHA-1' },
  '1.2.840.10045.4.3.2': { kind: 'ecdsa', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { kind: 'ecdsa', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { kind: 'ecdsa', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { kind: 'dsa', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.2': { kind: 'dsa', hash: 'SHA-256' },
  '1.3.101.112': { kind: 'ed25519', hash: 'SHA-512' },
};

const NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.3.36.3.3.1.2': 'rsaSignatureWithripemd160',
  '1.2.156.10197.1.501': 'SM2-with-SM3',
};

/**
 * Names of digest algorithms kyso does not verify with, for the "unsupported algorithm" message
 * (ALGORITHM_UNSUPPORTED, reported INDETERMINATE / CRYPTO_CONSTRAINTS_FAILURE, not as malformed).
 */
const UNSUPPORTED_HASH_NAMES: Record<string, string> = {
  '1.2.840.113549.2.5': 'MD5',
  '1.2.840.113549.2.2': 'MD2',
  '2.16.840.1.101.3.4.2.4': 'SHA-224',
  '1.3.36.3.2.1': 'RIPEMD-160',
  '1.2.156.10197.1.401': 'SM3',
  '2.16.840.1.101.3.4.2.8': 'SHA3-256',
  '2.16.840.1.101.3.4.2.9': 'SHA3-384',
  '2.16.840.1.101.3.4.2.10': 'SHA3-512',
};

/** A readable name of a digest algorithm OID (`RIPEMD-160`, `SM3`, `SHA-256`), or the OID itself. */
export function digestAlgorithmName(oid: string): string {
  return HASH_OIDS[oid] ?? UNSUPPORTED_HASH_NAMES[oid] ?? oid;
}

/** The `ALGORITHM_UNSUPPORTED` error for a digest algorithm kyso does not verify with. */
export function unsupportedDigest(oid: string): KysoError {
  const name = digestAlgorithmName(oid);
  const shown = name === oid ? oid : `${name} (${oid})`;
  return new KysoError('ALGORITHM_UNSUPPORTED', `unsupported digest algorithm ${shown}`, {
    messageVi: `thuật toán băm không được hỗ trợ: ${shown}`,
  });
}

/** Hash OIDs (for RSA-PSS parameters and CMS digest algorithms). */
export const HASH_OIDS: Record<string, VerifyHash> = {
  '1.3.14.3.2.26': 'SHA-1',
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Public key algorithm OIDs. */
export const KEY_OIDS = {
  rsa: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ec: '1.2.840.10045.2.1',
  dsa: '1.2.840.10040.4.1',
  ed25519: '1.3.101.112',
} as const;

/** Named curves kyso verifies on. */
export const CURVE_OIDS: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
};

function unsupported(what: string): KysoError {
  return new KysoError('ALGORITHM_UNSUPPORTED', `unsupported signature algorithm ${what}`, {
    messageVi: `thuật toán chữ ký không được hỗ trợ: ${what}`,
  });
}

/** The scheme of a signature AlgorithmIdentifier, or `ALGORITHM_UNSUPPORTED`. */
export function signatureScheme(alg: AlgorithmIdentifier): SignatureScheme {
  const known = BY_OID[alg.oid];
  if (known) return known;
  if (alg.oid === KEY_OIDS.rsaPss) return pssScheme(alg);
  throw unsupported(NAMES[alg.oid] ?? alg.oid);
}

/** RSASSA-PSS-params: hash, MGF1 with the same hash, salt length, trailer field 1. */
function pssScheme(alg: AlgorithmIdentifier): SignatureScheme {
  let hash: VerifyHash = 'SHA-1';
  let saltLength = 20;
  let mgfHash: VerifyHash = 'SHA-1';
  if (alg.params && alg.params.tag === TAG.SEQUENCE) {
    for (const item of children(alg.params, 'RSA-PSS parameters')) {
      const inner = children(item, 'RSA-PSS parameters')[0];
      if (!inner) continue;
      const t = item.tag & 0x1f;
      if (t === 0) {
        const h = HASH_OIDS[readOid(expectChildren(inner, TAG.SEQUENCE, 'RSA-PSS hash')[0]!, 'RSA-PSS hash')];
        if (!h) throw unsupported('RSA-PSS with an unknown hash');
        hash = h;
      } else if (t === 1) {
        const [, mgfParams] = expectChildren(inner, TAG.SEQUENCE, 'RSA-PSS MGF');
        const h =
          mgfParams && HASH_OIDS[readOid(expectChildren(mgfParams, TAG.SEQUENCE, 'MGF1')[0]!, 'MGF1')];
        if (!h) throw unsupported('RSA-PSS with an unknown MGF');
        mgfHash = h;
      } else if (t === 2) {
        saltLength = readSmallInt(inner, 'RSA-PSS salt length');
      } else if (t === 3 && readSmallInt(inner, 'RSA-PSS trailer') !== 1) {
        throw unsupported('RSA-PSS with a trailer field other than 1');
      }
    }
  }
  if (mgfHash !== hash) throw unsupported('RSA-PSS whose MGF1 hash differs from its hash');
  return { kind: 'rsa-pss', hash, saltLength };
}

/** A readable name of a signature algorithm, such as `sha256WithRSAEncryption` or `ecdsa-with-SHA384`. */
export function signatureAlgorithmName(alg: AlgorithmIdentifier): string {
  if (NAMES[alg.oid]) return NAMES[alg.oid]!;
  const s = BY_OID[alg.oid] ?? (alg.oid === KEY_OIDS.rsaPss ? { kind: 'rsa-pss', hash: 'SHA-?' } : undefined);
  if (!s) return alg.oid;
  const h = s.hash.replace('-', '').toLowerCase();
  if (s.kind === 'rsa-pkcs1') return `${h}WithRSAEncryption`;
  if (s.kind === 'rsa-pss') return 'RSASSA-PSS';
  if (s.kind === 'ecdsa') return `ecdsa-with-${s.hash.replace('-', '')}`;
  if (s.kind === 'ed25519') return 'Ed25519';
  return `dsa-with-${h}`;
}

/** Key algorithm and size of a public key: `{ algorithm: 'RSA', size: 2048 }`, `{ algorithm: 'EC', curve: 'P-256', size: 256 }`. */
export function describePublicKey(spki: SubjectPublicKeyInfo): {
  algorithm: string;
  size: number;
  curve?: string;
} {
  const oid = spki.algorithm.oid;
  if (oid === KEY_OIDS.rsa || oid === KEY_OIDS.rsaPss) {
    const [modulus] = expectChildren(readDer(spki.key, 'RSA public key'), TAG.SEQUENCE, 'RSA public key');
    let bytes = modulus!.value;
    while (bytes.length > 0 && bytes[0] === 0) bytes = bytes.subarray(1);
    const bits = bytes.length === 0 ? 0 : (bytes.length - 1) * 8 + (32 - Math.clz32(bytes[0]!));
    return { algorithm: oid === KEY_OIDS.rsa ? 'RSA' : 'RSA-PSS', size: bits };
  }
  if (oid === KEY_OIDS.ec) {
    const curveOid =
      spki.algorithm.params?.tag === TAG.OID ? readOid(spki.algorithm.params, 'EC parameters') : '';
    const curve = CURVE_OIDS[curveOid] ?? curveOid;
    const size = curve === 'P-256' ? 256 : curve === 'P-384' ? 384 : curve === 'P-521' ? 521 : 0;
    return { algorithm: 'EC', curve, size };
  }
  if (oid === KEY_OIDS.dsa) {
    const params = spki.algorithm.params;
    const p = params?.tag === TAG.SEQUENCE ? children(params, 'DSA parameters')[0] : undefined;
    return { algorithm: 'DSA', size: p ? (p.value.length - (p.value[0] === 0 ? 1 : 0)) * 8 : 0 };
  }
  if (oid === KEY_OIDS.ed25519) return { algorithm: 'Ed25519', size: 256 };
  return { algorithm: oid, size: 0 };
}
