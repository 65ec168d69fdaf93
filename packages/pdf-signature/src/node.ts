/**
 * `@kyso/pdf-signature/node`: Node-only helpers (files, node:crypto).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type PdfVerificationReport, type VerifyPdfOptions, verifyPdf } from './verify/verify-pdf.js';

/** Hashes byte ranges incrementally with node:crypto, without copying them together. */
export async function nodeDigest(
  hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512',
  parts: Uint8Array[],
): Promise<Uint8Array> {
  const h = createHash(hash.replace('-', '').toLowerCase());
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Verifies a PDF file with node:crypto hashing. (The file is read into memory for now, once: not copied.) */
export function verifyPdfFile(path: string, options: VerifyPdfOptions): Promise<PdfVerificationReport> {
  const file = readFileSync(path);
  return verifyPdf(new Uint8Array(file.buffer, file.byteOffset, file.length), {
    digest: nodeDigest,
    ...options,
  });
}
