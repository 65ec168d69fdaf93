import { PdfError } from '../errors.js';
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfValue } from './objects.js';

/**
 * A tokenizer and object parser over the bytes of a PDF (ISO 32000-1 §7.2–7.3). It reads one object
 * at a given offset; it never scans the whole file. Nesting is bounded.
 */

const WS = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIM = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_NESTING = 128;

export function isWhitespace(b: number | undefined): boolean {
  return b !== undefined && WS.has(b);
}

function isRegular(b: number | undefined): boolean {
  return b !== undefined && !WS.has(b) && !DELIM.has(b);
}

/** A cursor over the file's bytes. */
export class Lexer {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    pos = 0,
  ) {
    this.pos = pos;
  }

  error(message: string, code: 'PDF_MALFORMED' | 'PDF_TRUNCATED' = 'PDF_MALFORMED'): PdfError {
    return new PdfError(code, `${message} at byte ${this.pos}`, {
      offset: this.pos,
      messageVi: `${message} tại byte ${this.pos}`,
    });
  }

  /** Skips white space and comments. */
  skip(): void {
    const b = this.bytes;
    for (;;) {
      while (this.pos < b.length && WS.has(b[this.pos]!)) this.pos += 1;
      if (b[this.pos] === 0x25) {
        while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos += 1;
        continue;
      }
      return;
    }
  }

  /** The next regular token (keyword or number) without consuming it, or undefined. */
  peekKeyword(): string | undefined {
    const save = this.pos;
    this.skip();
    const start = this.pos;
    while (isRegular(this.bytes[this.pos])) this.pos += 1;
    const word = start === this.pos ? undefined : latin1(this.bytes, start, this.pos);
    this.pos = save;
    return word;
  }

  /** Consumes a regular token. */
  keyword(): string {
    this.skip();
    const start = this.pos;
    while (isRegular(this.bytes[this.pos])) this.pos += 1;
    if (start === this.pos)
      throw this.error(
        this.pos >= this.bytes.length ? 'unexpected end of file' : 'expected a keyword',
        this.pos >= this.bytes.length ? 'PDF_TRUNCATED' : 'PDF_MALFORMED',
      );
    return latin1(this.bytes, start, this.pos);
  }

  /** Consumes `word` or fails. */
  expect(word: string): void {
    const got = this.keyword();
    if (got !== word) throw this.error(`expected "${word}", found "${got.slice(0, 20)}"`);
  }

  /** Reads one value; `n g R` references are recognised. Streams are returned when `allowStream`. */
  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw this.error('objects nested too deeply');
    this.skip();
    const b = this.bytes;
    const c = b[this.pos];
    if (c === undefined) throw this.error('unexpected end of file', 'PDF_TRUNCATED');
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
        if (this.pos >= b.length) throw this.error('unterminated array', 'PDF_TRUNCATED');
        items.push(this.value(depth + 1));
      }
    }
    const word = this.keyword();
    if (word === 'true') return true;
    if (word === 'false') return false;
    if (word === 'null') return null;
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) {
      const num = Number(word);
      // `n g R`: two non-negative integers and R.
      if (/^\d+$/.test(word)) {
        const save = this.pos;
        const gen = this.peekKeyword();
        if (gen !== undefined && /^\d+$/.test(gen)) {
          this.keyword();
          if (this.peekKeyword() === 'R') {
            this.keyword();
            return new PdfRef(num, Number(gen));
          }
        }
        this.pos = save;
      }
      return num;
    }
    throw this.error(`unexpected token "${word.slice(0, 20)}"`);
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
    return new PdfName(s);
  }

  private dict(depth: number): PdfDict | PdfStream {
    const b = this.bytes;
    const start = this.pos;
    this.pos += 2;
    const map = new Map<string, PdfValue>();
    for (;;) {
      this.skip();
      if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
        this.pos += 2;
        break;
      }
      if (this.pos >= b.length) throw this.error('unterminated dictionary', 'PDF_TRUNCATED');
      if (b[this.pos] !== 0x2f) throw this.error('dictionary key is not a name');
      const key = this.name().name;
      // ISO 32000-2 §7.3.7: an entry whose value is null is the same as no entry (`/Encrypt null`
      // does not make a file encrypted). A later duplicate key overrides an earlier one.
      const value = this.value(depth + 1);
      if (value === null) map.delete(key);
      else map.set(key, value);
    }
    return new PdfDict(map, start, this.pos);
  }

  private literalString(): PdfString {
    const b = this.bytes;
    const start = this.pos;
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
          return new PdfString(Uint8Array.from(out), false, start, this.pos);
        }
      }
      out.push(c);
      this.pos += 1;
    }
    throw this.error('unterminated string', 'PDF_TRUNCATED');
  }

  private hexString(): PdfString {
    const b = this.bytes;
    const start = this.pos;
    this.pos += 1;
    const digits: number[] = [];
    while (this.pos < b.length && b[this.pos] !== 0x3e) {
      const c = b[this.pos]!;
      if (isHex(c)) digits.push(hexValue(c));
      else if (!WS.has(c)) throw this.error('a hex string holds a character that is not hex');
      this.pos += 1;
    }
    if (this.pos >= b.length) throw this.error('unterminated hex string', 'PDF_TRUNCATED');
    this.pos += 1;
    if (digits.length % 2 === 1) digits.push(0);
    const out = new Uint8Array(digits.length / 2);
    for (let i = 0; i < out.length; i += 1) out[i] = (digits[2 * i]! << 4) | digits[2 * i + 1]!;
    return new PdfString(out, true, start, this.pos);
  }
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c & 0xdf) - 0x41 + 10;
}

export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 1) s += String.fromCharCode(bytes[i]!);
  return s;
}

export { PdfStream };
