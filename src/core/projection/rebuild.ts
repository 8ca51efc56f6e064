import type { EpochMillis, Seconds } from '../units.js';
import type { ProjectionObservation, RebuildState } from './types.js';

/** True while a rebuild has started and not yet caught up. */
export const isRebuilding = (r: RebuildState | undefined): boolean => r !== undefined && r.endedAt === undefined;

/**
 * Rebuild detection (DESIGN.md §3). A rebuild starts when the checkpoint moves backwards
 * (a reset, or a rewind to replay part of the log) or when the store itself says a replay is
 * running (Axon's ReplayToken). It ends when the checkpoint is back at the head position seen
 * when the reset was noticed: by then the read model holds again everything that existed at
 * the reset, which is "caught up" even on a busy stream whose lag never touches 0. A reset
 * seen during a running rebuild extends the target but keeps the start. Both ends are seen by
 * the monitor, so the duration is exact to one interval.
 */
export function stepRebuild(prev: RebuildState | undefined, last: ProjectionObservation | undefined, obs: ProjectionObservation): RebuildState | undefined {
  const regressed = last !== undefined && obs.checkpoint < last.checkpoint;
  const replayStarted = obs.replaying === true && last?.replaying !== true;
  let cur = prev;
  if (regressed || replayStarted) {
    cur = isRebuilding(prev) && prev ? { startedAt: prev.startedAt, target: Math.max(prev.target, obs.head) } : { startedAt: obs.at, target: obs.head };
  }
  if (cur && cur.endedAt === undefined && obs.replaying !== true && obs.checkpoint >= cur.target) {
    cur = { ...cur, endedAt: obs.at };
  }
  return cur;
}

/** Seconds of the running rebuild so far, or of the last finished one; undefined if none was seen. */
export function rebuildDuration(r: RebuildState | undefined, now: EpochMillis): Seconds | undefined {
  if (!r) return undefined;
  return Math.max(0, (r.endedAt ?? now) - r.startedAt) / 1000;
}
