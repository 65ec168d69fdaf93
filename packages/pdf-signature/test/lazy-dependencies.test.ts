import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng, removeWorkDirs, signatureImage, workDir } from './support/appearance-kit.js';

/**
 * fontkit (about a quarter of a second to evaluate), UPNG and pako are loaded on first use, not
 * when the package is imported: a process that verifies, or signs without a text or image
 * appearance, never evaluates them. Judged on the built package, ES and CommonJS, in a fresh Node
 * process each, by the modules in Node's CommonJS cache (where all three land, being CommonJS).
 */

const packageDir = join(import.meta.dirname, '..');
const dist = join(packageDir, 'dist');

afterAll(removeWorkDirs);

/** The child: imports both entries, then loads a font, draws text, reads a PNG, noting what is loaded. */
const CHILD = `
const { readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const [format, dist, png] = process.argv.slice(1);
const load = (entry) =>
  format === 'esm' ? import(pathToFileURL(dist + '/' + entry + '.js').href) : require(dist + '/' + entry + '.cjs');
const heavy = ['@pdf-lib/fontkit', '@pdf-lib/upng', 'pako'];
const loaded = () =>
  heavy.filter((name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/')));
(async () => {
  const steps = {};
  const root = await load('index');
  const node = await load('node');
  steps.imported = loaded();
  const font = node.loadDefaultFont();
  steps.font = loaded();
  await root.textAppearance({ font, lines: ['Ký số'] });
  steps.text = loaded();
  root.readImage(new Uint8Array(readFileSync(png)));
  steps.image = loaded();
  console.log(JSON.stringify(steps));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe('the heavy appearance dependencies', () => {
  for (const format of ['esm', 'cjs'] as const) {
    it(`are loaded on first use, not at import (${format} build)`, () => {
      const entry = join(dist, format === 'esm' ? 'index.js' : 'index.cjs');
      expect(existsSync(entry), 'run pnpm build first: this test loads the built package').toBe(true);
      const png = join(workDir(), 'signature.png');
      writeFileSync(png, encodePng(signatureImage(120, 48)));
      const out = execFileSync(process.execPath, ['-e', CHILD, format, dist, png], { encoding: 'utf8' });
      expect(JSON.parse(out)).toEqual({
        imported: [],
        font: ['@pdf-lib/fontkit'],
        text: ['@pdf-lib/fontkit'],
        image: ['@pdf-lib/fontkit', '@pdf-lib/upng', 'pako'],
      });
    });
  }

  it('have browser twins that import them statically, named by package.json "browser"', async () => {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      browser: Record<string, string>;
    };
    const pairs = Object.entries(pkg.browser);
    expect(pairs.map(([node]) => node).sort()).toEqual([
      './dist/appearance/fontkit-module.js',
      './dist/appearance/upng-module.js',
    ]);
    for (const [nodeFile, browserFile] of pairs) {
      const nodeModule = await import(pathToFileURL(join(packageDir, nodeFile)).href);
      const browserModule = await import(pathToFileURL(join(packageDir, browserFile)).href);
      expect(Object.keys(browserModule)).toEqual(Object.keys(nodeModule));
      expect(readFileSync(join(packageDir, browserFile), 'utf8')).toMatch(
        /^import \* as \w+ from "@pdf-lib\//m,
      );
    }
  });
});
