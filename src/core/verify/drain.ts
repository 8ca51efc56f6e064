import type { EpochMillis, Seconds } from '../units.js';

/** One reading of the watched backlog (projection lag in events, or consumer-group lag in messages). */
export interface BacklogSample {
  readonly at: EpochMillis;
  readonly backlog: number;
}

/**
 * Drain rate in backlog units per second over the samples of the last `window` seconds
 * (oldest to newest in that span): positive while the backlog shrinks, negative while it
 * grows. Undefined with fewer than two samples in the window or no time between them.
 * A two-point slope rather than a regression: the ETA follows what the run just did, and
 * the number is checkable by hand.
 */
export function drainRate(samples: readonly BacklogSample[], window: Seconds): number | undefined {
  const last = samples[samples.length - 1];
  if (!last) return undefined;
  const from = last.at - window * 1000;
  const first = samples.find((s) => s.at >= from);
  if (!first || first.at >= last.at) return undefined;
  return (first.backlog - last.backlog) / ((last.at - first.at) / 1000);
}

/**
 * Seconds until the backlog is down to `target` at `rate` (per second): 0 when already there,
 * undefined when it is not shrinking (no ETA is better than a made-up one).
 */
export function etaSeconds(backlog: number, target: number, rate: number | undefined): Seconds | undefined {
  if (backlog <= target) return 0;
  if (rate === undefined || !(rate > 0)) return undefined;
  return (backlog - target) / rate;
}

/** What a drain run observed, in the pure form the verdict is computed from. */
export interface DrainObservation {
  /** Seconds allowed from resume until the backlog is drained. */
  readonly limit: Seconds;
  /** When the consumer was resumed (hook returned, or the pause ended for a manual pause). */
  readonly resumedAt: EpochMillis;
  /** First reading at or under the target after the resume; undefined when never seen. */
  readonly drainedAt?: EpochMillis | undefined;
  /** Largest backlog seen over the run (informational). */
  readonly peakBacklog?: number | undefined;
  /** Whether a stream was watched for lost and duplicated events. */
  readonly streamWatched: boolean;
  /** Missing aggregate versions counted on the stream since the start; undefined when unknown (stream unreadable). */
  readonly lost?: number | undefined;
  /** Events whose id was seen again on the stream since the start; undefined when unknown. */
  readonly duplicated?: number | undefined;
  /** Messages re-delivered by a rewound committed offset (Kafka groups); undefined when not watched. */
  readonly redelivered?: number | undefined;
  /** The backlog could not be read at the end of the run (the last reading failed). */
  readonly backlogUnreadable?: boolean | undefined;
}

export interface Verdict {
  readonly pass: boolean;
  /** Why it failed, one line each; empty on a pass. */
  readonly reasons: readonly string[];
}

/** Seconds from resume to drained; undefined when never drained. */
export function drainSeconds(o: Pick<DrainObservation, 'resumedAt' | 'drainedAt'>): Seconds | undefined {
  return o.drainedAt === undefined ? undefined : Math.max(0, (o.drainedAt - o.resumedAt) / 1000);
}

/**
 * DESIGN.md's game-day check: after the pause, the backlog drains within the limit with zero
 * lost and zero duplicated events. Unknown counts (stream unreadable) fail: a pass must rest
 * on numbers that were read.
 */
export function drainVerdict(o: DrainObservation): Verdict {
  const reasons: string[] = [];
  const took = drainSeconds(o);
  if (took === undefined)
    reasons.push(o.backlogUnreadable ? 'backlog unreadable at the end of the run' : `backlog not drained within ${o.limit} s of the resume`);
  else if (took > o.limit) reasons.push(`backlog drained in ${round(took)} s, over the ${o.limit} s limit`);
  if (o.streamWatched) {
    if (o.lost === undefined || o.duplicated === undefined) reasons.push('lost and duplicated events unknown: the stream could not be read');
    else {
      if (o.lost > 0) reasons.push(`${o.lost} lost event${o.lost === 1 ? '' : 's'} (missing aggregate versions)`);
      if (o.duplicated > 0) reasons.push(`${o.duplicated} duplicated event${o.duplicated === 1 ? '' : 's'}`);
    }
  }
  if (o.redelivered !== undefined && o.redelivered > 0)
    reasons.push(`${o.redelivered} message${o.redelivered === 1 ? '' : 's'} re-delivered (committed offset moved backwards)`);
  return { pass: reasons.length === 0, reasons };
}

/** Three significant decimals at most, for messages and reports. */
export function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
