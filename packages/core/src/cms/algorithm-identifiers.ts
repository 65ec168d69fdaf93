import { CURVE_OIDS, KEY_OIDS } from '../crypto/algorithms.js';
import { KysoError } from '../errors.js';
import { toHex } from '../lib/bytes.js';
import { children, readDer, readOid, TAG } from '../lib/der.js';
import { explicit, nul, octets, oid, seq, smallInteger, unsignedInteger } from '../lib/der-write.js';
import type { HashName, SignatureAlgorithm } from '../signer.js';
import { type AlgorithmIdentifier, type Certificate, parseAlgorithmIdentifier } from '../x509/certificate.js';

/**
 * The algorithm identifiers kyso writes into CMS, exactly (pades-notes H4): SHA-2 digest
 * algorithms with parameters absent (RFC 5754 §2); RSA PKCS#1 v1.5 as sha256/384/512WithRSAEncryption
 * with NULL parameters (RFC 5754 §3.2, as pyHanko writes it); RSASSA-PSS with explicit parameters
 * (RFC 4056 §3, RFC 8017 A.2.3: the defaults are SHA-1, so omitted parameters would describe
 * another signature); ecdsa-with-SHA256/384/512 with parameters absent (RFC 5758 §3.2), the value a
 * DER Ecdsa-Sig-Value (RFC 5753 §7.2).
 */

/** Hash algorithm OIDs by name. */
export const HASH_OID: Record<HashName, string> = {
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};

const RSA_WITH: Record<HashName, string> = {
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const ECDSA_WITH: Record<HashName, string> = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};
const HASH_LENGTH: Record<HashName, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
const CURVE_HASH: Record<string, HashName> = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' };
const CURVE_SIZE: Record<string, number> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 };
const OID_MGF1 = '1.2.840.113549.1.1.8';

/** The length in bytes of a `hash` value. */
export function hashLength(hash: HashName): number {
  return HASH_LENGTH[hash];
}

function refused(message: string, messageVi: string): KysoError {
  return new KysoError('SIGNATURE_ALGORITHM_REFUSED', message, { messageVi });
}

/**
 * Throws `SIGNATURE_ALGORITHM_REFUSED` unless `hash` is SHA-256, SHA-384 or SHA-512. SHA-1 (the VNPT
 * plug-in's default) is refused by name: collisions for it are practical.
 */
export function assertSigningHash(hash: string): asserts hash is HashName {
  if (hash in HASH_LENGTH) return;
  const sha1 = /^sha-?1$/i.test(hash);
  throw refused(
    sha1
      ? 'SHA-1 is refused for signing: collisions are practical (use SHA-256)'
      : `the hash ${hash} is not one kyso signs with (SHA-256, SHA-384, SHA-512)`,
    sha1
      ? 'không ký bằng SHA-1: đã tạo được va chạm trên thực tế (hãy dùng SHA-256)'
      : `kyso không ký bằng hàm băm ${hash} (chỉ SHA-256, SHA-384, SHA-512)`,
  );
}

/** `AlgorithmIdentifier { id-sha256 | id-sha384 | id-sha512 }`, parameters absent. */
export function digestAlgorithmIdentifier(hash: HashName): Uint8Array {
  return seq(oid(HASH_OID[hash]));
}

/** The DER AlgorithmIdentifier of a signature algorithm, as kyso writes it into a SignerInfo. */
export function signatureAlgorithmIdentifier(algorithm: SignatureAlgorithm): Uint8Array {
  assertSigningHash(algorithm.hash);
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') return seq(oid(RSA_WITH[algorithm.hash]), nul());
  if (algorithm.name === 'ECDSA') return seq(oid(ECDSA_WITH[algorithm.hash]));
  const hashId = digestAlgorithmIdentifier(algorithm.hash);
  // RSASSA-PSS-params: every field explicit but the trailer (its default, 1, is the only value).
  return seq(
    oid(KEY_OIDS.rsaPss),
    seq(
      explicit(0, hashId),
      explicit(1, seq(oid(OID_MGF1), hashId)),
      explicit(2, smallInteger(algorithm.saltLength)),
    ),
  );
}

/** {@link signatureAlgorithmIdentifier}, parsed for `verifySignature`. */
export function parsedSignatureAlgorithm(algorithm: SignatureAlgorithm): AlgorithmIdentifier {
  const der = signatureAlgorithmIdentifier(algorithm);
  return parseAlgorithmIdentifier(readDer(der, 'signature algorithm'), 'signature algorithm');
}

/** DER `DigestInfo { digestAlgorithm (NULL parameters, RFC 8017 §9.2 note 1), digest }`. */
export function digestInfo(hash: HashName, digest: Uint8Array): Uint8Array {
  if (digest.length !== HASH_LENGTH[hash]) {
    throw new KysoError(
      'INPUT_INVALID',
      `a ${hash} digest is ${HASH_LENGTH[hash]} bytes, not ${digest.length}`,
      {
        messageVi: `giá trị băm ${hash} dài ${HASH_LENGTH[hash]} byte, không phải ${digest.length}`,
      },
    );
  }
  return seq(seq(oid(HASH_OID[hash]), nul()), octets(digest));
}

/** The curve of an EC certificate's key (`P-256`, …), or `undefined` for other keys. */
function curveOf(certificate: Certificate): string | undefined {
  const spki = certificate.publicKey;
  if (spki.algorithm.oid !== KEY_OIDS.ec) return undefined;
  const curveOid =
    spki.algorithm.params?.tag === TAG.OID ? readOid(spki.algorithm.params, 'EC parameters') : '';
  return CURVE_OIDS[curveOid] ?? curveOid;
}

/**
 * Checks that `algorithm` can sign with the key of `certificate`, and refuses what kyso does not
 * sign with (`SIGNATURE_ALGORITHM_REFUSED`): SHA-1; an RSA algorithm on an EC key or the reverse;
 * ECDSA whose hash is not the curve's (P-256 with SHA-256, P-384 with SHA-384, P-521 with SHA-512);
 * PSS whose salt length differs from the hash length; a PSS-only key (id-RSASSA-PSS SPKI) whose
 * parameters are not the ones the algorithm writes.
 */
export function assertAlgorithmFitsCertificate(
  algorithm: SignatureAlgorithm,
  certificate: Certificate,
): void {
  assertSigningHash(algorithm.hash);
  const keyOid = certificate.publicKey.algorithm.oid;
  const curve = curveOf(certificate);
  if (algorithm.name === 'ECDSA') {
    if (!curve)
      throw refused(
        'ECDSA needs an EC key; the certificate has another',
        'ECDSA cần khóa EC; chứng thư số mang khóa loại khác',
      );
    const expected = CURVE_HASH[curve];
    if (!expected)
      throw refused(
        `the elliptic curve ${curve} is not one kyso signs on`,
        `kyso không ký trên đường cong ${curve}`,
      );
    if (expected !== algorithm.hash) {
      throw refused(
        `ECDSA on ${curve} is paired with ${expected}, not ${algorithm.hash}`,
        `ECDSA trên ${curve} đi với ${expected}, không phải ${algorithm.hash}`,
      );
    }
    return;
  }
  if (keyOid !== KEY_OIDS.rsa && keyOid !== KEY_OIDS.rsaPss) {
    throw refused(
      `${algorithm.name} needs an RSA key; the certificate has another`,
      `${algorithm.name} cần khóa RSA; chứng thư số mang khóa loại khác`,
    );
  }
  if (algorithm.name === 'RSASSA-PKCS1-v1_5') {
    if (keyOid === KEY_OIDS.rsaPss)
      throw refused(
        'the certificate restricts its key to RSA-PSS',
        'chứng thư số chỉ cho phép khóa ký theo RSA-PSS',
      );
    return;
  }
  if (algorithm.saltLength !== HASH_LENGTH[algorithm.hash]) {
    throw refused(
      `RSA-PSS with ${algorithm.hash} uses a salt of ${HASH_LENGTH[algorithm.hash]} bytes, not ${algorithm.saltLength}`,
      `RSA-PSS với ${algorithm.hash} dùng muối dài ${HASH_LENGTH[algorithm.hash]} byte, không phải ${algorithm.saltLength}`,
    );
  }
  const keyParams = certificate.publicKey.algorithm.params;
  if (keyOid === KEY_OIDS.rsaPss && keyParams && keyParams.tag === TAG.SEQUENCE) {
    const ours = parsedSignatureAlgorithm(algorithm).params;
    if (!ours || toHex(ours.raw) !== toHex(keyParams.raw)) {
      throw refused(
        'the certificate restricts its key to other RSA-PSS parameters',
        'chứng thư số giới hạn khóa theo tham số RSA-PSS khác',
      );
    }
  }
}

/** The byte size of r and s for the curve of `certificate`'s key, or `undefined` for other keys. */
export function ecdsaComponentSize(certificate: Certificate): number | undefined {
  const curve = curveOf(certificate);
  return curve ? CURVE_SIZE[curve] : undefined;
}

/**
 * An ECDSA signature as a DER `Ecdsa-Sig-Value` (RFC 5753 §7.2): raw `r‖s` of `2 × size` bytes,
 * as PKCS#11 `CKM_ECDSA` and WebCrypto return it, is converted with minimal INTEGERs; a value that
 * already is a DER SEQUENCE of two INTEGERs is returned as it is.
 */
export function ecdsaSignatureToDer(signature: Uint8Array, size: number): Uint8Array {
  if (signature.length === 2 * size && !isDerSignature(signature)) {
    return seq(unsignedInteger(signature.subarray(0, size)), unsignedInteger(signature.subarray(size)));
  }
  if (isDerSignature(signature)) return signature;
  throw new KysoError(
    'SIGNER_FAILED',
    `an ECDSA signature of ${signature.length} bytes is neither raw r‖s nor DER`,
    {
      messageVi: `chữ ký ECDSA dài ${signature.length} byte không ở dạng r‖s thô cũng không ở dạng DER`,
    },
  );
}

function isDerSignature(bytes: Uint8Array): boolean {
  try {
    const root = readDer(bytes, 'ECDSA signature');
    if (root.tag !== TAG.SEQUENCE) return false;
    const parts = children(root, 'ECDSA signature');
    return parts.length === 2 && parts.every((p) => p.tag === TAG.INTEGER);
  } catch {
    return false;
  }
}

/**
 * The algorithm kyso signs with by default for a certificate's key: RSA PKCS#1 v1.5 with SHA-256
 * (what the national tokens and verifiers use), ECDSA with the curve's hash (P-256 with SHA-256,
 * P-384 with SHA-384, P-521 with SHA-512). RSA-PSS is opt-in.
 */
export function defaultSignatureAlgorithm(certificate: Certificate): SignatureAlgorithm {
  const curve = curveOf(certificate);
  if (curve) {
    const hash = CURVE_HASH[curve];
    if (!hash)
      throw refused(
        `the elliptic curve ${curve} is not one kyso signs on`,
        `kyso không ký trên đường cong ${curve}`,
      );
    return { name: 'ECDSA', hash };
  }
  return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}
