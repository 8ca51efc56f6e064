import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { trace } from '@opentelemetry/api';
import { startPostgres, type PostgresHandle } from '../../env/postgres.js';
import { parseConfig } from '../../../src/config/load.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { createSloSources } from '../../../src/slo/index.js';
import { createSqlSource } from '../../../src/sources/sql/index.js';
import { seriesValue } from '../../helpers/deps.js';
import { exec, fixture, storeConfig, ts } from './helpers.js';

const env = inject('postgres');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const P = { store: 'orders', projection: 'Trip:All' };

// Three freshness SLOs on the same caught-up projection, one per tick policy.
const SLOS = `
slos:
  - { name: fresh, objective: 99, evaluationInterval: 1s, sli: { kind: freshness, store: orders, projection: "Trip:All", threshold: 30s } }
  - { name: fresh-bad, objective: 99, evaluationInterval: 1s, unknown: bad, sli: { kind: freshness, store: orders, projection: "Trip:All", threshold: 30s } }
  - { name: fresh-count, objective: 99, evaluationInterval: 1s, duringRebuild: count, sli: { kind: freshness, store: orders, projection: "Trip:All", threshold: 30s } }
`;

/** 10 events, the projection caught up at 10 (Marten tables). */
async function seed(url: string): Promise<void> {
  await exec(url, fixture('marten'));
  await exec(
    url,
    `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
     SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 't', $1::timestamptz + k * interval '1 second' FROM generate_series(1, 10) k`,
    [ts(0)],
  );
  await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 10, $1), ('Trip:All', 10, $1)`, [ts(10)]);
}

/**
 * The service's pipeline on the real clock: the store source and the SLO evaluators, run one
 * after the other through the real scheduler (its failure handling: source_up 0, error counted,
 * series cleared), once per tick.
 */
function pipeline(url: string) {
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  const logger = pino({ level: 'silent' });
  const deps = { metrics, logger, clock: () => Date.now(), board: new SliBoard() };
  const store = createSqlSource(storeConfig({ preset: 'marten', interval: '1s', statementTimeout: '1s' }, url), deps);
  const slos = createSloSources(parseConfig(SLOS, 'slos.yaml'), deps);
  const scheduler = new Scheduler({ sources: [store, ...slos], metrics, logger, tracer: trace.getTracer('test'), clock: deps.clock });
  return {
    registry,
    /** One tick: a store cycle, then every SLO; returns whether the store could be read. */
    async tick(): Promise<boolean> {
      const s = await scheduler.runOnce(store.name);
      for (const slo of slos) await scheduler.runOnce(slo.name);
      return s.up;
    },
    async counts(slo: string) {
      const v = async (name: string, labels: Record<string, string> = {}) => (await seriesValue(registry, name, { slo, ...labels })) ?? NaN;
      return {
        good: await v('cqrs_slo_good_total'),
        total: await v('cqrs_slo_total'),
        unreadable: await v('cqrs_slo_unknown_total', { reason: 'unreadable' }),
        rebuilding: await v('cqrs_slo_unknown_total', { reason: 'rebuilding' }),
      };
    },
    value: (name: string, labels: Record<string, string>) => seriesValue(registry, name, labels),
    close: () => scheduler.stop(1),
  };
}

/** Ticks once a second for `seconds`; returns how many ticks could read the store and how many could not. */
async function tickFor(p: ReturnType<typeof pipeline>, seconds: number): Promise<{ up: number; down: number }> {
  const out = { up: 0, down: 0 };
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = Date.now();
    if (await p.tick()) out.up++;
    else out.down++;
    await sleep(Math.max(0, 1000 - (Date.now() - started)));
  }
  return out;
}

describe.skipIf(!!env.unavailable)('freshness SLO ticks while the monitor cannot read the store (real PostgreSQL)', () => {
  let pgh: PostgresHandle;
  beforeAll(async () => {
    // synchronous_commit on: a SIGKILL must not lose the seeded rows.
    pgh = await startPostgres({ database: 'slo_unknown', settings: { synchronous_commit: 'on' } });
    await seed(pgh.connectionString);
  });
  afterAll(async () => pgh?.stop());

  it('database killed for ~20 s: no bad tick by default, unknown{unreadable} = ticks down; with unknown: bad those ticks are bad', async () => {
    const p = pipeline(pgh.connectionString);
    try {
      const before = await tickFor(p, 3);
      expect(before).toEqual({ up: 3, down: 0 });

      const killedAt = Date.now();
      await pgh.kill();
      const outage = await tickFor(p, 20);
      await pgh.restart();
      const downSeconds = (Date.now() - killedAt) / 1000;
      const after = await tickFor(p, 3);
      console.info(
        `[slo-unknown] database down ${downSeconds.toFixed(1)} s: ${outage.down} ticks unreadable, ${outage.up} readable; before ${before.up}, after ${after.up}/${after.down}`,
      );

      expect(outage.down).toBeGreaterThanOrEqual(15);
      const up = before.up + outage.up + after.up;
      const down = outage.down + after.down;
      expect(await p.value('cqrs_collect_errors_total', { source: 'store:orders', reason: 'unreachable' })).toBe(down);
      // Caught up all along: every readable tick is good, the blind ones are neither good nor bad.
      expect(await p.counts('fresh')).toEqual({ good: up, total: up, unreadable: down, rebuilding: 0 });
      expect(await p.counts('fresh-count')).toEqual({ good: up, total: up, unreadable: down, rebuilding: 0 });
      // unknown: bad: the same ticks are bad ticks instead.
      expect(await p.counts('fresh-bad')).toEqual({ good: up, total: up + down, unreadable: 0, rebuilding: 0 });
    } finally {
      await p.close();
    }
  });

  it('checkpoint table locked (ACCESS EXCLUSIVE) past statementTimeout: ticks time out and are unknown, not bad', async () => {
    const p = pipeline(pgh.connectionString);
    const locker = new pg.Client({ connectionString: pgh.connectionString });
    locker.on('error', () => undefined);
    await locker.connect();
    try {
      const before = await tickFor(p, 2);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE mt_event_progression IN ACCESS EXCLUSIVE MODE');
      const locked = await tickFor(p, 6);
      await locker.query('COMMIT');
      const after = await tickFor(p, 2);
      console.info(`[slo-unknown] table locked 6 s: ${locked.down} ticks timed out, ${locked.up} readable`);

      expect(before).toEqual({ up: 2, down: 0 });
      expect(after).toEqual({ up: 2, down: 0 });
      expect(locked.down).toBeGreaterThanOrEqual(3);
      expect(await p.value('cqrs_collect_errors_total', { source: 'store:orders', reason: 'timeout' })).toBe(locked.down);
      const up = before.up + locked.up + after.up;
      expect(await p.counts('fresh')).toEqual({ good: up, total: up, unreadable: locked.down, rebuilding: 0 });
      expect(await p.counts('fresh-bad')).toEqual({ good: up, total: up + locked.down, unreadable: 0, rebuilding: 0 });
    } finally {
      await locker.end().catch(() => undefined);
      await p.close();
    }
  });

  it('rebuild (checkpoint reset to 0): unknown{rebuilding}, no bad tick by default; bad ticks with duringRebuild: count; progress exported while it runs', async () => {
    const p = pipeline(pgh.connectionString);
    const setCheckpoint = (n: number) =>
      exec(pgh.connectionString, `UPDATE mt_event_progression SET last_seq_id = $1, last_updated = now() WHERE name = 'Trip:All'`, [n]);
    try {
      expect(await p.tick()).toBe(true); // caught up at 10
      await setCheckpoint(0); // reset: the rebuild targets the head seen now (10)
      expect(await p.tick()).toBe(true);
      expect(await p.value('cqrs_projection_status', { ...P, status: 'REBUILDING' })).toBe(1);
      expect(await p.value('cqrs_projection_rebuild_progress_ratio', P)).toBe(0);
      await setCheckpoint(4);
      expect(await p.tick()).toBe(true);
      expect(await p.value('cqrs_projection_rebuild_progress_ratio', P)).toBe(0.4);
      // re-applied events are months old: counted, these ticks would be bad
      expect(await p.value('cqrs_projection_lag_seconds', P)).toBeGreaterThan(3600);
      await setCheckpoint(10); // back at the target: over
      expect(await p.tick()).toBe(true);
      expect(await p.value('cqrs_projection_status', { ...P, status: 'OK' })).toBe(1);
      expect(await p.value('cqrs_projection_rebuild_progress_ratio', P)).toBeUndefined();
      expect(await p.value('cqrs_projection_rebuild_duration_seconds', P)).toBeGreaterThan(0);

      expect(await p.counts('fresh')).toEqual({ good: 2, total: 2, unreadable: 0, rebuilding: 2 });
      expect(await p.counts('fresh-bad')).toEqual({ good: 2, total: 2, unreadable: 0, rebuilding: 2 });
      expect(await p.counts('fresh-count')).toEqual({ good: 2, total: 4, unreadable: 0, rebuilding: 0 });
    } finally {
      await p.close();
    }
  });
});
