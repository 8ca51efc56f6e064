import { decodeSimple, epochMs, ident, type PresetSpec } from './preset.js';

/**
 * Marten (.NET, PostgreSQL). Events in `mt_events` (seq_id primary key); progress in
 * `mt_event_progression`, one row per `{Projection}:{Shard}` plus reserved `HighWater*` rows.
 * The head is the `HighWaterMark` row: the highest seq_id with no gaps below, which is what the
 * async daemon itself processes up to (falls back to max(seq_id) while the daemon has not
 * written it yet).
 */
export function martenPreset(schema = 'public'): PresetSpec {
  const s = ident(schema);
  const progression = `${s}.mt_event_progression`;
  const events = `${s}.mt_events`;
  return {
    preset: 'marten',
    requiredTables: [`${schema}.mt_events`, `${schema}.mt_event_progression`],
    listProjections: `SELECT name AS projection FROM ${progression} WHERE name NOT LIKE 'HighWater%' ORDER BY name`,
    checkpoints: `SELECT name AS projection, last_seq_id AS position, ${epochMs('last_updated')} AS updated_at
      FROM ${progression} WHERE name = ANY($1::text[])`,
    decode: (rows) => decodeSimple(rows, 0),
    head: `SELECT h.position, ${epochMs('e."timestamp"')} AS ts
      FROM (SELECT COALESCE((SELECT last_seq_id FROM ${progression} WHERE name = 'HighWaterMark'),
                            (SELECT max(seq_id) FROM ${events})) AS position) h
      LEFT JOIN ${events} e ON e.seq_id = h.position
      WHERE h.position IS NOT NULL`,
    events: { table: events, position: 'seq_id', time: '"timestamp"' },
    notStarted: 0,
  };
}
