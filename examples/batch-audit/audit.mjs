// A batch audit: verify every PDF in a folder and write what was found as a CSV (one row per
// signature, for a spreadsheet) and a self-contained HTML report (no scripts, no external assets,
// every value escaped), both with Vietnamese and English headings.
//
//   node examples/batch-audit/audit.mjs <folder> --trust root.pem [--crl crls/] [--offline]
//        [--out <dir>] [--at 2026-11-20T09:00:00+07:00]
//
// Writes <out>/kiem-tra.csv and <out>/kiem-tra.html (default: the current directory). Exit code 0
// when every document passed, 1 when one failed or could not be read, 2 when called wrongly.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createCachingTransport, createHttpTransport, isKysoError, TrustStore } from '@kyso/core';
import { readCertificates, readCrls } from '@kyso/core/node';
import { verifyPdfFile } from '@kyso/pdf-signature/node';

/**
 * One document's outcome: its report, or the error that kept it from being read.
 * @typedef {{ file: string, report: import('@kyso/pdf-signature').PdfVerificationReport }
 *   | { file: string, error: { code: string, vi: string, en: string } }} AuditEntry
 */

/** The CSV columns, in order: key, Vietnamese heading, English heading. */
export const COLUMNS = /** @type {const} */ ([
  ['file', 'Tệp', 'File'],
  ['document', 'Kết quả văn bản', 'Document result'],
  ['index', 'Chữ ký số thứ', 'Signature no.'],
  ['field', 'Trường chữ ký', 'Signature field'],
  ['type', 'Loại', 'Type'],
  ['signer', 'Người ký', 'Signer'],
  ['organization', 'Cơ quan, tổ chức', 'Organisation'],
  ['signerKind', 'Loại chứng thư', 'Certificate kind'],
  ['signingTime', 'Thời điểm ký (giờ Việt Nam)', 'Signing time (Vietnam)'],
  ['timeProven', 'Thời điểm được chứng thực', 'Time proven by a timestamp'],
  ['indication', 'Kết quả chữ ký', 'Signature result'],
  ['subIndication', 'Chi tiết', 'Sub-indication'],
  ['modifiedAfter', 'Thay đổi sau khi ký', 'Changed after signing'],
  ['errorCode', 'Mã lỗi', 'Error code'],
  ['messageVi', 'Ghi chú', 'Note (Vietnamese)'],
  ['messageEn', 'Ghi chú (tiếng Anh)', 'Note (English)'],
]);

const INDICATION = {
  TOTAL_PASSED: { vi: 'Hợp lệ', en: 'Valid' },
  TOTAL_FAILED: { vi: 'Không hợp lệ', en: 'Invalid' },
  INDETERMINATE: { vi: 'Chưa xác định được', en: 'Indeterminate' },
};

/**
 * An ISO 8601 time as Vietnam shows it (+07:00), or '' for none.
 * @param {string | null} iso
 */
function vietnamTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 19)}+07:00`;
}

/**
 * Verifies every `*.pdf` in `folder` (sorted by name), one at a time; a file that cannot be read is
 * an entry with its error, never the end of the audit.
 * @param {string} folder
 * @param {import('@kyso/pdf-signature').VerifyPdfOptions} options
 * @returns {Promise<AuditEntry[]>}
 */
export async function auditFolder(folder, options) {
  const files = readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.pdf') && statSync(join(folder, f)).isFile())
    .sort();
  /** @type {AuditEntry[]} */
  const out = [];
  for (const file of files) {
    try {
      out.push({ file, report: await verifyPdfFile(join(folder, file), options) });
    } catch (error) {
      if (!isKysoError(error)) throw error;
      out.push({ file, error: { code: error.code, vi: error.messageVi, en: error.message } });
    }
  }
  return out;
}

/** @typedef {Record<(typeof COLUMNS)[number][0], string>} AuditRow */

/**
 * The rows of the audit: one per signature, one per unreadable or unsigned document.
 * @param {AuditEntry[]} entries
 * @returns {AuditRow[]}
 */
export function auditRows(entries) {
  const blank = /** @type {AuditRow} */ (Object.fromEntries(COLUMNS.map(([k]) => [k, ''])));
  return entries.flatMap((e) => rowsOf(e, blank));
}

/**
 * @param {AuditEntry} e
 * @param {AuditRow} blank
 * @returns {AuditRow[]}
 */
function rowsOf(e, blank) {
  if ('error' in e) {
    return [
      {
        ...blank,
        file: e.file,
        document: 'UNREADABLE',
        errorCode: e.error.code,
        messageVi: e.error.vi,
        messageEn: e.error.en,
      },
    ];
  }
  const r = e.report;
  if (r.signatures.length === 0) {
    return [
      {
        ...blank,
        file: e.file,
        document: r.indication,
        messageVi: 'Văn bản không có chữ ký số.',
        messageEn: 'The document carries no signature.',
      },
    ];
  }
  return r.signatures.map((s) => {
    // The checks that did not pass say why; a passed signature gets its modification note.
    const notes = s.checks.filter((c) => c.status !== 'passed');
    const shown = notes.length > 0 ? notes : s.checks.filter((c) => c.id === 'modifications');
    return {
      ...blank,
      file: e.file,
      document: r.indication,
      index: String(s.index),
      field: s.fieldName,
      type: s.kind,
      signer: s.signer.commonName ?? '',
      organization: s.signer.organization ?? '',
      signerKind: s.signer.kind ?? '',
      signingTime: vietnamTime(s.signingTime),
      timeProven: s.signingTimeProven ? 'yes' : 'no',
      indication: s.indication,
      subIndication: s.subIndication ?? '',
      modifiedAfter: s.modifiedAfter,
      messageVi: shown.map((c) => `${c.id}: ${c.message.vi}`).join(' | '),
      messageEn: shown.map((c) => `${c.id}: ${c.message.en}`).join(' | '),
    };
  });
}

/**
 * A CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A cell a spreadsheet
 * would run as a formula (starting with = + - @ or a tab) gets a leading apostrophe: a signer's
 * name is data the sender chose.
 * @param {string} value
 */
function csvCell(value) {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The CSV: a UTF-8 byte order mark (so spreadsheet programs read the Vietnamese), a heading row
 * "Tiếng Việt / English", then the rows, CRLF line ends.
 * @param {ReturnType<typeof auditRows>} rows
 */
export function toCsv(rows) {
  const head = COLUMNS.map(([, vi, en]) => csvCell(`${vi} / ${en}`)).join(',');
  const body = rows.map((row) => COLUMNS.map(([k]) => csvCell(row[k])).join(','));
  return `\uFEFF${[head, ...body].join('\r\n')}\r\n`;
}

/**
 * Text for HTML: every character that could open markup or end an attribute is escaped.
 * @param {string} text
 */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The HTML report: one self-contained page, inline style only, nothing fetched, nothing run.
 * @param {AuditEntry[]} entries
 * @param {{ folder: string, generatedAt: Date }} about
 */
export function toHtml(entries, about) {
  const rows = auditRows(entries);
  const count = { passed: 0, failed: 0, indeterminate: 0, unreadable: 0 };
  for (const e of entries) {
    if ('error' in e) count.unreadable++;
    else if (e.report.indication === 'TOTAL_PASSED') count.passed++;
    else if (e.report.indication === 'TOTAL_FAILED') count.failed++;
    else count.indeterminate++;
  }
  const h = escapeHtml;
  /** @param {string} indication */
  const label = (indication) => {
    const t = INDICATION[/** @type {keyof typeof INDICATION} */ (indication)];
    return t ? `${t.vi} / ${t.en}` : indication === 'UNREADABLE' ? 'Không đọc được / Unreadable' : indication;
  };
  /** @param {string} indication */
  const cls = (indication) =>
    indication === 'TOTAL_PASSED' ? 'ok' : indication === 'INDETERMINATE' ? 'unsure' : 'bad';
  const tableRows = rows
    .map(
      (r) =>
        `<tr class="${cls(r.indication || r.document)}">${COLUMNS.map(([k]) => {
          const v = k === 'document' || k === 'indication' ? (r[k] ? label(r[k]) : '') : r[k];
          return `<td>${h(v)}</td>`;
        }).join('')}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Kết quả kiểm tra chữ ký số / Signature audit</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
tr.ok td:nth-child(11) { color: #176317; font-weight: bold; }
tr.bad td:nth-child(11), tr.bad td:nth-child(2) { color: #a31515; font-weight: bold; }
tr.unsure td:nth-child(11) { color: #8a5a00; font-weight: bold; }
.en { color: #666; font-weight: normal; }
</style>
</head>
<body>
<h1>Kết quả kiểm tra chữ ký số <span class="en">/ Signature audit</span></h1>
<p>Thư mục / Folder: <code>${h(about.folder)}</code><br>
Thời điểm lập / Generated: ${h(vietnamTime(about.generatedAt.toISOString()))}</p>
<h2>Tổng hợp <span class="en">/ Summary</span></h2>
<ul>
<li>Văn bản hợp lệ / Valid documents: ${count.passed}</li>
<li>Văn bản không hợp lệ / Invalid documents: ${count.failed}</li>
<li>Chưa xác định được / Indeterminate: ${count.indeterminate}</li>
<li>Không đọc được / Unreadable: ${count.unreadable}</li>
</ul>
<h2>Chi tiết từng chữ ký <span class="en">/ Every signature</span></h2>
<table>
<thead><tr>${COLUMNS.map(([, vi, en]) => `<th>${h(vi)}<br><span class="en">${h(en)}</span></th>`).join('')}</tr></thead>
<tbody>
${tableRows}
</tbody>
</table>
</body>
</html>
`;
}

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      trust: { type: 'string', multiple: true, default: [] },
      crl: { type: 'string', multiple: true, default: [] },
      offline: { type: 'boolean', default: false },
      out: { type: 'string', default: '.' },
      at: { type: 'string' },
    },
  });
  const store = new TrustStore();
  for (const t of values.trust) store.addAnchors(readCertificates(t));
  if (positionals.length !== 1 || store.anchors.length === 0) {
    console.error(
      'Cách dùng / usage: node examples/batch-audit/audit.mjs <thư mục / folder> --trust root.pem [--crl dir] [--offline] [--out dir]',
    );
    process.exit(2);
  }
  const at = values.at ? new Date(values.at) : undefined;
  if (at && Number.isNaN(at.getTime())) {
    console.error(`--at: thời điểm không hợp lệ / not a valid time: ${values.at}`);
    process.exit(2);
  }
  const folder = positionals[0] ?? '.';
  const entries = await auditFolder(folder, {
    trustAnchors: store,
    crls: values.crl.flatMap((p) => readCrls(p)),
    ...(values.offline ? {} : { transport: createCachingTransport(createHttpTransport()) }),
    ...(at ? { at } : {}),
  });
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, 'kiem-tra.csv'), toCsv(auditRows(entries)));
  writeFileSync(join(values.out, 'kiem-tra.html'), toHtml(entries, { folder, generatedAt: new Date() }));
  const bad = entries.filter((e) => 'error' in e || e.report.indication !== 'TOTAL_PASSED').length;
  console.log(
    `${entries.length} văn bản, ${bad} không hợp lệ hoặc không đọc được / ${entries.length} documents, ${bad} not valid or unreadable`,
  );
  console.log(`→ ${join(values.out, 'kiem-tra.csv')}\n→ ${join(values.out, 'kiem-tra.html')}`);
  process.exitCode = bad > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
