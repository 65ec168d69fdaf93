import { concatBytes } from './bytes.js';

/** A small DER writer for the few structures kyso builds itself (OCSP requests). */

function lengthBytes(len: number): Uint8Array {
  if (len < 0x80) return new Uint8Array([len]);
  const out: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return new Uint8Array([0x80 | out.length, ...out]);
}

/** An element with `tag` around `content`. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concatBytes(content);
  return concatBytes([new Uint8Array([tag]), lengthBytes(body.length), body]);
}

/** SEQUENCE. */
export const seq = (...items: Uint8Array[]) => tlv(0x30, ...items);
/** OCTET STRING. */
export const octets = (bytes: Uint8Array) => tlv(0x04, bytes);
/** NULL. */
export const nul = () => new Uint8Array([0x05, 0x00]);
/** INTEGER from its content bytes (already two's complement). */
export const integerBytes = (bytes: Uint8Array) => tlv(0x02, bytes);
/** `[n]` EXPLICIT, constructed. */
export const explicit = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...items);

/** OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (n: number) => {
    const bytes = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    body.push(...bytes);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, new Uint8Array(body));
}
