import { KysoError } from '../errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  const parts = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i += 1) parts[i] = HEX[bytes[i]!]!;
  return parts.join('');
}

/** Whether two byte arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/** Concatenation of `parts`. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** Decodes standard base64 (whitespace allowed). */
export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
    throw new KysoError('PEM_MALFORMED', 'not valid base64', { messageVi: 'không phải base64 hợp lệ' });
  }
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

/** A PEM block: its label (`CERTIFICATE`, `X509 CRL`, …) and DER bytes. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every PEM block in `text`, in order. */
export function parsePem(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    blocks.push({ label: m[1]!, der: fromBase64(m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '')) });
  }
  return blocks;
}

/** Input kyso accepts for a DER object: raw DER, PEM text, or base64 text, as bytes or a string. */
export type DerInput = Uint8Array | ArrayBuffer | string;

/**
 * The DER objects in `input`: the blocks of a PEM text (filtered by `labels`), or base64 text, or
 * raw DER bytes. PEM and base64 given as bytes are recognised too.
 */
export function derObjects(input: DerInput, labels: readonly string[]): Uint8Array[] {
  const bytes =
    typeof input === 'string' ? undefined : input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes && bytes.length > 0 && bytes[0] === 0x30) return [bytes];
  const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(bytes);
  if (text.includes('-----BEGIN ')) {
    return parsePem(text)
      .filter((b) => labels.includes(b.label))
      .map((b) => b.der);
  }
  const trimmed = text.trim();
  if (trimmed.length === 0) return [];
  return [fromBase64(trimmed)];
}

/** `bytes` typed for WebCrypto (kyso never hands it a SharedArrayBuffer). */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}
