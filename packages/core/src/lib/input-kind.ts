/**
 * What kind of encoding an input that should hold a DER object looks like, for error messages that
 * tell the caller what was given: DER bytes, PEM text (and its labels), base64 text, or none of them.
 */
import type { DerInput } from './bytes.js';

/** The kind of a DER input, in English and Vietnamese. */
export interface InputKind {
  kind: 'empty' | 'der' | 'pem' | 'base64' | 'unknown';
  en: string;
  vi: string;
}

const SIGNATURES: [number[], string][] = [
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF file'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive'],
];

/** Describes `input` without parsing it. */
export function inputKind(input: DerInput): InputKind {
  const bytes =
    typeof input === 'string'
      ? undefined
      : input instanceof Uint8Array
        ? input
        : input instanceof ArrayBuffer
          ? new Uint8Array(input)
          : undefined;
  if (typeof input !== 'string' && !bytes) {
    const t = input === null ? 'null' : typeof input;
    return {
      kind: 'unknown',
      en: `${t}, not bytes or text`,
      vi: `${t}, không phải dữ liệu nhị phân hay văn bản`,
    };
  }
  const length = bytes ? bytes.length : (input as string).trim().length;
  if (length === 0) return { kind: 'empty', en: 'empty input', vi: 'dữ liệu rỗng' };
  if (bytes && bytes[0] === 0x30) {
    return { kind: 'der', en: `DER bytes (${bytes.length} bytes)`, vi: `dữ liệu DER (${bytes.length} byte)` };
  }
  const text =
    typeof input === 'string' ? input : new TextDecoder('latin1').decode(bytes!.subarray(0, 65536));
  const labels = [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  if (labels.length > 0) {
    const list = [...new Set(labels)].join(', ');
    return { kind: 'pem', en: `PEM text (blocks: ${list})`, vi: `văn bản PEM (các khối: ${list})` };
  }
  if (/^[A-Za-z0-9+/=\s]+$/.test(text)) return { kind: 'base64', en: 'base64 text', vi: 'văn bản base64' };
  const known = bytes ? SIGNATURES.find(([sig]) => sig.every((b, i) => bytes[i] === b)) : undefined;
  const head = bytes
    ? Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ')
    : JSON.stringify(text.slice(0, 16));
  return {
    kind: 'unknown',
    en: `neither DER nor PEM (${known ? `${known[1]}, ` : ''}starting ${head})`,
    vi: `không phải DER cũng không phải PEM (${known ? `${known[1].replace('a JPEG image', 'ảnh JPEG').replace('a PNG image', 'ảnh PNG').replace('a PDF file', 'tệp PDF').replace('a ZIP archive', 'tệp ZIP')}, ` : ''}bắt đầu bằng ${head})`,
  };
}
