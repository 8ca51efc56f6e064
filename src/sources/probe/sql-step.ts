import pg from 'pg';
import type { Logger } from 'pino';
import type { ProbeSqlStatement } from '../../config/schema/probes.js';
import type { StoreConfig } from '../../config/schema/stores.js';
import { fill } from '../../core/probe/template.js';
import { reasonOf, SourceError } from '../source-error.js';
import { pgConnectionOptions } from '../sql/pg-connection.js';

/**
 * The probe's own small pool on a store's PostgreSQL connection. Unlike the store source, whose
 * transactions are READ ONLY, a probe writes (its command and cleanup): it gets its own pool so
 * that the read-only guarantee of the monitoring path stays whole. `max` bounds its connections
 * (the probe's maxConcurrency plus one for a cleanup).
 */
export class ProbeSql {
  readonly #pool: pg.Pool;
  readonly #store: string;

  constructor(store: StoreConfig, max: number, logger: Logger) {
    const c = store.connection;
    this.#store = store.name;
    this.#pool = new pg.Pool({
      ...pgConnectionOptions(c),
      max,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      application_name: 'cqrs-slo-probe',
    });
    // An idle connection closed by the server must not crash the process; the next run reconnects.
    this.#pool.on('error', (err) => logger.debug({ store: store.name, err: err.message }, 'idle probe connection closed'));
  }

  /**
   * Runs one statement in its own transaction with its statement_timeout; the probe id goes in
   * as a bound parameter only, never into the SQL text. Returns the number of rows.
   */
  async run(step: string, s: ProbeSqlStatement, id: string, signal: AbortSignal): Promise<number> {
    signal.throwIfAborted();
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw new SourceError(`probe ${step} on store ${this.#store}: connect: ${(err as Error).message}`, {
        reason: reasonOf(err) === 'unknown' ? 'unreachable' : reasonOf(err),
        cause: err,
      });
    }
    let broken: Error | undefined;
    const onError = (err: Error): void => void (broken ??= err);
    client.on('error', onError);
    const cut = (): void => (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
    signal.addEventListener('abort', cut, { once: true });
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(s.timeout * 1000))}`);
      const r = await client.query({ text: s.statement, values: s.params.map((p) => fill(p, id)) });
      await client.query('COMMIT');
      return r.rowCount ?? r.rows.length;
    } catch (err) {
      broken ??= err as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      const code = (err as { code?: string }).code;
      const reason = code === '57014' ? 'timeout' : reasonOf(err);
      throw new SourceError(`probe ${step} on store ${this.#store}: ${(err as Error).message}`, { reason, cause: err });
    } finally {
      signal.removeEventListener('abort', cut);
      client.off('error', onError);
      const code = (broken as { code?: string } | undefined)?.code;
      // A statement error (SQLSTATE) leaves the connection usable; anything else discards it.
      client.release(broken && !(code && /^[0-9A-Z]{5}$/.test(code)) ? broken : undefined);
    }
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
