import type { ByteSource, ByteSpan } from '../reader/source.js';

/** Hashes the bytes `spans` of `source`, in order, as one message. */
export type DigestFunction = (
  hash: DigestName,
  spans: readonly ByteSpan[],
  source: ByteSource,
) => Promise<Uint8Array>;

/** The digest algorithms a PDF signature or timestamp may use over its byte ranges. */
export type DigestName = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** The covered bytes, joined (only for signatures that sign them directly). */
export async function coveredBytes(
  source: ByteSource,
  spans: readonly ByteSpan[],
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(spans.reduce((n, s) => n + (s.end - s.start), 0));
  let pos = 0;
  for (const span of spans)
    for await (const chunk of source.chunks(span.start, span.end)) {
      out.set(chunk, pos);
      pos += chunk.length;
    }
  return out;
}

/** WebCrypto has no incremental hash: the spans are copied into one buffer first. */
export async function webCryptoDigest(
  hash: DigestName,
  spans: readonly ByteSpan[],
  source: ByteSource,
): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, await coveredBytes(source, spans)));
}
