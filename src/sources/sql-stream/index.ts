import type { Config } from '../../config/schema/index.js';
import type { SourceDeps } from '../deps.js';
import type { Source } from '../source.js';
import { dbFor, storeSecrets, type SqlSourceOptions } from '../sql/index.js';
import { eventsQuery } from './events-query.js';
import { SqlStreamSource } from './sql-stream-source.js';

export { SqlStreamSource, type SqlStreamSourceOptions } from './sql-stream-source.js';
export { eventsQuery, BEFORE_ALL, type EventsQuery } from './events-query.js';

/** One source per `streams[]` entry of kind sql, each with its own connection pool to its store. */
export function createSqlStreamSources(config: Config, deps: SourceDeps, opts: SqlSourceOptions = {}): Source[] {
  return config.streams.flatMap((stream) => {
    if (stream.kind !== 'sql') return [];
    const store = config.stores.find((s) => s.name === stream.store);
    // The schema's cross-reference check guarantees the store exists.
    if (!store) throw new Error(`stream ${stream.name}: no store named ${stream.store}`);
    return [new SqlStreamSource({ stream, store, db: dbFor(store, deps, opts), query: eventsQuery(stream, store), deps, secrets: storeSecrets(store) })];
  });
}
