import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createCachingTransport,
  createHttpTransport,
  isKysoError,
  offlineTransport,
  type RevocationMode,
} from '@kyso/core';
import type { PdfVerificationReport } from '@kyso/pdf-signature';
import { verifyPdfFile } from '@kyso/pdf-signature/node';
import { type CliIo, EXIT, type Lang, pickLang, UsageError } from '../io.js';
import { crlsFromOptions, parseAt, trustFromOptions } from './trust-options.js';

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

/** `kyso verify`: every signature of each PDF and what changed after it. */
export async function verify(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      profile: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      at: { type: 'string' },
      offline: { type: 'boolean', default: false },
      revocation: { type: 'string', default: 'hard-fail' },
      json: { type: 'boolean', default: false },
      lang: { type: 'string' },
    },
  });
  const lang = pickLang(values.lang, io.env);
  if (positionals.length === 0)
    throw new UsageError('kyso verify takes one or more PDF files or directories');
  const store = trustFromOptions(values.profile, values.trust);
  const crls = crlsFromOptions(values.crl);
  const at = parseAt(values.at);
  if (!['hard-fail', 'soft-fail', 'none'].includes(values.revocation))
    throw new UsageError('--revocation must be hard-fail, soft-fail or none');
  const files = pdfFiles(positionals);
  const transport = values.offline ? offlineTransport : createCachingTransport(createHttpTransport());
  const results: Record<string, unknown>[] = [];
  let worst: number = EXIT.ok;
  for (const file of files) {
    try {
      const report = await verifyPdfFile(file, {
        trustAnchors: store,
        crls,
        ...(at ? { at } : {}),
        revocation: values.revocation as RevocationMode,
        transport,
      });
      results.push({ file, ...report });
      if (report.indication !== 'TOTAL_PASSED' && worst === EXIT.ok) worst = EXIT.failed;
      if (!values.json) io.stdout(render(file, report, lang));
    } catch (error) {
      // A directory verify keeps going past a bad file and reports it.
      if (!isKysoError(error)) throw error;
      results.push({ file, error: { code: error.code, message: error.message, messageVi: error.messageVi } });
      io.stderr(`kyso: ${file}: ${error.code}: ${lang === 'vi' ? error.messageVi : error.message}\n`);
      worst = EXIT.unusable;
    }
  }
  if (values.json) io.stdout(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
  return worst;
}

/** A verification report as an official reads it. */
export function render(file: string, report: PdfVerificationReport, lang: Lang): string {
  const t = (vi: string, en: string) => (lang === 'vi' ? vi : en);
  const lines = [`${file}: ${INDICATION[report.indication][lang]} (${report.indication})`];
  if (report.signatures.length === 0) lines.push(`  ${t('Không có chữ ký số.', 'No signature.')}`);
  for (const s of report.signatures) {
    lines.push(
      `  [${s.index}] ${s.kind === 'timestamp' ? t('dấu thời gian văn bản ', 'document timestamp ') : ''}${s.fieldName}: ${INDICATION[s.indication][lang]}${s.subIndication ? ` (${s.subIndication})` : ''} — ${s.signer.commonName ?? t('không rõ người ký', 'unknown signer')}${s.signer.kind ? ` [${s.signer.kind}]` : ''}`,
      `      ${s.kind === 'timestamp' ? t('thời điểm', 'time') : t('thời điểm ký', 'signed at')}: ${s.signingTime ?? '—'}${s.timestamped ? t(' (có dấu thời gian)', ' (timestamped)') : ''}; ${MODIFIED[s.modifiedAfter][lang]}`,
    );
    for (const c of s.checks.filter((c) => c.status === 'failed' || c.status === 'warning'))
      lines.push(`      ${c.status === 'failed' ? '✗' : '!'} ${c.message[lang]}`);
    // What changed after signing, when it was permitted: an official should see it was filled in.
    for (const c of s.checks.filter((c) => c.id === 'modifications' && c.status === 'passed'))
      lines.push(`      · ${c.message[lang]}`);
  }
  return `${lines.join('\n')}\n`;
}
