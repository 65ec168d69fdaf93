/**
 * The `Signer` contract: the same for a software key, a PKCS#11 token or a remote signing service.
 * PDF and CMS signing only ever see a Signer.
 */

/** A signature algorithm a {@link Signer} produces. */
export type SignatureAlgorithm =
  | { name: 'RSASSA-PKCS1-v1_5'; hash: HashName }
  | { name: 'RSA-PSS'; hash: HashName; saltLength: number }
  | { name: 'ECDSA'; hash: HashName };

/** Hash functions kyso signs with. */
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Something that can sign: it holds (or reaches) a private key and knows its certificate. */
export interface Signer {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** The rest of the chain, DER, from the issuer upwards (the trust anchor may be left out). */
  readonly chain: readonly Uint8Array[];
  /** The algorithm {@link Signer.sign} uses. */
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `data` (the whole message; the signer hashes it) and returns the signature value:
   * PKCS#1 v1.5 or PSS bytes for RSA, a DER `Ecdsa-Sig-Value` for ECDSA.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}
