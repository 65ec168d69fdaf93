import { entriesFromExports, kysoTsupConfig } from '../../scripts/tsup-shared';

// testkit is private and never published: `kyso demo` carries the parts of it that it uses.
// `verify-worker` is the worker thread of `kyso verify --jobs N`, started by file name, so it is an
// entry of its own; `shims` gives the CommonJS build the `import.meta.url` that finds it.
export default kysoTsupConfig({
  entry: { ...entriesFromExports(process.cwd()), 'verify-worker': 'src/verify/worker.ts' },
  noExternal: ['@kyso/testkit'],
  shims: true,
});
