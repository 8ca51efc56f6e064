import type { Count, EpochMillis, Seconds } from '../units.js';

/**
 * One reading of a queue from the management API. Counters are the broker's cumulative
 * `message_stats` values (reset when the broker restarts); 0 when the broker has not reported
 * the field yet although it reports the queue's depth (measured on 3.10: a field appears with
 * the first such event).
 */
export interface QueueSample {
  readonly at: EpochMillis;
  readonly ready: Count;
  readonly unacked: Count;
  readonly consumers: Count;
  /** `message_stats.deliver_get`: deliveries to consumers (acked or not) plus basic.get. */
  readonly delivered: Count;
  /** `message_stats.ack`. */
  readonly acked: Count;
}

/** Messages waiting in the queue: ready plus delivered-not-acknowledged. */
export const depthOf = (s: QueueSample): Count => s.ready + s.unacked;

/** What `oldestAge` concluded. */
export type OldestAge = { readonly seconds: Seconds; readonly clamped: boolean } | { readonly seconds: undefined; readonly reason: 'no_timestamp' };

/**
 * Age of the queue's head message from `head_message_timestamp` (whole seconds, the AMQP
 * `timestamp` property the producer set). 0 when the queue is empty (caught up); unknown
 * (never 0) when messages wait but the head carries no timestamp. A timestamp ahead of the
 * clock gives 0, flagged `clamped`.
 */
export function oldestAge(depth: Count, headTimestamp: number | null | undefined, now: EpochMillis): OldestAge {
  if (depth === 0) return { seconds: 0, clamped: false };
  if (typeof headTimestamp !== 'number' || !Number.isFinite(headTimestamp)) return { seconds: undefined, reason: 'no_timestamp' };
  const age = now / 1000 - headTimestamp;
  return age < 0 ? { seconds: 0, clamped: true } : { seconds: age, clamped: false };
}

/**
 * What a cumulative broker counter added since the previous reading: the difference; the whole
 * new value when it went down (the broker restarted and counts from 0 again); the whole value at
 * the first reading (the series starts at the broker's total, and rate() starts from there).
 */
export function counterDelta(previous: Count | undefined, current: Count): Count {
  if (previous === undefined || current < previous) return current;
  return current - previous;
}
