import { createRequire } from 'node:module';
import type mysql from 'mysql2';
import type { PoolConnection } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { StoreConfig } from '../../../config/schema/stores.js';
import { QueryFailure, type Db, type Query } from '../db.js';
import { mysqlSslOptions } from './mysql-tls.js';
import { restoreTlsCode } from './errors.js';
import { inlineParams } from './placeholders.js';

/** How the server bounds one statement: MariaDB's max_statement_time, else MySQL's max_execution_time. */
type Flavor = 'mariadb' | 'mysql';

/** mysql2 errors that leave the connection unusable (it is destroyed, not returned to the pool). */
const isFatal = (err: unknown): boolean => {
  const e = err as { fatal?: unknown; code?: unknown } | undefined;
  return e?.fatal === true || e?.code === 'PROTOCOL_SEQUENCE_TIMEOUT';
};

/** Host, port, user, password and database of a `mysql://` or `mariadb://` URL. */
export function parseMysqlUrl(url: string): { host: string; port?: number; user?: string; password?: string; database?: string } {
  const u = new URL(url);
  return {
    host: decodeURIComponent(u.hostname.replace(/^\[(.*)\]$/, '$1')),
    ...(u.port ? { port: Number(u.port) } : {}),
    ...(u.username ? { user: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { database: decodeURIComponent(u.pathname.slice(1)) } : {}),
  };
}

/**
 * A small mysql2 pool for one MySQL or MariaDB store, behind the same contract as the
 * PostgreSQL pool: every cycle is one `START TRANSACTION READ ONLY` on a session that is
 * itself read-only, with every statement bounded by the server (MariaDB `max_statement_time`,
 * MySQL `max_execution_time`, which MySQL applies to SELECT only: all the monitor runs) and by
 * a client-side timeout in case the network drops packets. Sessions use time_zone +00:00 and
 * ANSI_QUOTES (double quotes quote identifiers, as in PostgreSQL and standard SQL).
 */
// Loaded when a MySQL store is built, not at start-up (~15 MB RSS for a service without one).
const require = createRequire(import.meta.url);

export function createMysqlDb(store: StoreConfig, logger: Logger): Db {
  const mysqlLib = require('mysql2') as typeof mysql;
  const c = store.connection;
  const timeoutMs = Math.round(store.statementTimeout * 1000);
  const url = c.connectionString ? parseMysqlUrl(c.connectionString.reveal()) : undefined;
  const ssl = mysqlSslOptions(c);
  const host = c.host ?? url?.host ?? 'localhost';
  const port = c.port ?? url?.port ?? 3306;
  const database = c.database ?? url?.database;
  const core = mysqlLib.createPool({
    host,
    port,
    ...(database ? { database } : {}),
    ...((c.user ?? url?.user) ? { user: c.user ?? url?.user } : {}),
    ...(c.password ? { password: c.password.reveal() } : url?.password ? { password: url.password } : {}),
    ...(ssl ? { ssl } : {}),
    connectionLimit: store.poolSize,
    maxIdle: store.poolSize,
    idleTimeout: 30_000,
    // A dead server must fail the cycle, not hang it.
    connectTimeout: Math.max(1000, timeoutMs),
    // Exact numbers: BIGINT and DECIMAL arrive as strings (read with num()), dates as text.
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    multipleStatements: false,
  });
  // An idle connection closed by the server (restart, wait_timeout) emits 'error'; unhandled it
  // would crash the process. The next cycle gets a new connection.
  core.on('connection', (conn) => conn.on('error', (err: Error) => logger.debug({ store: store.name, err: err.message }, 'database connection closed')));
  const pool = core.promise();
  /** Statement timeout (ms) each connection's session is set to. */
  const ready = new WeakMap<object, number>();
  let flavor: Flavor | undefined;

  /** Once per connection: UTC, ANSI_QUOTES, read-only session; the statement timeout when it changes. */
  async function prepare(conn: PoolConnection, q: Query, statementTimeoutMs: number): Promise<void> {
    const limit = Math.max(1, Math.round(statementTimeoutMs));
    const had = ready.get(conn.connection);
    if (had === limit) return;
    if (had === undefined) await q('session', `SET SESSION time_zone = '+00:00', sql_mode = CONCAT_WS(',', NULLIF(@@sql_mode, ''), 'ANSI_QUOTES')`);
    if (had === undefined) await q('session', 'SET SESSION TRANSACTION READ ONLY');
    if (flavor === undefined) {
      const v = await q('session', 'SELECT VERSION() AS v');
      flavor = /mariadb/i.test(String(v.rows[0]?.v ?? '')) ? 'mariadb' : 'mysql';
    }
    // MariaDB takes seconds (fractions allowed), MySQL milliseconds (SELECT statements only).
    if (flavor === 'mariadb') await q('session', `SET SESSION max_statement_time = ${limit / 1000}`);
    else await q('session', `SET SESSION max_execution_time = ${limit}`);
    ready.set(conn.connection, limit);
  }

  const where = `${host}:${port}/${database ?? ''}`;
  return {
    describe: `mysql ${where}`,
    async readOnly<T>(statementTimeoutMs: number, fn: (q: Query) => Promise<T>): Promise<T> {
      let conn: PoolConnection;
      try {
        conn = await pool.getConnection();
      } catch (err) {
        restoreTlsCode(err);
        throw new QueryFailure('connect', err);
      }
      const q: Query = async (name, text, values) => {
        try {
          const [rows, fields] = await conn.query({ sql: inlineParams(text, values ?? []), timeout: timeoutMs + 2000 });
          return { rows: rows as Record<string, unknown>[], fields: (fields ?? []).map((f) => f.name) };
        } catch (err) {
          throw new QueryFailure(name, err);
        }
      };
      let broken: unknown;
      try {
        await prepare(conn, q, statementTimeoutMs);
        await q('begin', 'START TRANSACTION READ ONLY');
        const out = await fn(q);
        await q('commit', 'COMMIT');
        return out;
      } catch (err) {
        broken = err;
        if (!isFatal((err as QueryFailure).cause)) await conn.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        if (broken !== undefined && isFatal((broken as QueryFailure).cause)) conn.destroy();
        else conn.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
