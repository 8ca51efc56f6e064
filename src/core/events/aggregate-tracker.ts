/** What one event did to its aggregate's version sequence. */
export type VersionOutcome =
  /** First version seen for the aggregate (or seen again after eviction): nothing to compare. */
  | { kind: 'first' }
  /** The next version: v = last + 1. */
  | { kind: 'next' }
  /** Skipped ahead: `missing` versions between the last one and this one were not seen. */
  | { kind: 'gap'; missing: number }
  /** Went back: v < last (a late or replayed event). */
  | { kind: 'out_of_order' }
  /** Same version as the last one (a redelivery; the dedupe window judges it by id). */
  | { kind: 'repeat' };

const FIRST: VersionOutcome = { kind: 'first' };
const NEXT: VersionOutcome = { kind: 'next' };
const OOO: VersionOutcome = { kind: 'out_of_order' };
const REPEAT: VersionOutcome = { kind: 'repeat' };

/**
 * Last version seen per aggregate, in a bounded LRU (a Map kept in access order: deleting and
 * re-inserting moves a key to the end, so the first key is the least recently used).
 *
 * The version compared against is the highest seen, so 1,2,4,3 counts one gap (3 missing when
 * 4 arrives) and one out-of-order (3 arriving late): counters never go back, and a reordering
 * really was a gap for whoever read the stream at that moment. An evicted aggregate starts
 * over as `first` (a possible gap is then not seen); evictions are counted so that operators
 * can raise `maxAggregates` when they are frequent.
 */
export class AggregateTracker {
  readonly maxAggregates: number;
  readonly #last = new Map<string, number>();
  evictions = 0;

  constructor(maxAggregates: number) {
    if (!Number.isInteger(maxAggregates) || maxAggregates < 1) throw new RangeError(`maxAggregates must be a positive integer, got ${maxAggregates}`);
    this.maxAggregates = maxAggregates;
  }

  observe(aggregateId: string, version: number): VersionOutcome {
    const last = this.#last.get(aggregateId);
    if (last === undefined) {
      this.#last.set(aggregateId, version);
      if (this.#last.size > this.maxAggregates) {
        this.#last.delete(this.#last.keys().next().value as string);
        this.evictions++;
      }
      return FIRST;
    }
    this.#last.delete(aggregateId);
    this.#last.set(aggregateId, Math.max(last, version));
    if (version === last + 1) return NEXT;
    if (version > last + 1) return { kind: 'gap', missing: version - last - 1 };
    if (version === last) return REPEAT;
    return OOO;
  }

  get size(): number {
    return this.#last.size;
  }
}
