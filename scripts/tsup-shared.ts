import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The build's entries, read from the package's `exports` map so that the map is the one place an
 * entry is declared: `"."` builds `src/index.ts`, `"./node"` builds `src/node.ts`, and so on.
 */
export function entriesFromExports(packageDir: string): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>;
    bin?: Record<string, string>;
  };
  const entries: Record<string, string> = {};
  for (const key of Object.keys(pkg.exports)) {
    if (key === './package.json') continue;
    const name = key === '.' ? 'index' : key.slice(2);
    entries[name] = `src/${name}.ts`;
  }
  for (const target of Object.values(pkg.bin ?? {})) {
    const name = target.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
    entries[name] = `src/${name}.ts`;
  }
  return entries;
}

/**
 * The one tsup set-up of every package: ESM + CJS + types for each entry of the exports map (and
 * each `bin`), for Node 20. `overrides` adds package-specific options.
 *
 * Source maps carry line mappings only, never the sources themselves (`sourcesContent`): a stack
 * trace still names `src/…` files and lines, and the tarball does not ship the code twice.
 */
export function kysoTsupConfig(overrides: Options = {}) {
  return defineConfig({
    entry: entriesFromExports(process.cwd()),
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    esbuildOptions(options) {
      options.sourcesContent = false;
    },
    ...overrides,
  });
}
