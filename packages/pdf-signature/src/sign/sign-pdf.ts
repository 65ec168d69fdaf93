import type { Signer } from '@kyso/core';
import { completeWithContent, type LevelOptions, levelFor, type SignPdfResult } from './complete.js';
import { assertNoPendingPreparation, withDocumentLock } from './lock.js';
import { type PdfSignatureOptions, prepareUnlocked, signerCheckFor, signingAlgorithm } from './prepare.js';
import { sha256, toHex } from './state.js';

/**
 * Signing in one call: prepare, have the {@link Signer} sign the DER signed attributes, complete
 * (every check of the two-step flow still runs: the value is verified before it is embedded),
 * then kyso's own verification of the result.
 */

/** Options of {@link signPdf}. */
export interface SignPdfOptions extends PdfSignatureOptions, LevelOptions {
  /** Who signs: a software key, a PKCS#11 token (`TokenSigner`), a remote service. Its algorithm is used. */
  signer: Signer;
  /** The chain carried in the CMS (default: the signer's). */
  chain?: readonly Uint8Array[];
}

/**
 * Signs `pdf` by an incremental update, at the level asked for (default B-T with a TSA, else B-B
 * with a warning). The signer's certificate and path are validated first (Nghị định 68/2024/NĐ-CP
 * Điều 29 khoản 1–2) and its revocation re-checked after it signs.
 *
 * @throws what `preparePdfSignature` and `completePdfSignature` throw, and the signer's own errors
 * (a token pulled out: `TOKEN_*`); nothing is returned half-done.
 * @example
 * ```ts
 * import { createPkcs12Signer } from '@kyso/core/node';
 * import { signPdf } from '@kyso/pdf-signature';
 * const { bytes, level, verification } = await signPdf(pdf, {
 *   signer: createPkcs12Signer(readFileSync('khoa.p12'), password),
 *   validation: { trustAnchors: trustProfile('vn-gov') },
 *   timestamp: { url: tsaUrl, transport },
 * });
 * ```
 */
export async function signPdf(pdf: Uint8Array, options: SignPdfOptions): Promise<SignPdfResult> {
  const { signer } = options;
  levelFor(options);
  const algorithm = signingAlgorithm(signer.certificate, signer.algorithm);
  const chain = options.chain ?? signer.chain;
  const signerCheck = await signerCheckFor(signer.certificate, chain, options);
  const base = toHex(await sha256(pdf));
  const prepared = await withDocumentLock(base, async () => {
    assertNoPendingPreparation(base, Date.now());
    return prepareUnlocked(
      pdf,
      base,
      { ...options, certificate: signer.certificate, chain },
      algorithm,
      signerCheck,
    );
  });
  const value = await signer.sign(prepared.toBeSigned.signedAttributes);
  return completeWithContent(prepared.preparedBytes, prepared.content, value, {
    ...options,
    certificate: signer.certificate,
    chain,
  });
}
