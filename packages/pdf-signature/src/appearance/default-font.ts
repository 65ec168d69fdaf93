/**
 * The default font of the text appearances, read from the package: Liberation Serif (SIL OFL 1.1),
 * which has Times New Roman's metrics and every precomposed Vietnamese letter. Node only (it reads
 * a file); in a browser, fetch the font and give its bytes to `loadFont`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AppearanceFont, loadFont } from './font.js';

/** The file name of the default font, in the package's `fonts/` folder. */
export const DEFAULT_FONT_FILE = 'LiberationSerif-Regular.ttf';

let cached: AppearanceFont | undefined;

/** The bytes of the default font (Liberation Serif Regular, from Debian's fonts-liberation2 2.1.5). */
export function defaultFontBytes(): Uint8Array {
  // src/appearance/ in the sources, dist/ once built: the fonts folder is at the package root.
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', 'fonts', DEFAULT_FONT_FILE),
    join(here, '..', '..', 'fonts', DEFAULT_FONT_FILE),
  ];
  let lastError: unknown;
  for (const path of candidates) {
    try {
      return new Uint8Array(readFileSync(path));
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/** The default font, loaded once. */
export function loadDefaultFont(): AppearanceFont {
  cached ??= loadFont(defaultFontBytes());
  return cached;
}
