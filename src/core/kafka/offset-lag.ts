import type { Count, Position } from '../units.js';
import { commitPosition, EARLIEST_SENTINEL, LATEST_SENTINEL, type CommitKind } from './commit-sentinel.js';
import type { Watermarks } from './types.js';

/** Offset lag of a group on one partition. */
export interface OffsetLag {
  /** `max(0, high - position)`; without a commit, from `uncommittedPosition` (docs/kafka.md). */
  readonly lag: Count;
  /** No committed offset: the lag counts only what arrived since the partition was first seen so. */
  readonly uncommitted: boolean;
  /** What the commit is: a real offset, or the earliest/latest sentinel; undefined when uncommitted. */
  readonly kind: CommitKind | undefined;
  /**
   * Where the group resumes: the committed offset, or what a sentinel stands for (low watermark
   * for -2, high for -1), or `uncommittedPosition` when nothing is committed.
   */
  readonly position: Position;
  /**
   * The committed offset is below the low watermark: retention or compaction removed messages
   * the group never read. The lag still counts them (they were never consumed), but the oldest
   * message the group can still read is at the low watermark.
   */
  readonly belowLowWatermark: boolean;
  /** Offset of the oldest message the group has not consumed that still exists in the log. */
  readonly firstUnconsumed: Position;
}

/**
 * Where the lag of a partition the group has no commit on counts from: the high watermark when
 * the monitor first saw the partition without a commit (`kept`, the position this function gave
 * last cycle; undefined the first time), within the log's current bounds (retention moved the low
 * watermark past it; a re-created topic's high watermark fell below it).
 *
 * Where such a group starts is the consumer's own setting (kafkajs' `fromBeginning`, the Java
 * client's `auto.offset.reset`, `latest` by default in both), which the monitor cannot see. The
 * low watermark (DESIGN.md §3) counts a partition's whole history as lag for a consumer that
 * starts at the end and has not received a message on it since: a kafkajs consumer keeping up
 * with a keyed topic was STALLED, with the age of the old records as its time lag. Counting from
 * the first sighting is a lower bound whatever the setting (a position is never above the high
 * watermark), so nothing produced before cannot raise a status or burn a freshness SLO, and a
 * consumer that never commits while messages arrive still shows a growing lag and STALLED.
 */
export function uncommittedPosition(kept: Position | undefined, low: Position, high: Position): Position {
  return Math.min(high, Math.max(low, kept ?? high));
}

/**
 * Offset lag per DESIGN.md §3, with the uncommitted case of `uncommittedPosition`. `committed` is
 * undefined (or a negative value other than the -1/-2 sentinels) when the group has no commit on
 * the partition; `kept` is then the position the last cycle gave it. A sentinel counts from the
 * position it stands for (core/kafka/commit-sentinel.ts).
 */
export function offsetLag(committed: Position | undefined, wm: Watermarks, kept?: Position): OffsetLag {
  const c = commitPosition(committed, wm);
  if (c === undefined) {
    const position = uncommittedPosition(kept, wm.low, wm.high);
    return { lag: wm.high - position, uncommitted: true, kind: undefined, position, belowLowWatermark: false, firstUnconsumed: position };
  }
  return {
    lag: Math.max(0, wm.high - c.position),
    uncommitted: false,
    kind: c.kind,
    position: c.position,
    belowLowWatermark: c.position < wm.low,
    firstUnconsumed: Math.max(c.position, wm.low),
  };
}

/**
 * Where the group resumes on a partition, without an object per call (the collector asks once
 * per group-partition per cycle): what `offsetLag(...).position` gives for a commit, but NaN
 * when nothing is committed (`committed` NaN, or a negative value other than the -1/-2
 * sentinels). `commitPosition` in numbers.
 */
export function resumePosition(committed: number, low: Position, high: Position): number {
  if (committed >= 0) return committed;
  if (committed === EARLIEST_SENTINEL) return low;
  if (committed === LATEST_SENTINEL) return high;
  return Number.NaN;
}
