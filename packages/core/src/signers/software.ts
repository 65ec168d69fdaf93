import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  privateEncrypt,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import {
  assertAlgorithmFitsCertificate,
  defaultSignatureAlgorithm,
  hashLength,
} from '../cms/algorithm-identifiers.js';
import { KysoError } from '../errors.js';
import { readPkcs12 } from '../keys/pkcs12.js';
import { bytesEqual, type DerInput } from '../lib/bytes.js';
import type { DigestInput, HashName, SignatureAlgorithm, Signer } from '../signer.js';
import { type Certificate, parseCertificate, parseCertificates } from '../x509/certificate.js';

/**
 * A {@link Signer} on a private key held in memory (a PKCS#8 file, or a PKCS#12 file read with
 * `readPkcs12`). Node only (`@kyso/core/node`): node:crypto signs; the digest-level form of RSA
 * needs the raw RSA operation, which WebCrypto does not offer.
 */

/** Options of {@link createSoftwareSigner}. */
export interface SoftwareSignerOptions {
  /** The private key: PKCS#8 PEM (`PRIVATE KEY`, or `ENCRYPTED PRIVATE KEY` with `passphrase`) or DER; traditional `RSA PRIVATE KEY` / `EC PRIVATE KEY` PEM also. */
  privateKey: DerInput;
  /** The passphrase of an encrypted PEM key (default none). */
  passphrase?: string;
  /** The signer's certificate: DER, PEM, or a PEM bundle whose first certificate is the signer's. */
  certificate: DerInput;
  /** The rest of the chain (default: the other certificates of a `certificate` bundle). */
  chain?: readonly DerInput[];
  /** The algorithm (default: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with the curve's hash). */
  algorithm?: SignatureAlgorithm;
}

const NODE_HASH: Record<HashName, string> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function keyError(cause: unknown): KysoError {
  return new KysoError(
    'KEY_MALFORMED',
    `the private key cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`,
    {
      cause,
      messageVi: `không đọc được khóa bí mật: ${cause instanceof Error ? cause.message : String(cause)}`,
    },
  );
}

function loadKey(input: DerInput, passphrase?: string): KeyObject {
  try {
    if (typeof input === 'string' || (input instanceof Uint8Array && input[0] !== 0x30)) {
      const pem = typeof input === 'string' ? input : new TextDecoder().decode(input);
      return createPrivateKey({
        key: pem,
        format: 'pem',
        ...(passphrase !== undefined ? { passphrase } : {}),
      });
    }
    const der = Buffer.from(input instanceof Uint8Array ? input : new Uint8Array(input));
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw keyError(cause);
  }
}

function mismatch(): KysoError {
  return new KysoError('SIGNER_KEY_MISMATCH', 'the private key does not belong to the certificate', {
    messageVi: 'khóa bí mật không thuộc về chứng thư số',
  });
}

/**
 * A Signer on an in-memory private key. Checks that the key is the certificate's (public keys
 * compared, else a probe signature verified): `SIGNER_KEY_MISMATCH` if not; `KEY_MALFORMED` for an
 * unreadable key; `SIGNATURE_ALGORITHM_REFUSED` for SHA-1 or an algorithm that does not fit.
 * Its digest-level form: RSA PKCS#1 v1.5 takes a DigestInfo, RSA-PSS the bare hash; an ECDSA
 * software key has none (node:crypto hashes inside), so `signDigest` is absent for it.
 */
export function createSoftwareSigner(options: SoftwareSignerOptions): Signer {
  const key = loadKey(options.privateKey, options.passphrase);
  const certs = parseCertificates(options.certificate);
  // parseCertificate throws CERT_MALFORMED when there is none.
  const certificate = certs[0] ?? parseCertificate(options.certificate);
  const chain = options.chain
    ? options.chain.flatMap((c) => parseCertificates(c).map((x) => x.der))
    : certs.slice(1).map((c) => c.der);
  const algorithm = options.algorithm ?? defaultSignatureAlgorithm(certificate);
  assertAlgorithmFitsCertificate(algorithm, certificate);
  assertKeyMatches(key, certificate, algorithm);
  const signData = (data: Uint8Array): Uint8Array => {
    const h = NODE_HASH[algorithm.hash];
    if (algorithm.name === 'ECDSA') return new Uint8Array(sign(h, data, { key, dsaEncoding: 'der' }));
    if (algorithm.name === 'RSA-PSS') {
      return new Uint8Array(
        sign(h, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength }),
      );
    }
    return new Uint8Array(sign(h, data, key));
  };
  const base = {
    certificate: certificate.der,
    chain,
    algorithm,
    sign: async (data: Uint8Array) => signData(data),
  };
  if (algorithm.name === 'ECDSA') return base;
  const digestInput: DigestInput = algorithm.name === 'RSA-PSS' ? 'hash' : 'digest-info';
  return {
    ...base,
    digestInput,
    async signDigest(input: Uint8Array) {
      if (algorithm.name === 'RSA-PSS') {
        if (input.length !== hashLength(algorithm.hash)) throw lengthError(algorithm.hash, input.length);
        const modulusBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
        const em = emsaPssEncode(input, algorithm.hash, algorithm.saltLength, modulusBits);
        return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, em));
      }
      // EMSA-PKCS1-v1_5 over the DigestInfo: the RSA private operation with block type 1 padding.
      return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, input));
    },
  };
}

function lengthError(hash: HashName, length: number): KysoError {
  return new KysoError('INPUT_INVALID', `a ${hash} hash is ${hashLength(hash)} bytes, not ${length}`, {
    messageVi: `giá trị băm ${hash} dài ${hashLength(hash)} byte, không phải ${length}`,
  });
}

function assertKeyMatches(key: KeyObject, certificate: Certificate, algorithm: SignatureAlgorithm): void {
  let spki: Uint8Array;
  try {
    spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  } catch (cause) {
    throw keyError(cause);
  }
  if (bytesEqual(spki, certificate.publicKey.der)) return;
  // Same key, other encoding (a compressed EC point, RSA-PSS SPKI): a probe signature decides.
  const probe = new TextEncoder().encode('kyso: does this key belong to this certificate?');
  const h = NODE_HASH[algorithm.hash];
  try {
    const certKey = createPublicKey({
      key: Buffer.from(certificate.publicKey.der),
      format: 'der',
      type: 'spki',
    });
    const ok =
      algorithm.name === 'RSA-PSS'
        ? verify(
            h,
            probe,
            { key: certKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.saltLength },
            sign(h, probe, {
              key,
              padding: constants.RSA_PKCS1_PSS_PADDING,
              saltLength: algorithm.saltLength,
            }),
          )
        : verify(h, probe, certKey, sign(h, probe, key));
    if (ok) return;
  } catch {
    // a key of another type than the certificate's cannot sign for it
  }
  throw mismatch();
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of an already computed hash, MGF1 with the same hash. */
function emsaPssEncode(
  mHash: Uint8Array,
  hash: HashName,
  saltLength: number,
  modulusBits: number,
): Uint8Array {
  const h = NODE_HASH[hash];
  const hLen = mHash.length;
  const emBits = modulusBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (emLen < hLen + saltLength + 2) throw lengthError(hash, mHash.length);
  const salt = randomBytes(saltLength);
  const mPrime = Buffer.concat([Buffer.alloc(8), mHash, salt]);
  const H = createHash(h).update(mPrime).digest();
  const db = Buffer.alloc(emLen - hLen - 1);
  db[emLen - saltLength - hLen - 2] = 0x01;
  salt.copy(db, emLen - saltLength - hLen - 1);
  // MGF1(H, len): concatenated Hash(H ‖ counter).
  const mask = Buffer.alloc(db.length);
  for (let counter = 0, pos = 0; pos < mask.length; counter += 1) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(h).update(H).update(c).digest();
    block.copy(mask, pos, 0, Math.min(block.length, mask.length - pos));
    pos += block.length;
  }
  for (let i = 0; i < db.length; i += 1) db[i] = db[i]! ^ mask[i]!;
  db[0] = db[0]! & (0xff >> (8 * emLen - emBits));
  const em = Buffer.concat([db, H, Buffer.from([0xbc])]);
  // The raw RSA operation takes a block as long as the modulus.
  const k = Math.ceil(modulusBits / 8);
  return k > emLen ? Buffer.concat([Buffer.alloc(k - emLen), em]) : em;
}

/** Options of {@link createPkcs12Signer}. */
export interface Pkcs12SignerOptions {
  /** The algorithm (default: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with the curve's hash). */
  algorithm?: SignatureAlgorithm;
  /** The chain to carry (default: the file's other certificates). */
  chain?: readonly DerInput[];
}

/**
 * A Signer on the key of a PKCS#12 file (`.p12`, `.pfx`) opened with `password`: its certificate
 * is the one the file pairs with the key (localKeyId), else the one whose public key is the key's.
 * Throws `PKCS12_PASSWORD_INCORRECT`, `PKCS12_MALFORMED`, `PKCS12_UNSUPPORTED`,
 * `SIGNER_KEY_MISMATCH` (no certificate in the file belongs to the key) and what
 * {@link createSoftwareSigner} throws.
 */
export function createPkcs12Signer(
  p12: Uint8Array,
  password: string,
  options: Pkcs12SignerOptions = {},
): Signer {
  const contents = readPkcs12(p12, password);
  const key = loadKey(contents.privateKey);
  let spki: Uint8Array;
  try {
    spki = new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' }));
  } catch (cause) {
    throw keyError(cause);
  }
  const parsed = contents.certificates.map((der) => parseCertificate(der));
  const own = contents.keyCertificates[0] ?? parsed.find((c) => bytesEqual(c.publicKey.der, spki))?.der;
  if (!own) throw mismatch();
  const chain = options.chain ?? contents.certificates.filter((c) => !bytesEqual(c, own));
  return createSoftwareSigner({
    privateKey: contents.privateKey,
    certificate: own,
    chain,
    ...(options.algorithm ? { algorithm: options.algorithm } : {}),
  });
}
