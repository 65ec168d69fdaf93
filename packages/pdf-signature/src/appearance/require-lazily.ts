/**
 * A dependency required on first use in Node, for the modules that must not be evaluated when the
 * package is only imported (fontkit: about a quarter of a second; UPNG and pako: a few tens of
 * milliseconds), in Node's ES modules, where there is no `require`. They cannot import
 * synchronously, and the functions that need these libraries (`loadFont`, `readImage`) are
 * synchronous; `module.createRequire` can, resolving from this package. `process.getBuiltinModule`
 * (Node 20.16+) reaches `node:module` without a static import, so the browser-safe root entry
 * imports no Node built-in.
 *
 * Browser bundlers never run this: `package.json` `"browser"` swaps each `*-module.js` for its
 * `*-module.browser.js`, which imports the dependency statically (and a bundler still drops it from
 * a page that loads no font and reads no image).
 */

type NodeRequire = (id: string) => unknown;

let nodeRequire: NodeRequire | undefined;

export function requireLazily(id: string): unknown {
  if (!nodeRequire) {
    const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const nodeModule = nodeProcess?.getBuiltinModule?.('node:module') as
      | { createRequire(from: string): NodeRequire }
      | undefined;
    if (!nodeModule) {
      throw new Error(
        `${id} cannot be loaded: this build of @kyso/pdf-signature is for Node; a bundler for browsers takes the "browser" files of its package.json`,
      );
    }
    nodeRequire = nodeModule.createRequire(import.meta.url);
  }
  return nodeRequire(id);
}
