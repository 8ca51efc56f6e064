import type { Count, Position } from '../units.js';
import { commitPosition, EARLIEST_SENTINEL, LATEST_SENTINEL, type CommitKind } from './commit-sentinel.js';
import type { Watermarks } from './types.js';

/** Offset lag of a group on one partition. */
export interface OffsetLag {
  /** `max(0, high - position)`; from the low watermark when nothing is committed (DESIGN.md §3). */
  readonly lag: Count;
  /** No committed offset: the lag is measured from the low watermark. */
  readonly uncommitted: boolean;
  /** What the commit is: a real offset, or the earliest/latest sentinel; undefined when uncommitted. */
  readonly kind: CommitKind | undefined;
  /**
   * Where the group resumes: the committed offset, or what a sentinel stands for (low watermark
   * for -2, high for -1), or the low watermark when nothing is committed.
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
 * Offset lag per DESIGN.md §3. `committed` is undefined (or a negative value other than the
 * -1/-2 sentinels) when the group has no commit on the partition; a sentinel counts from the
 * position it stands for (core/kafka/commit-sentinel.ts).
 */
export function offsetLag(committed: Position | undefined, wm: Watermarks): OffsetLag {
  const c = commitPosition(committed, wm);
  if (c === undefined) {
    return { lag: Math.max(0, wm.high - wm.low), uncommitted: true, kind: undefined, position: wm.low, belowLowWatermark: false, firstUnconsumed: wm.low };
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
