import { decodeAxonToken } from './axon-token.js';
import { epochMs, ident, type DecodedCheckpoint, type PresetSpec } from './preset.js';

/**
 * Axon Framework (JPA/JDBC token store). Events in `domain_event_entry` (global_index,
 * `time_stamp` as an ISO-8601 string); progress in `token_entry`, one row per (processor,
 * segment). A processor's checkpoint is its slowest segment; a ReplayToken in any segment
 * means a replay runs. `token_entry.timestamp` is the claim time, not a progress time, so it
 * is not used as the checkpoint time. `tokenIsOid`: Hibernate maps the token to a large object
 * (`oid`) on PostgreSQL in many setups; it is then read with lo_get.
 */
export function axonPreset(schema = 'public', tokenIsOid = false): PresetSpec {
  const s = ident(schema);
  const tokenExpr = tokenIsOid ? 'lo_get(token)' : 'token';
  const time = 'time_stamp::timestamptz';
  return {
    preset: 'axon',
    requiredTables: [`${schema}.domain_event_entry`, `${schema}.token_entry`],
    listProjections: `SELECT DISTINCT processor_name AS projection FROM ${s}.token_entry ORDER BY 1`,
    checkpoints: `SELECT processor_name AS projection, segment, token_type, encode(${tokenExpr}, 'base64') AS token
      FROM ${s}.token_entry WHERE processor_name = ANY($1::text[])`,
    decode: (rows) => {
      const by = new Map<string, { position: number; replaying: boolean; failure?: string }>();
      for (const r of rows) {
        const name = String(r.projection);
        const cur = by.get(name);
        let position = -1;
        let replaying = false;
        let failure: string | undefined;
        try {
          const buf = r.token === null || r.token === undefined ? null : Buffer.from(String(r.token), 'base64');
          ({ position, replaying } = decodeAxonToken(buf, r.token_type === null ? null : String(r.token_type)));
        } catch (err) {
          failure = `segment ${String(r.segment)}: ${(err as Error).message}`;
        }
        by.set(name, {
          position: cur ? Math.min(cur.position, position) : position,
          replaying: (cur?.replaying ?? false) || replaying,
          failure: cur?.failure ?? failure,
        });
      }
      // Axon's JPA/JDBC sequences start at 1, so index -1 (nothing processed) and 0 both mean
      // "nothing applied": clamp to 0 so lag counts real events.
      return [...by].map(
        ([projection, v]): DecodedCheckpoint => ({ projection, position: Math.max(0, v.position), replaying: v.replaying, failure: v.failure }),
      );
    },
    head: `SELECT global_index AS position, ${epochMs(time)} AS ts FROM ${s}.domain_event_entry ORDER BY global_index DESC LIMIT 1`,
    events: { table: `${s}.domain_event_entry`, position: 'global_index', time },
    notStarted: 0,
    async refine(q) {
      const r = await q(
        'token column type',
        `SELECT data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'token_entry' AND column_name = 'token'`,
        [schema],
      );
      const oid = String(r.rows[0]?.data_type ?? '') === 'oid';
      return oid === tokenIsOid ? this : axonPreset(schema, oid);
    },
  };
}
