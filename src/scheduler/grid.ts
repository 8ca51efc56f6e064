import type { EpochMillis } from '../core/units.js';

/** Where a source's schedule goes after a timer fired. */
export interface GridStep {
  /** The next grid point strictly after `now`: `origin + k x interval`. */
  readonly next: EpochMillis;
  /** Grid points after the one that was due and at or before `now`: passed without a cycle. */
  readonly missed: number;
}

/**
 * Cycles start on a fixed grid `origin + k x interval`: the next start is computed from the
 * grid, never from the time a timer happened to fire, so late timers and slow cycles cannot
 * accumulate drift (under the old `tick + interval` rule a user measured a 5 s interval running
 * every 5.5 s on average). A timer that fires late, after more grid points have passed, skips them.
 */
export function gridStep(origin: EpochMillis, intervalMs: number, due: EpochMillis, now: EpochMillis): GridStep {
  if (!(intervalMs > 0)) throw new RangeError(`interval must be > 0 ms, got ${intervalMs}`);
  const kDue = Math.round((due - origin) / intervalMs);
  const kNow = Math.max(kDue, Math.floor((now - origin) / intervalMs));
  return { next: origin + (kNow + 1) * intervalMs, missed: kNow - kDue };
}
