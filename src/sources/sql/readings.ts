import type { Position } from '../../core/units.js';
import type { Query } from './db.js';
import { num, type DecodedCheckpoint, type PresetSpec } from './presets/preset.js';
import type { CheckpointReading, RawReading } from './reader.js';

/** The statement that finds the first unapplied event after each checkpoint in `behind` (rows `p`, `ts`): the one part of a read that differs by SQL dialect. */
export type FirstUnappliedQuery = (behind: readonly Position[]) => { sql: string; params: unknown[] };

/**
 * One cycle's readings of a preset (shared by the PostgreSQL and MySQL table readers): the
 * head, every projection's checkpoint, and the first unapplied event's time after each distinct
 * checkpoint that is behind; a fixed number of statements whatever the number of projections.
 */
export async function readPreset(q: Query, spec: PresetSpec, projections: readonly string[], firstUnapplied: FirstUnappliedQuery): Promise<RawReading[]> {
  const headRow = (await q('head', spec.head)).rows[0];
  const head = num(headRow?.position) ?? spec.notStarted;
  const decoded = new Map(spec.decode((await q('checkpoints', spec.checkpoints, [projections])).rows).map((c) => [c.projection, c]));

  const behind = [...new Set(projections.map((p) => decoded.get(p)?.position ?? spec.notStarted).filter((p) => p < head))];
  const firstTimes = new Map<number, number | undefined>();
  if (behind.length > 0) {
    const { sql, params } = firstUnapplied(behind);
    const r = await q('first unapplied event', sql, params);
    for (const row of r.rows) firstTimes.set(Number(row.p), num(row.ts));
  }
  return toReadings(projections, head, decoded, firstTimes, spec.notStarted);
}

/** Every projection's checkpoint row as the preset decodes it. */
export async function readCheckpoints(q: Query, spec: PresetSpec, projections: readonly string[]): Promise<CheckpointReading[]> {
  return spec
    .decode((await q('checkpoints', spec.checkpoints, [projections])).rows)
    .map((c) => ({ projection: c.projection, position: c.position, updatedAt: c.updatedAt }));
}

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
