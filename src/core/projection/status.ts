import type { EpochMillis } from '../units.js';
import type { ProjectionRules, ProjectionStatus, WindowSample } from './types.js';

/** Everything the status rules look at, already reduced to plain values. */
export interface StatusInput {
  readonly now: EpochMillis;
  readonly lag: number;
  /** The store reports a failure for this projection (or its checkpoint could not be decoded). */
  readonly failed: boolean;
  readonly rebuilding: boolean;
  /** Since when the checkpoint has held its current value. */
  readonly unchangedSince: EpochMillis;
  /** Since when events have been waiting (first unapplied event's time, or first reading with lag). */
  readonly pendingSince: EpochMillis | undefined;
  /** Recent readings, oldest first, including the current one. */
  readonly window: readonly WindowSample[];
}

/** Readings of uninterrupted growth needed for LAGGING (two intervals). */
const MIN_RUN = 3;

/**
 * The status rules, first match wins (written down in docs/stores.md):
 * 1. ERROR      the store reports the projection failed, or its checkpoint cannot be decoded.
 * 2. STALLED    lag > 0 and the checkpoint has not moved for `stallAfter` while events were
 *               waiting. The clock starts at the later of "checkpoint last moved" and "first
 *               unapplied event written", so a projection idle on a quiet stream is not flagged
 *               the moment a new event arrives (Burrow's false STOP, #303/#338).
 * 3. REBUILDING a checkpoint reset or store-reported replay has not yet caught up.
 * 4. LAGGING    lag is growing: the readings since the last drop of lag inside the window
 *               (or the last zero; at least 3, i.e. two intervals of growth) never decrease and
 *               end higher than they started. A lag that fluctuates while the checkpoint moves
 *               keeps pace and stays OK; one reading of growth is not a trend. Only the run
 *               after the last drop counts, so an old dip cannot hide growth that followed.
 *               A checkpoint that moves backwards is caught by rule 3 whatever the window
 *               holds, so an earlier zero lag cannot hide a rewind (Burrow #716).
 * 5. OK         otherwise: caught up, or behind but keeping pace.
 */
export function projectionStatus(input: StatusInput, rules: ProjectionRules): ProjectionStatus {
  if (input.failed) return 'ERROR';
  if (input.lag > 0) {
    const since = Math.max(input.unchangedSince, input.pendingSince ?? input.unchangedSince);
    if (input.now - since >= rules.stallAfter * 1000) return 'STALLED';
  }
  if (input.rebuilding) return 'REBUILDING';
  const w = input.window;
  // The current run of growth starts after the last reading with lag 0 or the last drop.
  let start = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i]!.lag === 0) start = i + 1;
    else if (i > 0 && w[i]!.lag < w[i - 1]!.lag) start = i;
  }
  const run = w.slice(start);
  const first = run[0];
  const last = run[run.length - 1];
  if (input.lag > 0 && first && last && run.length >= MIN_RUN && last.lag > first.lag) return 'LAGGING';
  return 'OK';
}
