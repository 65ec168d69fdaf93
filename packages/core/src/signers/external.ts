import {
  assertAlgorithmFitsCertificate,
  defaultSignatureAlgorithm,
  digestInfo,
  ecdsaComponentSize,
  ecdsaSignatureToDer,
  hashLength,
} from '../cms/algorithm-identifiers.js';
import { isKysoError, KysoError } from '../errors.js';
import { bufferSource } from '../lib/bytes.js';
import type { DigestInput, SignatureAlgorithm, Signer } from '../signer.js';
import { parseCertificateDer } from '../x509/certificate.js';

/**
 * A {@link Signer} over a caller's async function: a remote signing service (a CSC `signHash`
 * endpoint, an HSM behind an API, a signing plug-in on the user's machine) that signs a hash.
 * Browser-safe.
 */

/** What the caller's function is told besides the bytes to sign. */
export interface ExternalSignRequest {
  algorithm: SignatureAlgorithm;
  /** What `input` is: the bare hash or its DigestInfo. */
  digestInput: DigestInput;
}

/** Options of {@link createExternalSigner}. */
export interface ExternalSignerOptions {
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  /** The rest of the chain, DER (default none). */
  chain?: readonly Uint8Array[];
  /** The algorithm (default: RSA PKCS#1 v1.5 with SHA-256, or ECDSA with the curve's hash). */
  algorithm?: SignatureAlgorithm;
  /**
   * What the service takes (default `hash`): the bare hash, as CSC `signHash` does; or, for RSA
   * PKCS#1 v1.5 only, `digest-info`, as a service over PKCS#11 `CKM_RSA_PKCS` does.
   */
  digestInput?: DigestInput;
  /**
   * Signs `input` and resolves with the signature value: RSA bytes, or ECDSA as raw `r‖s` or DER
   * (both accepted). A rejection that is not a KysoError becomes `SIGNER_FAILED` with it as cause.
   */
  signDigest: (input: Uint8Array, request: ExternalSignRequest) => Promise<Uint8Array>;
}

/**
 * A Signer whose key is elsewhere. `sign(data)` hashes here and sends the hash (or DigestInfo);
 * `signDigest(input)` sends `input` as it is. Nothing here can tell whether the service's key
 * matches the certificate: verify the value before embedding it (`verifySignatureValue`, which
 * `signDetached` and PDF completion do). Throws `SIGNATURE_ALGORITHM_REFUSED` for SHA-1 or an
 * algorithm that does not fit the certificate's key.
 */
export function createExternalSigner(options: ExternalSignerOptions): Signer {
  const certificate = parseCertificateDer(options.certificate);
  const algorithm = options.algorithm ?? defaultSignatureAlgorithm(certificate);
  assertAlgorithmFitsCertificate(algorithm, certificate);
  const digestInput = options.digestInput ?? 'hash';
  if (digestInput === 'digest-info' && algorithm.name !== 'RSASSA-PKCS1-v1_5') {
    throw new KysoError(
      'INPUT_INVALID',
      `a DigestInfo is signed only with RSA PKCS#1 v1.5, not ${algorithm.name}`,
      {
        messageVi: `DigestInfo chỉ được ký theo RSA PKCS#1 v1.5, không phải ${algorithm.name}`,
      },
    );
  }
  const size = ecdsaComponentSize(certificate);
  const call = async (input: Uint8Array): Promise<Uint8Array> => {
    let value: Uint8Array;
    try {
      value = await options.signDigest(input, { algorithm, digestInput });
    } catch (error) {
      if (isKysoError(error)) throw error;
      throw new KysoError(
        'SIGNER_FAILED',
        `the signing service failed: ${error instanceof Error ? error.message : String(error)}`,
        {
          cause: error,
          messageVi: `dịch vụ ký số gặp lỗi: ${error instanceof Error ? error.message : String(error)}`,
        },
      );
    }
    return algorithm.name === 'ECDSA' && size ? ecdsaSignatureToDer(value, size) : value;
  };
  return {
    certificate: certificate.der,
    chain: [...(options.chain ?? [])],
    algorithm,
    digestInput,
    async sign(data) {
      const hash = new Uint8Array(await globalThis.crypto.subtle.digest(algorithm.hash, bufferSource(data)));
      return call(digestInput === 'digest-info' ? digestInfo(algorithm.hash, hash) : hash);
    },
    signDigest(input) {
      if (digestInput === 'hash' && input.length !== hashLength(algorithm.hash)) {
        return Promise.reject(
          new KysoError(
            'INPUT_INVALID',
            `a ${algorithm.hash} hash is ${hashLength(algorithm.hash)} bytes, not ${input.length}`,
            {
              messageVi: `giá trị băm ${algorithm.hash} dài ${hashLength(algorithm.hash)} byte, không phải ${input.length}`,
            },
          ),
        );
      }
      return call(input);
    },
  };
}
