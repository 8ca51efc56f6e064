import { coveringWrites } from './apply-latency.js';
import { checkpointAge } from './checkpoint-age.js';
import { lagEvents } from './lag.js';
import { isRebuilding, rebuildDuration, rebuildProgress, stepRebuild } from './rebuild.js';
import { staleness } from './staleness.js';
import { projectionStatus } from './status.js';
import type { CheckpointAdvance, ProjectionObservation, ProjectionRules, ProjectionSli, ProjectionTrackState, WindowSample } from './types.js';

/** Readings kept per projection at most, whatever the window: bounds memory per projection. */
const MAX_WINDOW = 120;

/**
 * Folds one reading into a projection's state and derives its SLIs. Pure: the same state and
 * reading always give the same result; time comes only from `obs.at`.
 */
export function trackProjection(
  prev: ProjectionTrackState | undefined,
  obs: ProjectionObservation,
  rules: ProjectionRules,
): { state: ProjectionTrackState; sli: ProjectionSli } {
  const lag = lagEvents(obs.head, obs.checkpoint);
  const last = prev?.last;

  // When did the checkpoint take its current value? On the first reading, trust the store's
  // own write time when it has one (clamped: it may come from a clock ahead of ours).
  const checkpointChangedAt =
    prev && last && last.checkpoint === obs.checkpoint
      ? prev.checkpointChangedAt
      : !prev && obs.checkpointUpdatedAt !== undefined
        ? Math.min(obs.at, obs.checkpointUpdatedAt)
        : obs.at;

  const lagSince = lag > 0 ? (prev?.lagSince ?? obs.at) : undefined;
  // Events have been waiting at least since the first unapplied one was written.
  const pendingSince = lag > 0 ? (obs.firstUnappliedTime !== undefined ? Math.min(obs.at, obs.firstUnappliedTime) : lagSince) : undefined;

  const horizon = obs.at - rules.window * 1000;
  const sample: WindowSample = { at: obs.at, lag, checkpoint: obs.checkpoint };
  const window = [...(prev?.window ?? []).filter((s) => s.at >= horizon), sample].slice(-MAX_WINDOW);

  const rebuild = stepRebuild(prev?.rebuild, last, obs);
  const rebuilding = isRebuilding(rebuild) || obs.replaying === true;
  // Events re-applied by a rebuild are old by nature: their "latency" says nothing about the
  // projection's speed, so advances during (or ending) a rebuild are left out.
  const rebuildEndedNow = isRebuilding(prev?.rebuild) && !isRebuilding(rebuild);
  // Each event is charged the first write seen to cover it: a probe's sighting where one was
  // made between the readings, else this reading's checkpoint write time (or reading time).
  let advance: CheckpointAdvance | undefined;
  if (last && obs.checkpoint > last.checkpoint && !rebuilding && !rebuildEndedNow) {
    const appliedAt = obs.checkpointUpdatedAt ?? obs.at;
    const writes = coveringWrites(last.checkpoint, obs.checkpoint, { position: obs.checkpoint, at: appliedAt }, obs.probedWrites);
    advance = { from: last.checkpoint, to: obs.checkpoint, appliedAt, writes };
  }

  const stale = staleness(obs);
  const age = checkpointAge(obs.at, obs.checkpointUpdatedAt, checkpointChangedAt);
  const status = projectionStatus(
    { now: obs.at, lag, failed: obs.failure !== undefined, rebuilding, unchangedSince: checkpointChangedAt, pendingSince, window },
    rules,
  );

  return {
    state: { last: obs, checkpointChangedAt, lagSince, window, rebuild },
    sli: {
      lagEvents: lag,
      stalenessSeconds: stale.seconds,
      checkpointAgeSeconds: age.seconds,
      status,
      rebuildDurationSeconds: rebuildDuration(rebuild, obs.at),
      rebuildProgress: rebuildProgress(rebuild, obs.checkpoint),
      advance,
      skewed: (stale.skewed ? 1 : 0) + (age.skewed ? 1 : 0),
    },
  };
}
