import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, run, SerialQueue } from './tools.js';

/**
 * A certificate hierarchy shaped like the national public-service PKI (a root CA, a subordinate CA
 * that issues to agencies, and personal, organisation and device/service certificates), built with
 * the `openssl` command line in a fresh temporary directory.
 */

/** Key types testkit can issue for. */
export type KeyType = 'rsa-2048' | 'rsa-3072' | 'ec-p256' | 'ec-p384';

/** Certificate profiles: the three kinds Nghị định 68/2024/NĐ-CP names, plus the service ones. */
export type CertificateProfile =
  | 'root-ca'
  | 'sub-ca'
  | 'personal'
  | 'organisation'
  | 'device'
  | 'tsa'
  | 'ocsp'
  | 'encryption-only';

/** One relative distinguished name, in order from the most general: `['CN', 'Nguyễn Văn An']`. */
export type SubjectField = readonly [attribute: string, value: string];

/** Revocation reasons OpenSSL's `ca` knows (RFC 5280 §5.3.1). */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'CACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold';

/** A certificate testkit issued, with its private key. */
export interface IssuedCertificate {
  /** The file stem, unique within the PKI: `personal`, `sub-ca`, … */
  readonly name: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly pem: string;
  readonly der: Uint8Array;
  /** Serial number, upper-case hex as OpenSSL writes it. */
  readonly serial: string;
  /** The subject, one `attr=value` per line, UTF-8. */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 fingerprint, lower-case hex without separators. */
  readonly fingerprint256: string;
  readonly keyType: KeyType;
  readonly profile: CertificateProfile;
}

/** Options of {@link TestCa.issue}. */
export interface IssueOptions {
  /** File stem; must be unique within the PKI. */
  name: string;
  subject: readonly SubjectField[];
  profile: CertificateProfile;
  /** Default `rsa-2048`. */
  keyType?: KeyType;
  /** Default: one day before the PKI's `now`. */
  notBefore?: Date;
  /** Default: two years after the PKI's `now`. */
  notAfter?: Date;
  /** Extra `openssl x509v3_config` lines added to the profile's own. */
  extraExtensions?: readonly string[];
  /** `subjectAltName` value, such as `email:an.nv@phutho.gov.vn` or `DNS:qlvb.phutho.gov.vn`. */
  subjectAltName?: string;
}

/** URLs written into issued certificates (CRL distribution point, OCSP, CA issuers). */
export interface PkiUrls {
  /** Base URL under which `<ca-name>.crl` is served. */
  crlBase?: string;
  /** Base URL of the OCSP responders: certificates issued by CA `x` name `<ocspBase>/x`. */
  ocspBase?: string;
  /** Base URL under which `<ca-name>.der` is served. */
  caIssuersBase?: string;
}

/** Options of {@link createTestPki}. */
export interface TestPkiOptions {
  /** The moment the PKI is built around (validity periods are set relative to it). Default: now. */
  now?: Date;
  /** URLs to embed in certificates; left out when not given. */
  urls?: PkiUrls;
  /** Keep the directory after {@link TestPki.cleanup} (for debugging). */
  keep?: boolean;
}

const POLICY_OID = '2.16.704.1.1.1.1.1';
const DAY = 86_400_000;
const YEAR = 365 * DAY;

/** A certification authority run by `openssl ca`, with its index, serial and CRL. */
export class TestCa {
  /** The CA's own certificate. */
  certificate!: IssuedCertificate;
  /** The latest CRL, PEM and DER, after {@link TestCa.updateCrl}. */
  crlPem = '';
  crlDer: Uint8Array = new Uint8Array();
  readonly crlPath: string;
  readonly crlDerPath: string;
  readonly indexPath: string;
  private readonly configPath: string;
  private readonly queue = new SerialQueue();

  /** @internal use {@link createTestPki}. */
  constructor(
    readonly name: string,
    readonly dir: string,
    private readonly pki: TestPki,
  ) {
    mkdirSync(join(dir, 'newcerts'), { recursive: true });
    this.indexPath = join(dir, 'index.txt');
    this.configPath = join(dir, 'ca.cnf');
    this.crlPath = join(dir, `${name}.crl.pem`);
    this.crlDerPath = join(dir, `${name}.crl`);
    writeFileSync(this.indexPath, '');
    writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
    // A random serial start, as real CAs use unpredictable serials.
    writeFileSync(join(dir, 'serial'), `${randomBytes(8).toString('hex').replace(/^./, '4')}\n`);
    writeFileSync(join(dir, 'crlnumber'), '1000\n');
    writeFileSync(this.configPath, caConfig(dir));
  }

  /** Issues a certificate signed by this CA. */
  issue(options: IssueOptions): Promise<IssuedCertificate> {
    return this.pki.issueFrom(this, options);
  }

  /** @internal */
  signRequest(args: {
    csrPath: string;
    certPath: string;
    extfile: string;
    notBefore: Date;
    notAfter: Date;
    selfSignKey?: string;
  }): Promise<void> {
    return this.queue.enqueue(async () => {
      const common = [
        'ca',
        '-batch',
        '-config',
        this.configPath,
        '-in',
        args.csrPath,
        '-out',
        args.certPath,
        '-extfile',
        args.extfile,
        '-extensions',
        'ext',
        '-startdate',
        opensslTime(args.notBefore),
        '-enddate',
        opensslTime(args.notAfter),
        '-notext',
        '-utf8',
        '-preserveDN',
      ];
      if (args.selfSignKey) {
        await run('openssl', [...common, '-selfsign', '-keyfile', args.selfSignKey]);
      } else {
        await run('openssl', [
          ...common,
          '-cert',
          this.certificate.certPath,
          '-keyfile',
          this.certificate.keyPath,
        ]);
      }
    });
  }

  /**
   * Revokes `cert` with `reason` at `time` (default: now) in the CA's index, then reissues the CRL.
   * The OCSP responder reads the same index, so it answers `revoked` from then on.
   */
  async revoke(cert: IssuedCertificate, reason: RevocationReason, time: Date = new Date()): Promise<void> {
    await this.queue.enqueue(async () => {
      await run('openssl', [...this.caArgs(), '-revoke', cert.certPath, '-crl_reason', reason]);
      // `openssl ca` stamps the revocation with the current clock; tests need chosen times.
      const lines = readFileSync(this.indexPath, 'utf8').split('\n');
      const patched = lines.map((line) => {
        const cols = line.split('\t');
        if (cols[0] !== 'R' || cols[3] !== cert.serial) return line;
        const [, ...rest] = (cols[2] ?? '').split(',');
        cols[2] = [indexTime(time), ...rest].join(',');
        return cols.join('\t');
      });
      writeFileSync(this.indexPath, patched.join('\n'));
    });
    await this.updateCrl();
  }

  /** `openssl ca` with this CA's configuration, certificate and key. */
  private caArgs(): string[] {
    return [
      'ca',
      '-batch',
      '-config',
      this.configPath,
      '-cert',
      this.certificate.certPath,
      '-keyfile',
      this.certificate.keyPath,
    ];
  }

  /** The revocations in the CA's index: serial (hex), time and reason. */
  revocations(): { serial: string; revokedAt: Date; reason: string }[] {
    return readFileSync(this.indexPath, 'utf8')
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((cols) => cols[0] === 'R')
      .map((cols) => {
        const [time = '', reason = 'unspecified'] = (cols[2] ?? '').split(',');
        return { serial: cols[3] ?? '', revokedAt: parseIndexTime(time), reason };
      });
  }

  /** Issues a fresh CRL (next update in `days` days, default 7) in PEM and DER. */
  async updateCrl(days = 7): Promise<void> {
    await this.queue.enqueue(async () => {
      await run('openssl', [...this.caArgs(), '-gencrl', '-crldays', String(days), '-out', this.crlPath]);
      await run('openssl', ['crl', '-in', this.crlPath, '-outform', 'DER', '-out', this.crlDerPath]);
    });
    this.crlPem = readFileSync(this.crlPath, 'utf8');
    this.crlDer = new Uint8Array(readFileSync(this.crlDerPath));
  }
}

/** The test PKI {@link createTestPki} builds. */
export class TestPki {
  root!: TestCa;
  /** The subordinate CA that issues to agencies (like "CA phục vụ các cơ quan Nhà nước G2"). */
  subCa!: TestCa;
  /** A root with exactly the real root's name and another key. */
  lookalikeRoot!: TestCa;
  /** A subordinate with exactly {@link TestPki.subCa}'s name, under the look-alike root. */
  lookalikeSubCa!: TestCa;
  /** Leaf certificates, valid unless the name says otherwise. */
  leaves!: {
    personal: IssuedCertificate;
    organisation: IssuedCertificate;
    device: IssuedCertificate;
    expired: IssuedCertificate;
    notYetValid: IssuedCertificate;
    revokedKeyCompromise: IssuedCertificate;
    revokedSuperseded: IssuedCertificate;
    wrongKeyUsage: IssuedCertificate;
    /** Same subject as `personal`, issued under the look-alike hierarchy. */
    impostor: IssuedCertificate;
  };
  /** The timestamp authority's certificate (extended key usage timeStamping, critical). */
  tsa!: IssuedCertificate;
  /** Delegated OCSP signer of {@link TestPki.subCa} (extended key usage OCSPSigning). */
  ocspSigner!: IssuedCertificate;
  private readonly names = new Set<string>();

  /** @internal use {@link createTestPki}. */
  constructor(
    readonly dir: string,
    readonly now: Date,
    readonly urls: PkiUrls,
    private readonly keep: boolean,
  ) {}

  /** Every certificate of the chain of `leaf` up to and including its root, leaf first, as PEM. */
  chainPem(leaf: IssuedCertificate): string {
    return this.chainOf(leaf)
      .map((c) => c.pem)
      .join('');
  }

  /** The chain of `leaf`, leaf first, ending at its self-signed root. */
  chainOf(leaf: IssuedCertificate): IssuedCertificate[] {
    const cas = [this.root, this.subCa, this.lookalikeRoot, this.lookalikeSubCa].filter(Boolean);
    const chain = [leaf];
    let current = leaf;
    while (current.issuer !== current.subject || current.profile !== 'root-ca') {
      const ca = cas.find((c) => c.certificate !== current && this.issuedBy(current, c.certificate));
      if (!ca) break;
      chain.push(ca.certificate);
      current = ca.certificate;
    }
    return chain;
  }

  /** Writes `certs` as one PEM bundle in the PKI directory and returns its path. */
  writeBundle(fileName: string, certs: readonly IssuedCertificate[]): string {
    const path = join(this.dir, fileName);
    writeFileSync(path, certs.map((c) => c.pem).join(''));
    return path;
  }

  /** Removes the PKI's directory (unless it was created with `keep`). */
  cleanup(): void {
    if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  /** @internal */
  async newCa(name: string): Promise<TestCa> {
    return new TestCa(name, join(this.dir, name), this);
  }

  /** @internal */
  async issueFrom(ca: TestCa | null, options: IssueOptions, selfCa?: TestCa): Promise<IssuedCertificate> {
    this.claim(options.name);
    const keyType = options.keyType ?? 'rsa-2048';
    const base = join(this.dir, 'certs', options.name);
    mkdirSync(join(this.dir, 'certs'), { recursive: true });
    const keyPath = `${base}.key`;
    const csrPath = `${base}.csr`;
    const certPath = `${base}.pem`;
    const extPath = `${base}.ext.cnf`;
    await run('openssl', ['genpkey', ...keyGenArgs(keyType), '-out', keyPath]);
    await run('openssl', [
      'req',
      '-new',
      '-config',
      join(this.dir, 'req.cnf'),
      '-utf8',
      '-key',
      keyPath,
      '-subj',
      subjectArg(options.subject),
      '-out',
      csrPath,
    ]);
    const issuerName = selfCa ? selfCa.name : ca!.name;
    writeFileSync(extPath, extensionsConfig(options, issuerName, this.urls));
    const notBefore = options.notBefore ?? new Date(this.now.getTime() - DAY);
    const notAfter = options.notAfter ?? new Date(this.now.getTime() + 2 * YEAR);
    const signer = selfCa ?? ca!;
    await signer.signRequest({
      csrPath,
      certPath,
      extfile: extPath,
      notBefore,
      notAfter,
      ...(selfCa ? { selfSignKey: keyPath } : {}),
    });
    return readIssued(options.name, certPath, keyPath, keyType, options.profile);
  }

  private issuedBy(cert: IssuedCertificate, ca: IssuedCertificate): boolean {
    const x = new X509Certificate(cert.pem);
    return x.checkIssued(new X509Certificate(ca.pem)) && x.verify(new X509Certificate(ca.pem).publicKey);
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`testkit: the name ${name} is already used in this PKI`);
    this.names.add(name);
  }
}

/** Subjects of the test hierarchy: Vietnamese names in UTF-8, as the national PKI writes them. */
export const TEST_SUBJECTS = {
  root: [
    ['C', 'VN'],
    ['O', 'Ban Cơ yếu Chính phủ'],
    ['CN', 'Kyso TEST RootCA chuyên dùng Chính phủ'],
  ],
  subCa: [
    ['C', 'VN'],
    ['O', 'Ban Cơ yếu Chính phủ'],
    ['CN', 'Kyso TEST CA phục vụ các cơ quan Nhà nước'],
  ],
  personal: [
    ['C', 'VN'],
    ['ST', 'Phú Thọ'],
    ['L', 'Việt Trì'],
    ['O', 'Sở Khoa học và Công nghệ'],
    ['OU', 'Văn phòng Sở'],
    ['title', 'Giám đốc'],
    ['CN', 'Nguyễn Văn An'],
    ['UID', 'CCCD:025080000123'],
  ],
  organisation: [
    ['C', 'VN'],
    ['ST', 'Phú Thọ'],
    ['L', 'Việt Trì'],
    ['O', 'Sở Khoa học và Công nghệ'],
    ['CN', 'Sở Khoa học và Công nghệ tỉnh Phú Thọ'],
    ['UID', 'MST:2600123456'],
  ],
  device: [
    ['C', 'VN'],
    ['ST', 'Phú Thọ'],
    ['O', 'Sở Khoa học và Công nghệ'],
    ['CN', 'qlvb.phutho.gov.vn'],
  ],
} as const satisfies Record<string, readonly SubjectField[]>;

/** A personal subject for another official, for tests that need several distinct signers. */
export function personalSubject(commonName: string, id: string): SubjectField[] {
  return [
    ['C', 'VN'],
    ['ST', 'Phú Thọ'],
    ['O', 'Sở Khoa học và Công nghệ'],
    ['CN', commonName],
    ['UID', `CCCD:${id}`],
  ];
}

/**
 * Builds the test PKI: root and subordinate CA, the look-alike pair, the leaves tests need (good,
 * expired, not yet valid, revoked for key compromise and as superseded, wrong key usage, impostor),
 * a TSA and a delegated OCSP signer, and a CRL for each CA. Call {@link TestPki.cleanup} after.
 */
export async function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const now = options.now ?? new Date();
  const dir = makeTempDir('pki');
  const pki = new TestPki(dir, now, options.urls ?? {}, options.keep ?? false);
  writeFileSync(join(dir, 'req.cnf'), REQ_CONFIG);
  try {
    const caValidity = {
      notBefore: new Date(now.getTime() - 10 * YEAR),
      notAfter: new Date(now.getTime() + 20 * YEAR),
    };
    const [root, lookalikeRoot] = await Promise.all([
      selfSignedCa(pki, 'root', TEST_SUBJECTS.root, caValidity),
      selfSignedCa(pki, 'lookalike-root', TEST_SUBJECTS.root, caValidity),
    ]);
    pki.root = root;
    pki.lookalikeRoot = lookalikeRoot;
    const subValidity = {
      notBefore: new Date(now.getTime() - 5 * YEAR),
      notAfter: new Date(now.getTime() + 15 * YEAR),
    };
    [pki.subCa, pki.lookalikeSubCa] = await Promise.all([
      subordinateCa(pki, root, 'sub-ca', TEST_SUBJECTS.subCa, subValidity),
      subordinateCa(pki, lookalikeRoot, 'lookalike-sub-ca', TEST_SUBJECTS.subCa, subValidity),
    ]);
    const sub = pki.subCa;
    const personal = {
      subject: TEST_SUBJECTS.personal,
      profile: 'personal' as const,
      subjectAltName: 'email:an.nv@phutho.gov.vn',
    };
    const [p, o, d, expired, notYetValid, kc, sup, wku, impostor, tsa, ocsp] = await Promise.all([
      sub.issue({ name: 'personal', ...personal }),
      sub.issue({ name: 'organisation', subject: TEST_SUBJECTS.organisation, profile: 'organisation' }),
      sub.issue({
        name: 'device',
        subject: TEST_SUBJECTS.device,
        profile: 'device',
        subjectAltName: 'DNS:qlvb.phutho.gov.vn',
      }),
      sub.issue({
        name: 'expired',
        subject: personalSubject('Trần Thị Bình', '025080000124'),
        profile: 'personal',
        notBefore: new Date(now.getTime() - 3 * YEAR),
        notAfter: new Date(now.getTime() - YEAR),
      }),
      sub.issue({
        name: 'not-yet-valid',
        subject: personalSubject('Lê Văn Cường', '025080000125'),
        profile: 'personal',
        notBefore: new Date(now.getTime() + YEAR),
        notAfter: new Date(now.getTime() + 3 * YEAR),
      }),
      sub.issue({
        name: 'revoked-key-compromise',
        subject: personalSubject('Phạm Thị Dung', '025080000126'),
        profile: 'personal',
      }),
      sub.issue({
        name: 'revoked-superseded',
        subject: personalSubject('Hoàng Văn Em', '025080000127'),
        profile: 'personal',
      }),
      sub.issue({
        name: 'wrong-key-usage',
        subject: personalSubject('Vũ Thị Giang', '025080000128'),
        profile: 'encryption-only',
      }),
      pki.lookalikeSubCa.issue({ name: 'impostor', ...personal }),
      sub.issue({
        name: 'tsa',
        subject: [
          ['C', 'VN'],
          ['O', 'Ban Cơ yếu Chính phủ'],
          ['CN', 'Kyso TEST Timestamp Authority'],
        ],
        profile: 'tsa',
      }),
      sub.issue({
        name: 'ocsp-signer',
        subject: [
          ['C', 'VN'],
          ['O', 'Ban Cơ yếu Chính phủ'],
          ['CN', 'Kyso TEST OCSP Responder'],
        ],
        profile: 'ocsp',
      }),
    ]);
    pki.leaves = {
      personal: p,
      organisation: o,
      device: d,
      expired,
      notYetValid,
      revokedKeyCompromise: kc,
      revokedSuperseded: sup,
      wrongKeyUsage: wku,
      impostor,
    };
    pki.tsa = tsa;
    pki.ocspSigner = ocsp;
    // Revoked a month ago, so a signature made today is after the revocation.
    const monthAgo = new Date(now.getTime() - 30 * DAY);
    await sub.revoke(kc, 'keyCompromise', monthAgo);
    await sub.revoke(sup, 'superseded', monthAgo);
    await Promise.all([root.updateCrl(), lookalikeRoot.updateCrl(), pki.lookalikeSubCa.updateCrl()]);
    return pki;
  } catch (error) {
    pki.cleanup();
    throw error;
  }
}

async function selfSignedCa(
  pki: TestPki,
  name: string,
  subject: readonly SubjectField[],
  validity: { notBefore: Date; notAfter: Date },
): Promise<TestCa> {
  const ca = await pki.newCa(name);
  ca.certificate = await pki.issueFrom(
    null,
    { name, subject, profile: 'root-ca', keyType: 'rsa-3072', ...validity },
    ca,
  );
  await ca.updateCrl();
  return ca;
}

async function subordinateCa(
  pki: TestPki,
  parent: TestCa,
  name: string,
  subject: readonly SubjectField[],
  validity: { notBefore: Date; notAfter: Date },
): Promise<TestCa> {
  const ca = await pki.newCa(name);
  ca.certificate = await pki.issueFrom(parent, { name, subject, profile: 'sub-ca', ...validity });
  await ca.updateCrl();
  return ca;
}

function readIssued(
  name: string,
  certPath: string,
  keyPath: string,
  keyType: KeyType,
  profile: CertificateProfile,
): IssuedCertificate {
  const pemAll = readFileSync(certPath, 'utf8');
  // `openssl ca -notext` writes just the PEM block.
  const pem = pemAll.slice(pemAll.indexOf('-----BEGIN CERTIFICATE-----'));
  const x = new X509Certificate(pem);
  return {
    name,
    certPath,
    keyPath,
    pem,
    der: new Uint8Array(x.raw),
    serial: x.serialNumber.toUpperCase(),
    subject: x.subject,
    issuer: x.issuer,
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    fingerprint256: x.fingerprint256.replaceAll(':', '').toLowerCase(),
    keyType,
    profile,
  };
}

function keyGenArgs(keyType: KeyType): string[] {
  switch (keyType) {
    case 'rsa-2048':
      return ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'];
    case 'rsa-3072':
      return ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072'];
    case 'ec-p256':
      return [
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-pkeyopt',
        'ec_param_enc:named_curve',
      ];
    case 'ec-p384':
      return [
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-384',
        '-pkeyopt',
        'ec_param_enc:named_curve',
      ];
  }
}

/** `-subj` syntax: `/attr=value/…`, with `/`, `+` and `\` escaped. */
function subjectArg(subject: readonly SubjectField[]): string {
  return subject.map(([attr, value]) => `/${attr}=${value.replace(/[\\/+]/g, (c) => `\\${c}`)}`).join('');
}

function opensslTime(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** The index.txt time format: UTCTime for years before 2050. */
function indexTime(date: Date): string {
  return opensslTime(date).slice(2);
}

function parseIndexTime(text: string): Date {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new Error(`testkit: unreadable index time ${text}`);
  const yy = Number(m[1]);
  return new Date(
    Date.UTC(
      yy < 50 ? 2000 + yy : 1900 + yy,
      Number(m[2]) - 1,
      Number(m[3]),
      Number(m[4]),
      Number(m[5]),
      Number(m[6]),
    ),
  );
}

function extensionsConfig(options: IssueOptions, issuerName: string, urls: PkiUrls): string {
  const lines = ['[ ext ]', 'subjectKeyIdentifier = hash'];
  if (options.profile !== 'root-ca') lines.push('authorityKeyIdentifier = keyid:always');
  switch (options.profile) {
    case 'root-ca':
      lines.push('basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign');
      break;
    case 'sub-ca':
      lines.push(
        'basicConstraints = critical,CA:TRUE,pathlen:0',
        'keyUsage = critical,keyCertSign,cRLSign',
        `certificatePolicies = ${POLICY_OID}`,
      );
      break;
    case 'personal':
    case 'organisation':
      lines.push(
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,nonRepudiation,keyEncipherment',
        'extendedKeyUsage = clientAuth,emailProtection',
        `certificatePolicies = ${POLICY_OID}`,
      );
      break;
    case 'device':
      lines.push(
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,keyEncipherment',
        'extendedKeyUsage = serverAuth,clientAuth',
        `certificatePolicies = ${POLICY_OID}`,
      );
      break;
    case 'tsa':
      lines.push(
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature,nonRepudiation',
        'extendedKeyUsage = critical,timeStamping',
      );
      break;
    case 'ocsp':
      lines.push(
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,digitalSignature',
        'extendedKeyUsage = critical,OCSPSigning',
        'noCheck = ignored',
      );
      break;
    case 'encryption-only':
      lines.push(
        'basicConstraints = critical,CA:FALSE',
        'keyUsage = critical,keyEncipherment',
        `certificatePolicies = ${POLICY_OID}`,
      );
      break;
  }
  if (options.profile !== 'root-ca') {
    if (urls.crlBase) lines.push(`crlDistributionPoints = URI:${urls.crlBase}/${issuerName}.crl`);
    const aia: string[] = [];
    if (urls.ocspBase) aia.push(`OCSP;URI:${urls.ocspBase}/${issuerName}`);
    if (urls.caIssuersBase) aia.push(`caIssuers;URI:${urls.caIssuersBase}/${issuerName}.der`);
    if (aia.length > 0) lines.push(`authorityInfoAccess = ${aia.join(',')}`);
  }
  if (options.subjectAltName) lines.push(`subjectAltName = ${options.subjectAltName}`);
  lines.push(...(options.extraExtensions ?? []));
  return `${lines.join('\n')}\n`;
}

const REQ_CONFIG = `[ req ]
distinguished_name = dn
string_mask = utf8only
utf8 = yes
prompt = no
[ dn ]
CN = unused
`;

function caConfig(dir: string): string {
  return `[ ca ]
default_ca = CA_default
[ CA_default ]
dir = ${dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 7
policy = policy_any
unique_subject = no
copy_extensions = none
string_mask = utf8only
utf8 = yes
preserve = yes
crl_extensions = crl_ext
[ policy_any ]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
title = optional
commonName = supplied
userId = optional
emailAddress = optional
serialNumber = optional
[ crl_ext ]
authorityKeyIdentifier = keyid:always
`;
}
