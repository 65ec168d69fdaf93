import { concatBytes } from './bytes.js';

/**
 * A small DER writer for the few structures kyso builds itself: OCSP and timestamp requests, CMS
 * SignedData and its signed attributes.
 */

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
/** BOOLEAN. */
export const boolean = (value: boolean) => new Uint8Array([0x01, 0x01, value ? 0xff : 0x00]);

/**
 * X.690 §11.6 order of the encodings of a SET OF: compared as octet strings, the shorter one
 * padded at its end with zero octets.
 */
export function compareDer(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The elements of a DER SET OF, sorted by their encodings (X.690 §11.6). */
export function sortedDer(items: readonly Uint8Array[]): Uint8Array[] {
  return [...items].sort(compareDer);
}

/** SET OF, its elements sorted by encoding as DER requires (X.690 §11.6). */
export const setOf = (...items: Uint8Array[]) => tlv(0x31, ...sortedDer(items));

/** `[n]` IMPLICIT SET OF, its elements sorted by encoding (CMS certificates, unsigned attributes). */
export const implicitSetOf = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...sortedDer(items));

/** A minimal two's complement INTEGER for an unsigned big-endian magnitude (leading zeros dropped). */
export function unsignedInteger(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i += 1;
  const v = magnitude.subarray(i);
  return v.length > 0 && v[0]! & 0x80
    ? tlv(0x02, new Uint8Array([0]), v)
    : tlv(0x02, v.length ? v : new Uint8Array([0]));
}

/** A small non-negative INTEGER. */
export function smallInteger(n: number): Uint8Array {
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return unsignedInteger(new Uint8Array(bytes.length ? bytes : [0]));
}

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
