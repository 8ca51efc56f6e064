import type { Seconds } from '../units.js';

/** Good and total counts one evaluation adds to an SLO's counters. */
export interface TickCounts {
  readonly good: number;
  readonly total: number;
}

/**
 * Time-based SLI (freshness): one count per evaluation tick. The tick is good when the
 * staleness could be read and is at most the threshold; a tick without a reading (the source
 * is down, or the target was never seen) is bad: an SLO must not look healthy while blind.
 */
export function freshnessTick(staleness: Seconds | undefined, threshold: Seconds): TickCounts {
  return { good: staleness !== undefined && staleness <= threshold ? 1 : 0, total: 1 };
}

/** Event-based latency SLI: each event applied within the threshold is good. */
export function latencyCounts(latencies: readonly Seconds[], threshold: Seconds): TickCounts {
  let good = 0;
  for (const l of latencies) if (l <= threshold) good++;
  return { good, total: latencies.length };
}

/** Event-based SLIs that count bad events (duplicates, dead letters, gaps). */
export function eventCounts(total: number, bad: number): TickCounts {
  const t = Math.max(0, total);
  return { good: Math.max(0, t - Math.max(0, Math.min(bad, t))), total: t };
}
