import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { englishIn } from './support/language.js';

/**
 * Issue 14, item 11: `docs/errors.md` lists every error code and every check id, with its meaning in
 * Vietnamese and English. The codes and ids are read from the sources, so the page cannot drift.
 */
const root = join(import.meta.dirname, '..', '..', '..');
const packages = join(root, 'packages');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sourceFiles(path) : f.endsWith('.ts') ? [path] : [];
  });
}

/** A source without its comments (a `;` or a quote in a comment must not end or start anything). */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The packages whose sources declare error codes and make report checks. */
const LIBRARIES = ['core', 'pdf-signature', 'token', 'lifecycle-rules'];

/**
 * Every error code, and the package that declares it: the codes of every `…ErrorCode` union in any
 * `errors.ts` of a package (`src/errors.ts`, `src/appearance/errors.ts`, …); every code thrown as a
 * literal (`new PdfError('PDF_NOT_PDF', …)`, `super('OPTION_INVALID', …)`), so that a code thrown
 * without being declared is caught too; and the `code: 'X'` the CLI writes itself.
 */
function errorCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const pkg of LIBRARIES) {
    const files = sourceFiles(join(packages, pkg, 'src'));
    for (const file of files.filter((f) => f.endsWith(`${sep}errors.ts`))) {
      const source = withoutComments(readFileSync(file, 'utf8'));
      const unions = [...source.matchAll(/export type \w+ErrorCode =([^;]+);/g)];
      expect(unions.length, `${file} declares its codes in an …ErrorCode union`).toBeGreaterThan(0);
      for (const union of unions)
        for (const m of union[1]!.matchAll(/'([A-Z0-9_]+)'/g)) codes.set(m[1]!, pkg);
    }
    for (const file of files) {
      const source = withoutComments(readFileSync(file, 'utf8'));
      for (const m of source.matchAll(/\b(?:new \w*Error|super)\(\s*'([A-Z][A-Z0-9]*_[A-Z0-9_]+)'/g))
        if (!codes.has(m[1]!)) codes.set(m[1]!, pkg);
    }
  }
  for (const file of sourceFiles(join(packages, 'cli', 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bcode: '([A-Z0-9_]+)'/g)) codes.set(m[1]!, 'cli');
  }
  return codes;
}

/**
 * Every check id a report can carry, from the modules that make checks: `id: 'x'` and `check: 'x'`
 * in a check object, and the helpers that add one to a report, `fail(report, 'x', …)`,
 * `note(report, 'x', …)`, `cannotVerify(report, 'x', …)` (the id may follow a first argument).
 */
function checkIds(): Set<string> {
  const ids = new Set<string>();
  for (const pkg of ['core', 'pdf-signature']) {
    for (const file of sourceFiles(join(packages, pkg, 'src'))) {
      const source = withoutComments(readFileSync(file, 'utf8'));
      for (const m of source.matchAll(
        /(?:\b(?:fail|note|cannotVerify)\(\s*(?:[\w.]+,\s*)?|\bid:\s*|\bcheck:\s*)'([a-z0-9-]+)'/g,
      ))
        ids.add(m[1]!);
    }
  }
  return ids;
}

/** The rows of the table under `heading`: first cell (without backticks) → the row's cells. */
function table(markdown: string, heading: string): Map<string, string[]> {
  const start = markdown.indexOf(heading);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows = new Map<string, string[]>();
  const lines = markdown.slice(start).split('\n').slice(1);
  let inTable = false;
  for (const line of lines) {
    if (line.startsWith('## ')) break;
    if (!line.startsWith('|')) {
      if (inTable) break;
      continue;
    }
    inTable = true;
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((c) => c.trim());
    if (/^-+$/.test(cells[0]!) || cells[0] === 'code' || cells[0] === 'check id') continue;
    rows.set(cells[0]!.replace(/`/g, ''), cells);
  }
  return rows;
}

const page = readFileSync(join(root, 'docs', 'errors.md'), 'utf8');

describe('docs/errors.md (issue 14, item 11)', () => {
  it('lists every error code of every package, and no code that is gone', () => {
    const codes = errorCodes();
    const rows = table(page, '## Mã lỗi / Error codes');
    expect([...rows.keys()].sort()).toEqual([...codes.keys()].sort());
    for (const [code, pkg] of codes) expect(rows.get(code)![1], code).toBe(pkg);
  });

  it('lists every check id, and no id that is gone', () => {
    const rows = table(page, '## Mã kiểm tra / Check ids');
    expect([...rows.keys()].sort()).toEqual([...checkIds()].sort());
  });

  it('gives each a meaning in Vietnamese (with no English in it) and in English', () => {
    for (const heading of ['## Mã lỗi / Error codes', '## Mã kiểm tra / Check ids']) {
      for (const [id, [, , vi, en]] of table(page, heading)) {
        expect(vi, id).toMatch(/[àáảãạăâđèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵ]/i);
        expect(englishIn(vi!), `${id}: ${vi}`).toEqual([]);
        expect(en!.length, id).toBeGreaterThan(10);
      }
    }
  });

  it('is linked from the README and part of the TypeDoc site', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('(docs/errors.md)');
    const typedoc = JSON.parse(readFileSync(join(root, 'typedoc.json'), 'utf8'));
    expect(typedoc.projectDocuments).toContain('docs/errors.md');
    expect(typedoc.projectDocuments).toContain('packages/cli/README.md');
  });
});

describe('README tables', () => {
  const readmes = [
    join(root, 'README.md'),
    ...readdirSync(packages).map((p) => join(packages, p, 'README.md')),
  ];

  it.each(
    readmes.map((r) => [r.slice(root.length + 1), r]),
  )('%s: no table is broken by a blank line', (_, path) => {
    const lines = readFileSync(path, 'utf8').split('\n');
    const broken: number[] = [];
    let inCode = false;
    for (let i = 2; i < lines.length; i += 1) {
      if (lines[i]!.startsWith('```')) inCode = !inCode;
      // A row after a blank line that follows a row: markdown starts a new paragraph, not a row.
      if (
        !inCode &&
        lines[i]!.startsWith('|') &&
        lines[i - 1]!.trim() === '' &&
        lines[i - 2]!.startsWith('|')
      )
        broken.push(i + 1);
    }
    expect(broken).toEqual([]);
  });
});
