import { parseCertificate, parseCrlDer } from '@kyso/core';
import { verifyPdf } from '@kyso/pdf-signature';
import {
  createNssSigner,
  createTestPki,
  type IssuedCertificate,
  minimalPdf,
  type TestCa,
  type TestPki,
} from '@kyso/testkit';
import type { CliIo, Lang } from '../io.js';
import { render } from './verify.js';

/** Options of `kyso demo`. */
export interface DemoOptions {
  lang: Lang;
  /** Keep the generated PKI's directory and print where it is. */
  keep: boolean;
  json: boolean;
}

const T = {
  title: {
    vi: 'kyso demo: hạ tầng khóa công khai thử nghiệm',
    en: 'kyso demo: test public key infrastructure',
  },
  built: { vi: 'Đã tạo bằng OpenSSL trong', en: 'Built with OpenSSL in' },
  chain: { vi: 'Chuỗi chứng thư số', en: 'Certificate chain' },
  lookalike: {
    vi: 'Gốc giả mạo (cùng tên, khác khóa) và chứng thư số của nó',
    en: 'Look-alike root (same name, another key) and what it issued',
  },
  crl: { vi: 'Danh sách chứng thư số bị thu hồi (CRL) của', en: 'Certificate revocation list (CRL) of' },
  kept: { vi: 'Giữ lại thư mục:', en: 'Directory kept:' },
  removed: { vi: 'Đã xóa thư mục tạm.', en: 'Temporary directory removed.' },
  status: {
    valid: { vi: 'còn hiệu lực', en: 'valid' },
    expired: { vi: 'đã hết hạn', en: 'expired' },
    notYetValid: { vi: 'chưa có hiệu lực', en: 'not yet valid' },
    revoked: { vi: 'đã bị thu hồi', en: 'revoked' },
  },
  profile: {
    'root-ca': { vi: 'CA gốc', en: 'root CA' },
    'sub-ca': { vi: 'CA trung gian', en: 'subordinate CA' },
    personal: { vi: 'cá nhân', en: 'personal' },
    organisation: { vi: 'cơ quan, tổ chức', en: 'organisation' },
    device: { vi: 'thiết bị, dịch vụ', en: 'device/service' },
    tsa: { vi: 'dấu thời gian', en: 'timestamp authority' },
    ocsp: { vi: 'OCSP', en: 'OCSP responder' },
    'encryption-only': { vi: 'chỉ mã hóa (sai mục đích)', en: 'encryption only (wrong key usage)' },
  },
} as const;

/** Builds the test PKI and prints the hierarchy it made, with each certificate's status. */
export async function demo(options: DemoOptions, io: CliIo): Promise<number> {
  const pki = await createTestPki({ keep: options.keep });
  try {
    if (options.json) {
      io.stdout(`${JSON.stringify(demoData(pki), null, 2)}\n`);
      return 0;
    }
    const l = options.lang;
    const out: string[] = [T.title[l], `${T.built[l]} ${pki.dir}`, '', `${T.chain[l]}:`];
    const issuedBy = (ca: TestCa) => certificatesUnder(pki, ca);
    out.push(line(pki, pki.root, pki.root.certificate, 0, l));
    out.push(line(pki, pki.root, pki.subCa.certificate, 1, l));
    for (const cert of issuedBy(pki.subCa)) out.push(line(pki, pki.subCa, cert, 2, l));
    out.push('', `${T.lookalike[l]}:`);
    out.push(line(pki, pki.lookalikeRoot, pki.lookalikeRoot.certificate, 0, l));
    out.push(line(pki, pki.lookalikeRoot, pki.lookalikeSubCa.certificate, 1, l));
    for (const cert of issuedBy(pki.lookalikeSubCa)) out.push(line(pki, pki.lookalikeSubCa, cert, 2, l));
    for (const ca of [pki.root, pki.subCa]) {
      out.push('', `${T.crl[l]} ${commonName(ca.certificate.subject)}:`);
      const revs = ca.revocations();
      if (revs.length === 0) out.push(l === 'vi' ? '  (trống)' : '  (empty)');
      for (const r of revs) out.push(`  ${r.serial}  ${r.revokedAt.toISOString()}  ${r.reason}`);
    }
    // The main job: an official letter signed by the official and then the organisation, verified,
    // and a copy changed after signing.
    const nss = await createNssSigner(pki, [pki.leaves.personal, pki.leaves.organisation]);
    const letter = await nss.sign(
      await nss.sign(minimalPdf(), pki.leaves.personal, 'ChuKyLanhDao'),
      pki.leaves.organisation,
      'ChuKyCoQuan',
    );
    const tampered = new Uint8Array(letter);
    tampered[Buffer.from(tampered).indexOf('CONG VAN SO 123') + 12] = 0x39;
    const verifyOptions = {
      trustAnchors: [parseCertificate(pki.root.certificate.pem)],
      crls: [parseCrlDer(pki.root.crlDer), parseCrlDer(pki.subCa.crlDer)],
    };
    out.push(
      '',
      l === 'vi'
        ? 'Công văn ký số (lãnh đạo, rồi cơ quan) và bản bị sửa sau khi ký:'
        : 'A letter signed by the official, then the organisation, and a copy changed after signing:',
    );
    out.push(render('cong-van.pdf', await verifyPdf(letter, verifyOptions), l).trimEnd());
    out.push(render('cong-van-bi-sua.pdf', await verifyPdf(tampered, verifyOptions), l).trimEnd());
    nss.cleanup();
    out.push('', options.keep ? `${T.kept[l]} ${pki.dir}` : T.removed[l]);
    io.stdout(`${out.join('\n')}\n`);
    return 0;
  } finally {
    pki.cleanup();
  }
}

function certificatesUnder(pki: TestPki, ca: TestCa): IssuedCertificate[] {
  const all = [...Object.values(pki.leaves), pki.tsa, pki.ocspSigner];
  return all.filter((c) => c.issuer === ca.certificate.subject && pki.chainOf(c)[1] === ca.certificate);
}

function statusOf(pki: TestPki, ca: TestCa, cert: IssuedCertificate): keyof typeof T.status {
  if (ca.revocations().some((r) => r.serial === cert.serial)) return 'revoked';
  if (cert.notAfter < pki.now) return 'expired';
  if (cert.notBefore > pki.now) return 'notYetValid';
  return 'valid';
}

function line(pki: TestPki, ca: TestCa, cert: IssuedCertificate, depth: number, l: 'vi' | 'en'): string {
  const indent = depth === 0 ? '' : `${'   '.repeat(depth - 1)}└─ `;
  const status = T.status[statusOf(pki, ca, cert)][l];
  const dates = `${cert.notBefore.toISOString().slice(0, 10)} → ${cert.notAfter.toISOString().slice(0, 10)}`;
  return `${indent}[${T.profile[cert.profile][l]}] ${commonName(cert.subject)}  (${status}; ${dates}; SHA-256 ${cert.fingerprint256.slice(0, 16)}…)`;
}

function commonName(subject: string): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1] ?? subject;
}

function demoData(pki: TestPki) {
  const describe = (ca: TestCa, cert: IssuedCertificate) => ({
    name: cert.name,
    profile: cert.profile,
    subject: cert.subject.split('\n'),
    issuer: cert.issuer.split('\n'),
    serial: cert.serial,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    fingerprint256: cert.fingerprint256,
    status: statusOf(pki, ca, cert),
  });
  return {
    root: describe(pki.root, pki.root.certificate),
    subCa: describe(pki.root, pki.subCa.certificate),
    leaves: certificatesUnder(pki, pki.subCa).map((c) => describe(pki.subCa, c)),
    lookalike: [
      describe(pki.lookalikeRoot, pki.lookalikeRoot.certificate),
      describe(pki.lookalikeRoot, pki.lookalikeSubCa.certificate),
      ...certificatesUnder(pki, pki.lookalikeSubCa).map((c) => describe(pki.lookalikeSubCa, c)),
    ],
  };
}
