import { type PkiServices, startPkiServices } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Certificate,
  createHttpTransport,
  parseCertificate,
  parseCrlDer,
  parseOcspResponse,
  type Transport,
  type ValidateCertificateOptions,
  validateCertificate,
} from '../src/index.js';

let services: PkiServices;
let root: Certificate;
let subCa: Certificate;
let lookalikeSubCa: Certificate;
let now: Date;

beforeAll(async () => {
  services = await startPkiServices();
  root = parseCertificate(services.pki.root.certificate.pem);
  subCa = parseCertificate(services.pki.subCa.certificate.pem);
  lookalikeSubCa = parseCertificate(services.pki.lookalikeSubCa.certificate.pem);
  now = services.pki.now;
});
afterAll(async () => services?.stop());

const leaf = (name: keyof PkiServices['pki']['leaves']) => parseCertificate(services.pki.leaves[name].pem);
const crls = () => [parseCrlDer(services.pki.root.crlDer), parseCrlDer(services.pki.subCa.crlDer)];

function offline(certificate: Certificate, extra: Partial<ValidateCertificateOptions> = {}) {
  return validateCertificate({
    certificate,
    trustAnchors: [root],
    intermediates: [subCa, lookalikeSubCa],
    crls: crls(),
    validationTime: now,
    revocation: 'hard-fail',
    ...extra,
  });
}

/** A transport that records what it was asked and can refuse purposes or replay answers. */
function recordingTransport(options: { refuse?: string[]; replayOcsp?: boolean } = {}) {
  const inner = createHttpTransport({ timeoutMs: 5000 });
  const asked: string[] = [];
  const firstOcsp = new Map<string, Uint8Array>();
  const transport: Transport = {
    async fetch(request) {
      asked.push(`${request.purpose} ${request.url}`);
      if (options.refuse?.includes(request.purpose)) throw new Error(`refused ${request.purpose}`);
      const replay = firstOcsp.get(request.url);
      if (options.replayOcsp && request.purpose === 'ocsp' && replay) return replay;
      const answer = await inner.fetch(request);
      if (request.purpose === 'ocsp' && !firstOcsp.has(request.url)) firstOcsp.set(request.url, answer);
      return answer;
    },
  };
  return { transport, asked };
}

describe('validateCertificate on the test PKI, offline with CRLs', () => {
  it('passes a personal certificate and reports the Vietnamese names of its path', async () => {
    const report = await offline(leaf('personal'));
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.path.map((p) => p.role)).toEqual(['trust-anchor', 'intermediate', 'end-entity']);
    expect(report.path[2]!.subject).toContain('CN=Nguyễn Văn An');
    expect(report.path[2]!.subject).toContain('O=Sở Khoa học và Công nghệ');
    expect(report.revocation.map((r) => [r.status, r.source])).toEqual([
      ['good', 'crl'],
      ['good', 'crl'],
    ]);
    expect(report.revocationMode).toBe('hard-fail');
    expect(report.checks.find((c) => c.id === 'revocation')?.status).toBe('passed');
  });

  it('passes organisation and device certificates', async () => {
    for (const name of ['organisation', 'device'] as const) {
      expect((await offline(leaf(name))).indication).toBe('TOTAL_PASSED');
    }
  });

  it('fails a certificate revoked for key compromise with REVOKED, the reason and the time', async () => {
    const report = await offline(leaf('revokedKeyCompromise'));
    expect([report.indication, report.subIndication]).toEqual(['TOTAL_FAILED', 'REVOKED']);
    expect(report.revocation[1]).toMatchObject({ status: 'revoked', reason: 'keyCompromise', source: 'crl' });
    expect(report.checks[0]!.message.vi).toContain('đã bị thu hồi');
  });

  it('fails a superseded certificate as revoked, with reason superseded', async () => {
    const report = await offline(leaf('revokedSuperseded'));
    expect(report.subIndication).toBe('REVOKED');
    expect(report.revocation[1]!.reason).toBe('superseded');
  });

  it('accepts a revoked certificate at a time before its revocation', async () => {
    const report = await offline(leaf('revokedKeyCompromise'), {
      validationTime: new Date(now.getTime() - 40 * 86_400_000),
    });
    expect(report.indication).toBe('INDETERMINATE');
    // Issued a day before now: forty days ago it was not yet valid; the revocation is not the reason.
    expect(report.subIndication).toBe('NOT_YET_VALID');
  });

  it('reports an expired and a not-yet-valid certificate', async () => {
    expect((await offline(leaf('expired'))).subIndication).toBe('OUT_OF_BOUNDS_NO_POE');
    expect((await offline(leaf('notYetValid'))).subIndication).toBe('NOT_YET_VALID');
  });

  it('refuses a signing certificate whose key usage does not allow signing, when asked to check', async () => {
    const report = await offline(leaf('wrongKeyUsage'), { keyUsage: ['digitalSignature', 'nonRepudiation'] });
    expect(report.subIndication).toBe('CHAIN_CONSTRAINTS_FAILURE');
    expect(report.checks[0]!.id).toBe('key-usage');
    expect((await offline(leaf('wrongKeyUsage'))).indication).toBe('TOTAL_PASSED');
  });

  it('does not let a look-alike hierarchy with the same names pass', async () => {
    const impostor = await offline(leaf('impostor'));
    expect(impostor.indication).not.toBe('TOTAL_PASSED');
    // The look-alike CAs' key identifiers name other keys than the real root's and sub-CA's:
    // by key, not by name, no path leads to the anchor at all.
    expect(impostor.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
    expect(impostor.checks[0]!.id).toBe('path-building');
    const lookalikeRoot = parseCertificate(services.pki.lookalikeRoot.certificate.pem);
    const wrongAnchor = await offline(leaf('personal'), { trustAnchors: [lookalikeRoot] });
    expect(wrongAnchor.indication).not.toBe('TOTAL_PASSED');
  });

  it('is INDETERMINATE/TRY_LATER in hard-fail mode without revocation data, and passes with a warning in soft-fail', async () => {
    const hard = await offline(leaf('personal'), { crls: [] });
    expect([hard.indication, hard.subIndication]).toEqual(['INDETERMINATE', 'TRY_LATER']);
    const soft = await offline(leaf('personal'), { crls: [], revocation: 'soft-fail' });
    expect(soft.indication).toBe('TOTAL_PASSED');
    expect(soft.revocationMode).toBe('soft-fail');
    expect(soft.checks.some((c) => c.id === 'revocation' && c.status === 'warning')).toBe(true);
    const none = await offline(leaf('personal'), { crls: [], revocation: 'none' });
    expect(none.checks.find((c) => c.id === 'revocation')?.status).toBe('skipped');
  });

  it('finds no chain without the intermediate', async () => {
    const report = await offline(leaf('personal'), { intermediates: [] });
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });
});

describe('validateCertificate online, through the Transport', () => {
  it('asks the OCSP responders (delegated for the sub-CA, the root itself for the sub-CA certificate)', async () => {
    const { transport, asked } = recordingTransport();
    const report = await offline(leaf('personal'), { crls: [], transport });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.revocation.map((r) => r.source)).toEqual(['ocsp', 'ocsp']);
    expect(asked).toEqual([`ocsp ${services.url}/ocsp/root`, `ocsp ${services.url}/ocsp/sub-ca`]);
  });

  it('learns a revocation from OCSP', async () => {
    const { transport } = recordingTransport();
    const report = await offline(leaf('revokedKeyCompromise'), { crls: [], transport });
    expect(report.subIndication).toBe('REVOKED');
    expect(report.revocation[1]).toMatchObject({ source: 'ocsp', reason: 'keyCompromise' });
  });

  it('falls back to the CRL distribution points when OCSP is unavailable', async () => {
    const { transport, asked } = recordingTransport({ refuse: ['ocsp'] });
    const report = await offline(leaf('revokedSuperseded'), { crls: [], transport });
    expect(report.subIndication).toBe('REVOKED');
    expect(report.revocation[1]!.source).toBe('crl');
    expect(asked).toContain(`crl ${services.url}/crl/sub-ca.crl`);
  });

  it('rejects a replayed OCSP response whose nonce does not match', async () => {
    const { transport } = recordingTransport({ replayOcsp: true, refuse: ['crl'] });
    expect((await offline(leaf('personal'), { crls: [], transport })).indication).toBe('TOTAL_PASSED');
    // The same answers again, to requests with fresh nonces.
    const report = await offline(leaf('personal'), { crls: [], transport });
    expect(report.subIndication).toBe('TRY_LATER');
    expect(report.checks[0]!.message.en).toMatch(/nonce/);
  });

  it('treats an OCSP answer as stale after its nextUpdate', async () => {
    const { transport } = recordingTransport({ refuse: ['crl'] });
    const later = new Date(now.getTime() + 3 * 86_400_000);
    const report = await offline(leaf('personal'), { crls: [], transport, validationTime: later });
    expect(report.subIndication).toBe('TRY_LATER');
    expect(report.checks[0]!.message.en).toMatch(/stale/);
  });
});

describe('validateCertificate with OCSP responses it already holds (archived in a signature or a PDF)', () => {
  /** The raw OCSP answers the responders give while validating `name` online. */
  async function collectOcsp(name: keyof PkiServices['pki']['leaves']): Promise<Uint8Array[]> {
    const inner = createHttpTransport({ timeoutMs: 5000 });
    const answers: Uint8Array[] = [];
    const transport: Transport = {
      async fetch(request) {
        if (request.purpose !== 'ocsp') throw new Error('only OCSP here');
        const answer = await inner.fetch(request);
        answers.push(answer);
        return answer;
      },
    };
    await offline(leaf(name), { crls: [], transport });
    return answers;
  }

  it('passes offline on good answers and learns a revocation, without asking anyone', async () => {
    const good = (await collectOcsp('personal')).map(parseOcspResponse);
    const report = await offline(leaf('personal'), { crls: [], ocspResponses: good });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.revocation.map((r) => r.source)).toEqual(['ocsp', 'ocsp']);

    const revoked = (await collectOcsp('revokedKeyCompromise')).map(parseOcspResponse);
    const r2 = await offline(leaf('revokedKeyCompromise'), { crls: [], ocspResponses: revoked });
    expect(r2.subIndication).toBe('REVOKED');
    expect(r2.revocation[1]).toMatchObject({ source: 'ocsp', reason: 'keyCompromise' });
  });

  it('does not use an answer about another certificate, a tampered one, or a stale one', async () => {
    const forPersonal = await collectOcsp('personal');
    const other = await offline(leaf('organisation'), {
      crls: [],
      ocspResponses: forPersonal.map(parseOcspResponse),
    });
    expect(other.subIndication).toBe('TRY_LATER');
    // The root's answer about the sub-CA still applies; nothing is known about the organisation's leaf.
    expect(other.revocation.map((r) => [r.source, r.status])).toEqual([
      ['ocsp', 'good'],
      ['none', 'unknown'],
    ]);

    const tampered = forPersonal.map((der) => {
      const copy = new Uint8Array(der);
      copy[copy.length - 1]! ^= 0x01; // the last byte of the responder's signature or its certificate
      return parseOcspResponse(copy);
    });
    const t = await offline(leaf('personal'), { crls: [], ocspResponses: tampered });
    expect(t.subIndication).toBe('TRY_LATER');
    expect(JSON.stringify(t.checks)).toMatch(/stored OCSP response/);

    const later = new Date(now.getTime() + 3 * 86_400_000);
    const stale = await offline(leaf('personal'), {
      crls: [],
      ocspResponses: forPersonal.map(parseOcspResponse),
      validationTime: later,
    });
    expect(stale.subIndication).toBe('TRY_LATER');
    expect(JSON.stringify(stale.checks)).toMatch(/stale/);
  });
});
