import type { Seconds } from '../units.js';
import type { ProbeOutcome } from '../probe/outcome.js';

/**
 * Why a tick could not be judged: the bounded values of `cqrs_slo_unknown_total{reason}`.
 * - `unreadable`: the SLI's source could not be read (source down, value unknown), or the
 *   target was not seen once within the startup grace, or a read-after-write probe run could
 *   not reach a verdict (its command or its queries failed);
 * - `rebuilding`: the target projection is rebuilding and the SLO excludes rebuilds.
 */
export const UNKNOWN_REASONS = ['unreadable', 'rebuilding'] as const;
export type UnknownReason = (typeof UNKNOWN_REASONS)[number];

/** Good and total counts one evaluation adds to an SLO's counters. */
export interface TickCounts {
  readonly good: number;
  readonly total: number;
  /**
   * Ticks that could not be judged and are left out of good/total (disjoint from `total`, so
   * that data coverage = total / (total + unknown)).
   */
  readonly unknown?: { readonly reason: UnknownReason; readonly count: number } | undefined;
}

/** What a freshness SLO does with ticks it cannot judge (config fields `unknown`, `duringRebuild`). */
export interface FreshnessPolicy {
  /** `exclude`: an unreadable tick is unknown (neither good nor bad); `bad`: it is a bad tick. */
  readonly unknown: 'exclude' | 'bad';
  /** `exclude`: a tick while the target is rebuilding is unknown; `count`: judged like any other. */
  readonly duringRebuild: 'exclude' | 'count';
}

/** What the evaluator knows of a freshness target at a tick. */
export interface FreshnessReading {
  /** The target has been read at least once (its source published it, maybe as unreadable). */
  readonly seen: boolean;
  /** Current staleness; undefined when it could not be read. */
  readonly staleness: Seconds | undefined;
  /** The target projection's status is REBUILDING (read in the same cycle as the staleness). */
  readonly rebuilding: boolean;
  /** Seconds since the evaluator's first tick. */
  readonly sinceStart: Seconds;
  /** Another replica reads the target (sharding): the tick is its, not this one's. */
  readonly elsewhere?: boolean;
}

/**
 * Time-based SLI (freshness): one count per evaluation tick, or undefined to skip the tick.
 * 1. Not seen yet and within `startupGrace`: skipped (the source's first cycle has not run).
 * 2. Rebuilding (and the SLO excludes rebuilds): unknown, reason `rebuilding`. A rebuild
 *    re-applies old events, so its staleness says nothing about the team's live read path;
 *    a rebuild that stops moving is STALLED, not REBUILDING, and burns.
 * 3. No reading (source down, value unknown, or never seen after the grace): unknown, reason
 *    `unreadable`, or a bad tick when the policy says `unknown: bad`. The monitor's blindness
 *    is not the team's outage by default.
 * 4. Otherwise good when the staleness is at most the threshold.
 */
export function freshnessTick(r: FreshnessReading, threshold: Seconds, policy: FreshnessPolicy, startupGrace: Seconds): TickCounts | undefined {
  if (r.elsewhere === true) return undefined;
  if (!r.seen && r.sinceStart < startupGrace) return undefined;
  if (r.seen && r.rebuilding && policy.duringRebuild === 'exclude') return unknownTick('rebuilding');
  if (!r.seen || r.staleness === undefined) return policy.unknown === 'bad' ? { good: 0, total: 1 } : unknownTick('unreadable');
  return { good: r.staleness <= threshold ? 1 : 0, total: 1 };
}

const unknownTick = (reason: UnknownReason): TickCounts => ({ good: 0, total: 0, unknown: { reason, count: 1 } });

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

/**
 * Read-after-write SLI (event-based, one count per probe run): good when the change was
 * visible within the threshold; bad when it was visible later or not within the probe's
 * timeout; a run that could not reach a verdict (its command or its queries failed) is unknown,
 * reason `unreadable`: the monitor's failure to probe is not the read model's lateness.
 */
export function readAfterWriteCounts(outcomes: readonly ProbeOutcome[], threshold: Seconds): TickCounts {
  let good = 0;
  let total = 0;
  let unknown = 0;
  for (const o of outcomes) {
    if (o.result === 'visible') {
      total++;
      if (o.seconds <= threshold) good++;
    } else if (o.result === 'timeout') total++;
    else unknown++;
  }
  return unknown > 0 ? { good, total, unknown: { reason: 'unreadable', count: unknown } } : { good, total };
}
