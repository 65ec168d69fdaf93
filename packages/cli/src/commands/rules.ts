import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeCertificate } from '@kyso/core';
import { readCertificates } from '@kyso/core/node';
import {
  addWorkingDays,
  type CertificateEvaluation,
  citationOf,
  evaluateCertificate,
  holidaysOf,
  isStaleOn,
  JURISDICTIONS,
  LEGAL_DOCUMENTS,
  PROVINCES,
  parseIsoDate,
  parseProvince,
  reportingCalendar,
  rulesAt,
  vietnamDate,
} from '@kyso/lifecycle-rules';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';
import { documentDuties, route, subscriber } from './rules-duties.js';
import {
  parseRulesArgs,
  RULES_IN_FORCE_OPTIONS,
  RULES_OPTIONS,
  ruleDate,
  ruleScope,
} from './rules-options.js';
import { deadlineLine, printJson, reasonLines, reportWhen, staleCitationLine } from './rules-output.js';
import { type RevocationFinding, revocationFromOptions } from './rules-revocation.js';

function parseYear(text: string | undefined): number {
  const year = Number(text);
  if (!text || !/^\d{4}$/.test(text) || year < 1900 || year > 2199)
    throw new UsageError(`give a year from 1900 to 2199, not "${text ?? ''}"`);
  return year;
}

/** `kyso rules …`: the decrees as data. */
export async function rules(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
      return list(rest, io);
    case 'documents':
      return documents(rest, io);
    case 'cert':
      return cert(rest, io);
    case 'holidays':
      return holidays(rest, io);
    case 'workdays':
      return workdays(rest, io);
    case 'calendar':
      return calendar(rest, io);
    case 'route':
      return route(rest, io);
    case 'duties':
      return subscriber(rest, io);
    case 'doc':
      return documentDuties(rest, io);
    default:
      throw new UsageError(
        'kyso rules takes list, documents, cert, route, duties, doc, holidays, workdays or calendar',
      );
  }
}

function list(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: RULES_IN_FORCE_OPTIONS,
  });
  const lang = pickLang(values.lang, io.env);
  const at = ruleDate(values.at);
  const province = parseProvince(values.province);
  const found = rulesAt(at, province, { includeDrafts: values.drafts });
  if (values.json) {
    printJson(
      io,
      found.map((r) => ({ ...r, citation: citationOf(r) })),
    );
    return EXIT.ok;
  }
  const lines = [
    `${lang === 'vi' ? 'Quy tắc có hiệu lực ngày' : 'Rules in force on'} ${at}${province ? ` (${province})` : ''}: ${found.length}`,
  ];
  for (const r of found) {
    const c = citationOf(r);
    const grade = `${lang === 'vi' ? 'hạng' : 'grade'} ${c.grade}${c.restatedIn ? ` (${lang === 'vi' ? 'theo' : 'as restated in'} ${c.restatedIn})` : ''}`;
    lines.push(
      `- ${r.id}: ${r.statement[lang]} [${c.text}; ${r.period.from} → ${r.period.to ?? '…'}; ${grade}]`,
    );
    for (const a of r.assumptions ?? [])
      lines.push(
        `    ${lang === 'vi' ? 'Giả định' : 'Assumption'} (${a.param} = ${String(r.params[a.param])}): ${a[lang]}`,
      );
    if (isStaleOn(r, at))
      lines.push(
        lang === 'vi'
          ? `    ! dựa trên văn bản trung ương đã hết hiệu lực (${r.source.citesNational?.join(', ')})`
          : `    ! rests on a national text no longer in force (${r.source.citesNational?.join(', ')})`,
      );
  }
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** `kyso rules documents`: the legal texts the rules cite, their periods and where each start date comes from. */
function documents(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({ args: [...args], options: RULES_OPTIONS });
  const lang = pickLang(values.lang, io.env);
  if (values.json) {
    printJson(io, LEGAL_DOCUMENTS);
    return EXIT.ok;
  }
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const lines = LEGAL_DOCUMENTS.flatMap((d) => [
    `- ${d.title} (${d.issuer})`,
    `    ${t('Hiệu lực', 'In force')}: ${d.from} → ${d.to ?? '…'}; ${d.fromVerified ? t('ngày bắt đầu đã xác minh', 'start date verified') : t('ngày bắt đầu CHƯA xác minh', 'start date NOT verified')}: ${d.fromSource}`,
  ]);
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

const TOKEN_STATES = ['locked', 'lost', 'damaged'] as const;

async function cert(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      ...RULES_IN_FORCE_OPTIONS,
      'renewals-used': { type: 'string', default: '0' },
      token: { type: 'string', multiple: true, default: [] },
      revoked: { type: 'boolean', default: false },
      'revoked-on': { type: 'string' },
      'security-incident': { type: 'boolean', default: false },
      retiring: { type: 'boolean', default: false },
      transferring: { type: 'boolean', default: false },
      crl: { type: 'string', multiple: true, default: [] },
      ocsp: { type: 'boolean', default: false },
      trust: { type: 'string', multiple: true, default: [] },
      profile: { type: 'string', multiple: true, default: [] },
      intermediate: { type: 'string', multiple: true, default: [] },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso rules cert takes one certificate file');
  if (!existsSync(positionals[0]!)) throw new UsageError(`no such file: ${positionals[0]}`);
  const [certificate, ...bundled] = readCertificates(positionals[0]!);
  if (!certificate) throw new UsageError(`${positionals[0]} holds no certificate`);
  const d = describeCertificate(certificate);
  if (d.kind === 'ca')
    throw new UsageError('this is a CA certificate; the lifecycle rules are for subscriber certificates');
  const renewalsUsed = Number(values['renewals-used']);
  if (!Number.isInteger(renewalsUsed) || renewalsUsed < 0)
    throw new UsageError('--renewals-used must be a whole number');
  for (const t of values.token)
    if (!(TOKEN_STATES as readonly string[]).includes(t))
      throw new UsageError(`--token must be ${TOKEN_STATES.join(', ')}, not "${t}"`);
  if ((values.retiring || values.transferring) && d.kind !== 'personal')
    throw new UsageError('--retiring and --transferring are for personal certificates');
  const scope = ruleScope(values);
  const { at } = scope;
  const revokedOnGiven = values['revoked-on']
    ? parseIsoDate(values['revoked-on'], '--revoked-on')
    : undefined;
  // The revocation status: what the caller states, else what a CRL or OCSP response says through core.
  const finding: RevocationFinding | null =
    values.crl.length > 0 || values.ocsp ? await revocationFromOptions(certificate, bundled, values) : null;
  const revokedByStatus =
    finding?.status === 'revoked' && finding.revokedOn !== null && finding.revokedOn <= at;
  const revoked = values.revoked || revokedOnGiven !== undefined || revokedByStatus;
  const revokedOn = revokedOnGiven ?? (revokedByStatus ? finding!.revokedOn! : undefined);
  const evaluation = evaluateCertificate(
    {
      kind: d.kind,
      notBefore: vietnamDate(certificate.notBefore),
      notAfter: vietnamDate(certificate.notAfter),
      renewalsUsed,
      status: revoked ? 'revoked' : 'active',
      ...(revokedOn ? { revokedOn } : {}),
      token: {
        locked: values.token.includes('locked'),
        lost: values.token.includes('lost'),
        damaged: values.token.includes('damaged'),
      },
      securityIncident: values['security-incident'],
      holder: { retiring: values.retiring, transferring: values.transferring },
    },
    scope,
  );
  if (values.json) {
    printJson(io, {
      certificate: {
        subject: d.subject.text,
        kind: d.kind,
        notAfter: d.notAfter,
        fingerprint: d.fingerprint,
      },
      ...(finding ? { revocationStatus: finding } : {}),
      ...evaluation,
    });
    return EXIT.ok;
  }
  io.stdout(renderCertificate(d.subject.text, vietnamDate(certificate.notAfter), evaluation, finding, lang));
  return EXIT.ok;
}

function renderCertificate(
  subject: string,
  notAfter: string,
  e: CertificateEvaluation,
  finding: RevocationFinding | null,
  lang: Lang,
): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const verdict = (allowed: boolean | null) =>
    allowed === null
      ? t('chưa có quy định được mã hóa cho ngày này', 'no rule encoded for this date')
      : allowed
        ? t('được', 'allowed')
        : t('không được', 'not allowed');
  const lines = [
    `${t('Chứng thư', 'Certificate')}: ${subject}`,
    `${t('Còn hiệu lực', 'Days remaining')}: ${e.daysRemaining} (${t('đến', 'until')} ${notAfter})`,
  ];
  if (finding)
    lines.push(`${t('Trạng thái thu hồi', 'Revocation status')}: ${revocationLine(finding, lang)}`);
  lines.push(
    `${t('Gia hạn', 'Renewal')}: ${verdict(e.renewal.allowed)}${e.renewal.latestRequestDate ? `; ${t('đề nghị chậm nhất', 'request by')} ${e.renewal.latestRequestDate}` : ''}${e.renewal.maxYears ? `; ${t('tối đa', 'at most')} ${e.renewal.maxYears} ${t('năm', 'years')}` : ''}${e.renewal.form ? `; ${e.renewal.form}` : ''}${e.renewal.handledBy ? `; ${t('gửi', 'to')} ${e.renewal.handledBy}` : ''}`,
    ...reasonLines(e.renewal.reasons, lang),
    `${t('Thay đổi thông tin', 'Information change')}: ${verdict(e.informationChange.allowed)}`,
    ...reasonLines(e.informationChange.reasons, lang),
  );
  if (e.revocation.required.length > 0)
    lines.push(
      `${t('Phải thu hồi', 'Revocation required')}: ${e.revocation.required.join(', ')}${e.revocation.form ? ` (${e.revocation.form})` : ''}`,
    );
  for (const duty of e.duties) {
    lines.push(`${t('Nghĩa vụ', 'Duty')} (${duty.event}): ${reportWhen(duty, lang)}`);
    lines.push(...reasonLines([...duty.reasons, ...duty.then], lang));
    if (duty.deadline) lines.push(deadlineLine(duty.deadline, lang));
  }
  if (e.tokenRecovery) {
    lines.push(
      `${t('Khôi phục thiết bị', 'Token recovery')}: ${e.tokenRecovery.form ?? ''}${e.tokenRecovery.handledBy ? `; ${t('gửi', 'to')} ${e.tokenRecovery.handledBy}` : ''}${e.tokenRecovery.deadlineWorkingDays !== null ? `; ${t('trong', 'within')} ${e.tokenRecovery.deadlineWorkingDays} ${t('ngày làm việc', 'working day(s)')}` : ''}`,
      ...reasonLines(e.tokenRecovery.reasons, lang),
    );
  }
  lines.push(
    `${t('Sau khi hết hạn hoặc bị thu hồi', 'After expiry or revocation')}:`,
    ...reasonLines(e.afterEnd.steps, lang),
  );
  if (e.afterEnd.tokenReturnDeadline)
    lines.push(
      `    ${t('Hạn bàn giao thiết bị', 'Token hand-back due')}: ${e.afterEnd.tokenReturnDeadline.date}`,
    );
  for (const s of e.staleCitations) lines.push(staleCitationLine(s, lang));
  return `${lines.join('\n')}\n`;
}

function revocationLine(f: RevocationFinding, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const source = f.source === 'none' ? '' : ` (${f.source.toUpperCase()})`;
  if (f.status === 'revoked')
    return `${t('đã bị thu hồi', 'revoked')}${f.revokedOn ? ` ${t('ngày', 'on')} ${f.revokedOn}` : ''}${f.reason ? `, ${f.reason}` : ''}${source}`;
  if (f.status === 'good') return `${t('còn hoạt động', 'active')}${source}`;
  return `${t('không xác định được', 'could not be established')}${f.problems.length > 0 ? `: ${f.problems.join('; ')}` : ''}`;
}

function holidays(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseRulesArgs(args);
  const lang = pickLang(values.lang, io.env);
  const year = parseYear(positionals[0]);
  const days = holidaysOf(year);
  if (values.json) {
    printJson(
      io,
      days.map((h) => ({ date: h.date, name: h.name[lang], kind: h.kind })),
    );
    return EXIT.ok;
  }
  io.stdout(
    `${days.map((h) => `${h.date}  ${h.name[lang]}${h.kind === 'compensatory' ? (lang === 'vi' ? ' (nghỉ bù)' : ' (compensatory)') : ''}`).join('\n')}\n`,
  );
  return EXIT.ok;
}

function workdays(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseRulesArgs(args);
  const [op, date, n] = positionals;
  if (op !== 'add' || !date || n === undefined)
    throw new UsageError('usage: kyso rules workdays add <YYYY-MM-DD> <n>');
  if (!/^-?\d+$/.test(n)) throw new UsageError(`<n> must be a whole number, not "${n}"`);
  const result = addWorkingDays(parseIsoDate(date, 'date'), Number(n));
  if (values.json) printJson(io, { date: result });
  else io.stdout(`${result}\n`);
  return EXIT.ok;
}

function calendar(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseRulesArgs(args);
  const lang = pickLang(values.lang, io.env);
  const year = parseYear(positionals[0]);
  const provinces = values.province ? [parseProvince(values.province)!] : [...PROVINCES];
  const due = provinces.flatMap((p) => reportingCalendar(year, p).map((r) => ({ province: p, ...r })));
  if (values.json) {
    printJson(io, due);
    return EXIT.ok;
  }
  const name = (p: string) => JURISDICTIONS.find((j) => j.id === p)?.name[lang] ?? p;
  const lines = due.map((r) => `${r.due}  ${name(r.province)}: ${r.name[lang]} (${r.citation.text})`);
  io.stdout(
    `${lines.length > 0 ? lines.join('\n') : lang === 'vi' ? 'Không có báo cáo định kỳ.' : 'No periodic reports.'}\n`,
  );
  return EXIT.ok;
}
