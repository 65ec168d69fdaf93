/** PDF objects as kyso's reader returns them (ISO 32000-1 §7.3). */

/** A name object, `/Type`: kept as a class so it never mixes with strings. */
export class PdfName {
  constructor(readonly name: string) {}
  toString(): string {
    return `/${this.name}`;
  }
}

/** An indirect reference, `12 0 R`. */
export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
  toString(): string {
    return `${this.num} ${this.gen} R`;
  }
}

/** A string object: its bytes, and whether it was written in hex. */
export class PdfString {
  constructor(
    readonly bytes: Uint8Array,
    readonly hex: boolean,
    /** Byte offsets of the token in the file (the `<` or `(` to the closing delimiter, inclusive). */
    readonly start: number,
    readonly end: number,
  ) {}
  /** The string as text (PDFDocEncoding approximated by Latin-1, or UTF-16BE with a BOM). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
      let s = '';
      for (let i = 2; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
      return s;
    }
    if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)
      return new TextDecoder().decode(b.subarray(3));
    let s = '';
    for (const c of b) s += String.fromCharCode(c);
    return s;
  }
}

/** A dictionary. Keys are names without the slash. */
export class PdfDict {
  constructor(
    readonly map: Map<string, PdfValue>,
    /** Byte offsets of `<<` and just after `>>`. */
    readonly start: number,
    readonly end: number,
  ) {}
  get(key: string): PdfValue | undefined {
    return this.map.get(key);
  }
  name(key: string): string | undefined {
    const v = this.map.get(key);
    return v instanceof PdfName ? v.name : undefined;
  }
}

/** A stream: its dictionary and where its data lies in the file. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataStart: number,
    readonly dataEnd: number,
  ) {}
}

/** Any PDF value. */
export type PdfValue =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfValue[]
  | PdfDict
  | PdfStream;
