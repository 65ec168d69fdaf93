/**
 * AES decryption (FIPS 197), synchronous, with 128- and 256-bit keys, and CBC mode over it: the
 * PDF Standard security handler's AESV2 and AESV3 (ISO 32000-2 §7.6.3.2). kyso's reader resolves
 * objects synchronously and decrypts each string and stream as it reads it; WebCrypto's AES-CBC
 * is asynchronous and insists on PKCS#7 padding, so it serves key derivation (see
 * `standard-handler.ts`) and this serves reading. The round functions use the usual four 32-bit
 * lookup tables of the inverse cipher (the "equivalent inverse cipher" of FIPS 197 §5.3.5); the
 * tables are computed here from the field arithmetic, not pasted in.
 */

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function gmul(a: number, b: number): number {
  let p = 0;
  for (let i = 0; i < 8; i += 1) {
    if (b & 1) p ^= a;
    const high = a & 0x80;
    a = (a << 1) & 0xff;
    if (high) a ^= 0x1b;
    b >>= 1;
  }
  return p;
}

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
const TD0 = new Uint32Array(256);
const TD1 = new Uint32Array(256);
const TD2 = new Uint32Array(256);
const TD3 = new Uint32Array(256);

{
  // The S-box: the multiplicative inverse, then the affine map (FIPS 197 §5.1.1). p runs over
  // the powers of 3 (a generator), q over the powers of its inverse, so q = p⁻¹ at each step.
  const rotl8 = (x: number, s: number) => ((x << s) | (x >> (8 - s))) & 0xff;
  let p = 1;
  let q = 1;
  SBOX[0] = 0x63;
  do {
    p = (p ^ (p << 1) ^ (p & 0x80 ? 0x1b : 0)) & 0xff;
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    SBOX[p] = (q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4) ^ 0x63) & 0xff;
  } while (p !== 1);
  for (let i = 0; i < 256; i += 1) INV_SBOX[SBOX[i]!] = i;
  for (let i = 0; i < 256; i += 1) {
    const s = INV_SBOX[i]!;
    // InvMixColumns column (0e, 09, 0d, 0b) applied to InvSubBytes' output.
    const t = ((gmul(s, 0x0e) << 24) | (gmul(s, 0x09) << 16) | (gmul(s, 0x0d) << 8) | gmul(s, 0x0b)) >>> 0;
    TD0[i] = t;
    TD1[i] = ((t >>> 8) | (t << 24)) >>> 0;
    TD2[i] = ((t >>> 16) | (t << 16)) >>> 0;
    TD3[i] = ((t >>> 24) | (t << 8)) >>> 0;
  }
}

const subWord = (w: number) =>
  ((SBOX[w >>> 24]! << 24) |
    (SBOX[(w >>> 16) & 0xff]! << 16) |
    (SBOX[(w >>> 8) & 0xff]! << 8) |
    SBOX[w & 0xff]!) >>>
  0;

/** The decryption round keys of a 16- or 32-byte key (FIPS 197 §5.2, then §5.3.5). */
function decryptionKeys(key: Uint8Array): Uint32Array {
  const nk = key.length / 4;
  if (nk !== 4 && nk !== 6 && nk !== 8)
    throw new RangeError(`an AES key is 16, 24 or 32 bytes, not ${key.length}`);
  const n = 4 * (nk + 7);
  const enc = new Uint32Array(n);
  for (let i = 0; i < nk; i += 1)
    enc[i] = ((key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!) >>> 0;
  let rcon = 1;
  for (let i = nk; i < n; i += 1) {
    let t = enc[i - 1]!;
    if (i % nk === 0) {
      t = (subWord(((t << 8) | (t >>> 24)) >>> 0) ^ (rcon << 24)) >>> 0;
      rcon = gmul(rcon, 2);
    } else if (nk > 6 && i % nk === 4) {
      t = subWord(t);
    }
    enc[i] = (enc[i - nk]! ^ t) >>> 0;
  }
  // The equivalent inverse cipher: round keys in reverse order, InvMixColumns on the inner ones.
  const dec = new Uint32Array(n);
  for (let i = 0; i < n; i += 4) {
    const ei = n - i - 4;
    for (let j = 0; j < 4; j += 1) {
      let x = enc[ei + j]!;
      if (i > 0 && i + 4 < n)
        x =
          (TD0[SBOX[x >>> 24]!]! ^
            TD1[SBOX[(x >>> 16) & 0xff]!]! ^
            TD2[SBOX[(x >>> 8) & 0xff]!]! ^
            TD3[SBOX[x & 0xff]!]!) >>>
          0;
      dec[i + j] = x;
    }
  }
  return dec;
}

/** Decrypts the 16-byte block at `from` in `input` into `output` at `to`. */
function decryptBlock(
  xk: Uint32Array,
  input: Uint8Array,
  from: number,
  output: Uint8Array,
  to: number,
): void {
  const word = (k: number) =>
    ((input[from + k]! << 24) |
      (input[from + k + 1]! << 16) |
      (input[from + k + 2]! << 8) |
      input[from + k + 3]!) >>>
    0;
  let s0 = (word(0) ^ xk[0]!) >>> 0;
  let s1 = (word(4) ^ xk[1]!) >>> 0;
  let s2 = (word(8) ^ xk[2]!) >>> 0;
  let s3 = (word(12) ^ xk[3]!) >>> 0;
  const rounds = xk.length / 4 - 2;
  let k = 4;
  for (let r = 0; r < rounds; r += 1) {
    const t0 =
      xk[k]! ^ TD0[s0 >>> 24]! ^ TD1[(s3 >>> 16) & 0xff]! ^ TD2[(s2 >>> 8) & 0xff]! ^ TD3[s1 & 0xff]!;
    const t1 =
      xk[k + 1]! ^ TD0[s1 >>> 24]! ^ TD1[(s0 >>> 16) & 0xff]! ^ TD2[(s3 >>> 8) & 0xff]! ^ TD3[s2 & 0xff]!;
    const t2 =
      xk[k + 2]! ^ TD0[s2 >>> 24]! ^ TD1[(s1 >>> 16) & 0xff]! ^ TD2[(s0 >>> 8) & 0xff]! ^ TD3[s3 & 0xff]!;
    const t3 =
      xk[k + 3]! ^ TD0[s3 >>> 24]! ^ TD1[(s2 >>> 16) & 0xff]! ^ TD2[(s1 >>> 8) & 0xff]! ^ TD3[s0 & 0xff]!;
    s0 = t0 >>> 0;
    s1 = t1 >>> 0;
    s2 = t2 >>> 0;
    s3 = t3 >>> 0;
    k += 4;
  }
  // The last round: InvShiftRows and InvSubBytes without InvMixColumns.
  const last = (a: number, b: number, c: number, d: number, key: number) =>
    ((INV_SBOX[a >>> 24]! << 24) |
      (INV_SBOX[(b >>> 16) & 0xff]! << 16) |
      (INV_SBOX[(c >>> 8) & 0xff]! << 8) |
      INV_SBOX[d & 0xff]!) ^
    key;
  const o = [
    last(s0, s3, s2, s1, xk[k]!),
    last(s1, s0, s3, s2, xk[k + 1]!),
    last(s2, s1, s0, s3, xk[k + 2]!),
    last(s3, s2, s1, s0, xk[k + 3]!),
  ];
  for (let i = 0; i < 4; i += 1) {
    const w = o[i]!;
    output[to + 4 * i] = w >>> 24;
    output[to + 4 * i + 1] = (w >>> 16) & 0xff;
    output[to + 4 * i + 2] = (w >>> 8) & 0xff;
    output[to + 4 * i + 3] = w & 0xff;
  }
}

/**
 * AES-CBC decryption without removing padding. `data` must be a whole number of blocks; the
 * caller removes PKCS#7 padding where the format has it.
 */
export function aesCbcDecryptRaw(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  if (data.length % 16 !== 0) throw new RangeError('AES-CBC data is not a whole number of 16-byte blocks');
  const xk = decryptionKeys(key);
  const out = new Uint8Array(data.length);
  for (let at = 0; at < data.length; at += 16) {
    decryptBlock(xk, data, at, out, at);
    for (let i = 0; i < 16; i += 1) out[at + i] = out[at + i]! ^ (at === 0 ? iv[i]! : data[at - 16 + i]!);
  }
  return out;
}
