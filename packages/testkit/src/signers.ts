import { readFileSync } from 'node:fs';
import type { IssuedCertificate, TestPki } from './pki.js';

/**
 * Keys of the test PKI in the form kyso's signers take them. testkit does not depend on kyso's
 * packages (they depend on it, for their tests), so it hands over the key material and the test
 * makes the signer: `createSoftwareSigner(softwareKey(pki, pki.leaves.personal))`.
 */

/** A leaf's key material, as `createSoftwareSigner` of `@kyso/core/node` takes it. */
export interface SoftwareKey {
  /** The leaf's private key file (PKCS#8 PEM), as read. */
  privateKey: Uint8Array;
  /** The leaf's certificate (DER). */
  certificate: Uint8Array;
  /** The rest of its chain: the subordinate CA that issued it (DER). */
  chain: Uint8Array[];
}

/** The key, certificate and chain (the sub-CA) of `leaf`, a certificate `pki.subCa` issued. */
export function softwareKey(pki: TestPki, leaf: IssuedCertificate): SoftwareKey {
  return {
    privateKey: readFileSync(leaf.keyPath),
    certificate: leaf.der,
    chain: [pki.subCa.certificate.der],
  };
}
