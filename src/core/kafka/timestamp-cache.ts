import type { EpochMillis, Position } from '../units.js';

/** One record timestamp to read: the first unconsumed offset of a lagging partition. */
export interface ReadWanted {
  readonly topic: string;
  readonly partition: number;
  readonly offset: Position;
  /** Offset lag behind it: the most lagging are read first. */
  readonly lag: number;
}

/** topic -> partition -> offset -> value: no key string built per lookup (10^5 lookups per cycle). */
type Nested<V> = Map<string, Map<number, Map<Position, V>>>;

function nestedGet<V>(m: Nested<V>, topic: string, partition: number, offset: Position): V | undefined {
  return m.get(topic)?.get(partition)?.get(offset);
}

function nestedSet<V>(m: Nested<V>, topic: string, partition: number, offset: Position, v: V): void {
  let byPartition = m.get(topic);
  if (!byPartition) m.set(topic, (byPartition = new Map()));
  let byOffset = byPartition.get(partition);
  if (!byOffset) byPartition.set(partition, (byOffset = new Map()));
  byOffset.set(offset, v);
}

/**
 * Record timestamps by (topic, partition, offset). A committed offset that does not move keeps
 * pointing at the same record, so its timestamp is read once and reused until the commit moves;
 * groups at the same offset share the entry. Entries nobody asked for in a cycle are dropped,
 * which bounds the cache by the number of lagging partitions.
 */
export class TimestampCache {
  #entries: Nested<EpochMillis | null> = new Map();
  #size = 0;

  /** Timestamp (`null`: the record has none), or undefined when not cached. */
  get(topic: string, partition: number, offset: Position): EpochMillis | null | undefined {
    return nestedGet(this.#entries, topic, partition, offset);
  }

  set(topic: string, partition: number, offset: Position, ts: EpochMillis | null): void {
    if (nestedGet(this.#entries, topic, partition, offset) === undefined) this.#size++;
    nestedSet(this.#entries, topic, partition, offset, ts);
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Chooses this cycle's reads: offsets not cached, deduplicated, most lagging first, at most
   * `budget`. Drops cached entries that no longer appear in `wanted` (their commit moved).
   */
  plan(wanted: readonly ReadWanted[], budget: number): ReadWanted[] {
    const keep: Nested<EpochMillis | null> = new Map();
    let kept = 0;
    // Uncached offsets in order of first appearance, each with its most lagging request.
    const missing: ReadWanted[] = [];
    const slot: Nested<number> = new Map();
    for (const w of wanted) {
      const hit = nestedGet(this.#entries, w.topic, w.partition, w.offset);
      if (hit !== undefined) {
        if (nestedGet(keep, w.topic, w.partition, w.offset) === undefined) kept++;
        nestedSet(keep, w.topic, w.partition, w.offset, hit);
        continue;
      }
      const i = nestedGet(slot, w.topic, w.partition, w.offset);
      if (i === undefined) {
        nestedSet(slot, w.topic, w.partition, w.offset, missing.length);
        missing.push(w);
      } else if (missing[i]!.lag < w.lag) missing[i] = w;
    }
    this.#entries = keep;
    this.#size = kept;
    return mostLagging(missing, budget);
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
