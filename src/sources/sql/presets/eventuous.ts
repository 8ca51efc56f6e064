import { decodeSimple, epochMs, ident, type PresetSpec } from './preset.js';

/**
 * Eventuous (.NET, PostgreSQL), schema `eventuous` by default. Events in `messages`
 * (`global_position` identity primary key, `created` timestamp without time zone, written in
 * UTC); checkpoints in `checkpoints(id, position)` holding the last processed global position
 * of `$all` subscriptions. There is no checkpoint time: checkpoint age is the monitor's own
 * observation.
 */
export function eventuousPreset(schema = 'eventuous'): PresetSpec {
  const s = ident(schema);
  const created = `(created AT TIME ZONE 'UTC')`;
  return {
    preset: 'eventuous',
    requiredTables: [`${schema}.messages`, `${schema}.checkpoints`],
    listProjections: `SELECT id AS projection FROM ${s}.checkpoints ORDER BY id`,
    checkpoints: `SELECT id AS projection, position FROM ${s}.checkpoints WHERE id = ANY($1::text[])`,
    decode: (rows) => decodeSimple(rows, 0),
    head: `SELECT global_position AS position, ${epochMs(created)} AS ts FROM ${s}.messages ORDER BY global_position DESC LIMIT 1`,
    events: { table: `${s}.messages`, position: 'global_position', time: created },
    notStarted: 0,
  };
}
