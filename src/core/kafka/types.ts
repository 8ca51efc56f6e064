import type { EpochMillis, Position } from '../units.js';

/** Consumer group status (DESIGN.md §3); docs/kafka.md writes the rules down (status.ts applies them). */
export const GROUP_STATUSES = ['OK', 'LAGGING', 'STALLED', 'STOPPED', 'REWOUND', 'ERROR'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** Log start and log end offsets of a partition. */
export interface Watermarks {
  /** Log start offset: the oldest offset still in the log (moves with retention/deleteRecords). */
  readonly low: Position;
  /** High watermark: the offset the next produced message will get. */
  readonly high: Position;
}

/** One observation of a group on one partition, as the status rules see it. */
export interface PartitionPoint {
  /** When the cycle sampled it. */
  readonly t: EpochMillis;
  /** Committed offset; undefined when the group has no commit on the partition. */
  readonly committed: Position | undefined;
  readonly low: Position;
  readonly high: Position;
}

/** A group's totals over its partitions at one cycle (for rates, trends and forecasts). */
export interface GroupTotals {
  readonly t: EpochMillis;
  /** Sum of offset lag over the group's partitions. */
  readonly lag: number;
  /** Sum of committed offsets (partitions without a commit count their low watermark). */
  readonly committed: number;
  /** Sum of high watermarks. */
  readonly high: number;
  /**
   * Which partitions were summed (e.g. `topic:count` per topic). Sums over different sets are
   * not comparable: a group that starts committing on a topic would seem to produce its whole
   * backlog in one interval. Omitted: the same set throughout.
   */
  readonly shape?: string;
}

/** `topic/partition`, the key the collector uses for per-partition state. */
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
