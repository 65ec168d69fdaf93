import { deflateSync } from 'node:zlib';

/** A small RGBA PNG (filter 0) whose pixels `paint` gives, for tests that need images. */
export function png(width: number, height: number, paint: (x: number, y: number) => number[]): Uint8Array {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = table[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) raw.set(paint(x, y), y * (width * 4 + 1) + 1 + x * 4);
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', Buffer.alloc(0)),
    ]),
  );
}

/** A blue handwritten-looking stroke on transparency. */
export const signaturePng = () =>
  png(400, 150, (x, y) => {
    const a = Math.abs(y - 75 - 45 * Math.sin(x / 28) * Math.cos(x / 90)) < 5;
    const b = x > 40 && x < 360 && Math.abs(y - 118 + x * 0.05) < 3;
    return a || b ? [20, 40, 200, 255] : [0, 0, 0, 0];
  });

/** A red round seal (two rings and a star) on transparency. */
export const sealPng = () =>
  png(400, 400, (x, y) => {
    const r = Math.hypot(x - 200, y - 200);
    const angle = Math.atan2(y - 200, x - 200);
    const star = r < 40 * (0.55 + 0.45 * Math.cos(5 * angle));
    return (r > 178 && r < 196) || (r > 120 && r < 128) || star ? [220, 20, 30, 255] : [0, 0, 0, 0];
  });
