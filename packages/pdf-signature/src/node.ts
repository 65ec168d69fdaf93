/**
 * `@kyso/pdf-signature/node`: Node-only helpers (files, node:crypto).
 *
 * @packageDocumentation
 */
import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  type DigestName,
  type PdfVerificationReport,
  type VerifyPdfOptions,
  verifyPdf,
} from './verify/verify-pdf.js';

const algorithm = (hash: DigestName) => hash.replace('-', '').toLowerCase();

/** Hashes byte ranges incrementally with node:crypto, without copying them together. */
export async function nodeDigest(hash: DigestName, parts: Uint8Array[]): Promise<Uint8Array> {
  const h = createHash(algorithm(hash));
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/**
 * A {@link nodeDigest} for one document that hashes each signature's first range only past what
 * an earlier signature already hashed: every ByteRange starts at byte 0, so a later signature's
 * first range extends an earlier one's, and the hash state at the shared prefix is copied instead
 * of recomputed. With several signatures over a large scan, the scan is hashed once, not once per
 * signature.
 */
export function createPrefixSharingDigest(): (hash: DigestName, parts: Uint8Array[]) => Promise<Uint8Array> {
  const states: { hash: DigestName; buffer: ArrayBufferLike; start: number; end: number; state: Hash }[] = [];
  return async (hash, parts) => {
    const [first, ...rest] = parts;
    if (!first) return nodeDigest(hash, parts);
    // The longest earlier prefix of this first range: same algorithm, same bytes, same start.
    let best: (typeof states)[number] | undefined;
    for (const s of states) {
      if (s.hash !== hash || s.buffer !== first.buffer || s.start !== first.byteOffset) continue;
      if (s.end <= first.byteOffset + first.length && (!best || s.end > best.end)) best = s;
    }
    const h = best ? best.state.copy() : createHash(algorithm(hash));
    h.update(first.subarray(best ? best.end - first.byteOffset : 0));
    states.push({
      hash,
      buffer: first.buffer,
      start: first.byteOffset,
      end: first.byteOffset + first.length,
      state: h.copy(),
    });
    for (const p of rest) h.update(p);
    return new Uint8Array(h.digest());
  };
}

/**
 * Verifies a PDF file with node:crypto hashing, shared between signatures. (The file is read into
 * memory for now, once: not copied.)
 */
export function verifyPdfFile(path: string, options: VerifyPdfOptions): Promise<PdfVerificationReport> {
  const file = readFileSync(path);
  return verifyPdf(new Uint8Array(file.buffer, file.byteOffset, file.length), {
    digest: createPrefixSharingDigest(),
    ...options,
  });
}
