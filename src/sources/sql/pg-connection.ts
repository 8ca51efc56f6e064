import type pg from 'pg';
import type { StoreConfig } from '../../config/schema/stores.js';
import { pgSslOptions } from './pg-tls.js';

/**
 * Where and as whom a node-postgres pool connects for a store: only the settings the store has
 * (an unset one leaves node-postgres to the URL or its PG* environment variables). Secrets are
 * revealed here, at the point of use.
 */
export function pgConnectionOptions(c: StoreConfig['connection']): pg.PoolConfig {
  const ssl = pgSslOptions(c);
  return {
    ...(c.connectionString ? { connectionString: c.connectionString.reveal() } : {}),
    ...(c.host ? { host: c.host } : {}),
    ...(c.port ? { port: c.port } : {}),
    ...(c.database ? { database: c.database } : {}),
    ...(c.user ? { user: c.user } : {}),
    ...(c.password ? { password: c.password.reveal() } : {}),
    ...(ssl !== undefined ? { ssl } : {}),
  };
}
