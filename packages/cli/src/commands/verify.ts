import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { RevocationMode } from '@kyso/core';
import { loadCrlCache } from '@kyso/core/node';
import type { PdfVerificationReport } from '@kyso/pdf-signature';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';
import { type FileOutcome, optionsOf, type VerifySettings, verifyOneFile } from '../verify/job.js';
import { verifyInWorkers } from '../verify/pool.js';
import { crlsFromOptions, parseAt, requireFile, trustFromOptions } from './trust-options.js';

const INDICATION = {
  TOTAL_PASSED: { vi: 'HỢP LỆ', en: 'VALID' },
  TOTAL_FAILED: { vi: 'KHÔNG HỢP LỆ', en: 'INVALID' },
  INDETERMINATE: { vi: 'CHƯA XÁC ĐỊNH ĐƯỢC', en: 'INDETERMINATE' },
} as const;

const MODIFIED = {
  none: { vi: 'không có thay đổi sau khi ký', en: 'nothing changed after signing' },
  allowed: {
    vi: 'sau khi ký chỉ có thay đổi được phép',
    en: 'only permitted changes after signing',
  },
  disallowed: { vi: 'BỊ SỬA ĐỔI sau khi ký', en: 'CHANGED after signing' },
  indeterminate: {
    vi: 'không xác định được thay đổi sau khi ký',
    en: 'changes after signing could not be analysed',
  },
} as const;

/** The most worker threads `--jobs` starts. */
const MAX_JOBS = 64;

/** Every PDF among `paths` (files, and the .pdf files of directories, sorted). */
function pdfFiles(paths: readonly string[]): string[] {
  return paths.flatMap((p) => {
    if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
    if (!statSync(p).isDirectory()) return [p];
    return readdirSync(p)
      .filter((f) => f.toLowerCase().endsWith('.pdf'))
      .sort()
      .map((f) => join(p, f));
  });
}

/** `--jobs`: a whole number from 1 to {@link MAX_JOBS} (default 1: in this thread). */
function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_JOBS)
    throw new UsageError(`--jobs must be a whole number from 1 to ${MAX_JOBS}, not "${text}"`);
  return n;
}

/** The counts of a batch, for the closing summary. */
export interface BatchSummary {
  files: number;
  passed: number;
  /** TOTAL_FAILED or INDETERMINATE. */
  failed: number;
  /** Of the failed, how many are INDETERMINATE. */
  indeterminate: number;
  /** Files kyso could not read (not a PDF, broken, gone). */
  unreadable: number;
}

/** The closing line of a batch, in `lang`. */
export function renderSummary(s: BatchSummary, lang: Lang): string {
  if (lang === 'vi') {
    const ind = s.indeterminate > 0 ? ` (trong đó ${s.indeterminate} chưa xác định được)` : '';
    return `Tổng cộng ${s.files} tệp: ${s.passed} đạt, ${s.failed} không đạt${ind}, ${s.unreadable} không đọc được.\n`;
  }
  const ind = s.indeterminate > 0 ? ` (${s.indeterminate} of them indeterminate)` : '';
  return `Total ${s.files} files: ${s.passed} passed, ${s.failed} failed${ind}, ${s.unreadable} unreadable.\n`;
}

/**
 * `kyso verify`: every signature of each PDF and what changed after it. Over many files: `--json`
 * prints one JSON object per line as each file finishes (NDJSON), `--json-array` one array at the
 * end; a progress line goes to stderr when it is a terminal; a closing summary follows; `--jobs N`
 * verifies on N worker threads. Exit 0 when every file passed, 1 when one failed, was
 * indeterminate or could not be read, 2 when called wrong.
 */
export async function verify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      profile: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      'crl-cache': { type: 'string', multiple: true, default: [] },
      at: { type: 'string' },
      offline: { type: 'boolean', default: false },
      revocation: { type: 'string', default: 'hard-fail' },
      json: { type: 'boolean', default: false },
      'json-array': { type: 'boolean', default: false },
      jobs: { type: 'string' },
      lang: { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length === 0)
    throw new UsageError('kyso verify takes one or more PDF files or directories');
  if (values.json && values['json-array']) throw new UsageError('give --json or --json-array, not both');
  const jobs = parseJobs(values.jobs);
  const store = trustFromOptions(values.profile, values.trust);
  const crls = [
    ...crlsFromOptions(values.crl),
    ...values['crl-cache'].flatMap((dir) => loadCrlCache(requireFile(dir))),
  ];
  const at = parseAt(values.at);
  if (!['hard-fail', 'soft-fail', 'none'].includes(values.revocation))
    throw new UsageError('--revocation must be hard-fail, soft-fail or none');
  const files = pdfFiles(positionals);
  const settings: VerifySettings = {
    anchors: store.anchors.map((c) => c.der),
    intermediates: store.intermediates.map((c) => c.der),
    crls: crls.map((c) => c.der),
    at: at ? at.toISOString() : null,
    revocation: values.revocation as RevocationMode,
    offline: values.offline,
  };
  const mode = values.json ? 'ndjson' : values['json-array'] ? 'array' : 'text';
  const summary: BatchSummary = {
    files: files.length,
    passed: 0,
    failed: 0,
    indeterminate: 0,
    unreadable: 0,
  };
  const collected: FileOutcome[] = [];
  const progress = io.stderrIsTTY === true && files.length > 1;
  const onOutcome = (outcome: FileOutcome) => {
    if ('error' in outcome) {
      summary.unreadable += 1;
      const { code, message, messageVi } = outcome.error;
      io.stderr(
        `${progress ? '\r\x1b[K' : ''}kyso: ${outcome.file}: ${code}: ${lang === 'vi' ? messageVi : message}\n`,
      );
    } else if (outcome.report.indication === 'TOTAL_PASSED') summary.passed += 1;
    else {
      summary.failed += 1;
      if (outcome.report.indication === 'INDETERMINATE') summary.indeterminate += 1;
    }
    if (mode === 'ndjson') io.stdout(`${JSON.stringify(jsonOf(outcome))}\n`);
    else if (mode === 'array') collected.push(outcome);
    else if ('report' in outcome) io.stdout(render(outcome.file, outcome.report, lang));
    if (progress) {
      const done = summary.passed + summary.failed + summary.unreadable;
      io.stderr(`\r\x1b[K[${done}/${files.length}] ${outcome.file}`);
    }
  };
  if (jobs > 1 && files.length > 1) await verifyInWorkers(files, settings, jobs, onOutcome);
  else {
    const options = optionsOf(settings);
    for (const file of files) onOutcome(await verifyOneFile(file, options));
  }
  if (progress) io.stderr('\r\x1b[K');
  if (mode === 'array') {
    // The shape of earlier releases: input order, one object for one file, an array otherwise.
    const order = new Map(files.map((f, i) => [f, i]));
    const results = collected.sort((a, b) => order.get(a.file)! - order.get(b.file)!).map(jsonOf);
    io.stdout(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
  }
  if (files.length > 1) {
    if (mode === 'text') io.stdout(renderSummary(summary, lang));
    else io.stderr(renderSummary(summary, lang));
  }
  return summary.failed > 0 || summary.unreadable > 0 ? EXIT.failed : EXIT.ok;
}

/** One line of `--json`: the file and its report, or the file and why it could not be read. */
function jsonOf(outcome: FileOutcome): Record<string, unknown> {
  return 'report' in outcome ? { file: outcome.file, ...outcome.report } : outcome;
}

/** Vietnam's offset from UTC: officials read times in local time, with the offset written out. */
const VIETNAM_OFFSET_MINUTES = 7 * 60;

/** An ISO 8601 time in Vietnam's time zone: `2026-01-31T22:32:29+07:00`. */
export function vietnamTime(iso: string | null): string {
  if (!iso) return '—';
  const local = new Date(new Date(iso).getTime() + VIETNAM_OFFSET_MINUTES * 60_000);
  return `${local.toISOString().slice(0, 19)}+07:00`;
}

const KIND: Record<string, { vi: string; en: string }> = {
  personal: { vi: 'cá nhân', en: 'personal' },
  organisation: { vi: 'cơ quan, tổ chức', en: 'organisation' },
  device: { vi: 'thiết bị, dịch vụ', en: 'device or service' },
  ca: { vi: 'tổ chức chứng thực', en: 'certification authority' },
  'timestamp-authority': { vi: 'máy chủ cấp dấu thời gian', en: 'timestamp authority' },
};

/** A verification report as an official reads it. */
export function render(file: string, report: PdfVerificationReport, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const lines = [`${file}: ${INDICATION[report.indication][lang]} (${report.indication})`];
  if (report.reconstructed)
    lines.push(
      `  ! ${t(`tệp bị hỏng sau byte ${report.reconstructed.intactEnd}; phần sau được đọc bằng cách dò tìm đối tượng`, `the file is damaged after byte ${report.reconstructed.intactEnd}; what follows was read by scanning for objects`)}`,
    );
  if (report.signatures.length === 0) lines.push(`  ${t('Không có chữ ký số.', 'No signature.')}`);
  for (const s of report.signatures) {
    const kind = s.signer.kind ? KIND[s.signer.kind]?.[lang] : undefined;
    lines.push(
      `  [${s.index}] ${s.kind === 'timestamp' ? t('dấu thời gian văn bản ', 'document timestamp ') : ''}${s.fieldName}: ${INDICATION[s.indication][lang]}${s.subIndication ? ` (${s.subIndication})` : ''} — ${s.signer.commonName ?? t('không rõ người ký', 'unknown signer')}${kind ? ` [${kind}]` : ''}${s.signer.organization && s.signer.organization !== s.signer.commonName ? `, ${s.signer.organization}` : ''}`,
    );
    const ids = (s.signer.identifiers ?? []).map((i) => `${i.type}: ${i.value}`).join(', ');
    if (s.signer.serialNumber)
      lines.push(
        `      ${t('chứng thư số', 'certificate')}: ${t('số hiệu', 'serial')} ${s.signer.serialNumber}, ${t('cấp bởi', 'issued by')} ${s.signer.issuer ?? '—'}, ${t('hiệu lực', 'valid')} ${vietnamTime(s.signer.notBefore ?? null)} → ${vietnamTime(s.signer.notAfter ?? null)}${ids ? `; ${ids}` : ''}`,
        `      SHA-256: ${s.signer.fingerprintSha256}`,
      );
    const timeNote = s.signingTimeProven
      ? t(' (có dấu thời gian)', ' (timestamped)')
      : s.signingTime
        ? t(' (do người ký tự ghi, chưa được chứng minh)', ' (claimed by the signer, not proven)')
        : '';
    lines.push(
      `      ${s.kind === 'timestamp' ? t('thời điểm', 'time') : t('thời điểm ký', 'signed at')}: ${vietnamTime(s.signingTime)}${timeNote}; ${MODIFIED[s.modifiedAfter][lang]}`,
    );
    if (s.kind === 'signature' && s.timestampAuthority)
      lines.push(
        `      ${t('máy chủ dấu thời gian', 'timestamp authority')}: ${s.timestampAuthority.commonName ?? '—'}`,
      );
    if (s.proofOfExistence)
      lines.push(
        `      ${t('hợp lệ tại thời điểm được chứng minh', 'valid at the proven time')} ${vietnamTime(s.proofOfExistence.time)} (${s.proofOfExistence.source[lang]})`,
      );
    for (const c of s.checks.filter((c) => c.status === 'failed' || c.status === 'warning'))
      lines.push(`      ${c.status === 'failed' ? '✗' : '!'} ${c.message[lang]}`);
    // What changed after signing, when it was permitted: an official should see it was filled in.
    for (const c of s.checks.filter((c) => c.id === 'modifications' && c.status === 'passed'))
      lines.push(`      · ${c.message[lang]}`);
  }
  return `${lines.join('\n')}\n`;
}
