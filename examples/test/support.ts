import { createNssSigner, minimalPdf, type TestPki } from '@kyso/testkit';

/**
 * Letters signed as a QLVB-ĐH system signs them (pdfsig: the official, then the organisation), an
 * official-only one, and a copy of the good one changed after signing.
 */
export async function signedLetters(pki: TestPki) {
  const nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
  try {
    // Copies, so that the bytes are a plain ArrayBuffer's (what fetch and Blob take).
    const personalOnly = new Uint8Array(await nss.sign(minimalPdf(), pki.leaves.personal, 'ChuKyLanhDao'));
    const good = new Uint8Array(await nss.sign(personalOnly, pki.leaves.organisation, 'ChuKyCoQuan'));
    const tampered = new Uint8Array(good);
    // "CONG VAN SO 123" → "CONG VAN SO 923": a byte both signatures cover.
    tampered[Buffer.from(tampered).indexOf('CONG VAN SO 123') + 12] = 0x39;
    return { good, personalOnly, tampered };
  } finally {
    nss.cleanup();
  }
}
