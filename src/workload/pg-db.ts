import pg from 'pg';
import type { StoreConfig } from '../config/schema/stores.js';
import type { DemoDb } from '../demo/demo-db.js';
import { pgConnectionOptions } from '../sources/sql/pg-connection.js';

/** A node-postgres pool behind the demo's `DemoDb` interface, so the demo writer runs on real PostgreSQL. */
export function openPgDemoDb(store: StoreConfig): DemoDb & { pool: pg.Pool } {
  const c = store.connection;
  const pool = new pg.Pool({
    ...pgConnectionOptions(c),
    max: 4,
    connectionTimeoutMillis: 5000,
    application_name: 'cqrs-slo-workload',
  });
  // A connection dropped by a restarting server must not end the process; the pool reconnects.
  pool.on('error', () => undefined);
  return {
    pool,
    query: async <T>(sql: string, params?: unknown[]) => ({ rows: (await pool.query(sql, params)).rows as T[] }),
    exec: (sql: string) => pool.query(sql),
    close: () => pool.end(),
  };
}
