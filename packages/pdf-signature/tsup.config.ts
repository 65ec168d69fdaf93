import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { entriesFromExports, kysoTsupConfig } from '../../scripts/tsup-shared';

// The ES modules are emitted one file per source module (`bundle: false`), so that with
// `"sideEffects": false` a bundler drops every module a page does not use, and with it what only
// that module imports: a verify-only page then carries neither fontkit (appearance/font.ts) nor
// UPNG and pako (appearance/image.ts). A single bundled file would keep their imports, because
// those packages do not declare themselves free of side effects.
//
// CommonJS stays one bundle per entry, with the type declarations of both formats. shims: the
// `node` entry finds the default font beside the package through import.meta.url, which the CJS
// build needs shimmed.
//
// dist is emptied here, once, before the two builds run side by side (neither cleans).
rmSync('dist', { recursive: true, force: true });

const cjs = kysoTsupConfig({ shims: true, clean: false });
const esmShared = kysoTsupConfig({ clean: false });

export default defineConfig([
  { ...cjs, format: ['cjs'], dts: true },
  {
    ...esmShared,
    entry: ['src/**/*.ts'],
    bundle: false,
    format: ['esm'],
    dts: { entry: entriesFromExports(process.cwd()) },
  },
]);
