import { KysoError, type KysoErrorOptions } from '@kyso/core';

/** Stable error codes of the appearance layer. */
export type AppearanceErrorCode =
  /** The font bytes are not a TrueType/OpenType font fontkit can read. */
  | 'APPEARANCE_FONT_UNREADABLE'
  /** The font's OS/2 `fsType` forbids embedding it as a subset (restricted, no subsetting, bitmap only). */
  | 'APPEARANCE_FONT_NOT_EMBEDDABLE'
  /** The font has no glyph for some characters of the text (after NFC normalisation). */
  | 'APPEARANCE_GLYPH_MISSING'
  /** The image file is larger than the limit; refused before decoding. */
  | 'APPEARANCE_IMAGE_TOO_LARGE'
  /** The image is neither PNG nor JPEG, or cannot be decoded. */
  | 'APPEARANCE_IMAGE_UNREADABLE'
  /** A CMYK (or YCCK) JPEG: its colours depend on an output intent kyso cannot check. */
  | 'APPEARANCE_IMAGE_CMYK'
  /** The seal's size in millimetres is neither given nor trustworthy in the PNG. */
  | 'APPEARANCE_SEAL_SIZE_UNKNOWN'
  /** A box does not fit where it has to go (the page, the top margin). */
  | 'APPEARANCE_DOES_NOT_FIT'
  /** An option is out of range (a negative size, an invalid date). */
  | 'APPEARANCE_INVALID_OPTION'
  /** The page's text cannot be read (no text layer, or legacy TCVN3/VNI fonts without ToUnicode). */
  | 'APPEARANCE_TEXT_UNREADABLE'
  /** The anchor text was not found on the page. */
  | 'APPEARANCE_ANCHOR_NOT_FOUND'
  /** The title and the name are on the page, but the name is nowhere below the title, overlapping it horizontally. */
  | 'APPEARANCE_ANCHOR_PAIR_NOT_FOUND';

/** Misuse of the appearance builders or input they cannot use. */
export class AppearanceError extends KysoError {
  declare readonly code: AppearanceErrorCode;
  /** The characters without a glyph, for `APPEARANCE_GLYPH_MISSING`. */
  readonly characters: readonly string[] | undefined;

  constructor(
    code: AppearanceErrorCode,
    message: string,
    options: KysoErrorOptions & { characters?: readonly string[] } = {},
  ) {
    super(code, message, options);
    this.name = 'AppearanceError';
    this.characters = options.characters;
  }
}

/** A problem that does not stop the appearance from being built, with the rule it concerns. */
export interface AppearanceWarning {
  /**
   * A stable code: `APPEARANCE_IMAGE_NOT_TRANSPARENT`, `APPEARANCE_IMAGE_COLOUR`,
   * `APPEARANCE_IMAGE_NOT_PNG`; or `APPEARANCE_PERSONAL_IMAGE_NOT_FOUND`, a seal placed over the
   * personal signature's widget because the image in it could not be located.
   */
  code:
    | 'APPEARANCE_IMAGE_NOT_TRANSPARENT'
    | 'APPEARANCE_IMAGE_COLOUR'
    | 'APPEARANCE_IMAGE_NOT_PNG'
    | 'APPEARANCE_PERSONAL_IMAGE_NOT_FOUND';
  /** The rule id in kyso's legal extract, such as `N30-PL1-1`. */
  rule: string;
  message: string;
  messageVi: string;
}
