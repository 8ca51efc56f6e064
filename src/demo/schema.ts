/**
 * The demo's event store uses Emmett's PostgreSQL layout (emt_messages / emt_processors), so
 * the monitor watches it with the `emmett` preset exactly as it would a real Emmett app.
 */
export const DEMO_DDL = `
CREATE TABLE IF NOT EXISTS emt_messages (
  stream_id TEXT NOT NULL,
  stream_position BIGINT NOT NULL,
  partition TEXT NOT NULL DEFAULT 'global',
  message_kind CHAR(1) NOT NULL DEFAULT 'E',
  message_data JSONB NOT NULL,
  message_metadata JSONB NOT NULL DEFAULT '{}',
  message_schema_version TEXT NOT NULL DEFAULT '1',
  message_type TEXT NOT NULL,
  message_id TEXT NOT NULL,
  is_archived BOOLEAN NOT NULL DEFAULT FALSE,
  global_position BIGSERIAL,
  transaction_id XID8 NOT NULL DEFAULT pg_current_xact_id(),
  created TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (stream_id, stream_position, partition, is_archived)
);
CREATE UNIQUE INDEX IF NOT EXISTS emt_messages_global_position ON emt_messages (global_position);
CREATE TABLE IF NOT EXISTS emt_processors (
  last_processed_transaction_id XID8 NOT NULL,
  version INT NOT NULL DEFAULT 1,
  processor_id TEXT NOT NULL,
  partition TEXT NOT NULL DEFAULT 'global',
  status TEXT NOT NULL DEFAULT 'running',
  last_processed_checkpoint TEXT NOT NULL,
  processor_instance_id TEXT DEFAULT 'demo',
  last_updated TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (processor_id, partition, version)
);
CREATE TABLE IF NOT EXISTS order_summary (
  order_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  total NUMERIC NOT NULL DEFAULT 0,
  updated TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS demo_dead_letters (
  id BIGSERIAL PRIMARY KEY,
  projector TEXT NOT NULL,
  reason TEXT NOT NULL,
  global_position BIGINT NOT NULL,
  message_id TEXT NOT NULL,
  dead_lettered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  resolved_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS demo_dead_letters_time ON demo_dead_letters (dead_lettered_at);
`;

/** Emmett >= 0.43 checkpoint text: `lpad(txid,20,'0'):lpad(global_position,20,'0')`. */
export function emmettCheckpoint(txid: string, position: number): string {
  return `${txid.padStart(20, '0')}:${String(position).padStart(20, '0')}`;
}
