import type { EpochMillis, Position } from '../../core/units.js';

/**
 * The Kafka operations the collector needs, and nothing more: another client library can be
 * swapped in by implementing this interface (docs/kafka-clients.md compares the candidates).
 * Every method batches: requests per call grow with brokers, coordinators or topic chunks,
 * never with partitions.
 */
export interface KafkaClient {
  /** Every consumer group of the cluster (one ListGroups per broker). */
  listGroups(): Promise<GroupListing[]>;
  /**
   * State and member count per group (one request per coordinator and group protocol).
   * A group that could not be described maps to an Error; the others are unaffected.
   */
  describeGroups(groupIds: readonly string[]): Promise<Map<string, GroupInfo | Error>>;
  /**
   * Committed offsets of each group on every partition it committed (OffsetFetch batched per
   * coordinator, up to 100 groups a request on Kafka 3.0+), as columns. A group whose offsets
   * could not be read maps to an Error; the others are unaffected.
   */
  fetchCommittedOffsets(groupIds: readonly string[]): Promise<Map<string, GroupCommits | Error>>;
  /**
   * Low and high watermarks of every partition of the topics (ListOffsets batched per leader
   * broker and topic chunk). Topics that do not exist or whose request failed are in `failed`.
   */
  fetchWatermarks(topics: readonly string[]): Promise<WatermarkResult>;
  /**
   * Timestamps of the first record at or after each offset (Fetch batched per leader broker).
   * Reads that could not be answered are missing from the result.
   */
  readTimestamps(reads: readonly RecordRef[]): Promise<RecordTimestamp[]>;
  /** Protocol requests sent since the client was created (for the benchmark and spans). */
  requestCount(): number;
  close(): Promise<void>;
}

export interface GroupListing {
  readonly groupId: string;
  /** `consumer` for consumer groups (classic and KIP-848 alike); `connect`, `` for others. */
  readonly protocolType: string;
}

export interface GroupInfo {
  /** Broker-reported state (`Stable`, `Empty`, `PreparingRebalance`, ...); undefined when unknown. */
  readonly state: string | undefined;
  /** Undefined when the client cannot tell (see docs/kafka-clients.md). */
  readonly members: number | undefined;
  /** Group protocol: `classic` (JoinGroup) or `consumer` (KIP-848). */
  readonly protocol: 'classic' | 'consumer' | 'unknown';
}

export interface CommittedOffset {
  readonly topic: string;
  readonly partition: number;
  /**
   * Next offset to consume; -2 / -1 when a client committed the earliest / latest sentinel
   * (core/kafka/commit-sentinel.ts); undefined when nothing is committed.
   */
  readonly offset: Position | undefined;
}

/**
 * A group's committed offsets as columns, in the order the broker gave them: entry i is
 * partition `partitions[i]` of its run's topic, committed at `offsets[i]` (the -2 / -1
 * sentinels as they are; NaN when nothing is committed). An object per group-partition was
 * most of what a cycle allocated at 500 000 group-partitions (docs/performance.md, "Large
 * clusters"). `commitColumns` and `commitList` (kept-commits.ts) convert from and to
 * `CommittedOffset` lists.
 */
export interface GroupCommits {
  /** Topic of each run of consecutive entries, and the run's length (at least 1). */
  readonly topics: readonly string[];
  readonly runs: readonly number[];
  readonly partitions: Int32Array;
  readonly offsets: Float64Array;
}

export interface PartitionWatermarks {
  readonly topic: string;
  readonly partition: number;
  readonly low: Position;
  readonly high: Position;
}

export interface WatermarkResult {
  readonly partitions: PartitionWatermarks[];
  /** Topic -> why it has no watermarks this cycle. */
  readonly failed: Map<string, Error>;
}

export interface RecordRef {
  readonly topic: string;
  readonly partition: number;
  readonly offset: Position;
}

export interface RecordTimestamp extends RecordRef {
  /** Timestamp of the first record at or after `offset`; null when the record has none. */
  readonly timestamp: EpochMillis | null;
}
