import type { EpochMillis, Position, Seconds } from '../units.js';
import { round, type Verdict } from './drain.js';

/** A projection reading during a rebuild run. */
export interface RebuildReading {
  readonly at: EpochMillis;
  readonly head: Position;
  readonly checkpoint: Position;
}

/** What the run knows of the rebuild so far. */
export interface RebuildProgress {
  /** When the rebuild was started (start hook called, or the run began for a manual rebuild). */
  readonly startedAt: EpochMillis;
  /** Checkpoint before the start: a reading below it shows the reset. */
  readonly startCheckpoint: Position;
  /** Head before the start: the rebuild is caught up once the checkpoint is back here. */
  readonly target: Position;
  /** A reading showed the checkpoint reset (below startCheckpoint), or the start hook ran the whole rebuild. */
  readonly resetSeen: boolean;
  /** First reading caught up after the reset; undefined while running. */
  readonly endedAt?: EpochMillis | undefined;
}

/**
 * Steps the rebuild with one reading. It ends at the first reading, after a reset was seen
 * (or the start hook has returned, `hookDone`), whose checkpoint is back at the head seen
 * before the start: the read model then holds again everything that existed when it began
 * (the same end rule as core/projection/rebuild.ts, without the busy-stream tail).
 */
export function stepRebuildRun(p: RebuildProgress, r: RebuildReading, hookDone: boolean): RebuildProgress {
  if (p.endedAt !== undefined) return p;
  const resetSeen = p.resetSeen || r.checkpoint < p.startCheckpoint;
  const next = { ...p, resetSeen };
  if ((resetSeen || hookDone) && r.checkpoint >= p.target) return { ...next, resetSeen: true, endedAt: r.at };
  return next;
}

export interface RebuildObservation {
  /** Seconds the rebuild may take. */
  readonly window: Seconds;
  readonly progress: RebuildProgress;
  /** Checksum query result before the start and after the end; undefined when not read. */
  readonly before?: string | undefined;
  readonly after?: string | undefined;
}

/** Seconds from start to caught up; undefined while not ended. */
export function rebuildSeconds(p: RebuildProgress): Seconds | undefined {
  return p.endedAt === undefined ? undefined : Math.max(0, (p.endedAt - p.startedAt) / 1000);
}

/** DESIGN.md: a full rebuild finishes within its window and produces a byte-identical read model. */
export function rebuildVerdict(o: RebuildObservation): Verdict {
  const reasons: string[] = [];
  const took = rebuildSeconds(o.progress);
  if (took === undefined)
    reasons.push(o.progress.resetSeen ? `rebuild not caught up within ${o.window} s` : `no rebuild seen within ${o.window} s (the checkpoint never went back)`);
  else if (took > o.window) reasons.push(`rebuild took ${round(took)} s, over the ${o.window} s window`);
  if (o.after === undefined) {
    if (took !== undefined) reasons.push('checksum after the rebuild could not be read');
  } else if (o.before !== o.after) reasons.push(`read model changed: checksum ${o.before} before, ${o.after} after`);
  return { pass: reasons.length === 0, reasons };
}
