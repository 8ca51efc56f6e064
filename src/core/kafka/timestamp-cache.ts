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
    return [...missing.values()].sort((a, b) => b.lag - a.lag).slice(0, Math.max(0, budget));
  }
}
