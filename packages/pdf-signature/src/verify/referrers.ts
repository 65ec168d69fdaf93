import { PdfError } from '../errors.js';
import type { PdfDocument } from '../reader/document.js';
import { PdfDict, PdfRef, PdfStream, type PdfValue } from '../reader/objects.js';

/**
 * Bounds on the referrer index. They are sized on memory, not on a count picked to be "enough":
 * each reference costs 8 bytes in two typed arrays, so 64 million references are 512 MiB, and the
 * reader's own limit on objects (10 million) bounds the time. Past either, the index is not built
 * and the modification analysis fails closed (`PDF_BUDGET_EXCEEDED`): it never judges with an
 * index that silently stopped part way, which once let text added after signing pass.
 */
export const REFERRER_LIMITS = { maxObjects: 10_000_000, maxReferences: 64 * 1024 * 1024 } as const;

/**
 * Who refers to whom in a revision: object number → the objects referring to it (-1 for the
 * trailer). Built once over every object in use, compactly (a sorted edge list), so a revision of
 * a million objects costs tens of megabytes, not the hundreds a map of sets would.
 */
export class ReferrerIndex {
  private constructor(
    /** The referred-to numbers, ascending, one per distinct target. */
    private readonly targets: Int32Array,
    /** `start[i]..start[i+1]` are the referrers of `targets[i]` in `from`. */
    private readonly start: Int32Array,
    private readonly from: Int32Array,
  ) {}

  /** Indexes every object of `doc` in use, or throws `PDF_BUDGET_EXCEEDED` past {@link REFERRER_LIMITS}. */
  static build(doc: PdfDocument, limits: { maxObjects: number; maxReferences: number } = REFERRER_LIMITS) {
    let edges = new Int32Array(1024);
    let count = 0;
    const add = (source: number, target: number) => {
      if (count >= limits.maxReferences)
        throw new PdfError(
          'PDF_BUDGET_EXCEEDED',
          `the signed revision holds more than ${limits.maxReferences} references; kyso does not analyse what changed in it`,
          {
            messageVi: `phiên bản đã ký chứa hơn ${limits.maxReferences} tham chiếu; kyso không phân tích được thay đổi`,
          },
        );
      if (count * 2 + 2 > edges.length) {
        const grown = new Int32Array(Math.min(edges.length * 2, limits.maxReferences * 2 + 2));
        grown.set(edges);
        edges = grown;
      }
      edges[count * 2] = target;
      edges[count * 2 + 1] = source;
      count += 1;
    };
    const visit = (source: number, v: PdfValue | undefined, depth: number) => {
      if (depth > 64 || v === undefined) return;
      if (v instanceof PdfRef) add(source, v.num);
      else if (Array.isArray(v)) for (const x of v) visit(source, x, depth + 1);
      else if (v instanceof PdfDict) for (const x of v.map.values()) visit(source, x, depth + 1);
      else if (v instanceof PdfStream) visit(source, v.dict, depth + 1);
    };
    if (doc.objectCount > limits.maxObjects)
      throw new PdfError(
        'PDF_BUDGET_EXCEEDED',
        `the signed revision has ${doc.objectCount} objects, more than the ${limits.maxObjects} kyso analyses`,
        {
          messageVi: `phiên bản đã ký có ${doc.objectCount} đối tượng, vượt quá ${limits.maxObjects} mà kyso phân tích`,
        },
      );
    visit(-1, doc.trailer, 0);
    for (const num of doc.objectNumbers()) {
      let value: PdfValue;
      try {
        value = doc.resolve(new PdfRef(num, 0));
      } catch (error) {
        if (error instanceof PdfError && error.code === 'PDF_BUDGET_EXCEEDED') throw error;
        continue; // an unreadable old object refers to nothing we can see
      }
      visit(num, value, 0);
    }
    return ReferrerIndex.fromEdges(edges, count);
  }

  /** Sorts the (target, source) pairs by target and groups them. */
  private static fromEdges(edges: Int32Array, count: number): ReferrerIndex {
    const order = new Int32Array(count);
    for (let i = 0; i < count; i += 1) order[i] = i;
    order.sort((a, b) => edges[a * 2]! - edges[b * 2]! || edges[a * 2 + 1]! - edges[b * 2 + 1]!);
    const targets: number[] = [];
    const start: number[] = [];
    const from = new Int32Array(count);
    let last = Number.NaN;
    for (let i = 0; i < count; i += 1) {
      const e = order[i]!;
      const target = edges[e * 2]!;
      if (target !== last) {
        targets.push(target);
        start.push(i);
        last = target;
      }
      from[i] = edges[e * 2 + 1]!;
    }
    start.push(count);
    return new ReferrerIndex(Int32Array.from(targets), Int32Array.from(start), from);
  }

  private find(num: number): number {
    let lo = 0;
    let hi = this.targets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = this.targets[mid]!;
      if (t === num) return mid;
      if (t < num) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Whether anything refers to object `num`. */
  has(num: number): boolean {
    return this.find(num) >= 0;
  }

  /** The objects referring to `num` (-1 for the trailer), or an empty list. */
  get(num: number): readonly number[] {
    const i = this.find(num);
    if (i < 0) return [];
    const out: number[] = [];
    let previous = Number.NaN;
    for (let k = this.start[i]!; k < this.start[i + 1]!; k += 1) {
      const r = this.from[k]!;
      if (r !== previous) out.push(r);
      previous = r;
    }
    return out;
  }
}
