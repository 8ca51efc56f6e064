import type { EpochMillis, Position } from '../units.js';

/** One record timestamp to read: the first unconsumed offset of a lagging partition. */
export interface ReadWanted {
  readonly topic: string;
  readonly partition: number;
  readonly offset: Position;
  /** Offset lag behind it: the most lagging are read first. */
  readonly lag: number;
}

const key = (topic: string, partition: number, offset: Position): string => `${topic}\u0000${partition}\u0000${offset}`;

/**
 * Record timestamps by (topic, partition, offset). A committed offset that does not move keeps
 * pointing at the same record, so its timestamp is read once and reused until the commit moves;
 * groups at the same offset share the entry. Entries nobody asked for in a cycle are dropped,
 * which bounds the cache by the number of lagging partitions.
 */
export class TimestampCache {
  #entries = new Map<string, EpochMillis | null>();

  /** Timestamp (`null`: the record has none), or undefined when not cached. */
  get(topic: string, partition: number, offset: Position): EpochMillis | null | undefined {
    return this.#entries.get(key(topic, partition, offset));
  }

  set(topic: string, partition: number, offset: Position, ts: EpochMillis | null): void {
    this.#entries.set(key(topic, partition, offset), ts);
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Chooses this cycle's reads: offsets not cached, deduplicated, most lagging first, at most
   * `budget`. Drops cached entries that no longer appear in `wanted` (their commit moved).
   */
  plan(wanted: readonly ReadWanted[], budget: number): ReadWanted[] {
    const keep = new Map<string, EpochMillis | null>();
    const missing = new Map<string, ReadWanted>();
    for (const w of wanted) {
      const k = key(w.topic, w.partition, w.offset);
      const hit = this.#entries.get(k);
      if (hit !== undefined) keep.set(k, hit);
      else {
        const prev = missing.get(k);
        if (!prev || prev.lag < w.lag) missing.set(k, w);
      }
    }
    this.#entries = keep;
    return mostLagging(missing.values(), budget);
  }
}

/**
 * The first `budget` items of a stable sort by lag, descending, without sorting them all: on a
 * large cluster nearly every partition of every group lags and is not cached (10^5 items), while
 * the budget is tens. O(n x budget) in the worst case, O(n) when lags do not keep increasing.
 */
export function mostLagging(items: Iterable<ReadWanted>, budget: number): ReadWanted[] {
  const top: ReadWanted[] = [];
  if (budget <= 0) return top;
  for (const w of items) {
    // An equal lag arriving later ranks after (stable): only a strictly larger one enters a full list.
    if (top.length === budget && w.lag <= top[budget - 1]!.lag) continue;
    let i = top.length;
    while (i > 0 && top[i - 1]!.lag < w.lag) i--;
    top.splice(i, 0, w);
    if (top.length > budget) top.pop();
  }
  return top;
}
