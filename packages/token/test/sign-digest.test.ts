import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  assembleSignedData,
  buildSignedAttributes,
  type HashName,
  parseSignedData,
  type SignatureAlgorithm,
  signDetached,
  verifySignatureValue,
  verifySignerInfo,
} from '@kyso/core';
import { opensslCmsVerify, run } from '@kyso/testkit';
import { describe, expect, it } from 'vitest';
import type { TokenSigner } from '../src/node.js';
import { useSoftHsm } from './support/softhsm.js';

const content = new TextEncoder().encode('Tờ trình số 7/TTr-SKHCN, ký trên SoftHSM2');
const hsm = useSoftHsm({
  async prepare(pki, token) {
    // A certificate that is not the key's, stored under the RSA key's CKA_ID (a mis-provisioned token).
    const wrong = join(pki.dir, 'wrong-cert.der');
    writeFileSync(wrong, pki.leaves.personal.der);
    await run(
      'pkcs11-tool',
      [
        '--module',
        token.modulePath,
        '--token-label',
        token.label,
        '--login',
        '--pin',
        token.userPin,
        '--write-object',
        wrong,
        '--type',
        'cert',
        '--id',
        '01',
        '--label',
        'impostor',
      ],
      { env: { ...process.env, ...token.env } },
    );
  },
});
const pin = () => hsm.token.userPin;
const digest = (hash: HashName = 'SHA-256') =>
  new Uint8Array(createHash(hash.replace('-', '').toLowerCase()).update(content).digest());

// The token holds no chain, and openssl cms takes no untrusted certificates: both CAs trusted.
const opensslVerifies = (cms: Uint8Array) =>
  opensslCmsVerify(
    cms,
    content,
    hsm.pki.writeBundle('cas.pem', [hsm.pki.root.certificate, hsm.pki.subCa.certificate]),
  );

async function kysoAccepts(cms: Uint8Array): Promise<void> {
  const sd = parseSignedData(cms);
  const signer = sd.signers[0]!;
  expect(sd.signers).toHaveLength(1);
  expect(signer.signedAttributesInDerOrder).toBe(true);
  expect(signer.signingTime).toBeUndefined();
  const v = await verifySignerInfo(sd, signer, digest());
  expect(v).toMatchObject({ digestMatches: true, signatureValid: true, signingCertificateBinding: 'ok' });
}

/** Two steps as a remote flow runs them: attributes, then only the hash (or DigestInfo) to the hsm.token. */
async function twoStep(signer: TokenSigner): Promise<Uint8Array> {
  const attrs = await buildSignedAttributes({
    messageDigest: digest(),
    signerCertificate: signer.certificate,
  });
  const value = await signer.signDigest(signer.digestInput === 'hash' ? attrs.digest : attrs.digestInfo);
  const checked = await verifySignatureValue({
    signedAttributes: attrs.der,
    signatureValue: value,
    algorithm: signer.algorithm,
    certificate: signer.certificate,
  });
  return assembleSignedData({
    signedAttributes: attrs.der,
    signatureValue: checked,
    algorithm: signer.algorithm,
    certificate: signer.certificate,
    chain: [hsm.pki.subCa.certificate.der],
  });
}

const cases: [string, string, SignatureAlgorithm | undefined, 'hash' | 'digest-info'][] = [
  ['RSA PKCS#1 v1.5 (CKM_RSA_PKCS over a DigestInfo)', '01', undefined, 'digest-info'],
  [
    'RSA-PSS (CKM_RSA_PKCS_PSS over the hash)',
    '01',
    { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 },
    'hash',
  ],
  ['ECDSA P-256 (CKM_ECDSA over the hash)', '02', undefined, 'hash'],
];

describe('TokenSigner in a detached SignedData, judged by openssl cms -verify and kyso', () => {
  for (const [name, id, algorithm, digestInput] of cases) {
    it(`signs whole messages and digests with ${name}`, async () => {
      const signer = await hsm.tokens.signer({
        pin,
        key: { id, ...(id === '01' ? { label: 'rsa-2048' } : {}) },
        ...(algorithm ? { algorithm } : {}),
      });
      expect(signer.digestInput).toBe(digestInput);
      const oneStep = await signDetached({ messageDigest: digest(), signer });
      expect(await opensslVerifies(oneStep)).toContain('Verification successful');
      await kysoAccepts(oneStep);
      const twoSteps = await twoStep(signer);
      expect(await opensslVerifies(twoSteps)).toContain('Verification successful');
      await kysoAccepts(twoSteps);
      await signer.close();
    });
  }

  it('refuses a digest of the wrong form before it reaches the token', async () => {
    const signer = await hsm.tokens.signer({ pin, key: { id: '01', label: 'rsa-2048' } });
    // A bare hash where CKM_RSA_PKCS needs a DigestInfo would sign garbage that verifies nowhere.
    await expect(signer.signDigest(digest())).rejects.toMatchObject({ code: 'TOKEN_DIGEST_INVALID' });
    await signer.close();
  });

  it('refuses a key whose certificate on the token is not its own (TOKEN_KEY_MISMATCH)', async () => {
    const signer = await hsm.tokens.signer({ pin, key: { label: 'impostor' } });
    await expect(signer.sign(content)).rejects.toMatchObject({ code: 'TOKEN_KEY_MISMATCH' });
    await signer.close();
  });

  it('refuses SHA-1 with SIGNATURE_ALGORITHM_REFUSED', async () => {
    await expect(
      hsm.tokens.signer({
        pin,
        key: { id: '01', label: 'rsa-2048' },
        algorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' as HashName },
      }),
    ).rejects.toMatchObject({ code: 'SIGNATURE_ALGORITHM_REFUSED' });
  });
});
