// Checks every published package after a build: each entry of its exports map exists, loads as ESM
// through import() and as CommonJS through require(), and exports something; and its package.json
// has what publishing needs. Then packs each with `pnpm pack` into a temporary directory and looks
// inside the tarball, as an integrator gets it: the Apache-2.0 LICENSE (the root's, byte for byte),
// a README that says how to install it, a released version (not 0.0.0), no `workspace:` ranges,
// source maps without embedded sources, and every subpath entry (`/node`) resolvable by TypeScript
// under `moduleResolution: node10` through `typesVersions`. Last, every pending changeset must name
// only published packages, or `changeset version` refuses the release.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const problems = [];
const published = [];
for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  published.push({ pkgDir, pkg });
  for (const field of ['name', 'version', 'license', 'description', 'engines', 'exports', 'files']) {
    if (!pkg[field]) problems.push(`${pkg.name}: package.json has no ${field}`);
  }
  if (!existsSync(join(pkgDir, 'README.md'))) problems.push(`${pkg.name}: no README.md`);
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (entry === './package.json') continue;
    for (const [condition, files] of Object.entries(target)) {
      for (const file of Object.values(files)) {
        if (!existsSync(join(pkgDir, file)))
          problems.push(`${pkg.name} ${entry} (${condition}): missing ${file}`);
      }
      try {
        const mod =
          condition === 'import'
            ? await import(pathToFileURL(join(pkgDir, files.default)).href)
            : require(join(pkgDir, files.default));
        if (Object.keys(mod).length === 0)
          problems.push(`${pkg.name} ${entry} (${condition}): exports nothing`);
      } catch (error) {
        problems.push(`${pkg.name} ${entry} (${condition}): does not load: ${error.message}`);
      }
    }
  }
  console.log(
    `${pkg.name.padEnd(24)} ${Object.keys(pkg.exports).length - 1} entr${Object.keys(pkg.exports).length === 2 ? 'y' : 'ies'} ok`,
  );
}

const license = readFileSync(join(root, 'LICENSE'), 'utf8');
if (!license.includes('Apache License') || !license.includes('Version 2.0, January 2004'))
  problems.push('LICENSE at the root is not the Apache License 2.0');
const work = mkdtempSync(join(tmpdir(), 'kyso-pack-'));
const extracted = new Map();
try {
  for (const { pkgDir, pkg } of published) {
    const dest = join(work, pkg.name.replace('@', '').replace('/', '-'));
    mkdirSync(dest, { recursive: true });
    execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkgDir, stdio: 'pipe' });
    const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz'));
    execFileSync('tar', ['-xzf', join(dest, tarball), '-C', dest]);
    const inside = join(dest, 'package');
    extracted.set(pkg.name, inside);
    const packed = JSON.parse(readFileSync(join(inside, 'package.json'), 'utf8'));
    const where = `${pkg.name} (${tarball})`;
    if (!existsSync(join(inside, 'LICENSE'))) problems.push(`${where}: no LICENSE in the tarball`);
    else if (readFileSync(join(inside, 'LICENSE'), 'utf8') !== license)
      problems.push(`${where}: LICENSE differs from the repository's`);
    const readme = existsSync(join(inside, 'README.md'))
      ? readFileSync(join(inside, 'README.md'), 'utf8')
      : '';
    if (!new RegExp(`(npm install|pnpm add|npx)( --global)? ${pkg.name.replace('/', '\\/')}`).test(readme))
      problems.push(`${where}: the README does not say how to install it (npm install ${pkg.name})`);
    if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(packed.version) || packed.version === '0.0.0')
      problems.push(`${where}: version ${packed.version} is not a released version`);
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      for (const [dep, range] of Object.entries(packed[field] ?? {})) {
        if (String(range).startsWith('workspace:')) problems.push(`${where}: ${dep} is still ${range}`);
      }
    }
    const maps = [];
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.map')) maps.push(join(d, e.name));
      }
    };
    walk(inside);
    for (const map of maps) {
      if (JSON.parse(readFileSync(map, 'utf8')).sourcesContent)
        problems.push(`${where}: ${map.slice(inside.length + 1)} embeds its sources`);
    }
    for (const entry of Object.keys(packed.exports)) {
      if (entry === '.' || entry === './package.json') continue;
      const sub = entry.slice(2);
      const targets = packed.typesVersions?.['*']?.[sub];
      if (!targets) problems.push(`${where}: ${entry} has no typesVersions entry (moduleResolution node10)`);
      else if (!targets.every((t) => existsSync(join(inside, t))))
        problems.push(`${where}: typesVersions for ${entry} names a file the tarball lacks`);
    }
    console.log(`${pkg.name.padEnd(24)} ${packed.version} packed: LICENSE, README, ${maps.length} maps ok`);
  }

  // A consumer project under moduleResolution node10 imports every entry of every tarball.
  const consumer = join(work, 'consumer');
  mkdirSync(join(consumer, 'node_modules', '@kyso'), { recursive: true });
  const imports = [];
  for (const [name, inside] of extracted) {
    symlinkSync(inside, join(consumer, 'node_modules', name), 'dir');
    const pkg = JSON.parse(readFileSync(join(inside, 'package.json'), 'utf8'));
    for (const entry of Object.keys(pkg.exports)) {
      if (entry === './package.json') continue;
      imports.push(`import * as m${imports.length} from '${name}${entry === '.' ? '' : entry.slice(1)}';`);
    }
  }
  writeFileSync(
    join(consumer, 'index.ts'),
    `${imports.join('\n')}\nexport const all = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`,
  );
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'commonjs',
        moduleResolution: 'node10',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['index.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', consumer], {
      stdio: 'pipe',
    });
    console.log(`moduleResolution node10: ${imports.length} entries resolve`);
  } catch (error) {
    problems.push(`moduleResolution node10: ${String(error.stdout ?? error.message).trim()}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// Every pending changeset names published packages of this workspace with a valid bump: a private
// or ignored one (testkit, examples) makes `changeset version` refuse the whole release.
const changesetConfig = JSON.parse(readFileSync(join(root, '.changeset', 'config.json'), 'utf8'));
const publishedNames = new Set(published.map(({ pkg }) => pkg.name));
for (const file of readdirSync(join(root, '.changeset')).filter(
  (f) => f.endsWith('.md') && f !== 'README.md',
)) {
  const text = readFileSync(join(root, '.changeset', file), 'utf8');
  const front = /^---\n([\s\S]*?)\n---/.exec(text);
  if (!front) {
    problems.push(`.changeset/${file}: no front matter`);
    continue;
  }
  for (const line of front[1].split('\n').filter((l) => l.trim())) {
    const m = /^["']?(@?[^"':]+)["']?:\s*(major|minor|patch)\s*$/.exec(line.trim());
    if (!m) problems.push(`.changeset/${file}: cannot read "${line}"`);
    else if (changesetConfig.ignore?.includes(m[1]))
      problems.push(`.changeset/${file}: names ${m[1]}, which changesets ignores (a private package)`);
    else if (!publishedNames.has(m[1]))
      problems.push(`.changeset/${file}: names ${m[1]}, not a published package`);
  }
}
console.log('changesets: every pending one names published packages');

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
