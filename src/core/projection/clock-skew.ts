import type { EpochMillis, Seconds } from '../units.js';

/** An age in seconds, and whether it had to be clamped. */
export interface ClampedAge {
  readonly seconds: Seconds;
  /** True when the timestamp was ahead of `now` (clock skew between writer and monitor). */
  readonly skewed: boolean;
}

/**
 * `now - timestamp` in seconds, clamped at 0. Timestamps are written by other machines (the
 * application, the database server) whose clocks can run ahead of the monitor's; a negative age
 * is not a fact about freshness, so it is reported as 0 and flagged so the caller counts it
 * (`cqrs_clock_skew_detected_total`) instead of exporting a made-up negative value.
 */
export function clampedAge(now: EpochMillis, timestamp: EpochMillis): ClampedAge {
  const ms = now - timestamp;
  return ms < 0 ? { seconds: 0, skewed: true } : { seconds: ms / 1000, skewed: false };
}
