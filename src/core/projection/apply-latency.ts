import type { EpochMillis, Position, Seconds } from '../units.js';
import { clampedAge } from './clock-skew.js';
import type { CheckpointWrite } from './types.js';

/** An event's position and its own timestamp, as read from the store. */
export interface EventTime {
  readonly position: Position;
  readonly timestamp: EpochMillis;
}

/**
 * The writes that bound an advance (from, to]: the probed writes inside it, in the order seen,
 * keeping only the first sighting of each higher position (a later rewrite of the same position
 * is a heartbeat, not an apply), then the reading's own write at `to` unless a probe already saw
 * `to`. Writes out of order in position or time (a reset between readings) are dropped: the
 * remaining ones are still each an upper bound for the events they cover.
 */
export function coveringWrites(from: Position, to: Position, reading: CheckpointWrite, probed: readonly CheckpointWrite[] = []): CheckpointWrite[] {
  const out: CheckpointWrite[] = [];
  for (const w of probed) {
    const prev = out[out.length - 1];
    if (w.position <= from || w.position > to || w.at > reading.at) continue;
    if (prev && (w.position <= prev.position || w.at < prev.at)) continue;
    out.push(w);
  }
  if ((out[out.length - 1]?.position ?? from) < to) out.push({ position: to, at: reading.at });
  return out;
}

/**
 * Apply latency (DESIGN.md §3): each event is charged the first observed write that covers it
 * (`writes` by increasing position, as `coveringWrites` returns them): `write.at -
 * eventTimestamp`. That write had applied the event, so the value is an upper bound; it is
 * exact when no unobserved write covered the event earlier. docs/stores.md gives the measured
 * error per preset. Negative values are clock skew: clamped to 0 and counted.
 */
export function applyLatencies(events: readonly EventTime[], writes: readonly CheckpointWrite[]): { latencies: Seconds[]; skewed: number } {
  const latencies: Seconds[] = [];
  let skewed = 0;
  if (writes.length === 0) return { latencies, skewed };
  for (const e of events) {
    const age = clampedAge(firstCovering(writes, e.position).at, e.timestamp);
    if (age.skewed) skewed++;
    latencies.push(age.seconds);
  }
  return { latencies, skewed };
}

/** Binary search: the first write whose position is at least `position` (the last one if none). */
function firstCovering(writes: readonly CheckpointWrite[], position: Position): CheckpointWrite {
  let lo = 0;
  let hi = writes.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (writes[mid]!.position >= position) hi = mid;
    else lo = mid + 1;
  }
  return writes[lo]!;
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
