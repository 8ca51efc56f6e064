import type { EpochMillis } from '../units.js';

/** A missing position the tail is waiting for: first seen missing at `since`, below the visible row `upTo`. */
export interface GapWait {
  readonly since: EpochMillis;
  /** Highest position visible when the wait began: every gap below it already existed then. */
  readonly upTo: number;
}

/** Where a SQL tail stands: the last position handed over (undefined: none yet, any first row goes). */
export interface TailPosition {
  readonly after: number | undefined;
  readonly wait: GapWait | undefined;
}

export interface SafeRows {
  /** How many of the given rows (a prefix) may be handed over now. */
  readonly accept: number;
  readonly position: TailPosition;
  /** Positions given up as gaps (never seen, or committed after the tail moved past them). */
  readonly skipped: number;
}

/**
 * The safe-position rule of the SQL tail. PostgreSQL sequences are not transactional: a
 * transaction that took position 10 may commit after one that took 11, so reading 11 and
 * moving past would lose 10 for good. Marten's high water mark and Axon's gap-aware tokens
 * solve it the same way: a row is handed over only when every position below it is present,
 * or has been missing for `settleMs` (a rolled-back transaction or a cached sequence leaves
 * holes that never fill).
 *
 * `positions` are the rows read after `position.after`, ascending. A hole is waited for from
 * the first time it is seen (the monitor's clock, not the rows' times: those are the
 * transactions' start times, while the hole lasts until commit). `knownSafe` is a position
 * up to which the store itself says every hole is final (Marten's HighWaterMark row): holes
 * below it are skipped at once. A position equal to or below `after` (a non-unique position)
 * is handed over without moving the position.
 */
export function safeRows(positions: readonly number[], position: TailPosition, now: EpochMillis, settleMs: number, knownSafe?: number): SafeRows {
  let { after, wait } = position;
  let skipped = 0;
  let i = 0;
  for (; i < positions.length; i++) {
    const p = positions[i]!;
    if (after === undefined || p === after + 1) after = p;
    else if (p > after + 1) {
      const final = (knownSafe !== undefined && p - 1 <= knownSafe) || (wait !== undefined && now - wait.since >= settleMs && p <= wait.upTo);
      if (!final) {
        // Wait from now for this hole and every hole below the last row visible now.
        if (wait === undefined || p > wait.upTo) wait = { since: now, upTo: positions[positions.length - 1]! };
        break;
      }
      skipped += p - after - 1;
      after = p;
    }
    if (wait !== undefined && after >= wait.upTo) wait = undefined;
  }
  return { accept: i, position: { after, wait }, skipped };
}
