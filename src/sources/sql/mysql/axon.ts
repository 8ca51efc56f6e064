import { mysqlDialect } from '../dialect.js';
import { axonPreset } from '../presets/axon.js';
import { ident, type PresetSpec } from '../presets/preset.js';

/**
 * Axon Framework's JPA/JDBC token store on MySQL/MariaDB. Same tables as on PostgreSQL
 * (`token_entry`, `domain_event_entry`); the token is a BLOB (Hibernate maps the `@Lob byte[]`
 * to `longblob`), read as base64 and decoded by the PostgreSQL preset's decoder (XStream XML or
 * Jackson JSON tokens; a processor's checkpoint is its slowest segment). `time_stamp` is
 * Axon's ISO-8601 text (`2026-01-01T12:00:01.123Z`), read with UNIX_TIMESTAMP in a UTC session.
 * `schema` is the MySQL database; the connection's database when absent.
 */
export function axonMysqlPreset(schema?: string): PresetSpec {
  const t = (name: string) => (schema ? `${ident(schema)}.${ident(name)}` : ident(name));
  const time = 'time_stamp';
  return {
    preset: 'axon',
    requiredTables: ['domain_event_entry', 'token_entry'],
    listProjections: `SELECT DISTINCT processor_name AS projection FROM ${t('token_entry')} ORDER BY 1`,
    // TO_BASE64 wraps lines every 76 characters; Node's base64 decoder skips the newlines.
    checkpoints: `SELECT processor_name AS projection, segment, token_type, TO_BASE64(token) AS token
      FROM ${t('token_entry')} WHERE processor_name IN ($1)`,
    decode: axonPreset().decode,
    head: `SELECT global_index AS position, ${mysqlDialect.epochMs(time)} AS ts FROM ${t('domain_event_entry')} ORDER BY global_index DESC LIMIT 1`,
    events: { table: t('domain_event_entry'), position: 'global_index', time },
    notStarted: 0,
  };
}
