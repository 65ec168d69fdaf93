// Bundles the verification page with esbuild for browsers: page.mjs and kyso's browser-safe root
// entries (@kyso/core, @kyso/pdf-signature) into one ES module, next to a copy of index.html.
// Prints the bundle's size and its largest inputs, and fails if anything needs a Node built-in.
//
//   node examples/browser-verify/build.mjs [outdir]      (default: examples/browser-verify/dist)
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = import.meta.dirname;
const builtins = new Set(builtinModules);

/**
 * @typedef {object} PageBuild
 * @property {string} outdir
 * @property {number} bytes The minified bundle.
 * @property {number} gzipBytes The same, gzip -9 (what a server sends).
 * @property {{ path: string, bytes: number }[]} largest Inputs by the bytes they put in the bundle.
 * @property {string[]} nodeImports Imports of Node built-ins anywhere in the bundle's inputs.
 */

/**
 * Builds the page into `outdir` and measures it.
 * @param {string} [outdir]
 * @returns {Promise<PageBuild>}
 */
export async function buildPage(outdir = join(here, 'dist')) {
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'verify-page.js');
  const result = await build({
    entryPoints: [join(here, 'page.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    minify: true,
    sourcemap: false,
    metafile: true,
    outfile,
    logLevel: 'silent',
  });
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  const inputs = result.metafile.inputs;
  // platform 'browser' refuses to resolve node: imports, so a leak would already have failed the
  // build; this names any that were marked external or reached the bundle some other way.
  const nodeImports = Object.entries(inputs).flatMap(([file, input]) =>
    input.imports
      .filter((i) => i.path.startsWith('node:') || builtins.has(i.path))
      .map((i) => `${file} imports ${i.path}`),
  );
  const output = Object.values(result.metafile.outputs)[0];
  const largest = Object.entries(output?.inputs ?? {})
    .map(([path, v]) => ({
      path: path.replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, ''),
      bytes: v.bytesInOutput,
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 8);
  const code = readFileSync(outfile);
  return { outdir, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length, largest, nodeImports };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await buildPage(process.argv[2]);
  console.log(
    `verify-page.js: ${built.bytes} bytes (gzip ${built.gzipBytes}) in ${relative(process.cwd(), built.outdir) || '.'}`,
  );
  for (const i of built.largest) console.log(`  ${String(i.bytes).padStart(8)}  ${i.path}`);
  if (built.nodeImports.length > 0) {
    console.error(`Node built-ins in a browser bundle:\n  ${built.nodeImports.join('\n  ')}`);
    process.exitCode = 1;
  }
}
