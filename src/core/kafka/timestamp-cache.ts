import type { EpochMillis, Position } from '../units.js';
import { MissingOffsets } from './missing-offsets.js';

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

  /** This round's cached entries that were asked for, and the uncached offsets asked for. */
  #keep: Nested<EpochMillis | null> = new Map();
  #kept = 0;
  readonly #missing = new MissingOffsets();

  /** Starts choosing this cycle's reads: `want` each lagging partition's first unconsumed offset, then `chosen`. */
  begin(): void {
    this.#keep = new Map();
    this.#kept = 0;
    this.#missing.clear();
  }

  /** The record at `offset` of a partition `lag` messages behind would be worth reading. */
  want(topic: string, partition: number, offset: Position, lag: number): void {
    const hit = nestedGet(this.#entries, topic, partition, offset);
    if (hit === undefined) {
      this.#missing.offer(topic, partition, offset, lag);
      return;
    }
    if (nestedGet(this.#keep, topic, partition, offset) === undefined) this.#kept++;
    nestedSet(this.#keep, topic, partition, offset, hit);
  }

  /**
   * This cycle's reads: offsets wanted since `begin` and not cached, deduplicated (each with its
   * largest lag), most lagging first (ties in the order first wanted), at most `budget`. Drops
   * cached entries that were not wanted (their commit moved).
   */
  chosen(budget: number): ReadWanted[] {
    this.#entries = this.#keep;
    this.#size = this.#kept;
    this.#keep = new Map();
    this.#kept = 0;
    const m = this.#missing;
    const reads = m.mostLagging(budget).map((e) => ({ topic: m.topic(e), partition: m.partition(e), offset: m.offset(e), lag: m.lag(e) }));
    m.clear();
    return reads;
  }

  /** `begin`, `want` for each of `wanted`, `chosen(budget)`. */
  plan(wanted: readonly ReadWanted[], budget: number): ReadWanted[] {
    this.begin();
    for (const w of wanted) this.want(w.topic, w.partition, w.offset, w.lag);
    return this.chosen(budget);
  }
}
