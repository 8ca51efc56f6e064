import { setFlagsFromString } from 'node:v8';

/** `stores[].connection.pglite` value that names the demo's in-process database. */
export const DEMO_PGLITE_DIR = 'demo://';

/** The part of PGlite the demo needs (an in-process PostgreSQL). */
export interface DemoDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * PostgreSQL settings for a database of a few MB: PGlite's defaults (shared_buffers 128MB and
 * friends) are sized for a server, and buffers once touched stay in the WebAssembly memory,
 * which never shrinks. Measured effect in docs/performance.md ("The demo's memory").
 */
export const DEMO_PG_SETTINGS: readonly string[] = [
  'shared_buffers = 4MB',
  'work_mem = 1MB',
  'maintenance_work_mem = 2MB',
  'temp_buffers = 1MB',
  'wal_buffers = 128kB',
];

export async function openDemoDb(dataDir = 'memory://'): Promise<DemoDb> {
  // V8 compiles PGlite's 9 MB WebAssembly module with its baseline compiler (Liftoff) and then
  // again with the optimising one; the demo's queries are tiny, so the baseline code is enough
  // and the second copy is saved. Only PGlite uses WebAssembly in this process.
  setFlagsFromString('--liftoff-only');
  const { PGlite } = await import('@electric-sql/pglite');
  return (await PGlite.create(dataDir, { postgresqlconf: [...DEMO_PG_SETTINGS] })) as unknown as DemoDb;
}
