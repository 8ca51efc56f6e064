import type { EpochMillis, Seconds } from '../units.js';
import type { OffsetLag } from './offset-lag.js';

/** Why a time lag could not be given; the `reason` label of the unavailable counter. */
export const TIME_LAG_UNAVAILABLE_REASONS = [
  /** The message is older than the partition's (high watermark, time) history and no exact read is available yet. */
  'no_history',
  /** The record read at the offset carries no timestamp (message format v0). */
  'no_timestamp',
] as const;
export type TimeLagUnavailable = (typeof TIME_LAG_UNAVAILABLE_REASONS)[number];

/** `retained`: the last value of a partition that is gone (topic deleted), kept for inactiveRetention. */
export type TimeLagMethod = 'caught_up' | 'exact' | 'interpolated' | 'retained';

export type TimeLag =
  | { readonly seconds: Seconds; readonly method: TimeLagMethod; readonly clamped: boolean }
  | { readonly seconds: undefined; readonly reason: TimeLagUnavailable };

export interface TimeLagInput {
  readonly lag: OffsetLag;
  readonly now: EpochMillis;
  /**
   * Timestamp of the record at `lag.firstUnconsumed`, read from the broker; `null` when the read
   * found a record without timestamp; undefined when not read (yet).
   */
  readonly exact?: EpochMillis | null;
  /** Append time of `lag.firstUnconsumed` interpolated from the watermark history. */
  readonly interpolated?: EpochMillis;
}

/**
 * Time lag (DESIGN.md §3): `now - timestamp(first unconsumed message)`, 0 when caught up.
 * Exact record timestamps win over interpolation (klag-exporter's method); without either the
 * answer is "unknown", never a guess. A timestamp ahead of the monitor's clock (producer clock
 * skew with CreateTime) gives 0 and `clamped`.
 */
export function timeLag(input: TimeLagInput): TimeLag {
  if (input.lag.lag === 0) return { seconds: 0, method: 'caught_up', clamped: false };
  let ts: EpochMillis | undefined;
  let method: TimeLagMethod;
  if (typeof input.exact === 'number') {
    ts = input.exact;
    method = 'exact';
  } else if (input.interpolated !== undefined) {
    ts = input.interpolated;
    method = 'interpolated';
  } else {
    return { seconds: undefined, reason: input.exact === null ? 'no_timestamp' : 'no_history' };
  }
  const age = (input.now - ts) / 1000;
  return age < 0 ? { seconds: 0, method, clamped: true } : { seconds: age, method, clamped: false };
}
