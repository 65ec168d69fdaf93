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
interface NodeHash {
  update(data: Uint8Array): unknown;
  digest(): Uint8Array;
  copy(): NodeHash;
}
interface NodeCrypto {
  createHash(name: string): NodeHash;
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
 * The default digest of one verification: in Node, an incremental node:crypto hash over the
 * source's chunks (no copy of the covered bytes), which hashes a prefix that several signatures
 * share once (every ByteRange starts at byte 0, so a later signature's first span extends an
 * earlier one's, and the hash state there is copied instead of recomputed); elsewhere WebCrypto,
 * which needs the bytes in one buffer. The root entry imports nothing from `node:`.
 */
export function createDefaultDigest(): DigestFunction {
  const crypto = nodeCrypto();
  if (!crypto) return webCryptoDigest;
  const states: { hash: DigestName; source: ByteSource; start: number; end: number; state: NodeHash }[] = [];
  const feed = async (h: NodeHash, spans: readonly ByteSpan[], source: ByteSource) => {
    for (const span of spans) for await (const piece of source.chunks(span.start, span.end)) h.update(piece);
  };
  return async (hash, spans, source) => {
    const name = hash.replace('-', '').toLowerCase();
    const [first, ...rest] = spans;
    if (!first) {
      const h = crypto.createHash(name);
      return new Uint8Array(h.digest());
    }
    let best: (typeof states)[number] | undefined;
    for (const s of states) {
      if (s.hash !== hash || s.source !== source || s.start !== first.start) continue;
      if (s.end <= first.end && (!best || s.end > best.end)) best = s;
    }
    const h = best ? best.state.copy() : crypto.createHash(name);
    await feed(h, [{ start: best ? best.end : first.start, end: first.end }], source);
    states.push({ hash, source, start: first.start, end: first.end, state: h.copy() });
    await feed(h, rest, source);
    return new Uint8Array(h.digest());
  };
}
