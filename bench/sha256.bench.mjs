// The floor every PDF verification stands on: hashing the bytes a signature covers. Compares
// streaming SHA-256 in Node (node:crypto over a file stream) with `openssl dgst -sha256` on the same
// 128 MiB file, in the same run.
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { medianMs, printRatios, runCommand } from './lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'kyso-bench-'));
const file = join(dir, 'data.bin');
const size = 128 * 1024 * 1024;
const chunk = randomFillSync(Buffer.alloc(16 * 1024 * 1024));
writeFileSync(file, Buffer.concat(Array.from({ length: size / chunk.length }, () => chunk)));

async function nodeStream(highWaterMark) {
  const hash = createHash('sha256');
  for await (const part of createReadStream(file, { highWaterMark })) hash.update(part);
  return hash.digest();
}

try {
  const openssl = await medianMs(() => runCommand('openssl', ['dgst', '-sha256', file]));
  const node64k = await medianMs(() => nodeStream(64 * 1024));
  const node1m = await medianMs(() => nodeStream(1024 * 1024));
  printRatios(`SHA-256 of a ${size / 1024 / 1024} MiB file (lower is faster)`, [
    ['openssl dgst -sha256', openssl],
    ['node:crypto, file stream, 64 KiB reads', node64k],
    ['node:crypto, file stream, 1 MiB reads', node1m],
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
