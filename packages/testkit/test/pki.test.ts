import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandFailedError, createTestPki, run, type TestPki } from '../src/index.js';

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});
afterAll(() => pki?.cleanup());

/** `openssl verify -crl_check_all` of `leaf` against `root`, with every CRL of the hierarchy. */
async function opensslVerify(leafName: keyof TestPki['leaves'], root = pki.root, extra: string[] = []) {
  const leaf = pki.leaves[leafName];
  const chain = pki.chainOf(leaf);
  const untrusted = pki.writeBundle(`untrusted-${leafName}.pem`, chain.slice(1, -1));
  const crls = pki.writeBundle('all-crls.pem', []);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(
    crls,
    [pki.root, pki.subCa, pki.lookalikeRoot, pki.lookalikeSubCa].map((ca) => ca.crlPem).join(''),
  );
  try {
    const out = await run('openssl', [
      'verify',
      '-crl_check_all',
      '-CAfile',
      root.certificate.certPath,
      '-untrusted',
      untrusted,
      '-CRLfile',
      crls,
      ...extra,
      leaf.certPath,
    ]);
    return out.stdout;
  } catch (error) {
    if (error instanceof CommandFailedError) return `${error.stdout}${error.stderr}`;
    throw error;
  }
}

describe('createTestPki', () => {
  it('builds a chain that openssl verify -crl_check_all accepts for personal, organisation and device certificates', async () => {
    for (const name of ['personal', 'organisation', 'device'] as const) {
      expect(await opensslVerify(name)).toMatch(/: OK/);
    }
  });

  it('writes Vietnamese names as UTF8String, byte for byte', async () => {
    const { stdout } = await run('openssl', ['asn1parse', '-in', pki.leaves.personal.certPath]);
    expect(stdout).toMatch(/UTF8STRING\s+:Nguy/);
    expect(pki.leaves.personal.subject).toContain('CN=Nguyễn Văn An');
    expect(pki.leaves.personal.subject).toContain('UID=CCCD:025080000123');
    expect(pki.leaves.organisation.subject).toContain('O=Sở Khoa học và Công nghệ');
    expect(pki.subCa.certificate.issuer).toContain('CN=Kyso TEST RootCA chuyên dùng Chính phủ');
  });

  it('makes an expired and a not-yet-valid certificate that openssl rejects for those reasons', async () => {
    expect(await opensslVerify('expired')).toMatch(/certificate has expired/);
    expect(await opensslVerify('notYetValid')).toMatch(/certificate is not yet valid/);
    expect(pki.leaves.expired.notAfter.getTime()).toBeLessThan(pki.now.getTime());
    expect(pki.leaves.notYetValid.notBefore.getTime()).toBeGreaterThan(pki.now.getTime());
  });

  it('revokes for key compromise and as superseded, with the reasons in the CRL', async () => {
    expect(await opensslVerify('revokedKeyCompromise')).toMatch(/certificate revoked/);
    expect(await opensslVerify('revokedSuperseded')).toMatch(/certificate revoked/);
    const { stdout } = await run('openssl', ['crl', '-in', pki.subCa.crlPath, '-noout', '-text']);
    expect(stdout).toContain(`Serial Number: ${pki.leaves.revokedKeyCompromise.serial}`);
    expect(stdout).toContain('Key Compromise');
    expect(stdout).toContain('Superseded');
    expect(stdout).not.toContain(`Serial Number: ${pki.leaves.personal.serial}`);
  });

  it('dates revocations a month before now, as tests about signing time need', async () => {
    const index = readFileSync(pki.subCa.indexPath, 'utf8');
    const line = index.split('\n').find((l) => l.includes(`\t${pki.leaves.revokedKeyCompromise.serial}\t`));
    const yymmdd = new Date(pki.now.getTime() - 30 * 86_400_000)
      .toISOString()
      .slice(2, 10)
      .replaceAll('-', '');
    expect(line).toMatch(new RegExp(`^R\\t\\d{12}Z\\t${yymmdd}\\d{6}Z,keyCompromise\\t`));
  });

  it('makes a certificate whose key usage forbids signing', async () => {
    expect(await opensslVerify('wrongKeyUsage')).toMatch(/: OK/);
    expect(await opensslVerify('wrongKeyUsage', pki.root, ['-purpose', 'smimesign'])).toMatch(
      /unsuitable certificate purpose/,
    );
  });

  it('makes a look-alike root with the same name and another key, which does not validate the real chain', async () => {
    expect(pki.lookalikeRoot.certificate.subject).toBe(pki.root.certificate.subject);
    expect(pki.lookalikeRoot.certificate.fingerprint256).not.toBe(pki.root.certificate.fingerprint256);
    expect(await opensslVerify('impostor', pki.lookalikeRoot)).toMatch(/: OK/);
    expect(await opensslVerify('impostor', pki.root)).not.toMatch(/: OK/);
    expect(await opensslVerify('personal', pki.lookalikeRoot)).not.toMatch(/: OK/);
  });

  it('issues a CRL for each CA, signed by that CA', async () => {
    for (const ca of [pki.root, pki.subCa, pki.lookalikeRoot, pki.lookalikeSubCa]) {
      const { stderr } = await run('openssl', [
        'crl',
        '-in',
        ca.crlPath,
        '-noout',
        '-CAfile',
        ca.certificate.certPath,
      ]);
      expect(stderr).toMatch(/verify OK/);
      expect(ca.crlDer[0]).toBe(0x30);
    }
  });

  it('issues TSA and OCSP signer certificates with their critical extended key usage', async () => {
    const tsa = await run('openssl', ['x509', '-in', pki.tsa.certPath, '-noout', '-ext', 'extendedKeyUsage']);
    expect(tsa.stdout).toMatch(/critical\s+Time Stamping/);
    const ocsp = await run('openssl', [
      'x509',
      '-in',
      pki.ocspSigner.certPath,
      '-noout',
      '-ext',
      'extendedKeyUsage',
    ]);
    expect(ocsp.stdout).toMatch(/critical\s+OCSP Signing/);
  });

  it('removes its directory on cleanup', async () => {
    const other = await createTestPki();
    const dir = other.dir;
    expect(readFileSync(join(dir, 'root', 'index.txt'), 'utf8')).toMatch(/^V/);
    other.cleanup();
    const { existsSync } = await import('node:fs');
    expect(existsSync(dir)).toBe(false);
  });
});

describe('TestCa.revocations', () => {
  it('lists exactly the revoked serials with their reasons and times', () => {
    const revs = pki.subCa.revocations();
    const bySerial = new Map(revs.map((r) => [r.serial, r]));
    expect(bySerial.get(pki.leaves.revokedKeyCompromise.serial)?.reason).toBe('keyCompromise');
    expect(bySerial.get(pki.leaves.revokedSuperseded.serial)?.reason).toBe('superseded');
    expect(bySerial.has(pki.leaves.personal.serial)).toBe(false);
    const age =
      pki.now.getTime() - (bySerial.get(pki.leaves.revokedSuperseded.serial)?.revokedAt.getTime() ?? 0);
    expect(Math.round(age / 86_400_000)).toBe(30);
  });
});
