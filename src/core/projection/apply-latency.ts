import type { EpochMillis, Position, Seconds } from '../units.js';
import { clampedAge } from './clock-skew.js';

/** An event's position and its own timestamp, as read from the store. */
export interface EventTime {
  readonly position: Position;
  readonly timestamp: EpochMillis;
}

/**
 * Apply latency (DESIGN.md §3): the checkpoint moved past these events between two readings,
 * so each was applied at some time up to `appliedAt`; its latency is estimated as
 * `appliedAt - eventTimestamp`, an upper bound whose error is at most one interval (less when
 * the store records the checkpoint's own write time). Negative values are clock skew: clamped
 * to 0 and counted.
 */
export function applyLatencies(events: readonly EventTime[], appliedAt: EpochMillis): { latencies: Seconds[]; skewed: number } {
  const latencies: Seconds[] = [];
  let skewed = 0;
  for (const e of events) {
    const age = clampedAge(appliedAt, e.timestamp);
    if (age.skewed) skewed++;
    latencies.push(age.seconds);
  }
  return { latencies, skewed };
}

/**
 * Stride for reading at most `maxSamples` event times out of the advance (from, to]: 1 reads
 * every event; larger strides read every n-th position, a uniform sample of the advance that
 * keeps the distribution (hence quantiles and good/total ratios) while bounding the cost of a
 * large catch-up to `maxSamples` index lookups.
 */
export function samplingStride(from: Position, to: Position, maxSamples: number): number {
  const span = to - from;
  if (span <= 0) return 1;
  return Math.max(1, Math.ceil(span / Math.max(1, maxSamples)));
}
