import { defineConfig } from 'tsup';
import { entriesFromExports } from '../../scripts/tsup-entries';

export default defineConfig({
  entry: entriesFromExports(process.cwd()),
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // testkit is private and never published: `kyso demo` carries the parts of it that it uses.
  noExternal: ['@kyso/testkit'],
});
