import { type Certificate, parseCertificate } from '@kyso/core';
import { minimalPdf, qpdfCheck } from '@kyso/testkit';
import { beforeAll, describe, expect, it } from 'vitest';
import { PdfDocument, verifyPdf } from '../src/index.js';
import { opensslSignedLetter, useTestPki } from './support/pki.js';

const env = useTestPki((pki) => [
  pki.leaves.personal,
  pki.leaves.organisation,
  pki.leaves.revokedKeyCompromise,
]);
let letter: Uint8Array;

/** Appends an incremental update redefining objects, as the Incremental Saving Attack does. */
function appendUpdate(bytes: Uint8Array, objects: Record<number, string>): Uint8Array {
  const doc = PdfDocument.load(bytes);
  const prev = doc.sections[0]!.offset;
  const size = doc.trailer.get('Size') as number;
  const root = doc.trailer.get('Root')!.toString();
  let tail = '\n';
  const offsets: [number, number][] = [];
  for (const [num, body] of Object.entries(objects)) {
    offsets.push([Number(num), bytes.length + Buffer.byteLength(tail, 'latin1')]);
    tail += `${num} 0 obj\n${body}\nendobj\n`;
  }
  const xref = bytes.length + Buffer.byteLength(tail, 'latin1');
  tail += 'xref\n';
  for (const [num, off] of offsets) tail += `${num} 1\n${String(off).padStart(10, '0')} 00000 n \n`;
  tail += `trailer\n<< /Size ${Math.max(size, ...offsets.map(([n]) => n + 1))} /Root ${root} /Prev ${prev} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array([...bytes, ...Buffer.from(tail, 'latin1')]);
}

const verify = (bytes: Uint8Array, anchors: Certificate[] = [env.root]) =>
  verifyPdf(bytes, { trustAnchors: anchors, crls: env.crls, revocation: 'hard-fail' });

beforeAll(async () => {
  // The national order: the official signs first, then the organisation (the clerk).
  const personal = await env.nss.sign(minimalPdf(), env.pki.leaves.personal, 'ChuKyLanhDao');
  letter = await env.nss.sign(personal, env.pki.leaves.organisation, 'ChuKyCoQuan');
});

describe('a letter signed by the official and then the organisation (pdfsig -add-signature)', () => {
  it('is a structurally sound PDF for qpdf --check', async () => {
    expect(await qpdfCheck(letter)).toMatch(/No syntax or stream encoding errors found/);
  });

  it('passes: both signatures valid, the second update allowed after the first', async () => {
    const r = await verify(letter);
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(
      r.signatures.map((s) => [
        s.fieldName,
        s.indication,
        s.signer.kind,
        s.modifiedAfter,
        s.coversWholeDocument,
      ]),
    ).toEqual([
      ['ChuKyLanhDao', 'TOTAL_PASSED', 'personal', 'allowed', false],
      ['ChuKyCoQuan', 'TOTAL_PASSED', 'organisation', 'none', true],
    ]);
    expect(r.signatures[0]!.signer.commonName).toBe('Nguyễn Văn An');
    expect(await env.pdfsig(letter)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
  });

  it('fails a signed byte changed: HASH_FAILURE (pdfsig: Digest Mismatch)', async () => {
    const tampered = new Uint8Array(letter);
    const at = Buffer.from(tampered).indexOf('CONG VAN SO 123');
    tampered[at + 12] = '9'.charCodeAt(0);
    const r = await verify(tampered);
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures[0]!.subIndication).toBe('HASH_FAILURE');
    expect((await env.pdfsig(tampered))[0]).toMatch(/Digest Mismatch/);
  });

  it('fails an incremental update that replaces the page content after signing, which pdfsig calls valid', async () => {
    const text = 'BT /F1 14 Tf 72 770 Td (CONG VAN SO 999/GIA MAO) Tj ET';
    const isa = appendUpdate(letter, { 4: `<< /Length ${text.length} >>\nstream\n${text}\nendstream` });
    const r = await verify(isa);
    expect(r.indication).toBe('TOTAL_FAILED');
    expect(r.signatures.map((s) => s.modifiedAfter)).toEqual(['disallowed', 'disallowed']);
    expect(r.signatures[1]!.checks.find((c) => c.id === 'modifications')!.message.en).toMatch(/object 4/);
    // pdfsig checks each signature over its own range only: it does not see the change.
    expect(await env.pdfsig(isa)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
  });

  it('fails a page added after signing', async () => {
    const added = appendUpdate(letter, {
      2: '<< /Type /Pages /Kids [3 0 R 30 0 R] /Count 2 >>',
      30: '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    });
    const r = await verify(added);
    expect(r.signatures[0]!.modifiedAfter).toBe('disallowed');
    expect(r.indication).toBe('TOTAL_FAILED');
  });

  it('reports a revoked signer as REVOKED_NO_POE without proof of when it signed, REVOKED with one after the revocation', async () => {
    const signed = await env.nss.sign(minimalPdf(), env.pki.leaves.revokedKeyCompromise, 'Sig');
    // The CMS claims today, after the revocation; a claim proves nothing either way.
    const r = await verify(signed);
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });
    // The receipt record proves it existed today, a month after the key was revoked.
    const received = await verifyPdf(signed, {
      trustAnchors: [env.root],
      crls: env.crls,
      revocation: 'hard-fail',
      proofOfExistence: { time: new Date(), source: 'sổ đăng ký văn bản đến' },
    });
    expect(received.signatures[0]).toMatchObject({ indication: 'TOTAL_FAILED', subIndication: 'REVOKED' });
  });

  it('does not pass under a look-alike root of the same name', async () => {
    const r = await verify(letter, [parseCertificate(env.pki.lookalikeRoot.certificate.pem)]);
    expect(r.indication).not.toBe('TOTAL_PASSED');
  });
});

describe('signatures without signed attributes (openssl cms -noattr over a placeholder)', () => {
  it('verifies one declared adbe.pkcs7.detached over the covered bytes, as pdfsig does, and fails it when a byte changes', async () => {
    const { signWithOpensslCms } = await import('@kyso/testkit');
    const chain = [env.pki.subCa.certificate];
    const signed = await signWithOpensslCms(minimalPdf(), env.pki.leaves.personal, chain, 'ChuKyLanhDao', {
      noAttributes: true,
      subFilter: 'adbe.pkcs7.detached',
    });
    const r = await verify(signed);
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.checks.find((c) => c.id === 'signed-attributes')!.status).toBe('warning');
    expect(await env.pdfsig(signed)).toEqual(['Signature is Valid.']);
    const tampered = new Uint8Array(signed);
    tampered[12] = tampered[12]! ^ 0x01;
    expect((await verify(tampered)).signatures[0]).toMatchObject({
      indication: 'TOTAL_FAILED',
      subIndication: 'SIG_CRYPTO_FAILURE',
    });
  });

  it('does not verify one declared ETSI.CAdES.detached: PAdES requires signed attributes', async () => {
    const signed = await opensslSignedLetter(env.pki, env.pki.leaves.personal, 'Sig', { noAttributes: true });
    expect((await verify(signed)).signatures[0]).toMatchObject({
      indication: 'INDETERMINATE',
      subIndication: 'SIG_CONSTRAINTS_FAILURE',
    });
  });
});

describe('ETSI.CAdES.detached signatures made by openssl cms over a placeholder, timestamped by the test TSA', () => {
  it('passes both signatures, takes the trusted timestamp as signing time, and pdfsig agrees', async () => {
    const { signWithOpensslCms, startTimestampAuthority } = await import('@kyso/testkit');
    const tsa = await startTimestampAuthority(env.pki);
    try {
      const chain = [env.pki.subCa.certificate];
      const one = await signWithOpensslCms(minimalPdf(), env.pki.leaves.personal, chain, 'ChuKyLanhDao', {
        tsa,
      });
      const two = await signWithOpensslCms(one, env.pki.leaves.organisation, chain, 'ChuKyCoQuan', { tsa });
      const r = await verify(two);
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures.map((s) => [s.subFilter, s.timestamped, s.modifiedAfter])).toEqual([
        ['ETSI.CAdES.detached', true, 'allowed'],
        ['ETSI.CAdES.detached', true, 'none'],
      ]);
      expect(r.signatures[0]!.timestampTime).not.toBeNull();
      expect(r.signatures[0]!.signingTime).toBe(r.signatures[0]!.timestampTime);
      expect(await env.pdfsig(two)).toEqual(['Signature is Valid.', 'Signature is Valid.']);
      expect(await qpdfCheck(two)).toMatch(/No syntax or stream encoding errors found/);
    } finally {
      await tsa.stop();
    }
  });
});

describe('document timestamps (ETSI.RFC3161) added by the test TSA', () => {
  it('verifies the timestamp after a signature as its own entry, an allowed change for the signature', async () => {
    const { addDocumentTimestamp, startTimestampAuthority } = await import('@kyso/testkit');
    const tsa = await startTimestampAuthority(env.pki);
    try {
      const signed = await opensslSignedLetter(env.pki, env.pki.leaves.personal, 'ChuKy');
      const stamped = await addDocumentTimestamp(signed, tsa);
      const r = await verify(stamped);
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures.map((s) => [s.kind, s.subFilter, s.indication, s.modifiedAfter])).toEqual([
        ['signature', 'ETSI.CAdES.detached', 'TOTAL_PASSED', 'allowed'],
        ['timestamp', 'ETSI.RFC3161', 'TOTAL_PASSED', 'none'],
      ]);
      const ts = r.signatures[1]!;
      expect(ts.timestampTime).not.toBeNull();
      expect(ts.coversWholeDocument).toBe(true);
      expect(ts.checks.find((c) => c.id === 'signature')!.status).toBe('passed');
      expect(await qpdfCheck(stamped)).toMatch(/No syntax or stream encoding errors found/);

      // One byte of the timestamped update changed (the field name): the imprint no longer matches,
      // and the document fails. The broken timestamp shows nothing, so the signature before it
      // keeps its own verdict: what it signed is unchanged.
      const text = Buffer.from(stamped).toString('latin1');
      const at = text.lastIndexOf('(DocTimeStamp1)') + 1;
      const tampered = new Uint8Array(stamped);
      tampered[at] = 'X'.charCodeAt(0);
      const t = await verify(tampered);
      expect(t.indication).toBe('TOTAL_FAILED');
      expect(t.signatures[1]).toMatchObject({
        kind: 'timestamp',
        indication: 'TOTAL_FAILED',
        subIndication: 'HASH_FAILURE',
      });
      expect(t.signatures[0]!.modifiedAfter).toBe('allowed');
    } finally {
      await tsa.stop();
    }
  });

  it('judges a document that carries only a timestamp by it, and not under a foreign root', async () => {
    const { addDocumentTimestamp, startTimestampAuthority } = await import('@kyso/testkit');
    const tsa = await startTimestampAuthority(env.pki);
    try {
      const stamped = await addDocumentTimestamp(minimalPdf(), tsa);
      const r = await verify(stamped);
      expect(r.indication).toBe('TOTAL_PASSED');
      expect(r.signatures).toHaveLength(1);
      expect(r.signatures[0]!.signingTime).toBe(r.signatures[0]!.timestampTime);
      const foreign = await verify(stamped, [parseCertificate(env.pki.lookalikeRoot.certificate.pem)]);
      expect(foreign.indication).toBe('INDETERMINATE');
      expect(foreign.signatures[0]!.timestampTime).toBeNull();
    } finally {
      await tsa.stop();
    }
  });
});

describe('revocation data the file carries (PAdES-LT: the DSS dictionary)', () => {
  it('passes offline on the CRLs and OCSP responses of a DSS added after signing, and not without them', async () => {
    const { addDocumentSecurityStore, startOcspResponder } = await import('@kyso/testkit');
    const { buildOcspRequest } = await import('@kyso/core');
    const signed = await opensslSignedLetter(env.pki, env.pki.leaves.personal, 'ChuKy');
    const offline = (bytes: Uint8Array) =>
      verifyPdf(bytes, { trustAnchors: [env.root], revocation: 'hard-fail' });
    const bare = await offline(signed);
    expect(bare.indication).toBe('INDETERMINATE');
    expect(bare.signatures[0]!.subIndication).toBe('TRY_LATER');

    const withCrls = addDocumentSecurityStore(signed, { crls: [env.pki.root.crlDer, env.pki.subCa.crlDer] });
    const r = await offline(withCrls);
    expect(r.indication).toBe('TOTAL_PASSED');
    expect(r.signatures[0]!.modifiedAfter).toBe('allowed');
    expect(await qpdfCheck(withCrls)).toMatch(/No syntax or stream encoding errors found/);

    // The leaf's status from the sub-CA's OCSP responder, the sub-CA's from the root's CRL.
    const responder = await startOcspResponder(env.pki.subCa);
    try {
      const leaf = parseCertificate(env.pki.leaves.personal.pem);
      const subCa = parseCertificate(env.pki.subCa.certificate.pem);
      const request = await buildOcspRequest(leaf, subCa);
      const answer = new Uint8Array(
        await (
          await fetch(responder.url, {
            method: 'POST',
            headers: { 'content-type': 'application/ocsp-request' },
            body: Buffer.from(request.der),
          })
        ).arrayBuffer(),
      );
      const withOcsp = addDocumentSecurityStore(signed, {
        crls: [env.pki.root.crlDer],
        ocspResponses: [answer],
      });
      const o = await offline(withOcsp);
      expect(o.indication).toBe('TOTAL_PASSED');
      expect(JSON.stringify(o.signatures[0]!.checks)).not.toMatch(/stored OCSP response/);
      // Only the root's CRL: the leaf's status is unknown.
      expect(
        (await offline(addDocumentSecurityStore(signed, { crls: [env.pki.root.crlDer] }))).indication,
      ).toBe('INDETERMINATE');
    } finally {
      await responder.stop();
    }
  });

  it('learns a revocation from the DSS, and ignores DSS entries that are not what they claim', async () => {
    const { addDocumentSecurityStore } = await import('@kyso/testkit');
    const revoked = await opensslSignedLetter(env.pki, env.pki.leaves.revokedKeyCompromise, 'ChuKy');
    const r = await verifyPdf(
      addDocumentSecurityStore(revoked, { crls: [env.pki.root.crlDer, env.pki.subCa.crlDer] }),
      {
        trustAnchors: [env.root],
        revocation: 'hard-fail',
      },
    );
    // Revoked, as the DSS says; nothing proves it signed before that.
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'REVOKED_NO_POE' });

    const signed = await opensslSignedLetter(env.pki, env.pki.leaves.personal, 'ChuKy');
    const junk = addDocumentSecurityStore(signed, {
      certificates: [Buffer.from('not a certificate')],
      crls: [Buffer.from('not a CRL'), env.pki.root.crlDer],
      ocspResponses: [Buffer.from('not OCSP')],
    });
    const j = await verifyPdf(junk, { trustAnchors: [env.root], revocation: 'hard-fail' });
    expect(j.signatures[0]!.subIndication).toBe('TRY_LATER');
  });
});
