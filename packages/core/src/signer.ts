/**
 * The `Signer` contract: the same for a software key, a PKCS#11 token or a remote signing service.
 * PDF and CMS signing only ever see a Signer.
 */

/** A signature algorithm a {@link Signer} produces. */
export type SignatureAlgorithm =
  | { name: 'RSASSA-PKCS1-v1_5'; hash: HashName }
  | { name: 'RSA-PSS'; hash: HashName; saltLength: number }
  | { name: 'ECDSA'; hash: HashName };

/** Hash functions kyso signs with. SHA-1 is not one of them: signing with it is refused. */
export type HashName = 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * What {@link Signer.signDigest} takes:
 * - `hash`: the bare hash of the message (CSC `signHash`, PKCS#11 `CKM_ECDSA`, `CKM_RSA_PKCS_PSS`);
 * - `digest-info`: the DER `DigestInfo` around the hash (PKCS#11 `CKM_RSA_PKCS`, RSA PKCS#1 v1.5
 *   only; build it with `digestInfo()`).
 */
export type DigestInput = 'hash' | 'digest-info';

/** Something that can sign: it holds (or reaches) a private key and knows its certificate. */
export interface Signer {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** The rest of the chain, DER, from the issuer upwards (the trust anchor may be left out). */
  readonly chain: readonly Uint8Array[];
  /** The algorithm `sign` uses. */
  readonly algorithm: SignatureAlgorithm;
  /**
   * Signs `data` (the whole message; the signer hashes it) and returns the signature value:
   * PKCS#1 v1.5 or PSS bytes for RSA, a DER `Ecdsa-Sig-Value` for ECDSA.
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
  /**
   * What {@link Signer.signDigest} takes. Present exactly when `signDigest` is: a signer that can
   * only sign whole messages (a software ECDSA key: node:crypto and WebCrypto hash inside) has neither.
   */
  readonly digestInput?: DigestInput;
  /**
   * The digest-level form, for flows that only have the hash (two-step and remote signing): signs
   * `input`, which is the hash of the message or its `DigestInfo` as {@link Signer.digestInput}
   * says, and returns the same kind of value as {@link Signer.sign}.
   */
  signDigest?(input: Uint8Array): Promise<Uint8Array>;
}
