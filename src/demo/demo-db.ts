import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { extractTarGz } from './untar.js';

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

/**
 * An empty data directory made by the installed PGlite (scripts/demo-pgdata.mjs). Loading it
 * skips initdb, which PGlite runs in a second PostgreSQL instance: that doubled the demo's
 * start-up memory (522 MB peak against 270 MB, docs/performance.md).
 */
export const DEMO_PGDATA = new URL('../../assets/demo-pgdata.tgz', import.meta.url);

async function preparedDataDir(): Promise<Blob | undefined> {
  try {
    return new Blob([await readFile(DEMO_PGDATA)]);
  } catch {
    return undefined; // not shipped (a trimmed install): initdb instead
  }
}

/**
 * Unpacks the prepared data directory into `dataDir` ourselves, streaming: PGlite's own
 * `loadDataDir` does it in JavaScript through the WebAssembly file system and leaves ~50 MB of
 * resident memory behind (174 -> 123 MB RSS after PGlite.create, docs/performance.md).
 * False when there is nothing to unpack (not shipped) or it cannot be unpacked.
 */
async function unpackPreparedDataDir(dataDir: string): Promise<boolean> {
  if (!existsSync(DEMO_PGDATA)) return false;
  try {
    await extractTarGz(DEMO_PGDATA, dataDir);
    return true;
  } catch {
    await emptyDir(dataDir);
    return false;
  }
}

const emptyDir = async (dir: string): Promise<void> => {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
};

/**
 * A fresh temporary directory for the demo's database (the caller removes it). An in-memory data
 * directory (`memory://`) keeps every file in the process's own memory: about 25 MB more
 * resident memory than files the kernel caches (docs/performance.md).
 */
export const demoDataDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'cqrs-slo-demo-'));

/** Removes a directory made by demoDataDir. */
export const removeDemoDataDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Opens the demo's database at `dataDir` (a directory, or `memory://`). */
export async function openDemoDb(dataDir: string): Promise<DemoDb> {
  // V8 compiles PGlite's 9 MB WebAssembly module with its baseline compiler (Liftoff) and then
  // again with the optimising one; the demo's queries are tiny, so the baseline code is enough
  // and the second copy is saved. Only PGlite uses WebAssembly in this process.
  setFlagsFromString('--liftoff-only');
  const { PGlite } = await import('@electric-sql/pglite');
  const postgresqlconf = [...DEMO_PG_SETTINGS];
  const inMemory = dataDir.includes('://');
  if (inMemory) {
    const loadDataDir = await preparedDataDir();
    if (loadDataDir) {
      try {
        return (await PGlite.create(dataDir, { postgresqlconf, loadDataDir })) as unknown as DemoDb;
      } catch {
        // Made by another PGlite version (catalog mismatch): initdb below.
      }
    }
  } else if (await unpackPreparedDataDir(dataDir)) {
    try {
      return (await PGlite.create(dataDir, { postgresqlconf })) as unknown as DemoDb;
    } catch {
      // Made by another PGlite version (catalog mismatch): initdb in an empty directory.
      await emptyDir(dataDir);
    }
  }
  return (await PGlite.create(dataDir, { postgresqlconf })) as unknown as DemoDb;
}
