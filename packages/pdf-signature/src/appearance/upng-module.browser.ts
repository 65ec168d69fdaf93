/**
 * `@pdf-lib/upng` for browser bundles (`package.json` `"browser"` puts this file in place of
 * `upng-module.js`): a static import, which a bundler drops from a page that reads no PNG.
 */
import * as upng from '@pdf-lib/upng';

export function upngModule(): unknown {
  return upng;
}
