import { PdfError } from '../errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';

/**
 * A tokenizer and object parser over the bytes of a PDF (ISO 32000-1 §7.2–7.3). It reads one object
 * at a given offset; it never scans the whole file. Nesting is bounded.
 */

const WS = [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20];
const DELIM = [0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25];
const MAX_NESTING = 128;

/** Each byte's class (ISO 32000-1 §7.2.2), looked up rather than searched: the lexer's hot path. */
const REGULAR = 0;
const WHITE_SPACE = 1;
const DELIMITER = 2;
const CHAR_CLASS = (() => {
  const table = new Uint8Array(256);
  for (const c of WS) table[c] = WHITE_SPACE;
  for (const c of DELIM) table[c] = DELIMITER;
  return table;
})();

// Past the window's end a byte is undefined, and so is its class: neither white space nor regular.
export function isWhitespace(b: number | undefined): boolean {
  return CHAR_CLASS[b as number] === WHITE_SPACE;
}

function isRegular(b: number | undefined): boolean {
  return CHAR_CLASS[b as number] === REGULAR;
}

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= 0x30 && b <= 0x39;
}

/** The value of `b[start, end)` when it is all decimal digits (and short enough to be exact), else -1. */
function digitsValue(b: Uint8Array, start: number, end: number): number {
  if (end === start || end - start > 15) return -1;
  let v = 0;
  for (let i = start; i < end; i += 1) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * A cursor over a window of the file's bytes. `pos` is within the window; `base` is where the
 * window starts in the file, so offsets it reports (`offset`, strings', dictionaries' and errors')
 * are the file's. `reach` is the furthest position any scan stopped at: when it is the window's
 * end, a token may have been cut there and the caller must read a larger window.
 */
export class Lexer {
  pos: number;
  reach = 0;

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
    readonly base = 0,
  ) {
    this.pos = pos;
  }

  /** The cursor as an offset in the file. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** A reading error at the cursor, `message` in English and `messageVi` in Vietnamese. */
  error(
    message: string,
    messageVi: string,
    code: 'PDF_MALFORMED' | 'PDF_TRUNCATED' = 'PDF_MALFORMED',
  ): PdfError {
    return new PdfError(code, `${message} at byte ${this.offset}`, {
      offset: this.offset,
      messageVi: `${messageVi} tại byte ${this.offset}`,
    });
  }

  /** Records how far a scan went (see `reach`). */
  private stopped(at: number): void {
    if (at > this.reach) this.reach = at;
  }

  /** Skips white space and comments. */
  skip(): void {
    const b = this.bytes;
    for (;;) {
      while (CHAR_CLASS[b[this.pos]!] === WHITE_SPACE) this.pos += 1;
      if (b[this.pos] === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos += 1;
        continue;
      }
      this.stopped(this.pos);
      return;
    }
  }

  /** The next regular token (keyword or number) without consuming it, or undefined. */
  peekKeyword(): string | undefined {
    const save = this.pos;
    this.skip();
    const start = this.pos;
    while (isRegular(this.bytes[this.pos])) this.pos += 1;
    this.stopped(this.pos);
    const word = start === this.pos ? undefined : latin1(this.bytes, start, this.pos);
    this.pos = save;
    return word;
  }

  /** Consumes a regular token. */
  keyword(): string {
    this.skip();
    const start = this.pos;
    while (isRegular(this.bytes[this.pos])) this.pos += 1;
    this.stopped(this.pos);
    if (start === this.pos)
      throw this.pos >= this.bytes.length
        ? this.error('unexpected end of file', 'tệp kết thúc đột ngột', 'PDF_TRUNCATED')
        : this.error('expected a keyword', 'thiếu một từ khóa');
    return latin1(this.bytes, start, this.pos);
  }

  /** Consumes `word` or fails. */
  expect(word: string): void {
    const got = this.keyword();
    if (got !== word)
      throw this.error(
        `expected "${word}", found "${got.slice(0, 20)}"`,
        `cần "${word}", gặp "${got.slice(0, 20)}"`,
      );
  }

  /** Reads one value; `n g R` references are recognised. Streams are returned when `allowStream`. */
  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw this.error('objects nested too deeply', 'các đối tượng lồng nhau quá sâu');
    this.skip();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw this.error('unexpected end of file', 'tệp kết thúc đột ngột', 'PDF_TRUNCATED');
    if (c === 0x2f) return this.name();
    if (c === 0x28) return this.literalString();
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) return this.dict(depth);
      return this.hexString();
    }
    if (c === 0x5b) {
      this.pos += 1;
      const items: PdfValue[] = [];
      for (;;) {
        this.skip();
        if (b[this.pos] === 0x5d) {
          this.pos += 1;
          return items;
        }
        if (this.pos >= b.length)
          throw this.error('unterminated array', 'mảng không có dấu kết thúc', 'PDF_TRUNCATED');
        items.push(this.value(depth + 1));
      }
    }
    if (isDigit(c)) {
      // Integers and references, the bulk of large arrays (glyph widths, xref-like lists), are
      // read from the bytes without building strings.
      const start = this.pos;
      while (isRegular(b[this.pos])) this.pos += 1;
      this.stopped(this.pos);
      const num = digitsValue(b, start, this.pos);
      if (num >= 0) return this.referenceAfter(num) ?? num;
      this.pos = start;
    }
    const word = this.keyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) return Number(word);
    throw this.error(
      `unexpected token "${word.slice(0, 20)}"`,
      `gặp ký hiệu không mong đợi "${word.slice(0, 20)}"`,
    );
  }

  /**
   * `n g R` after the integer `num` just read: two non-negative integers and R. Returns the
   * reference and consumes it, or undefined and leaves the cursor after `num`.
   */
  private referenceAfter(num: number): PdfRef | undefined {
    const b = this.bytes;
    const after = this.pos;
    this.skip();
    const genStart = this.pos;
    while (isRegular(b[this.pos])) this.pos += 1;
    this.stopped(this.pos);
    const gen = digitsValue(b, genStart, this.pos);
    if (gen >= 0) {
      this.skip();
      // `R` must be a token of its own: the byte after it is not regular.
      this.stopped(this.pos + 2);
      if (b[this.pos] === 0x52 && !isRegular(b[this.pos + 1])) {
        this.pos += 1;
        return new PdfRef(num, gen);
      }
    }
    this.pos = after;
    return undefined;
  }

  private name(): PdfName {
    const b = this.bytes;
    this.pos += 1;
    let s = '';
    while (isRegular(b[this.pos])) {
      if (b[this.pos] === 0x23 && isHex(b[this.pos + 1]) && isHex(b[this.pos + 2])) {
        s += String.fromCharCode(Number.parseInt(latin1(b, this.pos + 1, this.pos + 3), 16));
        this.pos += 3;
      } else {
        s += String.fromCharCode(b[this.pos]!);
        this.pos += 1;
      }
    }
    this.stopped(this.pos);
    return new PdfName(s);
  }

  private dict(depth: number): PdfDict | PdfStream {
    const b = this.bytes;
    const start = this.offset;
    this.pos += 2;
    const map = new Map<string, PdfValue>();
    for (;;) {
      this.skip();
      this.stopped(this.pos + 2); // `>>` is two bytes: the second may lie past the window
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      if (this.pos >= b.length)
        throw this.error('unterminated dictionary', 'từ điển không có dấu kết thúc', 'PDF_TRUNCATED');
      if (b[this.pos] !== 0x2f)
        throw this.error('dictionary key is not a name', 'khóa của từ điển không phải là tên');
      const key = this.name().name;
      // ISO 32000-2 §7.3.7: an entry whose value is null is the same as no entry (`/Encrypt null`
      // does not make a file encrypted). A later duplicate key overrides an earlier one.
      const value = this.value(depth + 1);
      if (value === null) map.delete(key);
      else map.set(key, value);
    }
    return new PdfDict(map, start, this.offset);
  }

  private literalString(): PdfString {
    const b = this.bytes;
    const start = this.offset;
    this.pos += 1;
    const out: number[] = [];
    let depth = 1;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (c === 0x5c) {
        const n = b[this.pos + 1];
        this.pos += 2;
        const map: Record<number, number> = {
          110: 0x0a,
          114: 0x0d,
          116: 0x09,
          98: 0x08,
          102: 0x0c,
          40: 0x28,
          41: 0x29,
          92: 0x5c,
        };
        if (n === undefined) break;
        if (map[n] !== undefined) out.push(map[n]!);
        else if (n >= 0x30 && n <= 0x37) {
          let v = n - 0x30;
          for (let k = 0; k < 2 && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x37; k += 1)
            v = v * 8 + (b[this.pos++]! - 0x30);
          out.push(v & 0xff);
        } else if (n === 0x0d) {
          if (b[this.pos] === 0x0a) this.pos += 1;
        } else if (n !== 0x0a) out.push(n);
        continue;
      }
      if (c === 0x28) depth += 1;
      if (c === 0x29) {
        depth -= 1;
        if (depth === 0) {
          this.pos += 1;
          return new PdfString(Uint8Array.from(out), false, start, this.offset);
        }
      }
      out.push(c);
      this.pos += 1;
    }
    throw this.error('unterminated string', 'chuỗi không có dấu kết thúc', 'PDF_TRUNCATED');
  }

  private hexString(): PdfString {
    const b = this.bytes;
    const start = this.offset;
    // A signature's /Contents is tens or hundreds of kilobytes of hex: find the end natively,
    // then decode through a table.
    const close = b.indexOf(0x3e, this.pos + 1);
    const stop = close < 0 ? b.length : close;
    const out = new Uint8Array((stop - this.pos) >> 1);
    let n = 0;
    let high = -1;
    for (let i = this.pos + 1; i < stop; i += 1) {
      const v = HEX_VALUE[b[i]!]!;
      if (v >= 0) {
        if (high < 0) high = v;
        else {
          out[n++] = (high << 4) | v;
          high = -1;
        }
      } else if (v === NOT_HEX) {
        this.pos = i;
        throw this.error(
          'a hex string holds a character that is not hex',
          'chuỗi thập lục phân chứa ký tự không phải thập lục phân',
        );
      }
    }
    if (close < 0) {
      this.pos = b.length;
      this.stopped(b.length);
      throw this.error(
        'unterminated hex string',
        'chuỗi thập lục phân không có dấu kết thúc',
        'PDF_TRUNCATED',
      );
    }
    if (high >= 0) out[n++] = high << 4; // an odd final digit is followed by 0 (§7.3.4.3)
    this.pos = close + 1;
    return new PdfString(n === out.length ? out : out.slice(0, n), true, start, this.offset);
  }
}

/** Each byte's value as a hex digit, or WHITE for white space, or NOT_HEX. */
const WHITE = -2;
const NOT_HEX = -1;
const HEX_VALUE = (() => {
  const table = new Int8Array(256).fill(NOT_HEX);
  for (const c of WS) table[c] = WHITE;
  for (let c = 0x30; c <= 0x39; c += 1) table[c] = c - 0x30;
  for (let c = 0; c < 6; c += 1) {
    table[0x41 + c] = 10 + c;
    table[0x61 + c] = 10 + c;
  }
  return table;
})();

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 1) s += String.fromCharCode(bytes[i]!);
  return s;
}

export { PdfStream };
