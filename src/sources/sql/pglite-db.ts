import { QueryFailure, type Db, type Query } from './db.js';

/** The part of PGlite the source uses (so a caller can hand in its own instance). */
export interface PgliteLike {
  transaction<T>(fn: (tx: { query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[]; fields: { name: string }[] }> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly closed?: boolean;
}

/** Opens PGlite at a directory (`memory://` for in-memory); loaded lazily, it is a large module. */
export async function openPglite(dataDir: string): Promise<PgliteLike> {
  const { PGlite } = await import('@electric-sql/pglite');
  return (await PGlite.create(dataDir)) as unknown as PgliteLike;
}

/**
 * Embedded PostgreSQL (PGlite) behind the same read-only, time-bounded contract as the pool.
 * `owned` instances are closed by `close()`; instances handed in by the caller are not.
 */
export function createPgliteDb(open: () => Promise<PgliteLike>, label: string, owned: boolean): Db {
  let db: Promise<PgliteLike> | undefined;
  const get = () =>
    (db ??= open().catch((err) => {
      db = undefined;
      throw new QueryFailure('connect', err);
    }));
  return {
    describe: `pglite ${label}`,
    async readOnly<T>(statementTimeoutMs: number, fn: (q: Query) => Promise<T>, signal?: AbortSignal): Promise<T> {
      // In-process: nothing to cut; an aborted cycle does not start.
      signal?.throwIfAborted();
      const inst = await get();
      return inst.transaction(async (tx) => {
        const q: Query = async (name, text, values) => {
          try {
            const r = await tx.query(text, values ? [...values] : []);
            return { rows: r.rows as Record<string, unknown>[], fields: r.fields.map((f) => f.name) };
          } catch (err) {
            throw new QueryFailure(name, err);
          }
        };
        await q('begin', 'SET TRANSACTION READ ONLY');
        await q('begin', `SET LOCAL statement_timeout = ${Math.max(1, Math.round(statementTimeoutMs))}`);
        return fn(q);
      });
    },
    async close() {
      if (owned && db) await (await db).close();
    },
  };
}
