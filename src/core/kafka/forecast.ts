import type { Seconds } from '../units.js';
import type { GroupStatus, GroupTotals } from './types.js';

/** Messages per second consumed and produced over a group's recent totals. */
export interface Rates {
  readonly consume: number;
  readonly produce: number;
}

/**
 * The window's totals with `missed` added to every lag. A partition without a commit counts its
 * lag from where it was first seen so (`uncommittedPosition`); its first commit can be below
 * that (the group was reading older records all along), and the lag it then shows was not in the
 * earlier totals. Left as it was, the group's lag would jump up in one interval and read as
 * growth (LAGGING) while the group drains; the earlier totals are corrected as if the position
 * had been known. Positions and high watermarks stay as they were (the rates read those).
 */
export function rebaseLag(window: readonly GroupTotals[], missed: number): GroupTotals[] {
  return window.map((g) => ({ ...g, lag: g.lag + missed }));
}

/**
 * The part of the window whose sums can be compared: it starts after the last drop of the
 * committed or high-watermark sum (a rewind, a re-created topic) and after the last change of
 * the set of partitions summed (a topic the group starts or stops consuming).
 */
export function comparable(window: readonly GroupTotals[]): readonly GroupTotals[] {
  let start = 0;
  for (let i = 1; i < window.length; i++) {
    const a = window[i - 1]!;
    const b = window[i]!;
    if (b.committed < a.committed || b.high < a.high || b.shape !== a.shape) start = i;
  }
  return start === 0 ? window : window.slice(start);
}

/** Rates from the first to the last sample of the comparable part of the window. */
export function rates(totals: readonly GroupTotals[]): Rates | undefined {
  const window = comparable(totals);
  const a = window[0];
  const b = window[window.length - 1];
  if (!a || !b || b.t <= a.t) return undefined;
  const dt = (b.t - a.t) / 1000;
  return { consume: Math.max(0, (b.committed - a.committed) / dt), produce: Math.max(0, (b.high - a.high) / dt) };
}

/**
 * Seconds until the group has consumed its lag at the current rates: `lag / (consume -
 * produce)`. 0 when caught up; undefined when the lag is not shrinking.
 */
export function drainSeconds(lag: number, r: Rates): Seconds | undefined {
  if (lag <= 0) return 0;
  const net = r.consume - r.produce;
  return net > 0 ? lag / net : undefined;
}

/**
 * Seconds until the group's staleness crosses `threshold` when production outpaces consumption.
 * The consumer advances through the log at `consume` msg/s over messages that were produced at
 * `produce` msg/s, so the timestamps it reaches advance at `consume / produce` seconds per
 * second and the staleness grows at `1 - consume / produce` s/s (1 when the group consumes
 * nothing). Undefined when staleness is not growing or unknown; 0 when already above.
 */
export function breachSeconds(staleness: Seconds | undefined, threshold: Seconds, r: Rates, lag: number): Seconds | undefined {
  if (staleness === undefined) return undefined;
  if (staleness >= threshold) return 0;
  if (lag <= 0) return undefined;
  const growth = r.produce > 0 ? 1 - r.consume / r.produce : r.consume > 0 ? 0 : 1;
  return growth > 0 ? (threshold - staleness) / growth : undefined;
}

/**
 * The drain forecast as published: undefined (no series) when nobody is making the lag shrink —
 * the group is STOPPED, STALLED or ERROR, or has no member — because the rates of the window
 * still hold consumption from before it stopped (a STOPPED group with growing lag was forecast
 * to drain in 7.6 s). Otherwise `drainSeconds`, and 0 when caught up.
 */
export function drainForecast(input: {
  readonly status: GroupStatus;
  readonly members: number | undefined;
  readonly lag: number;
  readonly rates: Rates | undefined;
}): Seconds | undefined {
  if (input.status === 'STOPPED' || input.status === 'STALLED' || input.status === 'ERROR' || input.members === 0) return undefined;
  if (input.lag <= 0) return 0;
  return input.rates ? drainSeconds(input.lag, input.rates) : undefined;
}
