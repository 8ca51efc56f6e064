import type { Count, Position } from '../units.js';
import type { Watermarks } from './types.js';

/** Offset lag of a group on one partition. */
export interface OffsetLag {
  /** `max(0, high - committed)`; from the low watermark when nothing is committed (DESIGN.md §3). */
  readonly lag: Count;
  /** No committed offset: the lag is measured from the low watermark. */
  readonly uncommitted: boolean;
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
 * Offset lag per DESIGN.md §3. `committed` is undefined (or negative, Kafka's "none") when the
 * group has no commit on the partition.
 */
export function offsetLag(committed: Position | undefined, wm: Watermarks): OffsetLag {
  if (committed === undefined || committed < 0) {
    return { lag: Math.max(0, wm.high - wm.low), uncommitted: true, belowLowWatermark: false, firstUnconsumed: wm.low };
  }
  return {
    lag: Math.max(0, wm.high - committed),
    uncommitted: false,
    belowLowWatermark: committed < wm.low,
    firstUnconsumed: Math.max(committed, wm.low),
  };
}
