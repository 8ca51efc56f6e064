import type { Position } from '../../core/units.js';
import type { DecodedCheckpoint } from './presets/preset.js';
import type { RawReading } from './reader.js';

/**
 * The readings of a preset's projections from what the reader fetched (shared by the
 * PostgreSQL and MySQL table readers): a projection without a checkpoint row is at
 * `notStarted`; the first unapplied event's time is only looked up when it is behind.
 */
export function toReadings(
  projections: readonly string[],
  head: Position,
  decoded: ReadonlyMap<string, DecodedCheckpoint>,
  firstTimes: ReadonlyMap<Position, number | undefined>,
  notStarted: Position,
): RawReading[] {
  return projections.map((projection): RawReading => {
    const c = decoded.get(projection);
    const checkpoint = c?.position ?? notStarted;
    return {
      projection,
      head,
      checkpoint,
      checkpointUpdatedAt: c?.updatedAt,
      firstUnappliedTime: checkpoint < head ? firstTimes.get(checkpoint) : undefined,
      replaying: c?.replaying,
      failure: c?.failure,
    };
  });
}
