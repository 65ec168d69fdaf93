import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Signed PDFs nobody here made (EU DSS, pyHanko, @signpdf, attack research), read by path. */
export const CORPUS = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'conformance', 'pdf');

/** Every PDF under `dir` (the corpus by default), sorted by path. */
export function corpusPdfs(dir = CORPUS): string[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((f) => {
      const p = join(d, f);
      if (statSync(p).isDirectory()) return walk(p);
      return f.toLowerCase().endsWith('.pdf') ? [p] : [];
    });
  return walk(dir).sort();
}
