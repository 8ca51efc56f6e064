import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { storeSchema, type StoreConfig } from '../../../src/config/schema/stores.js';
import { createMetrics, type Metrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import { createSqlSource, type SqlSourceOptions } from '../../../src/sources/sql/index.js';
import type { CycleContext, Source } from '../../../src/sources/source.js';

/** A fixed instant all scenarios count from: event k is written at T0 + k s. */
export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
export const at = (seconds: number) => T0 + seconds * 1000;
/** SQL literal for T0 + s seconds. */
export const ts = (seconds: number) => new Date(at(seconds)).toISOString();

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../fixtures/sql/${name}.sql`, import.meta.url)), 'utf8');
}

/**
 * A client whose dropped connection fails its promises only: node-postgres also emits 'error'
 * then, which would be an uncaught exception in tests that kill the server.
 */
function quiet(c: pg.Client): pg.Client {
  c.on('error', () => undefined);
  return c;
}

let dbSeq = 0;
/** A fresh database on the shared server, with the fixture applied; returns its URL. */
export async function freshDatabase(serverUrl: string, fixtureName?: string): Promise<string> {
  const name = `t_${process.pid}_${++dbSeq}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = quiet(new pg.Client({ connectionString: serverUrl }));
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  if (fixtureName) await exec(u.toString(), fixture(fixtureName));
  return u.toString();
}

export async function exec(url: string, sql: string, values?: unknown[]): Promise<pg.QueryResult> {
  const c = quiet(new pg.Client({ connectionString: url }));
  await c.connect();
  try {
    return await c.query(sql, values);
  } finally {
    await c.end();
  }
}

/** A store config through the real schema; the URL goes in by env reference like in production. */
export function storeConfig(raw: Record<string, unknown>, url?: string): StoreConfig {
  let connection = raw.connection;
  if (url) {
    const env = `CQRS_TEST_PG_${++dbSeq}`;
    process.env[env] = url;
    connection = { connectionString: `env:${env}` };
  }
  return storeSchema.parse({ name: 'orders', interval: '15s', ...raw, connection });
}

export interface Harness {
  readonly source: Source;
  readonly registry: Registry;
  readonly metrics: Metrics;
  readonly board: SliBoard;
  /** Sets the monitor clock (epoch ms). */
  setNow(ms: number): void;
  cycle(): ReturnType<Source['collect']>;
  /** Gauge or counter value for labels, undefined when the series does not exist. */
  value(metric: string, labels: Record<string, string>): Promise<number | undefined>;
  /** Histogram buckets (le -> cumulative count), sum and count for labels. */
  histogram(metric: string, labels: Record<string, string>): Promise<{ buckets: Record<string, number>; sum: number; count: number }>;
  close(): Promise<void>;
}

export function harness(store: StoreConfig, opts: SqlSourceOptions = {}): Harness {
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  const board = new SliBoard();
  let now = T0;
  const logger = pino({ level: 'silent' });
  const source = createSqlSource(store, { metrics, logger, clock: () => now, board }, opts);
  const ctx = (): CycleContext => ({
    signal: new AbortController().signal,
    clock: () => now,
    startedAt: now,
    logger,
    span: (_n, fn) => fn(),
  });
  const match = (l: Record<string, unknown>, want: Record<string, string>) => Object.entries(want).every(([k, v]) => l[k] === v);
  return {
    source,
    registry,
    metrics,
    board,
    setNow: (ms) => {
      now = ms;
    },
    cycle: () => source.collect(ctx()),
    async value(metric, labels) {
      const m = registry.getSingleMetric(metric);
      if (!m) throw new Error(`no metric ${metric}`);
      const v = (await m.get()).values.find((x) => match(x.labels, labels));
      return v?.value;
    },
    async histogram(metric, labels) {
      const m = registry.getSingleMetric(metric);
      if (!m) throw new Error(`no metric ${metric}`);
      const values = (await m.get()).values.filter((x) => match(x.labels, labels));
      const buckets: Record<string, number> = {};
      let sum = 0;
      let count = 0;
      for (const v of values) {
        const name = (v as { metricName?: string }).metricName ?? '';
        if (name.endsWith('_bucket')) buckets[String(v.labels.le)] = v.value;
        else if (name.endsWith('_sum')) sum = v.value;
        else if (name.endsWith('_count')) count = v.value;
      }
      return { buckets, sum, count };
    },
    close: () => source.close(),
  };
}
