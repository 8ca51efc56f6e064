import type { Config } from '../../config/schema/index.js';
import { storeDialect, type StoreConfig } from '../../config/schema/stores.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';
import type { Db } from './db.js';
import { DeadLetterReader, deadLetterSpec } from './dead-letters.js';
import { createPgDb } from './pg-db.js';
import { pgTlsSecrets } from './pg-tls.js';
import { mysqlStoreParts } from './mysql/index.js';
import { createPgliteDb, openPglite, type PgliteLike } from './pglite-db.js';
import { readerFor } from './presets/index.js';
import { StoreSource } from './store-source.js';

/** Optional hooks, for embedding (the demo shares its PGlite instance) and tests. */
export interface SqlSourceOptions {
  /**
   * Returns the PGlite database for `connection.pglite`. Default: open it at that directory
   * (owned and closed by the source). A PGlite directory can be open only once per process,
   * so an application that already holds it passes it in here.
   */
  pglite?: (dataDir: string, store: StoreConfig) => PgliteLike | Promise<PgliteLike> | undefined;
}

/** The database of a store: its pool, or PGlite (handed in, or opened and owned). */
export function dbFor(store: StoreConfig, deps: SourceDeps, opts: SqlSourceOptions): Db {
  const dir = store.connection.pglite;
  if (dir !== undefined) {
    const given = opts.pglite?.(dir, store);
    if (given) return createPgliteDb(async () => given, dir, false);
    return createPgliteDb(() => openPglite(dir), dir, true);
  }
  return createPgDb(store, deps.logger);
}

/** The source for one configured store. */
export function createSqlSource(store: StoreConfig, deps: SourceDeps, opts: SqlSourceOptions = {}, dlqName?: string): Source {
  const secrets = storeSecrets(store);
  const parts =
    storeDialect(store.connection) === 'mysql'
      ? mysqlStoreParts(store, deps.logger)
      : {
          db: dbFor(store, deps, opts),
          reader: readerFor(store),
          deadLetters: store.deadLetters ? new DeadLetterReader(deadLetterSpec(store.deadLetters, store.schema), store.deadLetters.maxReasons) : undefined,
        };
  return new StoreSource(store, deps, {
    ...parts,
    dlqName: dlqName ?? store.deadLetters?.name ?? store.name,
    secrets,
  });
}

/** The store's secrets, to scrub from error messages. */
export function storeSecrets(store: StoreConfig): string[] {
  const c = store.connection;
  return [c.password?.reveal(), c.connectionString ? safePassword(c.connectionString.reveal()) : undefined, ...pgTlsSecrets(c)].filter((s): s is string => !!s);
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/** Builds the sql sources of the configuration: one per store. */
export function createSqlSources(config: Config, deps: SourceDeps, opts: SqlSourceOptions = {}): Source[] {
  for (const d of config.dlqs) {
    if (d.kind !== 'sql') continue;
    const store = config.stores.find((s) => s.name === d.store);
    if (store && !store.deadLetters) {
      deps.logger.warn({ dlq: d.name, store: d.store }, 'dlq of kind sql names a store without deadLetters: nothing to read (set stores[].deadLetters)');
    }
  }
  return config.stores.map((store) => {
    // A `dlqs` entry of kind sql naming this store gives the dead-letter series their name.
    const dlq = config.dlqs.find((d) => d.kind === 'sql' && d.store === store.name);
    return createSqlSource(store, deps, opts, store.deadLetters?.name ?? dlq?.name);
  });
}

export { StoreSource } from './store-source.js';
export type { PgliteLike } from './pglite-db.js';
