import { DEMO_DDL } from '../demo/schema.js';

/**
 * The workload's tables: the demo's Emmett event store and checkpoints, the relay's position,
 * the read models, and a dead-letter table. Idempotent (run at every start).
 */
export function workloadDdl(deadLetterTable: string): string {
  return `${DEMO_DDL}
CREATE TABLE IF NOT EXISTS workload_relay (id INT PRIMARY KEY, position BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS customer_stats (customer TEXT PRIMARY KEY, orders BIGINT NOT NULL DEFAULT 0, total NUMERIC NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS ${deadLetterTable} (
  id BIGSERIAL PRIMARY KEY,
  projection TEXT NOT NULL,
  reason TEXT NOT NULL,
  event_id TEXT NOT NULL,
  payload JSONB NOT NULL,
  failed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  resolved BOOLEAN NOT NULL DEFAULT FALSE
);
`;
}
