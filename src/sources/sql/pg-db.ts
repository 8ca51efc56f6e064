import type pg from 'pg';
import type { Logger } from 'pino';
import type { StoreConfig } from '../../config/schema/stores.js';
import { QueryFailure, type Db, type Query } from './db.js';
import { lazyModule } from '../lazy-module.js';
import { pgConnectionOptions } from './pg-connection.js';

const loadPg = lazyModule<typeof pg>('pg');

/**
 * A small node-postgres pool for one store. Cycles of one store never overlap (the scheduler
 * skips a tick instead), so 1-2 connections suffice; the pool exists to reconnect on its own
 * after the database comes back.
 */
export function createPgDb(store: StoreConfig, logger: Logger): Db {
  const c = store.connection;
  const timeoutMs = Math.round(store.statementTimeout * 1000);
  // Every client of the pool, connecting or connected, so that an abort or close can cut its
  // socket: pg's pool.connect takes no signal, and a server that accepts and never answers
  // would hold a connect (and a shutdown) for connectionTimeoutMillis.
  const { Client, Pool } = loadPg();
  const clients = new Set<pg.Client>();
  class TrackedClient extends Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      clients.add(this);
      this.once('end', () => clients.delete(this));
    }
  }
  const cut = (client: pg.Client): void => {
    (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  };
  const cutAll = (): void => {
    for (const client of clients) cut(client);
  };
  const pool = new Pool({
    Client: TrackedClient,
    ...pgConnectionOptions(c),
    max: store.poolSize,
    // A dead server must fail the cycle, not hang it: bound connect and every query client-side
    // too, in case the network drops packets instead of refusing.
    connectionTimeoutMillis: Math.max(1000, timeoutMs),
    query_timeout: timeoutMs + 2000,
    idleTimeoutMillis: 30_000,
    application_name: 'cqrs-slo',
  });
  // An idle connection killed by the server (restart, failover) emits 'error' on the pool;
  // unhandled it would crash the process. The next cycle simply gets a new connection.
  pool.on('error', (err) => logger.debug({ store: store.name, err: err.message }, 'idle database connection closed'));

  const where = c.host ? `${c.host}:${c.port ?? 5432}/${c.database ?? ''}` : 'connectionString';
  return {
    describe: `postgres ${where}`,
    async readOnly<T>(statementTimeoutMs: number, fn: (q: Query) => Promise<T>, signal?: AbortSignal): Promise<T> {
      signal?.throwIfAborted();
      // Cycles of one store never overlap, so an abort may cut every socket of the pool: the
      // pending connect or the running statement fails at once with "Connection terminated".
      const onAbort = (): void => cutAll();
      signal?.addEventListener('abort', onAbort, { once: true });
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (err) {
        signal?.removeEventListener('abort', onAbort);
        throw new QueryFailure('connect', signal?.aborted ? signal.reason : err);
      }
      let broken: Error | undefined;
      // A checked-out connection that drops emits 'error' besides failing the running query,
      // and the pool listens only to idle ones: unhandled, the event would crash the process.
      const onError = (err: Error): void => {
        broken ??= err;
        logger.debug({ store: store.name, err: err.message }, 'database connection lost during a cycle');
      };
      client.on('error', onError);
      const q: Query = async (name, text, values) => {
        try {
          const r = await client.query({ text, values: values ? [...values] : [] });
          return { rows: r.rows as Record<string, unknown>[], fields: r.fields.map((f) => f.name) };
        } catch (err) {
          throw new QueryFailure(name, err);
        }
      };
      try {
        await q('begin', `BEGIN READ ONLY`);
        await q('begin', `SET LOCAL statement_timeout = ${Math.max(1, Math.round(statementTimeoutMs))}`);
        // The lookups are a few thousand index probes, but generate_series' default estimate
        // (1000 rows per call) inflates their cost past jit_above_cost: JIT compilation then
        // took ~110 ms of a 9 ms query at 10M events (bench/sql-projections.ts). Off for us only.
        await q('begin', 'SET LOCAL jit = off');
        const out = await fn(q);
        await q('commit', 'COMMIT');
        return out;
      } catch (err) {
        broken = err as Error;
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) broken ??= new Error('cycle aborted');
        // A connection-level failure destroys the client instead of returning it to the pool.
        const code = (broken?.cause as { code?: string } | undefined)?.code;
        client.off('error', onError);
        client.release(broken && !(code && /^[0-9A-Z]{5}$/.test(code)) ? broken : undefined);
      }
    },
    async close() {
      const ended = pool.end();
      cutAll();
      await ended;
    },
  };
}
