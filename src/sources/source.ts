import type { Logger } from 'pino';
import type { Clock, EpochMillis, Seconds } from '../core/units.js';

/**
 * A source turns one outside system into samples and publishes the SLIs derived from them.
 * The scheduler runs `collect` on the source's own interval, never inside a scrape.
 */
export interface Source {
  /** Unique name, used as the `source` label (e.g. `kafka:main`, `store:orders`). */
  readonly name: string;
  /** Seconds between cycles. */
  readonly interval: Seconds;
  /** A cycle that takes longer is aborted through `ctx.signal` and counted as `timeout`. */
  readonly timeout: Seconds;
  /**
   * Run one collection cycle. Must publish its series on success. On failure it throws
   * (preferably a `SourceError` with a bounded `reason`); the scheduler then sets
   * `cqrs_source_up` to 0, counts the error and calls `clear()`.
   */
  collect(ctx: CycleContext): Promise<CycleReport>;
  /** Remove every series this source exports: a source that cannot be read reports nothing. */
  clear(): void;
  /** Release connections; called once on shutdown. */
  close(): Promise<void>;
  /** Optional light reading between cycles, on its own grid (see `SourceProbe`). */
  readonly probe?: SourceProbe | undefined;
}

/**
 * A light reading a source takes between its cycles, e.g. a store's checkpoints alone, to see
 * checkpoint writes that a later write would hide from the next cycle. Best effort: the
 * scheduler does not start it while the source's cycle runs, and its errors are only logged
 * at debug level (the cycle reports the source's health). Publishes nothing itself.
 */
export interface SourceProbe {
  /** Seconds between probes. */
  readonly interval: Seconds;
  run(signal: AbortSignal): Promise<void>;
}

/** What the scheduler hands to each cycle. */
export interface CycleContext {
  /** Aborted when the cycle times out or the process shuts down. */
  readonly signal: AbortSignal;
  readonly clock: Clock;
  /** When the cycle started. */
  readonly startedAt: EpochMillis;
  readonly logger: Logger;
  /**
   * Trace one outbound request as a child span of the cycle span. Attributes are added to the
   * span; errors are recorded and rethrown.
   */
  span<T>(name: string, fn: () => Promise<T>, attributes?: Record<string, string | number | boolean>): Promise<T>;
}

/** Counts a cycle reports; they become attributes on the cycle span and appear in /api/status. */
export type CycleReport = Record<string, number>;
