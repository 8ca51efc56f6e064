import type { EpochMillis, Seconds } from '../units.js';

/** Results of one probe run: the bounded values of `cqrs_probe_runs_total{result}`. */
export const PROBE_RESULTS = ['visible', 'timeout', 'command_failed', 'query_failed'] as const;
export type ProbeResult = (typeof PROBE_RESULTS)[number];

/**
 * How one run ended. `visible` carries the visibility latency; `timeout` means the change was
 * not seen within the probe's timeout (the read model is late: bad); `command_failed` and
 * `query_failed` mean the probe could not run to a verdict (unknown, never bad).
 */
export type ProbeOutcome = { readonly result: 'visible'; readonly seconds: Seconds } | { readonly result: 'timeout' | 'command_failed' | 'query_failed' };

/** What one query said: the change is visible, not yet, or the query could not be answered. */
export type Answer = 'visible' | 'pending' | 'error';

/** The timing of a run after its command was acknowledged. */
export interface PollPlan {
  /** When the command's answer arrived (the write was accepted): latencies start here. */
  readonly ackAt: EpochMillis;
  /** Seconds after `ackAt` at which the run gives up. */
  readonly timeout: Seconds;
  /** Seconds between the starts of two queries. */
  readonly pollInterval: Seconds;
}

/** After a query: the run's outcome, or how long to wait before the next query. */
export type PollStep = { readonly done: ProbeOutcome } | { readonly waitMs: number };

/**
 * Decides what follows a query that started at `startedAt` and answered `answer` at `now`.
 * - visible: done, latency `now - ackAt` (an upper bound: the change became visible after the
 *   previous query started, so the error is at most one poll interval plus one query);
 * - at or past the deadline (`ackAt + timeout`): done, `timeout` when the last query answered
 *   "not yet", `query_failed` when it could not be answered (the probe cannot tell whether the
 *   change was visible: unknown, not bad);
 * - otherwise wait until `startedAt + pollInterval`, but never past the deadline, so the last
 *   query runs at the deadline.
 */
export function afterPoll(plan: PollPlan, answer: Answer, startedAt: EpochMillis, now: EpochMillis): PollStep {
  if (answer === 'visible') return { done: { result: 'visible', seconds: Math.max(0, now - plan.ackAt) / 1000 } };
  const deadline = plan.ackAt + plan.timeout * 1000;
  if (now >= deadline) return { done: { result: answer === 'pending' ? 'timeout' : 'query_failed' } };
  const next = Math.min(startedAt + plan.pollInterval * 1000, deadline);
  return { waitMs: Math.max(0, next - now) };
}
