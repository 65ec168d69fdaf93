/**
 * `@pdf-lib/fontkit` as its module object, required on first use rather than imported. `require`
 * itself where there is one: the CommonJS build, and bundles for Node (esbuild, webpack), which see
 * the literal `require('…')`, carry the library and evaluate it lazily. In Node's ES modules there
 * is none, and `requireLazily` resolves it from this package. Browser bundlers take the twin
 * `fontkit-module.browser.js` instead (`package.json` `"browser"`), which imports it statically.
 */
import { requireLazily } from './require-lazily.js';

export function fontkitModule(): unknown {
  return typeof require === 'function' ? require('@pdf-lib/fontkit') : requireLazily('@pdf-lib/fontkit');
}
