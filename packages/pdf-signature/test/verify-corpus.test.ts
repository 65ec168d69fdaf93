import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PdfVerificationReport, verifyPdf } from '../src/index.js';

/**
 * Verification on files nobody here made, where the verdict does not depend on trust: integrity
 * (ByteRange, digest, signature value) and what changed after each signature. No anchors are
 * given, so every chain is INDETERMINATE; the other checks are what is asserted.
 */
const C = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'conformance', 'pdf');
const verify = (file: string): Promise<PdfVerificationReport> =>
  verifyPdf(new Uint8Array(readFileSync(join(C, file))), { trustAnchors: [], revocation: 'none' });
const passedSignature = (r: PdfVerificationReport, i: number) =>
  r.signatures[i]!.checks.some((c) => c.id === 'signature' && c.status === 'passed');

describe('integrity of signatures made by other software', () => {
  it('@signpdf single and incremental signatures: intact, covering their revision', async () => {
    for (const f of ['node-signpdf/signed.pdf', 'node-signpdf/incrementally_signed.pdf']) {
      const r = await verify(f);
      expect(passedSignature(r, 0), f).toBe(true);
      expect(r.signatures[0]!.coversWholeDocument).toBe(true);
      expect(r.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    }
  });

  it('digitorus sigmodified.pdf: the signed bytes were changed (HASH_FAILURE, as pdfsig says)', async () => {
    const r = await verify('attacks/digitorus/sigmodified.pdf');
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.subIndication).toBe('HASH_FAILURE');
  });
});

describe('signatures without signed attributes, and adbe.pkcs7.sha1', () => {
  it('verifies a SignerInfo that signs the covered bytes themselves (adbe.pkcs7.detached), with a warning', async () => {
    // RFC 5652 §5.4 allows it, and pdfsig finds it valid: the signature value covers the bytes.
    const r = await verify('pyhanko/sig-no-signed-attrs.pdf');
    expect(passedSignature(r, 0)).toBe(true);
    expect(r.signatures[0]!.checks.find((c) => c.id === 'signed-attributes')!.status).toBe('warning');
    expect(r.signatures[0]!.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('verifies adbe.pkcs7.sha1 (the encapsulated SHA-1 of the ByteRange) as pdfsig does, warning about SHA-1', async () => {
    for (const f of ['dss/pkcs7_sha1.pdf', 'dss/wrong-digest-algo.pdf']) {
      const r = await verify(f);
      const sha1 = r.signatures.find((s) => s.subFilter === 'adbe.pkcs7.sha1')!;
      expect(passedSignature(r, sha1.index - 1), f).toBe(true);
      expect(sha1.modifiedAfter, f).not.toBe('disallowed');
      expect(sha1.checks.find((c) => c.id === 'sub-filter')!.status).toBe('warning');
    }
  });

  it('fails adbe.pkcs7.sha1 when a covered byte changes (HASH_FAILURE)', async () => {
    const bytes = new Uint8Array(readFileSync(join(C, 'dss/pkcs7_sha1.pdf')));
    bytes[12] = bytes[12]! ^ 0x01; // in the header's binary comment: the file still reads
    const r = await verifyPdf(bytes, { trustAnchors: [], revocation: 'none' });
    expect(r.signatures.find((s) => s.subFilter === 'adbe.pkcs7.sha1')!.subIndication).toBe('HASH_FAILURE');
  });
});

describe('an encrypted corpus file', () => {
  it('reads dss/encrypted.pdf (RC4 128-bit, empty user password) and verifies its signature, whose /Contents its writer encrypted', async () => {
    const r = await verify('dss/encrypted.pdf');
    expect(r.encryption).toMatchObject({ revision: 3, streams: 'RC4-128', authenticatedAs: 'user' });
    // pdfsig reads the /Contents as written and cannot parse it ("Input couldn't be parsed as a
    // CMS signature"): ISO 32000-1 did not exempt it from encryption, and this writer encrypted
    // it. kyso uses the decrypted bytes only because the written ones are not DER and they are.
    expect(r.signatures[0]).toMatchObject({ intact: true, subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
    expect(r.signatures[0]!.modifiedAfter).toBe('none');
  });
});

describe('signature timestamps', () => {
  it('finds the timestamp of a PAdES-T signature valid (imprint over the signature value, TSA signature)', async () => {
    for (const f of ['dss/doc-firmado-T.pdf', 'dss/doc-firmado-LT.pdf']) {
      const r = await verify(f);
      expect(r.signatures[0]!.timestamped, f).toBe(true);
      // No trust anchors were given: the TSA is not trusted, so the claimed time stays.
      expect(r.signatures[0]!.timestampTime).toBeNull();
      expect(r.signatures[0]!.checks.find((c) => c.id === 'timestamp')!.status).toBe('warning');
    }
    expect((await verify('node-signpdf/signed.pdf')).signatures[0]!.timestamped).toBe(false);
  });
});

describe('document timestamps (ETSI.RFC3161)', () => {
  it('verifies the imprint and TSA signature of PAdES-LTA document timestamps', async () => {
    for (const f of [
      'dss/dss-1696/Test.signed_Certipost-2048-SHA512.extended.extended-LTA-dss-5.4.pdf',
      'pyhanko/pades-lta-dss-indirect-arrs-test.pdf',
    ]) {
      const r = await verify(f);
      const stamps = r.signatures.filter((s) => s.kind === 'timestamp');
      expect(stamps.length, f).toBeGreaterThan(0);
      for (const s of stamps) {
        expect(s.checks.find((c) => c.id === 'signature')?.status, f).toBe('passed');
        expect(s.subIndication, f).toBe('NO_CERTIFICATE_CHAIN_FOUND');
      }
    }
  });

  it('catches a document timestamp copied from another file, and one whose date was edited', async () => {
    for (const f of ['dss/pades-lta-copied-doctst.pdf', 'dss/pades-t-duplicated-doctst.pdf']) {
      const r = await verify(f);
      const bad = r.signatures.filter((s) => s.kind === 'timestamp' && s.subIndication === 'HASH_FAILURE');
      expect(bad.length, f).toBe(1);
      expect(r.indication, f).toBe('TOTAL_FAILED');
    }
    const edited = await verify('attacks/itext/signature-validator/modifiedDocTimestampDate.pdf');
    expect(edited.signatures[0]).toMatchObject({ kind: 'timestamp', subIndication: 'SIG_CRYPTO_FAILURE' });
    expect(edited.indication).toBe('TOTAL_FAILED');
  });
});

describe('what changed after signing', () => {
  it('disagrees with pyHanko on two "sneaky" form updates, for a stated reason', async () => {
    // The update gives field Sig2 a new appearance instead of its old one, an indirect appearance
    // dictionary that the catalog (or, in the second file, the trailer) also names under a private
    // key (/FooBar). pyHanko rejects any
    // change to an object reachable by a path it cannot classify; kyso looks at what the change
    // does: /FooBar has no effect on what the document shows, and the old appearance object is
    // not modified. Reported as allowed.
    for (const f of [
      'pyhanko/form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf',
      'pyhanko/form-update-ap-indirect-sneaky-trailer.pdf',
    ]) {
      const r = await verify(f);
      expect(r.signatures[0]!.modifiedAfter, f).toBe('allowed');
    }
  });

  it('allows a second signature added in an incremental update (@signpdf, Adobe Reader, DSS)', async () => {
    for (const [f, i] of [
      ['node-signpdf/signed-twice.pdf', 0],
      ['pyhanko/minimal-two-fields-signed-twice.pdf', 0],
      ['pyhanko/minimal-signed-twice-second-created.pdf', 0],
      ['pyhanko/minimal-signed-twice-both-created.pdf', 0],
      ['dss/hello_signed_INCSAVE_signed.pdf', 0],
    ] as const) {
      const r = await verify(f);
      expect(r.signatures[i]!.modifiedAfter, f).toBe('allowed');
      expect(r.signatures.at(-1)!.modifiedAfter, f).toBe('none');
    }
  });

  it('allows long-term validation data (DSS with indirect arrays, replaced later)', async () => {
    const r = await verify('pyhanko/pades-lta-dss-indirect-arrs-test.pdf');
    expect(r.signatures[0]!.modifiedAfter).toBe('allowed');
  });

  it('flags pages added or removed, page content replaced, and sneaky form updates', async () => {
    for (const f of [
      'dss/pdf-signed-added-page.pdf',
      'dss/pdf-removed-pages.pdf',
      'attacks/itext/pdfinsecurity/isaValidPdf.pdf',
      'pyhanko/form-update-override-appearance-stream-sneaky.pdf',
      'pyhanko/form-update-override-appearance-stream-ap-indirect-sneaky.pdf',
      'pyhanko/extensions-indirect-not-all-paths.pdf',
    ]) {
      const r = await verify(f);
      expect(r.signatures[0]!.modifiedAfter, f).toBe('disallowed');
      expect(r.indication, f).toBe('TOTAL_FAILED');
    }
  });
});
