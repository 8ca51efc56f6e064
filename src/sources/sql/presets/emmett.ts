import { epochMs, ident, num, type DecodedCheckpoint, type PresetSpec } from './preset.js';

/**
 * Emmett checkpoints are text. Since 0.43 they read `lpad(txid,20,'0'):lpad(global_position)`;
 * before, a bare (zero-padded) global position. The global position is the part after the
 * last colon in both formats.
 */
export function parseEmmettCheckpoint(text: string): number | undefined {
  const last = text.trim().split(':').pop() ?? '';
  return /^\d+$/.test(last) ? Number(last) : undefined;
}

/**
 * Emmett (TypeScript, PostgreSQL). Events in `emt_messages` (global_position from a sequence,
 * `created` timestamptz, archived rows excluded); processors in `emt_processors`, one row per
 * (processor_id, partition, version): the highest version is the live one.
 * Note: Emmett orders by (transaction_id, global_position); lag and staleness here use the
 * global position, which is exact unless concurrent transactions commit out of order.
 */
export function emmettPreset(schema = 'public'): PresetSpec {
  const s = ident(schema);
  return {
    preset: 'emmett',
    requiredTables: [`${schema}.emt_messages`, `${schema}.emt_processors`],
    listProjections: `SELECT DISTINCT processor_id AS projection FROM ${s}.emt_processors ORDER BY 1`,
    checkpoints: `SELECT DISTINCT ON (processor_id) processor_id AS projection, last_processed_checkpoint AS checkpoint,
        ${epochMs('last_updated')} AS updated_at, status
      FROM ${s}.emt_processors WHERE processor_id = ANY($1::text[])
      ORDER BY processor_id, version DESC`,
    decode: (rows) =>
      rows.map((r): DecodedCheckpoint => {
        const text = r.checkpoint === null || r.checkpoint === undefined ? '' : String(r.checkpoint);
        const position = text === '' ? 0 : parseEmmettCheckpoint(text);
        return {
          projection: String(r.projection),
          position: position ?? 0,
          updatedAt: num(r.updated_at),
          failure: position === undefined ? `cannot decode checkpoint ${JSON.stringify(text.slice(0, 60))}` : undefined,
        };
      }),
    head: `SELECT global_position AS position, ${epochMs('created')} AS ts FROM ${s}.emt_messages
      WHERE is_archived = false ORDER BY global_position DESC LIMIT 1`,
    events: { table: `${s}.emt_messages`, position: 'global_position', time: 'created', where: 'is_archived = false' },
    notStarted: 0,
  };
}
