import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  certificateFingerprint,
  describeCertificate,
  parseCertificate,
  parseCertificates,
  parseCrl,
  trustProfile,
  trustProfilePins,
  validateCertificate,
} from '../src/index.js';
import { VN_CERTIFICATES } from '../src/trust/vn-certificates.js';

/** The real national CA certificates, read by path (never copied into the repository's tests). */
const VN = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'trust', 'vn');
const read = (file: string) => new Uint8Array(readFileSync(join(VN, file)));
const tsv = readFileSync(join(VN, 'certs.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split('\t'));

describe('parsing the real Vietnamese certificates', () => {
  it.each(
    tsv.map((row) => [row[0]!, row] as const),
  )('%s: subject, issuer, validity and fingerprint match certs.tsv', (file, row) => {
    const [cert] = parseCertificates(read(file));
    const d = describeCertificate(cert!);
    const [, , subject, issuer, notBefore, notAfter, hash, sha256] = row;
    const rfc4514 = (text: string) => text.replace(/, /g, ',');
    expect(rfc4514(d.subject.text)).toBe(subject);
    expect(rfc4514(d.issuer.text)).toBe(issuer);
    expect(d.notBefore.replace('.000', '')).toBe(notBefore);
    expect(d.notAfter.replace('.000', '')).toBe(notAfter);
    expect(d.fingerprint).toBe(sha256);
    expect(d.signatureAlgorithm.toLowerCase()).toContain(hash!.replace('-', ''));
  });

  it('describes "CỤC THUẾ, BỘ TÀI CHÍNH" under CA G2 as an organisation certificate', () => {
    const d = describeCertificate(parseCertificate(read('leaf-unattributed/cuc-thue-bo-tai-chinh.cer')));
    expect(d).toMatchObject({
      kind: 'organisation',
      subject: {
        commonName: 'CỤC THUẾ',
        organization: 'BỘ TÀI CHÍNH',
        locality: 'Hà Nội',
        country: 'VN',
        email: 'cthsm@gdt.gov.vn',
      },
      issuer: { commonName: 'CA phục vụ các cơ quan Nhà nước G2', organization: 'Ban Cơ yếu Chính phủ' },
      policies: ['2.16.704.1.1.1.1.1'],
    });
    expect(d.keyUsage).toEqual(expect.arrayContaining(['digitalSignature', 'nonRepudiation']));
    expect(d.extendedKeyUsage).toEqual(['clientAuth', 'emailProtection', 'smartcardLogon']);
  });

  it('decodes subjects with and without diacritics, in UTF8String and PrintableString', () => {
    const bng = describeCertificate(parseCertificate(read('vgca-g1/BNG_BIN.cer')));
    expect(bng.subject.commonName).toBe('Cơ quan chứng thực số Bộ Ngoại giao');
    expect(bng.issuer.commonName).toBe('Co quan chung thuc so chuyen dung Chinh phu (RootCA)');
    expect(bng.kind).toBe('ca');
    const mobile = describeCertificate(parseCertificate(read('leaf-unattributed/mobile-test-03.cer')));
    expect(mobile).toMatchObject({
      kind: 'personal',
      subject: { commonName: 'Mobile Test 03', locality: 'Hà Nội' },
    });
    const generator = describeCertificate(parseCertificate(read('vgca-g1/VGCALicenseKeyGenerator.cer')));
    expect(generator.kind).toBe('device');
    expect(generator.subject.organizationalUnit).toBe('Cục Chứng thực số và Bảo mật thông tin');
  });

  it('reads the NEAC G3 root from its PKCS#7 bundle and its CRL', () => {
    const [g3] = parseCertificates(read('neac/vnrca-g3.p7b'));
    expect(describeCertificate(g3!).subject.commonName).toBe('Vietnam National Root CA G3');
    const crl = parseCrl(read('neac/vnrca-g3.crl'));
    expect(crl.issuer.key).toBe(g3!.subject.key);
    expect(crl.nextUpdate?.toISOString()).toBe(
      '2025-06-25T00:00:00.000Z'.slice(0, 10) + crl.nextUpdate!.toISOString().slice(10),
    );
  });
});

describe('built-in trust profiles', () => {
  it('embed exactly the published certificates, each matching its pinned SHA-256', () => {
    for (const entry of VN_CERTIFICATES) {
      const [fromShared] = parseCertificates(read(entry.source));
      expect(certificateFingerprint(fromShared!)).toBe(entry.sha256);
    }
    expect(trustProfilePins('vn-gov').find((p) => p.name === 'RootCA chuyên dùng Chính phủ G2')?.sha256).toBe(
      'f04ba4b459a7c9a1b971ad9b1cb833e695a80c79aea63b174b66a70edfe2fdb8',
    );
  });

  it('vn-gov has the G1 and G2 roots as anchors', () => {
    const store = trustProfile('vn-gov');
    expect(store.anchors.map((a) => describeCertificate(a).subject.commonName).sort()).toEqual([
      'Co quan chung thuc so chuyen dung Chinh phu (RootCA)',
      'RootCA chuyên dùng Chính phủ G2',
    ]);
    expect(trustProfile('vn-public').anchors).toHaveLength(3);
  });

  it('validates the tax authority certificate under G2 through the vn-gov profile', async () => {
    const report = await validateCertificate({
      certificate: parseCertificate(read('leaf-unattributed/cuc-thue-bo-tai-chinh.cer')),
      trustAnchors: trustProfile('vn-gov'),
      validationTime: new Date('2026-01-15T00:00:00Z'),
      revocation: 'soft-fail',
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    expect(report.path.map((p) => p.subject.split(',')[0])).toEqual([
      'CN=RootCA chuyên dùng Chính phủ G2',
      'CN=CA phục vụ các cơ quan Nhà nước G2',
      'CN=CỤC THUẾ',
    ]);
    expect(report.checks.some((c) => c.id === 'revocation' && c.status === 'warning')).toBe(true);
  });

  it('validates the SHA-1 G1 hierarchy with a warning, neither silently accepted nor rejected', async () => {
    const report = await validateCertificate({
      certificate: parseCertificate(read('leaf-unattributed/mobile-test-03.cer')),
      trustAnchors: trustProfile('vn-gov'),
      validationTime: new Date('2025-01-01T00:00:00Z'),
      revocation: 'none',
    });
    expect(report.indication).toBe('TOTAL_PASSED');
    const sha1 = report.checks.filter((c) => c.id === 'crypto-constraints');
    expect(sha1.length).toBeGreaterThan(0);
    expect(sha1.every((c) => c.status === 'warning')).toBe(true);
    expect(sha1[0]!.message.vi).toContain('SHA-1');
  });

  it('does not trust a government certificate under the public profile', async () => {
    const report = await validateCertificate({
      certificate: parseCertificate(read('leaf-unattributed/cuc-thue-bo-tai-chinh.cer')),
      trustAnchors: trustProfile('vn-public'),
      validationTime: new Date('2026-01-15T00:00:00Z'),
      revocation: 'none',
    });
    expect(report.subIndication).toBe('NO_CERTIFICATE_CHAIN_FOUND');
  });

  it('names the known profiles when asked for another', () => {
    expect(() => trustProfile('vn-other' as never)).toThrow(/vn-gov, vn-public/);
  });
});
