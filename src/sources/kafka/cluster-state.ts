import { OffsetHistory } from '../../core/kafka/offset-history.js';
import { TimestampCache } from '../../core/kafka/timestamp-cache.js';
import { WindowColumns } from '../../core/kafka/sample-window.js';
import { partitionKey, type GroupTotals } from '../../core/kafka/types.js';
import type { EpochMillis, Position, Seconds } from '../../core/units.js';
import type { GroupInfo } from './client.js';
import { KeptCommits } from './kept-commits.js';

/** What the collector remembers about one partition of the cluster between cycles. */
export interface PartitionMemory {
  readonly topic: string;
  readonly partition: number;
  readonly history: OffsetHistory;
  high: Position;
  low: Position;
  lastSeen: EpochMillis;
  /** Label text of its watermark series, built at its first publication (see LabelCache). */
  labelText?: string;
}

/**
 * Something published every cycle under the same labels keeps its label text: building the text
 * and hashing a new string for the gauge's key lookup was ~7 % of a cycle's CPU at 200 x 50
 * partitions and 500 groups (docs/performance.md); a kept string has its hash cached.
 */
export interface LabelCache {
  labelText?: string;
}

/** Row flag: nothing committed on the partition (lag from where it was first seen so: `uncommittedPosition`). */
export const ROW_UNCOMMITTED = 1;

/** GroupPartitions' columns per slot. */
const LAST_SEEN = 0;
const SECONDS = 1;
const COMMITTED = 2;
const LAG = 3;
const FIRST = 4;
const FLAGS = 5;
const COLUMNS = 6;

/**
 * The partitions a group consumes (or consumed, until inactiveRetention passes), as columns
 * indexed by slot: their status windows in one WindowColumns, and per slot the topic, partition,
 * last cycle seen, time lag and label text in arrays, instead of an object, a SampleRing and its
 * array per partition (500 000 of each at 5 000 groups of 100 partitions; docs/performance.md).
 * The map from partition key to slot keeps insertion order, which is the order of the rows.
 */
export class GroupPartitions {
  readonly windows: WindowColumns;
  readonly #slots = new Map<string, number>();
  readonly #topics: (string | undefined)[] = [];
  #partition: Int32Array;
  /**
   * Per slot, COLUMNS numbers side by side (one array: each typed array costs ~200 bytes of heap
   * per group): last cycle seen, time lag at that cycle (what a retained partition keeps
   * reporting; NaN for none), and this cycle's row, written by the observe and evaluate passes
   * and read by publish instead of an object per group-partition per cycle (docs/performance.md,
   * "Rows as columns"): committed offset as published (NaN: none, or a -1/-2 sentinel), offset
   * lag, first unconsumed offset, ROW_* flags.
   */
  #cols: Float64Array;
  /** This cycle's live slots, in row order (`live()`). */
  #live: Int32Array;
  /** Label text of the group's partition series per slot (see LabelCache). */
  readonly labelTexts: (string | undefined)[] = [];
  #liveCount = 0;

  constructor(statusWindow: number) {
    this.windows = new WindowColumns(statusWindow);
    const n = this.windows.allocated;
    this.#partition = new Int32Array(n);
    this.#cols = new Float64Array(n * COLUMNS);
    this.#live = new Int32Array(n);
  }

  get size(): number {
    return this.#slots.size;
  }

  /**
   * Room for `n` partitions in all: a group's size is known before its partitions are added, so
   * the columns are allocated once at that size instead of doubling past it.
   */
  reserve(n: number): void {
    if (n <= this.windows.allocated) return;
    this.windows.reserve(n);
    this.#grow();
  }

  /** The slot of a partition, added (with an empty window) when new. */
  slot(key: string, topic: string, partition: number): number {
    let slot = this.#slots.get(key);
    if (slot !== undefined) return slot;
    slot = this.windows.add();
    if (slot >= this.#partition.length) this.#grow();
    this.#slots.set(key, slot);
    this.#topics[slot] = topic;
    this.#partition[slot] = partition;
    this.#cols[slot * COLUMNS + SECONDS] = Number.NaN;
    this.labelTexts[slot] = undefined;
    return slot;
  }

  /** Forgets a partition (its slot is reused). */
  delete(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    this.#slots.delete(key);
    this.windows.remove(slot);
    this.#topics[slot] = undefined;
    this.labelTexts[slot] = undefined;
  }

  /** `[key, slot]` in insertion order (deleting the current entry while iterating is allowed). */
  entries(): IterableIterator<[string, number]> {
    return this.#slots.entries();
  }

  /** Slots in insertion order. */
  slots(): IterableIterator<number> {
    return this.#slots.values();
  }

  topic(slot: number): string {
    return this.#topics[slot]!;
  }

  partition(slot: number): number {
    return this.#partition[slot]!;
  }

  lastSeen(slot: number): EpochMillis {
    return this.#cols[slot * COLUMNS + LAST_SEEN]!;
  }

  setLastSeen(slot: number, t: EpochMillis): void {
    this.#cols[slot * COLUMNS + LAST_SEEN] = t;
  }

  seconds(slot: number): Seconds | undefined {
    const s = this.#cols[slot * COLUMNS + SECONDS]!;
    return Number.isNaN(s) ? undefined : s;
  }

  setSeconds(slot: number, s: Seconds | undefined): void {
    this.#cols[slot * COLUMNS + SECONDS] = s ?? Number.NaN;
  }

  /** Starts this cycle's list of live slots (`addLive`). */
  clearLive(): void {
    this.#liveCount = 0;
  }

  /** A slot observed this cycle, with its committed offset as published (NaN for none), offset lag, first unconsumed offset and ROW_* flags. */
  addLive(slot: number, committed: number, lag: number, firstUnconsumed: number, flags: number): void {
    this.#live[this.#liveCount++] = slot;
    const at = slot * COLUMNS;
    this.#cols[at + COMMITTED] = committed;
    this.#cols[at + LAG] = lag;
    this.#cols[at + FIRST] = firstUnconsumed;
    this.#cols[at + FLAGS] = flags;
  }

  /** This cycle's live slots in row order (a view: valid until the next cycle's `clearLive`). */
  live(): Int32Array {
    return this.#live.subarray(0, this.#liveCount);
  }

  get liveCount(): number {
    return this.#liveCount;
  }

  /** A retained slot's row: its last committed position (NaN for none) and offset lag. */
  setRetained(slot: number, committed: number, lag: number): void {
    const at = slot * COLUMNS;
    this.#cols[at + COMMITTED] = committed;
    this.#cols[at + LAG] = lag;
    this.#cols[at + FLAGS] = 0;
  }

  /** Committed offset the row publishes; NaN for none. */
  committed(slot: number): number {
    return this.#cols[slot * COLUMNS + COMMITTED]!;
  }

  lag(slot: number): number {
    return this.#cols[slot * COLUMNS + LAG]!;
  }

  firstUnconsumed(slot: number): number {
    return this.#cols[slot * COLUMNS + FIRST]!;
  }

  flags(slot: number): number {
    return this.#cols[slot * COLUMNS + FLAGS]!;
  }

  #grow(): void {
    const n = this.windows.allocated;
    const p = new Int32Array(n);
    p.set(this.#partition);
    this.#partition = p;
    const c = new Float64Array(n * COLUMNS);
    c.set(this.#cols);
    this.#cols = c;
    const l = new Int32Array(n);
    l.set(this.#live);
    this.#live = l;
  }
}

/** What the collector remembers about one group between cycles. */
export interface GroupMemory {
  /** Its partitions and their status windows. */
  readonly partitions: GroupPartitions;
  totals: GroupTotals[];
  /** Last committed offsets read (reused while the group is retained after it went away). */
  commits: KeptCommits;
  info: GroupInfo | undefined;
  firstSeen: EpochMillis;
  /** Last cycle the group was listed by the cluster. */
  lastListed: EpochMillis;
  /** Last time a committed offset of the group was seen to move. */
  lastCommitMove: EpochMillis | undefined;
  /** Topics whose redelivered counter exists (created at 0 when the topic is first consumed). */
  readonly redeliveryTopics: Set<string>;
}

/**
 * The collector's memory of one cluster: bounded by the watched partitions x (history points +
 * status window) and the lagging partitions (timestamp cache). Survives failed cycles, so a
 * broker outage does not reset time-lag history or status windows.
 */
export class ClusterState {
  readonly partitions = new Map<string, PartitionMemory>();
  readonly groups = new Map<string, GroupMemory>();
  /** Topics seen at least once (a partition first seen on a known topic was added). */
  readonly knownTopics = new Set<string>();
  readonly timestamps = new TimestampCache();
  /** Interned `partitionKey`s of the topics seen (bounded with them by `prunePartitions`). */
  readonly #keys = new Map<string, string[]>();

  constructor(
    readonly historyPoints: number,
    readonly statusWindow: number,
  ) {}

  /**
   * `partitionKey(topic, partition)`, the same string instance every time: the collector looks
   * partitions up once per group and partition per cycle (500 000 lookups at 5 000 groups of
   * 100 partitions), and a key built per lookup was garbage to collect and a hash to compute
   * each time; the groups' window maps also share one key string per partition.
   */
  key(topic: string, partition: number): string {
    let keys = this.#keys.get(topic);
    if (!keys) this.#keys.set(topic, (keys = []));
    return (keys[partition] ??= partitionKey(topic, partition));
  }

  partition(
    key: string,
    wm: { topic: string; partition: number; low: Position; high: Position },
    now: EpochMillis,
  ): { memory: PartitionMemory; previousHigh: Position | undefined } {
    const m = this.partitions.get(key);
    if (m) {
      const previousHigh = m.high;
      m.high = wm.high;
      m.low = wm.low;
      m.lastSeen = now;
      return { memory: m, previousHigh };
    }
    const memory: PartitionMemory = {
      topic: wm.topic,
      partition: wm.partition,
      history: new OffsetHistory(this.historyPoints),
      high: wm.high,
      low: wm.low,
      lastSeen: now,
    };
    this.partitions.set(key, memory);
    return { memory, previousHigh: undefined };
  }

  /**
   * Forgets partitions not sampled since `before` (no watched group consumes them any more, or
   * the topic is gone), so memory follows the watched set.
   */
  prunePartitions(before: EpochMillis): void {
    const live = new Set<string>();
    for (const [key, m] of this.partitions) {
      if (m.lastSeen < before) this.partitions.delete(key);
      else live.add(m.topic);
    }
    for (const topic of this.#keys.keys()) if (!live.has(topic)) this.#keys.delete(topic);
  }

  group(groupId: string, now: EpochMillis): GroupMemory {
    let g = this.groups.get(groupId);
    if (!g) {
      g = {
        partitions: new GroupPartitions(this.statusWindow),
        totals: [],
        commits: new KeptCommits(),
        info: undefined,
        firstSeen: now,
        lastListed: now,
        lastCommitMove: undefined,
        redeliveryTopics: new Set(),
      };
      this.groups.set(groupId, g);
    }
    return g;
  }
}

/** Appends to a window, keeping its last `size` entries. */
export function pushWindow<T>(window: T[], item: T, size: number): void {
  window.push(item);
  if (window.length > size) window.shift();
}
