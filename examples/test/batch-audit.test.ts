import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestPki, signedLetters, type TestPki } from '@kyso/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLUMNS } from '../batch-audit/audit.mjs';

const script = join(import.meta.dirname, '..', 'batch-audit', 'audit.mjs');
let pki: TestPki;
let folder: string;
let out: string;
let exitCode: number;
let stdout: string;
const hostile = '<img src=x onerror=alert(1)>.pdf';
const commaQuote = 'cong van, "so 2".pdf';

/** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

beforeAll(async () => {
  pki = await createTestPki();
  const letters = await signedLetters(pki);
  folder = join(pki.dir, 'van-ban-den');
  mkdirSync(folder);
  writeFileSync(join(folder, 'a-cong-van.pdf'), letters.good);
  writeFileSync(join(folder, 'b-cong-van-bi-sua.pdf'), letters.tampered);
  writeFileSync(join(folder, 'c-chi-lanh-dao-ky.pdf'), letters.personalOnly);
  writeFileSync(join(folder, 'd-hong.pdf'), 'this is not a PDF');
  writeFileSync(join(folder, hostile), letters.good);
  writeFileSync(join(folder, commaQuote), letters.good);
  writeFileSync(join(folder, 'ghi-chu.txt'), 'not a PDF, not audited');
  const crls = join(pki.dir, 'crls');
  mkdirSync(crls);
  writeFileSync(join(crls, 'root.crl'), pki.root.crlDer);
  writeFileSync(join(crls, 'sub-ca.crl'), pki.subCa.crlDer);
  out = join(pki.dir, 'bao-cao');
  const args = [script, folder, '--trust', pki.root.certificate.certPath, '--crl', crls, '--offline'];
  try {
    const r = await promisify(execFile)(process.execPath, [...args, '--out', out]);
    exitCode = 0;
    stdout = r.stdout;
  } catch (error) {
    const e = error as { code: number; stdout: string };
    exitCode = e.code;
    stdout = e.stdout;
  }
});
afterAll(() => pki?.cleanup());

describe('batch audit of a folder', () => {
  it('exits 1 when a document failed, and says how many in both languages', () => {
    expect(exitCode).toBe(1);
    expect(stdout).toContain('6 văn bản, 2 không hợp lệ hoặc không đọc được / 6 documents, 2 not valid');
  });

  it('writes a CSV that parses back: one row per signature, one per unreadable file', () => {
    const text = readFileSync(join(out, 'kiem-tra.csv'), 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const [head, ...rows] = parseCsv(text.slice(1));
    expect(head).toEqual(COLUMNS.map(([, vi, en]) => `${vi} / ${en}`));
    const col = (k: string) => COLUMNS.findIndex(([key]) => key === k);
    const summary = rows.map((r) => [
      r[col('file')],
      r[col('index')],
      r[col('indication')] || r[col('errorCode')],
    ]);
    expect(summary).toEqual([
      ['<img src=x onerror=alert(1)>.pdf', '1', 'TOTAL_PASSED'],
      ['<img src=x onerror=alert(1)>.pdf', '2', 'TOTAL_PASSED'],
      ['a-cong-van.pdf', '1', 'TOTAL_PASSED'],
      ['a-cong-van.pdf', '2', 'TOTAL_PASSED'],
      ['b-cong-van-bi-sua.pdf', '1', 'TOTAL_FAILED'],
      ['b-cong-van-bi-sua.pdf', '2', 'TOTAL_FAILED'],
      ['c-chi-lanh-dao-ky.pdf', '1', 'TOTAL_PASSED'],
      [commaQuote, '1', 'TOTAL_PASSED'],
      [commaQuote, '2', 'TOTAL_PASSED'],
      ['d-hong.pdf', '', 'PDF_NOT_PDF'],
    ]);
    const first = rows[2]!;
    expect(first[col('signer')]).toBe('Nguyễn Văn An');
    expect(first[col('organization')]).toBe('Sở Khoa học và Công nghệ');
    expect(first[col('signerKind')]).toBe('personal');
    expect(first[col('signingTime')]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(rows[4]![col('messageEn')]).toMatch(/\S/);
    expect(rows.every((r) => r.length === COLUMNS.length)).toBe(true);
  });

  it('writes a self-contained HTML report with every value escaped and headings in both languages', () => {
    const html = readFileSync(join(out, 'kiem-tra.html'), 'utf8');
    expect(html).toContain('Kết quả kiểm tra chữ ký số <span class="en">/ Signature audit</span>');
    expect(html).toContain('Văn bản hợp lệ / Valid documents: 4');
    expect(html).toContain('Văn bản không hợp lệ / Invalid documents: 1');
    expect(html).toContain('Không đọc được / Unreadable: 1');
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;.pdf');
    expect(html).not.toContain('<img');
    expect(html).toContain('cong van, &#34;so 2&#34;.pdf');
    // Nothing to fetch and nothing to run.
    expect(html).not.toMatch(/<script|<link|<iframe|<object|url\(|https?:\/\//i);
    expect(html).not.toMatch(/<[a-z][^>]*\s(src|href)=/i);
    expect(html).toContain("default-src 'none'");
  });
});
