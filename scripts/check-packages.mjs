// Checks every published package after a build: each entry of its exports map exists, loads as ESM
// through import() and as CommonJS through require(), and exports something; and its package.json
// has what publishing needs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const problems = [];
for (const dir of readdirSync(join(root, 'packages'))) {
  const pkgDir = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
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
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
