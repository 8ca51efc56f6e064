/** `stores[].connection.pglite` value that names the demo's in-process database. */
export const DEMO_PGLITE_DIR = 'demo://';

/** The part of PGlite the demo needs (an in-process PostgreSQL). */
export interface DemoDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function openDemoDb(dataDir = 'memory://'): Promise<DemoDb> {
  const { PGlite } = await import('@electric-sql/pglite');
  return (await PGlite.create(dataDir)) as unknown as DemoDb;
}
