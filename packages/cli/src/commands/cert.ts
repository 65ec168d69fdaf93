import { parseArgs } from 'node:util';
import {
  type CertificateValidationReport,
  createCachingTransport,
  createHttpTransport,
  describeCertificate,
  offlineTransport,
  type RevocationMode,
  validateCertificate,
} from '@kyso/core';
import { readCertificates } from '@kyso/core/node';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';
import { crlsFromOptions, parseAt, requireFile, trustFromOptions } from './trust-options.js';

const INDICATION_TEXT = {
  TOTAL_PASSED: { vi: 'HỢP LỆ', en: 'VALID' },
  TOTAL_FAILED: { vi: 'KHÔNG HỢP LỆ', en: 'INVALID' },
  INDETERMINATE: { vi: 'CHƯA XÁC ĐỊNH ĐƯỢC', en: 'INDETERMINATE' },
} as const;

const ROLE_TEXT = {
  'trust-anchor': { vi: 'gốc tin cậy', en: 'trust anchor' },
  intermediate: { vi: 'CA trung gian', en: 'intermediate' },
  'end-entity': { vi: 'thuê bao', en: 'end entity' },
} as const;

const STATUS_MARK = { passed: '✓', failed: '✗', warning: '!', indeterminate: '?', skipped: '-' } as const;

/** `kyso cert verify`: validates a certificate's path and revocation at a time. */
export async function certVerify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      intermediate: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      at: { type: 'string' },
      policy: { type: 'string', multiple: true, default: [] },
      'explicit-policy': { type: 'boolean', default: false },
      'inhibit-policy-mapping': { type: 'boolean', default: false },
      'inhibit-any-policy': { type: 'boolean', default: false },
      profile: { type: 'string', multiple: true, default: [] },
      revocation: { type: 'string', default: 'hard-fail' },
      offline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso cert verify takes exactly one certificate file');
  const certs = readCertificates(requireFile(positionals[0]!));
  if (certs.length === 0) throw new UsageError(`${positionals[0]} holds no certificate`);
  const store = trustFromOptions(values.profile, values.trust);
  const intermediates = values.intermediate.flatMap((p) => readCertificates(requireFile(p)));
  // The target file may be a bundle: its first certificate is the target, the rest help building.
  intermediates.push(...certs.slice(1));
  const crls = crlsFromOptions(values.crl);
  const revocation = values.revocation as RevocationMode;
  if (!['hard-fail', 'soft-fail', 'none'].includes(revocation)) {
    throw new UsageError(`--revocation must be hard-fail, soft-fail or none, not "${values.revocation}"`);
  }
  const report = await validateCertificate({
    certificate: certs[0]!,
    trustAnchors: store,
    intermediates,
    crls,
    validationTime: parseAt(values.at) ?? new Date(),
    revocation,
    policy: {
      ...(values.policy.length > 0 ? { initialPolicySet: values.policy } : {}),
      explicitPolicy: values['explicit-policy'],
      inhibitPolicyMapping: values['inhibit-policy-mapping'],
      inhibitAnyPolicy: values['inhibit-any-policy'],
    },
    transport: values.offline ? offlineTransport : createCachingTransport(createHttpTransport()),
  });
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ file: positionals[0], certificate: describeCertificate(certs[0]!), ...report }, null, 2)}\n`,
    );
  } else {
    io.stdout(renderReport(positionals[0]!, report, lang));
  }
  return report.indication === 'TOTAL_PASSED' ? EXIT.ok : EXIT.failed;
}

function renderReport(file: string, report: CertificateValidationReport, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const lines = [
    `${t('Tệp', 'File')}: ${file}`,
    `${t('Kết quả', 'Result')}: ${INDICATION_TEXT[report.indication][lang]} (${report.indication}${report.subIndication ? `/${report.subIndication}` : ''})`,
    `${t('Thời điểm kiểm tra', 'Validation time')}: ${report.validationTime}`,
    `${t('Kiểm tra thu hồi', 'Revocation checking')}: ${report.revocationMode}`,
  ];
  if (report.path.length > 0) {
    lines.push(`${t('Đường dẫn chứng thực', 'Certification path')}:`);
    report.path.forEach((p, i) => {
      const rev = report.revocation.find((r) => r.certificateIndex === i);
      const revText = rev
        ? `; ${t('thu hồi', 'revocation')}: ${rev.status}${rev.source !== 'none' ? ` (${rev.source})` : ''}`
        : '';
      lines.push(`  [${i}] ${ROLE_TEXT[p.role][lang]}: ${p.subject}`);
      lines.push(
        `      ${t('hiệu lực', 'valid')} ${p.notBefore} → ${p.notAfter}; ${t('số hiệu', 'serial')} ${p.serialNumber}${revText}`,
      );
    });
  }
  lines.push(`${t('Các bước kiểm tra', 'Checks')}:`);
  for (const c of report.checks) {
    const where = c.certificateIndex !== undefined ? ` [${c.certificateIndex}]` : '';
    lines.push(`  ${STATUS_MARK[c.status]} ${c.id}${where}: ${c.message[lang]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `kyso cert describe`: a certificate as the Vietnamese public-service profile reads it. */
export async function certDescribe(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, lang: { type: 'string' } },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso cert describe takes exactly one certificate file');
  const certs = readCertificates(requireFile(positionals[0]!));
  const descriptions = certs.map(describeCertificate);
  if (values.json) {
    io.stdout(`${JSON.stringify(descriptions.length === 1 ? descriptions[0] : descriptions, null, 2)}\n`);
    return EXIT.ok;
  }
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const kinds = {
    personal: t('cá nhân', 'personal'),
    organisation: t('cơ quan, tổ chức', 'organisation'),
    device: t('thiết bị, dịch vụ, phần mềm', 'device/service'),
    ca: t('tổ chức cung cấp dịch vụ chứng thực (CA)', 'certification authority'),
  };
  for (const d of descriptions) {
    io.stdout(
      [
        `${t('Chủ thể', 'Subject')}: ${d.subject.text}`,
        `${t('Loại', 'Kind')}: ${kinds[d.kind]}`,
        ...d.identifiers.map((i) => `${t('Định danh', 'Identifier')}: ${i.type} ${i.value}`),
        `${t('Tổ chức cấp', 'Issuer')}: ${d.issuer.text}`,
        `${t('Hiệu lực', 'Validity')}: ${d.notBefore} → ${d.notAfter}`,
        `${t('Khóa', 'Key')}: ${d.key.algorithm} ${d.key.size}${d.key.curve ? ` ${d.key.curve}` : ''}; ${d.signatureAlgorithm}`,
        `SHA-256: ${d.fingerprint}`,
        '',
      ].join('\n'),
    );
  }
  return EXIT.ok;
}
