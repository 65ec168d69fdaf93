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

/** The parts of node:crypto the default digest uses, reached without a static `node:` import. */
interface NodeCrypto {
  createHash(name: string): { update(data: Uint8Array): unknown; digest(): Uint8Array };
}

/** node:crypto where the runtime has it (Node 20.16+: `process.getBuiltinModule`), else undefined. */
function nodeCrypto(): NodeCrypto | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return p?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;
  } catch {
    return undefined;
  }
}

/**
 * The default digest: in Node, an incremental node:crypto hash over the source's chunks (no copy
 * of the covered bytes: a 200 MB document costs its chunks, not another 200 MB); elsewhere
 * WebCrypto, which needs the bytes in one buffer. The root entry imports nothing from `node:`.
 */
export const defaultDigest: DigestFunction = async (hash, spans, source) => {
  const crypto = nodeCrypto();
  if (!crypto) return webCryptoDigest(hash, spans, source);
  const h = crypto.createHash(hash.replace('-', '').toLowerCase());
  for (const span of spans) for await (const piece of source.chunks(span.start, span.end)) h.update(piece);
  return new Uint8Array(h.digest());
};
