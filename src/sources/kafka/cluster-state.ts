import { OffsetHistory } from '../../core/kafka/offset-history.js';
import { TimestampCache } from '../../core/kafka/timestamp-cache.js';
import type { SampleRing } from '../../core/kafka/sample-window.js';
import { partitionKey, type GroupTotals } from '../../core/kafka/types.js';
import type { EpochMillis, Position, Seconds } from '../../core/units.js';
import type { CommittedOffset, GroupInfo } from './client.js';

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

/** One partition a group consumes (or consumed, until inactiveRetention passes). */
export interface GroupPartition {
  readonly topic: string;
  readonly partition: number;
  /** The status window (oldest first). */
  readonly samples: SampleRing;
  /** Last cycle the partition was part of the group's topics. */
  lastSeen: EpochMillis;
  /** Time lag at `lastSeen` (what a retained partition keeps reporting). */
  seconds: Seconds | undefined;
  /** Label text of the group's partition series (LabelCache). */
  labelText?: string;
}

/** What the collector remembers about one group between cycles. */
export interface GroupMemory {
  /** Per `topic/partition`. */
  readonly windows: Map<string, GroupPartition>;
  totals: GroupTotals[];
  /** Last committed offsets read (reused while the group is retained after it went away). */
  commits: CommittedOffset[];
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

  constructor(readonly historyPoints: number) {}

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
        windows: new Map(),
        totals: [],
        commits: [],
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
