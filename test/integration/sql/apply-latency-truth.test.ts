import pg from 'pg';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SliBoard } from '../../../src/core/sli-board.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { createSqlSource } from '../../../src/sources/sql/index.js';
import { noopTracer } from '../../helpers/deps.js';
import { T0, freshDatabase, harness, storeConfig } from './helpers.js';
import { bucketCounts, histogramQuantile, projectorTimeline, trueLatencies, type Timeline } from './latency-truth.js';

const env = inject('postgres');

/** How one framework layout stores events and the checkpoint of projection `P`. */
interface Layout {
  readonly preset: 'marten' | 'emmett' | 'eventuous';
  readonly projection: string;
  setUp(c: pg.Client): Promise<void>;
  append(c: pg.Client, positions: number[], times: number[]): Promise<void>;
  /** The projector's checkpoint write at `at` (the layout keeps that time where it has a column for it). */
  write(c: pg.Client, position: number, at: number): Promise<void>;
}

const epoch = (ms: number) => (T0 + ms) / 1000;

const marten: Layout = {
  preset: 'marten',
  projection: 'Trip:All',
  async setUp() {},
  async append(c, positions, times) {
    await c.query(
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
       SELECT p, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'TripStarted', to_timestamp(t)
       FROM unnest($1::bigint[], $2::float8[]) AS x(p, t)`,
      [positions, times.map(epoch)],
    );
  },
  async write(c, position, at) {
    await c.query(
      `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('Trip:All', $1, to_timestamp($2))
       ON CONFLICT (name) DO UPDATE SET last_seq_id = excluded.last_seq_id, last_updated = excluded.last_updated`,
      [position, epoch(at)],
    );
  },
};

const emmett: Layout = {
  preset: 'emmett',
  projection: 'carts-summary',
  async setUp(c) {
    await c.query(
      `INSERT INTO emt_processors (processor_id, last_processed_checkpoint, last_processed_transaction_id, last_updated, status)
       VALUES ('carts-summary', lpad('0', 20, '0'), '1', to_timestamp(0), 'running')`,
    );
  },
  async append(c, positions, times) {
    await c.query(
      `INSERT INTO emt_messages (global_position, stream_position, transaction_id, created, stream_id, message_schema_version, message_id, message_type, message_data, message_metadata)
       SELECT p, p, pg_current_xact_id(), to_timestamp(t), 'cart-1', '1', gen_random_uuid()::text, 'ProductItemAdded', '{}', '{}'
       FROM unnest($1::bigint[], $2::float8[]) AS x(p, t)`,
      [positions, times.map(epoch)],
    );
  },
  async write(c, position, at) {
    // Emmett >= 0.43 checkpoint text `lpad(txid,20):lpad(position,20)`, last_updated = the write.
    await c.query(
      `UPDATE emt_processors SET last_processed_checkpoint = lpad(pg_current_xact_id()::text, 20, '0') || ':' || lpad($1::text, 20, '0'),
         last_processed_transaction_id = pg_current_xact_id(), last_updated = to_timestamp($2) WHERE processor_id = 'carts-summary'`,
      [position, epoch(at)],
    );
  },
};

const eventuous: Layout = {
  preset: 'eventuous',
  projection: 'Bookings',
  async setUp(c) {
    await c.query(`INSERT INTO eventuous.streams (stream_name, version) VALUES ('Booking-1', -1)`);
    await c.query(`INSERT INTO eventuous.checkpoints (id, position) VALUES ('Bookings', NULL)`);
  },
  async append(c, positions, times) {
    await c.query(
      `INSERT INTO eventuous.messages (message_id, message_type, stream_id, stream_position, json_data, created)
       SELECT gen_random_uuid(), 'RoomBooked', 1, p - 1, '{}'::jsonb, to_timestamp(t) AT TIME ZONE 'UTC'
       FROM unnest($1::bigint[], $2::float8[]) WITH ORDINALITY AS x(p, t) ORDER BY ordinality`,
      [positions, times.map(epoch)],
    );
  },
  async write(c, position) {
    // Eventuous keeps no checkpoint time: the monitor can only use the time it saw the checkpoint.
    await c.query(`UPDATE eventuous.checkpoints SET position = $1 WHERE id = 'Bookings'`, [position]);
  },
};

const DURATION_MS = 300_000;
const INTERVAL_MS = 5000;
const PROBE_MS = 1000;
/** Readings start off the whole second, as a real grid does. */
const OFFSET_MS = 370;

interface Outcome {
  readonly truth: number[];
  readonly exported: { buckets: Record<string, number>; sum: number; count: number };
}

/**
 * Plays the timeline against a real database in time order: events are inserted, the projector
 * writes its checkpoint, and the monitor reads every 5 s (and probes every 1 s when asked), its
 * clock set to the simulated time. Returns the truth for the events the monitor saw applied.
 */
async function play(layout: Layout, t: Timeline, probe: boolean): Promise<Outcome> {
  const url = await freshDatabase(env.connectionString, layout.preset);
  const c = new pg.Client({ connectionString: url });
  c.on('error', () => undefined);
  await c.connect();
  await layout.setUp(c);
  const h = harness(
    storeConfig({ name: 'truth', preset: layout.preset, interval: '5s', projectionList: [layout.projection], checkpointProbe: probe ? '1s' : '0s' }, url),
  );
  const labels = { store: 'truth', projection: layout.projection };
  type Action = { at: number; order: number; run: () => Promise<unknown> };
  const actions: Action[] = [];
  let batch: { positions: number[]; times: number[] } | undefined;
  for (const [k, at] of t.events.entries()) {
    actions.push({
      at,
      order: 0,
      run: async () => {
        batch ??= { positions: [], times: [] };
        batch.positions.push(k + 1);
        batch.times.push(at);
      },
    });
  }
  for (const w of t.writes) actions.push({ at: w.at, order: 1, run: () => layout.write(c, w.position, w.at) });
  for (let at = OFFSET_MS; at < DURATION_MS; at += PROBE_MS) {
    const reading = (at - OFFSET_MS) % INTERVAL_MS === 0;
    if (!reading && !probe) continue;
    actions.push({
      at,
      order: 2,
      run: () => {
        h.setNow(T0 + at);
        return reading ? h.cycle() : h.source.probe!.run(new AbortController().signal);
      },
    });
  }
  actions.sort((a, b) => a.at - b.at || a.order - b.order);
  try {
    for (const a of actions) {
      // Events are queued and inserted in one statement before the next write or reading.
      if (a.order > 0 && batch) {
        await layout.append(c, batch.positions, batch.times);
        batch = undefined;
      }
      await a.run();
    }
    const seen = (await h.value('cqrs_projection_checkpoint_position', labels)) ?? 0;
    return { truth: trueLatencies(t, seen), exported: await h.histogram('cqrs_projection_apply_latency_seconds', labels) };
  } finally {
    await h.close();
    await c.end();
  }
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The comparison docs/stores.md reports. */
function compare(o: Outcome) {
  const truthBuckets = bucketCounts(o.truth);
  const within5 = (b: Record<string, number>) => b['5']! / b['+Inf']!;
  return {
    events: o.truth.length,
    trueMean: mean(o.truth),
    reportedMean: o.exported.sum / o.exported.count,
    meanError: o.exported.sum / o.exported.count - mean(o.truth),
    trueP95: histogramQuantile(0.95, truthBuckets),
    reportedP95: histogramQuantile(0.95, o.exported.buckets),
    trueWithin5s: within5(truthBuckets),
    reportedWithin5s: within5(o.exported.buckets),
    maxBucketDiff: Math.max(...Object.keys(truthBuckets).map((le) => Math.abs((o.exported.buckets[le] ?? 0) - truthBuckets[le]!))),
  };
}

const round = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v.toFixed(3))]));

describe.skipIf(!!env.unavailable)('apply latency against a logged projector (ground truth, real PostgreSQL)', () => {
  // 5 min of events 0-1 s apart; the projector polls every 2-5 s and applies events 3 s old.
  const timeline = projectorTimeline(20261203, DURATION_MS, 3000);
  const results: Record<string, Record<string, number>> = {};

  beforeAll(() => {
    // The scenario has what the brief asks for: intervals with two writes, and with one.
    const perInterval = new Map<number, number>();
    for (const w of timeline.writes)
      perInterval.set(Math.floor((w.at - OFFSET_MS) / INTERVAL_MS), (perInterval.get(Math.floor((w.at - OFFSET_MS) / INTERVAL_MS)) ?? 0) + 1);
    const counts = [...perInterval.values()];
    expect(counts.filter((n) => n >= 2).length).toBeGreaterThan(10);
    expect(counts.filter((n) => n === 1).length).toBeGreaterThan(10);
  });
  afterAll(() => {
    for (const [k, r] of Object.entries(results)) console.log(`apply-latency truth ${k}: ${JSON.stringify(round(r))}`);
  });

  it('Marten (checkpoint write time), one reading per 5 s, no probe: never under, mean over by < 1 s, p95 over by < one interval', async () => {
    const o = await play(marten, timeline, false);
    const r = (results['marten 5s'] = compare(o));
    expect(o.exported.count).toBe(o.truth.length);
    expect(r.events).toBeGreaterThan(500);
    expect(r.meanError).toBeGreaterThan(0); // earlier writes of an interval are hidden: an over-estimate
    expect(r.meanError).toBeLessThan(1);
    // Events of a hidden earlier write are charged the later one: the tail moves up a lot.
    expect(r.reportedP95 - r.trueP95).toBeGreaterThan(0);
    expect(r.reportedP95 - r.trueP95).toBeLessThan(INTERVAL_MS / 1000);
  });

  it('Marten with checkpointProbe 1s: every write seen, exact (sum and every bucket)', async () => {
    const o = await play(marten, timeline, true);
    const r = (results['marten 5s + probe 1s'] = compare(o));
    expect(o.exported.count).toBe(o.truth.length);
    expect(Math.abs(r.meanError)).toBeLessThan(1e-6);
    expect(o.exported.buckets).toEqual(bucketCounts(o.truth));
  });

  it('Emmett (last_updated, 0.43+ checkpoint text): as Marten, over by < 1 s without probe, exact with the 1 s probe', async () => {
    const without = await play(emmett, timeline, false);
    const r0 = (results['emmett 5s'] = compare(without));
    expect(without.exported.count).toBe(without.truth.length);
    expect(r0.meanError).toBeGreaterThan(0);
    expect(r0.meanError).toBeLessThan(1);
    const probed = await play(emmett, timeline, true);
    const r1 = (results['emmett 5s + probe 1s'] = compare(probed));
    expect(Math.abs(r1.meanError)).toBeLessThan(1e-6);
    expect(probed.exported.buckets).toEqual(bucketCounts(probed.truth));
  });

  it('Eventuous (no write time), one reading per 5 s, no probe: never under, mean over by < one interval', async () => {
    const o = await play(eventuous, timeline, false);
    const r = (results['eventuous 5s'] = compare(o));
    expect(o.exported.count).toBe(o.truth.length);
    expect(r.meanError).toBeGreaterThan(0);
    expect(r.meanError).toBeLessThan(INTERVAL_MS / 1000);
  });

  it('Eventuous with checkpointProbe 1s: over by less than the probe period, p95 within one bucket', async () => {
    const o = await play(eventuous, timeline, true);
    const r = (results['eventuous 5s + probe 1s'] = compare(o));
    expect(o.exported.count).toBe(o.truth.length);
    expect(r.meanError).toBeGreaterThan(0);
    expect(r.meanError).toBeLessThan(PROBE_MS / 1000);
    expect(Math.abs(r.reportedP95 - r.trueP95)).toBeLessThanOrEqual(1);
  });

  it('Marten with checkpointProbe 1s and a projector writing every 0.3-1.5 s: over by < 0.5 s on average, p95 within one bucket', async () => {
    const fast = projectorTimeline(20261204, DURATION_MS, 3000, [300, 1500]);
    const o = await play(marten, fast, true);
    const r = (results['marten 5s + probe 1s, writes 0.3-1.5 s apart'] = compare(o));
    expect(o.exported.count).toBe(o.truth.length);
    expect(r.meanError).toBeGreaterThanOrEqual(0);
    expect(r.meanError).toBeLessThan(0.5);
    expect(Math.abs(r.reportedP95 - r.trueP95)).toBeLessThanOrEqual(1);
  });

  it('real time: the scheduler runs cycles every 3 s and probes every 1 s; a projector writing every 1.5 s is measured within 0.5 s', async () => {
    const url = await freshDatabase(env.connectionString, 'marten');
    const c = new pg.Client({ connectionString: url });
    c.on('error', () => undefined);
    await c.connect();
    const registry = new Registry();
    const metrics = createMetrics(registry, { processMetrics: false });
    const logger = pino({ level: 'silent' });
    const store = storeConfig({ name: 'live', preset: 'marten', interval: '3s', projectionList: ['Trip:All'] }, url);
    const source = createSqlSource(store, { metrics, logger, clock: Date.now, board: new SliBoard() });
    expect(source.probe?.interval).toBe(1); // the default
    const scheduler = new Scheduler({ sources: [source], metrics, logger, tracer: noopTracer, clock: Date.now });
    const events: number[] = [];
    const writes: { position: number; at: number }[] = [];
    const start = Date.now();
    scheduler.start();
    try {
      // Events every 200 ms; every 1.5 s the projector applies all of them and logs its write.
      let nextWrite = start + 1500;
      while (Date.now() - start < 10_000) {
        const at = Date.now();
        events.push(at);
        await marten.append(c, [events.length], [at - T0]);
        if (at >= nextWrite) {
          const w = { position: events.length, at: Date.now() };
          await marten.write(c, w.position, w.at - T0);
          writes.push(w);
          nextWrite += 1500;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      await scheduler.stop(5);
      await c.end();
    }
    const labels = { store: 'live', projection: 'Trip:All' };
    const values = (await registry.getSingleMetric('cqrs_projection_checkpoint_position')!.get()).values;
    const seen = values.find((v) => v.labels.projection === 'Trip:All')?.value ?? 0;
    const truth = trueLatencies({ events: events.map((e) => e - start), writes: writes.map((w) => ({ ...w, at: w.at - start })) }, seen);
    const hist = (await registry.getSingleMetric('cqrs_projection_apply_latency_seconds')!.get()).values.filter(
      (v) => v.labels.projection === labels.projection,
    );
    const count = hist.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count'))?.value ?? 0;
    const sum = hist.find((v) => (v as { metricName?: string }).metricName?.endsWith('_sum'))?.value ?? 0;
    const meanError = sum / count - mean(truth);
    console.log(
      `apply-latency truth real time: ${JSON.stringify(round({ events: truth.length, writes: writes.length, trueMean: mean(truth), reportedMean: sum / count, meanError }))}`,
    );
    expect(truth.length).toBeGreaterThan(20);
    expect(count).toBe(truth.length);
    expect(meanError).toBeGreaterThanOrEqual(-1e-6);
    expect(meanError).toBeLessThan(0.5);
  });
});
