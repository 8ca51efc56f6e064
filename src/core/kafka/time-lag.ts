import type { EpochMillis, Position, Seconds } from '../units.js';
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

/** `timeLagValue`'s answers that are not seconds: 0 seconds clamped, and the unavailable reasons. */
export const TIME_LAG_CLAMPED = -1;
export const TIME_LAG_NO_HISTORY = -2;
export const TIME_LAG_NO_TIMESTAMP = -3;

/** What interpolates the append time of an offset (OffsetHistory). */
export interface AppendTimes {
  appendTime(offset: Position): EpochMillis | undefined;
}

/**
 * `timeLag` as one number, for the collector's per-partition loop (an object per group-partition
 * per cycle was garbage to collect): the seconds (>= 0) when known and not clamped, else
 * TIME_LAG_CLAMPED (seconds 0), TIME_LAG_NO_HISTORY or TIME_LAG_NO_TIMESTAMP. `history` is asked
 * for the append time of `firstUnconsumed` only when there is no exact timestamp to use.
 */
export function timeLagValue(
  lag: number,
  firstUnconsumed: Position,
  now: EpochMillis,
  exact: EpochMillis | null | undefined,
  history: AppendTimes | undefined,
): number {
  if (lag === 0) return 0;
  const ts = typeof exact === 'number' ? exact : history?.appendTime(firstUnconsumed);
  if (ts === undefined) return exact === null ? TIME_LAG_NO_TIMESTAMP : TIME_LAG_NO_HISTORY;
  const age = (now - ts) / 1000;
  return age < 0 ? TIME_LAG_CLAMPED : age;
}

/** The seconds a `timeLagValue` stands for: undefined when unavailable. */
export const timeLagSeconds = (v: number): Seconds | undefined => (v >= 0 ? v : v === TIME_LAG_CLAMPED ? 0 : undefined);
