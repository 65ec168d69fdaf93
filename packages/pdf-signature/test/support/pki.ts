import { type Certificate, type Crl, parseCertificate, parseCrlDer, type Signer } from '@kyso/core';
import { createSoftwareSigner } from '@kyso/core/node';
import {
  createNssSigner,
  createTestPki,
  type IssuedCertificate,
  minimalPdf,
  type NssSigner,
  pdfsigVerdicts,
  signWithOpensslCms,
  softwareKey,
  type TestPki,
} from '@kyso/testkit';
import { afterAll, beforeAll } from 'vitest';
import type { SignerValidationOptions } from '../../src/index.js';

/**
 * The test PKI most end-to-end tests of this package start from, with what kyso and poppler's
 * pdfsig are given to trust it. Set up before the file's tests, removed after them.
 */
export interface PdfTestPki {
  /** The test PKI ({@link createTestPki}). */
  readonly pki: TestPki;
  /** pdfsig's NSS database: the PKI's root trusted, and the keys of the signers asked for. */
  readonly nss: NssSigner;
  /** The PKI's root, parsed. */
  readonly root: Certificate;
  /** The root's and the sub-CA's CRLs, parsed. */
  readonly crls: Crl[];
  /** The root, both CRLs, revocation `hard-fail`: how signPdf checks its signer. */
  readonly validation: SignerValidationOptions;
  /** A software signer on `leaf`'s key, with the sub-CA as its chain. */
  signer(leaf: IssuedCertificate): Signer;
  /** pdfsig's verdict on each signature of `input` (a path or bytes), with the root trusted; `password` opens an encrypted file. */
  pdfsig(input: string | Uint8Array, password?: string): Promise<string[]>;
}

/**
 * Registers the `beforeAll` that makes a {@link PdfTestPki} (an NSS database holding the keys of
 * the leaves `nssSigners` names; none by default) and the `afterAll` that removes it. Its fields
 * are there once the file's tests run.
 */
export function useTestPki(nssSigners: (pki: TestPki) => IssuedCertificate[] = () => []): PdfTestPki {
  let made: Omit<PdfTestPki, 'signer' | 'pdfsig'> | undefined;
  const get = () => {
    if (!made) throw new Error('useTestPki: the test PKI is made in beforeAll; read it inside a test');
    return made;
  };
  beforeAll(async () => {
    const pki = await createTestPki();
    try {
      const nss = await createNssSigner(pki, nssSigners(pki));
      const root = parseCertificate(pki.root.certificate.pem);
      const crls = [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)];
      made = { pki, nss, root, crls, validation: { trustAnchors: [root], crls, revocation: 'hard-fail' } };
    } catch (error) {
      pki.cleanup();
      throw error;
    }
  }, 120_000);
  afterAll(() => {
    made?.nss.cleanup();
    made?.pki.cleanup();
  });
  return {
    get pki() {
      return get().pki;
    },
    get nss() {
      return get().nss;
    },
    get root() {
      return get().root;
    },
    get crls() {
      return get().crls;
    },
    get validation() {
      return get().validation;
    },
    signer: (leaf) => createSoftwareSigner(softwareKey(get().pki, leaf)),
    pdfsig: (input, password) => pdfsigVerdicts(input, { nss: get().nss, password }),
  };
}

/**
 * testkit's one-line letter signed by `openssl cms` as `leaf`, with the sub-CA as its chain, in a
 * new field `field`: {@link signWithOpensslCms} as this package's tests mostly call it.
 */
export function opensslSignedLetter(
  pki: TestPki,
  leaf: IssuedCertificate,
  field: string,
  options: Parameters<typeof signWithOpensslCms>[4] = {},
): Promise<Uint8Array> {
  return signWithOpensslCms(minimalPdf(), leaf, [pki.subCa.certificate], field, options);
}
