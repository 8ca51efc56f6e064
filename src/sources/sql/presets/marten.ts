import { decodeSimple, epochMs, ident, type DecodedCheckpoint, type PresetSpec } from './preset.js';

/**
 * Marten (.NET, PostgreSQL). Events in `mt_events` (seq_id primary key); progress in
 * `mt_event_progression`, one row per `{Projection}:{Shard}` plus reserved `HighWater*` rows.
 * The head is the `HighWaterMark` row: the highest seq_id with no gaps below, which is what the
 * async daemon itself processes up to (falls back to max(seq_id) while the daemon has not
 * written it yet). Newer Marten versions with extended progress tracking add `agent_status`
 * and `pause_reason` (detected at startup): a shard with a pause reason is status ERROR.
 */
export function martenPreset(schema = 'public', extended = false): PresetSpec {
  const s = ident(schema);
  const progression = `${s}.mt_event_progression`;
  const events = `${s}.mt_events`;
  return {
    preset: 'marten',
    requiredTables: [`${schema}.mt_events`, `${schema}.mt_event_progression`],
    listProjections: `SELECT name AS projection FROM ${progression} WHERE name NOT LIKE 'HighWater%' ORDER BY name`,
    checkpoints: `SELECT name AS projection, last_seq_id AS position, ${epochMs('last_updated')} AS updated_at
        ${extended ? ', agent_status, pause_reason' : ''}
      FROM ${progression} WHERE name = ANY($1::text[])`,
    // With extended progress tracking Marten records why it paused a shard (error threshold
    // exceeded, or paused by hand): a paused projection does not catch up by itself -> ERROR.
    decode: (rows) =>
      decodeSimple(rows, 0).map((c, i): DecodedCheckpoint => {
        const reason = rows[i]?.pause_reason;
        return reason === null || reason === undefined || reason === '' ? c : { ...c, failure: `paused: ${String(reason).slice(0, 200)}` };
      }),
    head: `SELECT h.position, ${epochMs('e."timestamp"')} AS ts
      FROM (SELECT COALESCE((SELECT last_seq_id FROM ${progression} WHERE name = 'HighWaterMark'),
                            (SELECT max(seq_id) FROM ${events})) AS position) h
      LEFT JOIN ${events} e ON e.seq_id = h.position
      WHERE h.position IS NOT NULL`,
    events: { table: events, position: 'seq_id', time: '"timestamp"' },
    notStarted: 0,
    async refine(q) {
      const r = await q(
        'progression columns',
        `SELECT count(*)::int AS n FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = 'mt_event_progression' AND column_name IN ('agent_status', 'pause_reason')`,
        [schema],
      );
      const ext = Number(r.rows[0]?.n) === 2;
      return ext === extended ? this : martenPreset(schema, ext);
    },
  };
}
