/**
 * SQL store source benchmark: 200 Marten projections over a large mt_events table.
 * Run: npx vite-node bench/sql-projections.ts   (or npx tsx bench/sql-projections.ts)
 * Env: BENCH_EVENTS (default 10_000_000), BENCH_PROJECTIONS (200), BENCH_CYCLES (40),
 *      BENCH_PG_URL (use an existing database instead of starting a throw-away server),
 *      BENCH_KEEP=1 (leave the started server running and print its URL, to inspect plans).
 * Starts its own PostgreSQL (test/env/postgres.ts), creates the Marten tables exactly as the
 * fixture has them (only the framework's own indexes), fills them with generate_series, then
 * runs collection cycles while the projections advance and new events arrive. Prints one JSON
 * line with cycle time and database time percentiles; docs/performance.md records them.
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { storeSchema } from '../src/config/schema/stores.js';
import { SliBoard } from '../src/core/sli-board.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { createPgDb } from '../src/sources/sql/pg-db.js';
import type { Db, Query } from '../src/sources/sql/db.js';
import { readerFor } from '../src/sources/sql/presets/index.js';
import { StoreSource } from '../src/sources/sql/store-source.js';
import { startPostgres, type PostgresHandle } from '../test/env/postgres.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const PROJECTIONS = Number(process.env.BENCH_PROJECTIONS ?? 200);
const CYCLES = Number(process.env.BENCH_CYCLES ?? 40);
const CHUNK = 1_000_000;

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;
const log = (msg: string) => console.error(`[bench] ${new Date().toISOString()} ${msg}`);

/** Wraps a Db to time every statement: the sum per cycle is the database time (round trips included). */
function timed(db: Db): { db: Db; take(): { total: number; byQuery: Record<string, number> } } {
  let total = 0;
  let byQuery: Record<string, number> = {};
  return {
    db: {
      describe: db.describe,
      close: () => db.close(),
      readOnly: (ms, fn) =>
        db.readOnly(ms, (q) => {
          const tq: Query = async (name, text, values) => {
            const t = performance.now();
            try {
              return await q(name, text, values);
            } finally {
              const d = performance.now() - t;
              total += d;
              byQuery[name] = (byQuery[name] ?? 0) + d;
            }
          };
          return fn(tq);
        }),
    },
    take() {
      const out = { total, byQuery };
      total = 0;
      byQuery = {};
      return out;
    },
  };
}

async function main(): Promise<void> {
  let server: PostgresHandle | undefined;
  let url = process.env.BENCH_PG_URL;
  if (!url) {
    server = await startPostgres({
      database: 'bench',
      settings: { shared_buffers: '512MB', maintenance_work_mem: '512MB', max_wal_size: '8GB', work_mem: '16MB' },
    });
    url = server.connectionString;
  }
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const setup0 = performance.now();
    await admin.query(readFileSync(new URL('../test/fixtures/sql/marten.sql', import.meta.url), 'utf8'));
    // Events 1..N, one every 10 ms, the newest a little before now.
    const start = Date.now() - EVENTS * 10 - 60_000;
    for (let lo = 1; lo <= EVENTS; lo += CHUNK) {
      const hi = Math.min(EVENTS, lo + CHUNK - 1);
      await admin.query(
        `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type)
         SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{"amount": 1}'::jsonb, 'trip_started',
                to_timestamp(($1::float8 + k * 10) / 1000), 'Trips.TripStarted'
         FROM generate_series($2::bigint, $3::bigint) k`,
        [start, lo, hi],
      );
      log(`events ${hi}/${EVENTS}`);
    }
    // 200 projections: a quarter caught up, the rest up to 1M events behind.
    await admin.query(
      `INSERT INTO mt_event_progression (name, last_seq_id, last_updated)
       SELECT 'Projection' || i || ':All', CASE WHEN i % 4 = 0 THEN $1 ELSE greatest(0, $1 - (random() * 1000000)::bigint) END, now()
       FROM generate_series(1, $2) i`,
      [EVENTS, PROJECTIONS],
    );
    await admin.query(`INSERT INTO mt_event_progression (name, last_seq_id) VALUES ('HighWaterMark', $1)`, [EVENTS]);
    await admin.query('VACUUM ANALYZE mt_events');
    await admin.query('VACUUM ANALYZE mt_event_progression');
    const size = (await admin.query(`SELECT pg_size_pretty(pg_total_relation_size('mt_events')) AS s`)).rows[0].s as string;
    log(`setup ${round((performance.now() - setup0) / 1000)} s, mt_events ${size}`);

    process.env.BENCH_STORE_URL = url;
    const store = storeSchema.parse({
      name: 'bench',
      preset: 'marten',
      connection: { connectionString: 'env:BENCH_STORE_URL' },
      interval: '15s',
      statementTimeout: '5s',
    });
    const registry = new Registry();
    const metrics = createMetrics(registry, { processMetrics: false });
    const logger = pino({ level: 'silent' });
    const t = timed(createPgDb(store, logger));
    const source = new StoreSource(
      store,
      { metrics, logger, clock: Date.now, board: new SliBoard() },
      { db: t.db, reader: readerFor(store), dlqName: 'bench', secrets: [] },
    );
    const ctx = { signal: new AbortController().signal, clock: Date.now, startedAt: Date.now(), logger, span: <T>(_n: string, fn: () => Promise<T>) => fn() };

    const cycles: number[] = [];
    const dbTimes: number[] = [];
    const byQuery: Record<string, number[]> = {};
    let head = EVENTS;
    let samples = 0;
    for (let i = 0; i < CYCLES; i++) {
      // Between cycles: 1000 new events arrive, every projection advances 0..5000 events.
      await admin.query(
        `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
         SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 'trip_started', now() FROM generate_series($1::bigint + 1, $1::bigint + 1000) k`,
        [head],
      );
      head += 1000;
      await admin.query(`UPDATE mt_event_progression SET last_seq_id = $1 WHERE name = 'HighWaterMark'`, [head]);
      await admin.query(
        `UPDATE mt_event_progression SET last_seq_id = least($1, last_seq_id + (random() * 5000)::bigint), last_updated = now() WHERE name NOT LIKE 'HighWater%'`,
        [head],
      );
      t.take();
      const c0 = performance.now();
      const report = await source.collect(ctx);
      const cycle = performance.now() - c0;
      const d = t.take();
      if (i === 0) continue; // first cycle validates tables and has no advances: reported apart
      cycles.push(cycle);
      dbTimes.push(d.total);
      samples += report.latencySamples ?? 0;
      for (const [k, v] of Object.entries(d.byQuery)) (byQuery[k] ??= []).push(v);
    }
    await source.close();

    const plan = (
      await admin.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)
       SELECT c.p, (SELECT timestamp FROM mt_events WHERE seq_id > c.p ORDER BY seq_id LIMIT 1)
       FROM unnest(ARRAY(SELECT last_seq_id FROM mt_event_progression)) AS c(p)`,
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    log(`first-unapplied plan:\n${plan}`);
    const plan2 = (
      await admin.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)
       SELECT r.i, ev.position, ev.ts
       FROM unnest(ARRAY(SELECT last_seq_id - 5000 FROM mt_event_progression), ARRAY(SELECT last_seq_id FROM mt_event_progression),
                   ARRAY(SELECT 500::bigint FROM mt_event_progression)) WITH ORDINALITY AS r(lo, hi, stride, i)
       CROSS JOIN LATERAL generate_series(r.lo + r.stride, r.hi, r.stride) AS g(p)
       CROSS JOIN LATERAL (SELECT seq_id::text AS position, (extract(epoch from "timestamp") * 1000)::float8 AS ts FROM mt_events WHERE seq_id = g.p LIMIT 1) AS ev`,
      )
    ).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    log(`event-times plan:\n${plan2}`);

    console.log(
      JSON.stringify({
        events: EVENTS,
        projections: PROJECTIONS,
        cycles: cycles.length,
        cycle_ms: { p50: round(pct(cycles, 50)), p95: round(pct(cycles, 95)), max: round(Math.max(...cycles)) },
        db_ms: { p50: round(pct(dbTimes, 50)), p95: round(pct(dbTimes, 95)), max: round(Math.max(...dbTimes)) },
        db_ms_by_query_p50: Object.fromEntries(Object.entries(byQuery).map(([k, v]) => [k, round(pct(v, 50))])),
        latency_samples_per_cycle: Math.round(samples / Math.max(1, cycles.length)),
        mt_events_size: size,
        cpus: (await import('node:os')).cpus().length,
      }),
    );
  } finally {
    await admin.end();
    if (process.env.BENCH_KEEP === '1' && server) log(`server kept: ${server.connectionString} (data ${server.dataDir})`);
    else await server?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
