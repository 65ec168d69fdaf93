import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { describeCertificate } from '@kyso/core';
import { readCertificates } from '@kyso/core/node';
import {
  addWorkingDays,
  citationOf,
  evaluateCertificate,
  holidaysOf,
  JURISDICTIONS,
  PROVINCES,
  parseIsoDate,
  parseProvince,
  type Reason,
  reportingCalendar,
  rulesAt,
  vietnamDate,
} from '@kyso/lifecycle-rules';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';

const COMMON = {
  province: { type: 'string' },
  at: { type: 'string' },
  json: { type: 'boolean', default: false },
  lang: { type: 'string' },
} as const;

function today(): string {
  return vietnamDate(new Date());
}

function out(io: CliIo, data: unknown): void {
  io.stdout(`${JSON.stringify(data, null, 2)}\n`);
}

function reasonLines(reasons: Reason[], lang: Lang): string[] {
  return reasons.map((r) => `    - ${r[lang]} (${r.citation.text})`);
}

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
    case 'cert':
      return cert(rest, io);
    case 'holidays':
      return holidays(rest, io);
    case 'workdays':
      return workdays(rest, io);
    case 'calendar':
      return calendar(rest, io);
    default:
      throw new UsageError('kyso rules takes list, cert, holidays, workdays or calendar');
  }
}

function list(args: readonly string[], io: CliIo): number {
  const { values } = parseArgs({
    args: [...args],
    options: { ...COMMON, drafts: { type: 'boolean', default: false } },
  });
  const lang = pickLang(values.lang, io.env);
  const at = parseIsoDate(values.at ?? today(), '--at');
  const province = parseProvince(values.province);
  const found = rulesAt(at, province, { includeDrafts: values.drafts });
  if (values.json) {
    out(
      io,
      found.map((r) => ({ ...r, citation: citationOf(r) })),
    );
    return EXIT.ok;
  }
  const lines = [
    `${lang === 'vi' ? 'Quy tắc có hiệu lực ngày' : 'Rules in force on'} ${at}${province ? ` (${province})` : ''}: ${found.length}`,
  ];
  for (const r of found)
    lines.push(
      `- ${r.id}: ${r.statement[lang]} [${citationOf(r).text}; ${r.period.from} → ${r.period.to ?? '…'}]`,
    );
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function cert(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { ...COMMON, 'renewals-used': { type: 'string', default: '0' } },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length !== 1) throw new UsageError('kyso rules cert takes one certificate file');
  if (!existsSync(positionals[0]!)) throw new UsageError(`no such file: ${positionals[0]}`);
  const [certificate] = readCertificates(positionals[0]!);
  if (!certificate) throw new UsageError(`${positionals[0]} holds no certificate`);
  const d = describeCertificate(certificate);
  if (d.kind === 'ca')
    throw new UsageError('this is a CA certificate; the lifecycle rules are for subscriber certificates');
  const renewalsUsed = Number(values['renewals-used']);
  if (!Number.isInteger(renewalsUsed) || renewalsUsed < 0)
    throw new UsageError('--renewals-used must be a whole number');
  const evaluation = evaluateCertificate(
    {
      kind: d.kind,
      notBefore: vietnamDate(certificate.notBefore),
      notAfter: vietnamDate(certificate.notAfter),
      renewalsUsed,
    },
    { at: values.at ?? today(), ...(values.province ? { province: values.province } : {}) },
  );
  if (values.json) {
    out(io, {
      certificate: {
        subject: d.subject.text,
        kind: d.kind,
        notAfter: d.notAfter,
        fingerprint: d.fingerprint,
      },
      ...evaluation,
    });
    return EXIT.ok;
  }
  const yes = lang === 'vi' ? 'được' : 'allowed';
  const no = lang === 'vi' ? 'không được' : 'not allowed';
  const lines = [
    `${lang === 'vi' ? 'Chứng thư' : 'Certificate'}: ${d.subject.text}`,
    `${lang === 'vi' ? 'Còn hiệu lực' : 'Days remaining'}: ${evaluation.daysRemaining} (${lang === 'vi' ? 'đến' : 'until'} ${vietnamDate(certificate.notAfter)})`,
    `${lang === 'vi' ? 'Gia hạn' : 'Renewal'}: ${evaluation.renewal.allowed ? yes : no}${evaluation.renewal.latestRequestDate ? `; ${lang === 'vi' ? 'đề nghị chậm nhất' : 'request by'} ${evaluation.renewal.latestRequestDate}` : ''}${evaluation.renewal.maxYears ? `; ${lang === 'vi' ? 'tối đa' : 'at most'} ${evaluation.renewal.maxYears} ${lang === 'vi' ? 'năm' : 'years'}` : ''}${evaluation.renewal.form ? `; ${evaluation.renewal.form}` : ''}`,
    ...reasonLines(evaluation.renewal.reasons, lang),
    `${lang === 'vi' ? 'Thay đổi thông tin' : 'Information change'}: ${evaluation.informationChange.allowed ? yes : no}`,
    ...reasonLines(evaluation.informationChange.reasons, lang),
    `${lang === 'vi' ? 'Sau khi hết hạn hoặc bị thu hồi' : 'After expiry or revocation'}:`,
    ...reasonLines(evaluation.afterEnd.steps, lang),
  ];
  for (const s of evaluation.staleCitations) {
    lines.push(
      lang === 'vi'
        ? `! Quy tắc ${s.ruleId} dựa trên ${s.cites}, văn bản đã hết hiệu lực`
        : `! Rule ${s.ruleId} rests on ${s.cites}, no longer in force`,
    );
  }
  io.stdout(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

function holidays(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: COMMON });
  const lang = pickLang(values.lang, io.env);
  const year = parseYear(positionals[0]);
  const days = holidaysOf(year);
  if (values.json) {
    out(
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
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: COMMON });
  const [op, date, n] = positionals;
  if (op !== 'add' || !date || n === undefined)
    throw new UsageError('usage: kyso rules workdays add <YYYY-MM-DD> <n>');
  if (!/^-?\d+$/.test(n)) throw new UsageError(`<n> must be a whole number, not "${n}"`);
  const result = addWorkingDays(parseIsoDate(date, 'date'), Number(n));
  if (values.json) out(io, { date: result });
  else io.stdout(`${result}\n`);
  return EXIT.ok;
}

function calendar(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: COMMON });
  const lang = pickLang(values.lang, io.env);
  const year = parseYear(positionals[0]);
  const provinces = values.province ? [parseProvince(values.province)!] : [...PROVINCES];
  const due = provinces.flatMap((p) => reportingCalendar(year, p).map((r) => ({ province: p, ...r })));
  if (values.json) {
    out(io, due);
    return EXIT.ok;
  }
  const name = (p: string) => JURISDICTIONS.find((j) => j.id === p)?.name[lang] ?? p;
  const lines = due.map((r) => `${r.due}  ${name(r.province)}: ${r.name[lang]} (${r.citation.text})`);
  io.stdout(
    `${lines.length > 0 ? lines.join('\n') : lang === 'vi' ? 'Không có báo cáo định kỳ.' : 'No periodic reports.'}\n`,
  );
  return EXIT.ok;
}
