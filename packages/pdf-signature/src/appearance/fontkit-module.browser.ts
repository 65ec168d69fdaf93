/**
 * `@pdf-lib/fontkit` for browser bundles (`package.json` `"browser"` puts this file in place of
 * `fontkit-module.js`): a static import, which a bundler drops from a page that loads no font.
 */
import * as fontkit from '@pdf-lib/fontkit';

export function fontkitModule(): unknown {
  return fontkit;
}
