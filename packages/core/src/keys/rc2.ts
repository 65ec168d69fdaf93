/**
 * RC2-CBC decryption (RFC 2268), for the certificate bags of legacy PKCS#12 files
 * (pbeWithSHAAnd40BitRC2-CBC, what `openssl pkcs12 -legacy` and older Windows write). OpenSSL 3
 * moved RC2 to its legacy provider, which Node does not load, so kyso decrypts it itself. Only
 * decryption, only for reading old key files: RC2 protects nothing new.
 */

/** PITABLE of RFC 2268 §2: a permutation of 0..255 derived from the digits of pi. */
const PITABLE = Uint8Array.from(
  [
    'd9 78 f9 c4 19 dd b5 ed 28 e9 fd 79 4a a0 d8 9d c6 7e 37 83 2b 76 53 8e 62 4c 64 88 44 8b fb a2',
    '17 9a 59 f5 87 b3 4f 13 61 45 6d 8d 09 81 7d 32 bd 8f 40 eb 86 b7 7b 0b f0 95 21 22 5c 6b 4e 82',
    '54 d6 65 93 ce 60 b2 1c 73 56 c0 14 a7 8c f1 dc 12 75 ca 1f 3b be e4 d1 42 3d d4 30 a3 3c b6 26',
    '6f bf 0e da 46 69 07 57 27 f2 1d 9b bc 94 43 03 f8 11 c7 f6 90 ef 3e e7 06 c3 d5 2f c8 66 1e d7',
    '08 e8 ea de 80 52 ee f7 84 aa 72 ac 35 4d 6a 2a 96 1a d2 71 5a 15 49 74 4b 9f d0 5e 04 18 a4 ec',
    'c2 e0 41 6e 0f 51 cb cc 24 91 af 50 a1 f4 70 39 99 7c 3a 85 23 b8 b4 7a fc 02 36 5b 25 55 97 31',
    '2d 5d fa 98 e3 8a 92 ae 05 df 29 10 67 6c ba c9 d3 00 e6 cf e1 9e a8 2c 63 16 01 3f 58 e2 89 a9',
    '0d 38 34 1b ab 33 ff b0 bb 48 0c 5f b9 b1 cd 2e c5 f3 db 47 e5 a5 9c 77 0a a6 20 68 fe 7f c1 ad',
  ]
    .join(' ')
    .split(' '),
  (x) => Number.parseInt(x, 16),
);

/** The 64 key words of RFC 2268 §2 for `key` with `effectiveBits` effective key bits. */
function expandKey(key: Uint8Array, effectiveBits: number): Uint16Array {
  const L = new Uint8Array(128);
  L.set(key);
  const T = key.length;
  for (let i = T; i < 128; i += 1) L[i] = PITABLE[(L[i - 1]! + L[i - T]!) & 0xff]!;
  const T8 = (effectiveBits + 7) >> 3;
  const TM = 0xff >> (8 * T8 - effectiveBits);
  L[128 - T8] = PITABLE[L[128 - T8]! & TM]!;
  for (let i = 127 - T8; i >= 0; i -= 1) L[i] = PITABLE[L[i + 1]! ^ L[i + T8]!]!;
  const K = new Uint16Array(64);
  for (let i = 0; i < 64; i += 1) K[i] = L[2 * i]! + 256 * L[2 * i + 1]!;
  return K;
}

const SHIFTS = [1, 2, 3, 5];

function decryptBlock(K: Uint16Array, R: Uint16Array): void {
  let j = 63;
  const mix = () => {
    for (let i = 3; i >= 0; i -= 1) {
      const s = SHIFTS[i]!;
      let r = R[i]!;
      r = ((r >>> s) | (r << (16 - s))) & 0xffff;
      const a = R[(i + 3) & 3]!;
      const b = R[(i + 2) & 3]!;
      const c = R[(i + 1) & 3]!;
      R[i] = r - K[j]! - (a & b) - (~a & c);
      j -= 1;
    }
  };
  const mash = () => {
    for (let i = 3; i >= 0; i -= 1) R[i] = R[i]! - K[R[(i + 3) & 3]! & 63]!;
  };
  for (let n = 0; n < 5; n += 1) mix();
  mash();
  for (let n = 0; n < 6; n += 1) mix();
  mash();
  for (let n = 0; n < 5; n += 1) mix();
}

/**
 * Decrypts RC2-CBC with PKCS#5 padding. Returns `null` when the padding is wrong (a wrong
 * password, in a PKCS#12 file without a MAC).
 */
export function rc2CbcDecrypt(
  key: Uint8Array,
  effectiveBits: number,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array | null {
  if (data.length === 0 || data.length % 8 !== 0) return null;
  const K = expandKey(key, effectiveBits);
  const out = new Uint8Array(data.length);
  const R = new Uint16Array(4);
  let prev = iv;
  for (let off = 0; off < data.length; off += 8) {
    const block = data.subarray(off, off + 8);
    for (let i = 0; i < 4; i += 1) R[i] = block[2 * i]! | (block[2 * i + 1]! << 8);
    decryptBlock(K, R);
    for (let i = 0; i < 4; i += 1) {
      out[off + 2 * i] = (R[i]! & 0xff) ^ prev[2 * i]!;
      out[off + 2 * i + 1] = (R[i]! >> 8) ^ prev[2 * i + 1]!;
    }
    prev = block;
  }
  const pad = out[out.length - 1]!;
  if (pad < 1 || pad > 8) return null;
  for (let i = out.length - pad; i < out.length; i += 1) if (out[i] !== pad) return null;
  return out.subarray(0, out.length - pad);
}
