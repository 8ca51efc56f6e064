import { comparable, rates } from './forecast.js';
import type { SampleWindow } from './sample-window.js';
import type { GroupStatus, GroupTotals } from './types.js';

export { GROUP_STATUSES, type GroupStatus } from './types.js';

export interface StatusOptions {
  /**
   * A partition is STALLED when its commit stayed the same over this many consecutive samples
   * while the record at the commit already existed at the first of them. 3 samples = two full
   * intervals in which the consumer could have moved on.
   */
  readonly stallSamples: number;
  /** Fewest samples of the group's total lag for a growth trend (LAGGING). */
  readonly trendSamples: number;
}

export const DEFAULT_STATUS_OPTIONS: StatusOptions = { stallSamples: 3, trendSamples: 3 };

/** Offset lag at sample `i`. */
const lagAt = (w: SampleWindow, i: number): number => Math.max(0, w.high(i) - (w.committed(i) ?? w.low(i)));

/** The commit moved backwards between two consecutive samples in the window. */
export function isRewound(window: SampleWindow): boolean {
  for (let i = 1; i < window.length; i++) {
    const a = window.committed(i - 1);
    const b = window.committed(i);
    if (a !== undefined && b !== undefined && b < a) return true;
  }
  return false;
}

/**
 * STALLED on one partition: lag now, and the commit has not changed over the last
 * `stallSamples` samples although the record at the commit was already in the log at the first
 * of them. Requiring the record to have existed since the first sample is what prevents Burrow's
 * #303 (a slow partition flagged right after a new message arrived): a message that appeared
 * between two samples gives the consumer at least a full interval before it counts.
 */
export function isStalled(window: SampleWindow, stallSamples: number): boolean {
  const n = window.length;
  if (n < stallSamples) return false;
  if (lagAt(window, n - 1) === 0) return false;
  const last = window.committed(n - 1);
  const first = n - stallSamples;
  for (let i = first; i < n; i++) if (window.committed(i) !== last) return false;
  // The first unconsumed record already existed at the first sample of the run.
  return window.high(first) > (window.committed(first) ?? window.low(first));
}

/** Least-squares slope of y over t (per millisecond); 0 for fewer than two points. */
export function slope(points: readonly { t: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let st = 0;
  let sy = 0;
  for (const p of points) {
    st += p.t;
    sy += p.y;
  }
  const mt = st / n;
  const my = sy / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * The group consumed more than was produced into its partitions over the window (its total lag
 * fell), counted from the group's totals (position and high-watermark sums over the comparable
 * part of the window, as the rates are). A group that drains is making progress, whatever single
 * partitions do: kafkajs processes one partition's batch at a time and commits at the end of it,
 * so the other partitions' commits stand still for whole batches while the backlog shrinks.
 */
export function isDraining(totals: readonly GroupTotals[]): boolean {
  const r = rates(totals);
  return r !== undefined && r.consume > r.produce;
}

/** How much total lag is still OK: a number of messages, or the production of a duration. */
export type AllowedLagSpec = { readonly messages: number } | { readonly productionSeconds: number };

/**
 * Lag a group may carry and still be OK. For `productionSeconds` (the default is one collection
 * interval): what its topics produce in that long at the production rate over the window,
 * rounded up; 0 until the window has two samples. A consumer that keeps up still trails the head
 * by what arrived since its last commit: at 20 msg/s and a 1 s interval up to 20 messages, which
 * is no reason to say LAGGING.
 */
export function allowedLag(spec: AllowedLagSpec, totals: readonly GroupTotals[]): number {
  if ('messages' in spec) return spec.messages;
  const r = rates(totals);
  return r === undefined ? 0 : Math.ceil(r.produce * spec.productionSeconds);
}

/**
 * LAGGING: the group's total lag grows over the window while it still consumes, and is above
 * the allowed lag. Burrow wants the lag to rise at every step, so a noisy but growing lag was
 * missed (its PR #533); here the least-squares trend must be positive and the last lag above
 * the first and above `allowedLag`.
 */
export function isLagging(window: readonly GroupTotals[], trendSamples: number, allowedLag = 0): boolean {
  const totals = comparable(window);
  if (totals.length < trendSamples) return false;
  const first = totals[0]!;
  const last = totals[totals.length - 1]!;
  if (last.lag <= allowedLag || last.lag <= first.lag) return false;
  return slope(totals.map((g) => ({ t: g.t, y: g.lag }))) > 0;
}

export interface GroupStatusInput {
  /** False when the group's committed offsets could not be read this cycle. */
  readonly readable: boolean;
  /** Members of the group; undefined when the client cannot tell (see docs/kafka-clients.md). */
  readonly members: number | undefined;
  /** Per partition, the recent samples (oldest first, last = this cycle). */
  readonly partitions: Iterable<SampleWindow>;
  /** The group's totals over the same cycles. */
  readonly totals: readonly GroupTotals[];
  /** Total lag that is still OK (not LAGGING); 0 when not given. */
  readonly allowedLag?: number;
}

/**
 * Status of a group, by precedence ERROR > REWOUND > STOPPED > STALLED > LAGGING > OK. Evaluated
 * from the first cycle: rules that need history simply do not fire until they have it.
 * REWOUND wins over a zero lag anywhere in the window (Burrow's #716 hid rewinds behind an
 * earlier zero lag). A draining group is never STALLED.
 */
export function groupStatus(input: GroupStatusInput, opts: StatusOptions = DEFAULT_STATUS_OPTIONS): GroupStatus {
  if (!input.readable) return 'ERROR';
  let lag = 0;
  let stalled = false;
  for (const w of input.partitions) {
    if (isRewound(w)) return 'REWOUND';
    if (w.length) lag += lagAt(w, w.length - 1);
    if (!stalled && isStalled(w, opts.stallSamples)) stalled = true;
  }
  if (lag > 0 && input.members === 0) return 'STOPPED';
  if (stalled && !isDraining(input.totals)) return 'STALLED';
  if (isLagging(input.totals, opts.trendSamples, input.allowedLag ?? 0)) return 'LAGGING';
  return 'OK';
}
