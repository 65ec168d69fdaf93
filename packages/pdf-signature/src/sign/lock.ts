import { PdfError } from '../errors.js';

/**
 * Serialising signatures on one base document (pades-notes H15): two preparations appended to the
 * same bytes would each produce a file with one of the two signatures, and one would be lost. An
 * in-process lock keyed by the base document's SHA-256 runs prepares (and one-call signings) on
 * one base one at a time; a two-step preparation stays registered as pending until it is
 * completed, released or expired, and another preparation on that base is refused meanwhile.
 * A service with several processes needs the same rule in its own store.
 */

const chains = new Map<string, Promise<void>>();
const pending = new Map<string, { id: string; expires: number }>();

/** Runs `fn` once every earlier holder of `key` has finished. */
export async function withDocumentLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = chains.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = before.then(() => mine);
  chains.set(key, tail);
  await before;
  try {
    return await fn();
  } finally {
    release();
    if (chains.get(key) === tail) chains.delete(key);
  }
}

/**
 * Refuses when a two-step preparation on `base` is pending and has not expired at `now` (ms).
 *
 * @throws PdfError `PDF_SIGN_PREPARATION_PENDING`.
 */
export function assertNoPendingPreparation(base: string, now: number): void {
  const p = pending.get(base);
  if (!p) return;
  if (p.expires <= now) {
    pending.delete(base);
    return;
  }
  throw new PdfError(
    'PDF_SIGN_PREPARATION_PENDING',
    'another signature prepared on this same document is still waiting to be completed: complete or release it, then sign the document it produced',
    {
      messageVi:
        'một chữ ký khác chuẩn bị trên chính tài liệu này vẫn đang chờ hoàn tất: hãy hoàn tất hoặc hủy nó, rồi ký lên tài liệu nó tạo ra',
    },
  );
}

/** Registers a pending preparation `id` on `base` until `expires` (ms). */
export function registerPreparation(base: string, id: string, expires: number): void {
  pending.set(base, { id, expires });
}

/** Ends the pending preparation `id` on `base` (completed or abandoned); another one is left alone. */
export function endPreparation(base: string, id: string): void {
  if (pending.get(base)?.id === id) pending.delete(base);
}
