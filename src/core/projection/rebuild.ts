import type { EpochMillis, Position, Ratio, Seconds } from '../units.js';
import type { ProjectionObservation, RebuildState } from './types.js';

/** True while a rebuild has started and not yet caught up. */
export const isRebuilding = (r: RebuildState | undefined): boolean => r !== undefined && r.endedAt === undefined;

/**
 * Rebuild detection (DESIGN.md §3). A rebuild starts when the checkpoint moves backwards
 * (a reset, or a rewind to replay part of the log) or when the store itself says a replay is
 * running (Axon's ReplayToken). It ends when the checkpoint is back at the head position seen
 * when the reset was noticed (by then the read model holds again everything that existed at
 * the reset, which is "caught up" even on a busy stream whose lag never touches 0) and the
 * projector is no longer catching up with the events written meanwhile (see stillCatchingUp). A reset
 * seen during a running rebuild extends the target but keeps the start. Both ends are seen by
 * the monitor, so the duration is exact to one interval. A reset during a running rebuild also
 * lowers its starting point to the new checkpoint when that is lower.
 */
export function stepRebuild(prev: RebuildState | undefined, last: ProjectionObservation | undefined, obs: ProjectionObservation): RebuildState | undefined {
  const regressed = last !== undefined && obs.checkpoint < last.checkpoint;
  const replayStarted = obs.replaying === true && last?.replaying !== true;
  let cur = prev;
  if (regressed || replayStarted) {
    cur =
      isRebuilding(prev) && prev
        ? { startedAt: prev.startedAt, from: Math.min(prev.from, obs.checkpoint), target: Math.max(prev.target, obs.head) }
        : { startedAt: obs.at, from: obs.checkpoint, target: obs.head };
  }
  if (cur && cur.endedAt === undefined && obs.replaying !== true && obs.checkpoint >= cur.target && !stillCatchingUp(last, obs)) {
    cur = { ...cur, endedAt: obs.at };
  }
  return cur;
}

/**
 * Past the target, a rebuild on a busy stream still has the events written during the rebuild
 * to apply: until they are, the read model is as stale as the rebuild was long, and that tail is
 * part of the planned work, not a freshness incident. So the rebuild goes on while the projector
 * is still catching up: it has not yet applied what the previous reading saw at the head, and its
 * lag keeps shrinking. A projector whose lag stops shrinking (its steady state, or a stall) ends
 * the rebuild, so a slow or stuck projector is never hidden behind REBUILDING for long.
 */
function stillCatchingUp(last: ProjectionObservation | undefined, obs: ProjectionObservation): boolean {
  if (last === undefined || obs.checkpoint >= last.head) return false;
  return obs.head - obs.checkpoint < last.head - last.checkpoint;
}

/** Seconds of the running rebuild so far, or of the last finished one; undefined if none was seen. */
export function rebuildDuration(r: RebuildState | undefined, now: EpochMillis): Seconds | undefined {
  if (!r) return undefined;
  return Math.max(0, (r.endedAt ?? now) - r.startedAt) / 1000;
}

/**
 * Progress of a running rebuild: the share of the positions between its start and its target
 * that the checkpoint has passed, `(checkpoint - from) / (target - from)` in [0, 1]. It reaches 1
 * exactly when the rebuild ends (checkpoint back at the target). Positions, not time: events
 * can be unevenly spread or expensive, so it is no ETA on its own. Undefined when no rebuild is
 * running.
 */
export function rebuildProgress(r: RebuildState | undefined, checkpoint: Position): Ratio | undefined {
  if (!r || !isRebuilding(r)) return undefined;
  const span = r.target - r.from;
  if (span <= 0) return checkpoint >= r.target ? 1 : 0;
  return Math.min(1, Math.max(0, (checkpoint - r.from) / span));
}
