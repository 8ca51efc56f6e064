import type { Clock } from '../../src/core/units.js';

/** A clock for sources under test whose time a test can move on (see `skippingClock`). */
export interface SkippingClock {
  readonly now: Clock;
  /** Moves the clock `ms` ahead of the real time, for good. */
  skip(ms: number): void;
}

/**
 * The real clock plus the time a test skipped. An integration test against a real broker runs
 * cycles back to back and skips an interval between them instead of sleeping through it: the
 * source sees the interval pass, the parts outside (the broker, the record timestamps, a
 * consumer's heartbeats) keep their own real time.
 */
export function skippingClock(): SkippingClock {
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    skip(ms) {
      skipped += ms;
    },
  };
}
