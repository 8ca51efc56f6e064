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
import { createSqlStreamSources, type SqlStreamSource } from '../../../src/sources/sql-stream/index.js';
import { seriesValue } from '../../helpers/deps.js';
import { T0, exec, fixture, freshDatabase, ts } from './helpers.js';

const env = inject('postgres');
const S = { stream: 'events' };
let envSeq = 0;

/**
 * A SQL stream (and its SLOs) from a real configuration file, run through the real scheduler
 * on a clock the test sets.
 */
function pipeline(url: string, store: string, stream: string, slos = '') {
  const ref = `CQRS_TEST_SQLSTREAM_${process.pid}_${++envSeq}`;
  process.env[ref] = url;
  const config = parseConfig(
    `stores:\n  - { name: orders, connection: { connectionString: "env:${ref}" }, statementTimeout: 2s, ${store} }\nstreams:\n  - { kind: sql, name: events, store: orders, ${stream} }\n${slos}`,
    'test.yaml',
  );
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  const logger = pino({ level: 'silent' });
  let now = T0;
  const deps = { metrics, logger, clock: () => now, board: new SliBoard() };
  const [source] = createSqlStreamSources(config, deps) as SqlStreamSource[];
  const sloSources = createSloSources(config, deps);
  const scheduler = new Scheduler({ sources: [source!, ...sloSources], metrics, logger, tracer: trace.getTracer('test'), clock: deps.clock });
  return {
    source: source!,
    registry,
    setNow: (ms: number) => {
      now = ms;
    },
    /** One cycle of the stream, then of every SLO; returns the stream's state. */
    async tick() {
      const s = await scheduler.runOnce(source!.name);
      for (const slo of sloSources) await scheduler.runOnce(slo.name);
      return s;
    },
    v: (name: string, labels: Record<string, string> = S) => seriesValue(registry, name, labels),
    async counts() {
      const get = async (n: string) => (await seriesValue(registry, `cqrs_events_${n}_total`, S)) ?? NaN;
      return {
        observed: await get('observed'),
        duplicate: await get('duplicate'),
        gap: await get('gap'),
        outOfOrder: await get('out_of_order'),
        skipped: await get('positions_skipped'),
      };
    },
    close: () => source!.close(),
  };
}

/** Marten rows (seq_id, event id, stream, version), written at T0 + seq seconds. */
async function martenEvents(url: string, rows: [number, string, string, number][]): Promise<void> {
  for (const [seq, id, stream, version] of rows) {
    await exec(url, `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) VALUES ($1, $2::uuid, $3::uuid, $4, '{}', 't', $5)`, [
      seq,
      uuid(id),
      uuid(stream),
      version,
      ts(seq),
    ]);
  }
}
const uuid = (s: string) => `00000000-0000-0000-0000-${s.padStart(12, '0')}`;

const OUTBOX = `CREATE TABLE outbox (
  position bigserial PRIMARY KEY, id text NOT NULL, aggregate_id text, version int,
  occurred_at timestamptz, recorded_at timestamptz NOT NULL DEFAULT now())`;
const OUTBOX_LAYOUT = `outbox: { table: outbox, position: position, eventId: id, aggregateId: aggregate_id, version: version, occurredAt: occurred_at, recordedAt: recorded_at }`;

async function outboxRows(url: string, n: number, from = 1): Promise<void> {
  await exec(url, `INSERT INTO outbox (id, aggregate_id, version) SELECT 'e' || k, 'a' || k, 1 FROM generate_series($1::int, $2::int) k`, [from, from + n - 1]);
}

describe.skipIf(!!env.unavailable)('SQL streams on PostgreSQL', () => {
  it('Marten: duplicates, gaps and out-of-order versions counted exactly; a duplicates SLO moves by the same numbers', async () => {
    const url = await freshDatabase(env.connectionString, 'marten');
    await martenEvents(url, [
      [1, 'e1', 'a', 1],
      [2, 'e2', 'a', 2],
      [3, 'e2', 'b', 1], // duplicate id
      [4, 'e4', 'a', 4], // a: 2 -> 4, one missing version
      [5, 'e5', 'a', 3], // a: 3 after 4, out of order
      [6, 'e6', 'b', 2],
      [7, 'e1', 'c', 1], // duplicate id
    ]);
    const p = pipeline(
      url,
      'preset: marten',
      'startFrom: beginning',
      `slos:\n  - { name: no-dupes, objective: 99, sli: { kind: duplicates, stream: events } }\n  - { name: complete, objective: 99, sli: { kind: completeness, stream: events } }`,
    );
    try {
      const st = await p.tick();
      expect(st.lastError?.message).toBeUndefined();
      expect(st.up).toBe(true);
      expect(await p.v('cqrs_source_up', { source: 'stream:events' })).toBe(1);
      expect(await p.counts()).toEqual({ observed: 7, duplicate: 2, gap: 1, outOfOrder: 1, skipped: 0 });
      // Marten keeps no occurred-at: no publish delay is made up
      expect(await p.v('cqrs_event_publish_delay_seconds_count')).toBe(0);
      expect(await p.v('cqrs_slo_total', { slo: 'no-dupes' })).toBe(7);
      expect(await p.v('cqrs_slo_good_total', { slo: 'no-dupes' })).toBe(5);
      // completeness: 7 versioned events + 1 missing version, the missing one bad
      expect(await p.v('cqrs_slo_total', { slo: 'complete' })).toBe(8);
      expect(await p.v('cqrs_slo_good_total', { slo: 'complete' })).toBe(7);

      // next rows: one more duplicate and one more gap, counted once each; nothing re-counted
      await martenEvents(url, [
        [8, 'e4', 'd', 1],
        [9, 'e9', 'b', 5],
      ]);
      p.setNow(T0 + 15_000);
      await p.tick();
      expect(await p.counts()).toEqual({ observed: 9, duplicate: 3, gap: 3, outOfOrder: 1, skipped: 0 });
      expect(await p.v('cqrs_slo_total', { slo: 'no-dupes' })).toBe(9);
      expect(await p.v('cqrs_slo_good_total', { slo: 'no-dupes' })).toBe(6);
      expect(await p.v('cqrs_slo_total', { slo: 'complete' })).toBe(9 + 3);
      expect(await p.v('cqrs_slo_good_total', { slo: 'complete' })).toBe(9);
      p.setNow(T0 + 30_000);
      await p.tick();
      expect((await p.counts()).observed).toBe(9);
      expect(await p.v('cqrs_slo_total', { slo: 'no-dupes' })).toBe(9);
    } finally {
      await p.close();
    }
  });

  it("Marten: a hole at or below the daemon's HighWaterMark is final at once; above it, it is waited for", async () => {
    const url = await freshDatabase(env.connectionString, 'marten');
    await martenEvents(url, [
      [1, 'e1', 'a', 1],
      [2, 'e2', 'a', 2],
      [4, 'e4', 'a', 3],
      [6, 'e6', 'a', 4],
    ]);
    await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id) VALUES ('HighWaterMark', 4)`);
    const p = pipeline(url, 'preset: marten', 'startFrom: beginning, settle: 1h');
    try {
      // 3 lies below the mark: skipped; 5 above it: waited for (settle 1h)
      expect((await p.tick()).lastReport).toMatchObject({ records: 3, position: 4, positionsSkipped: 1 });
      expect(await p.counts()).toEqual({ observed: 3, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 1 });
      await exec(url, `UPDATE mt_event_progression SET last_seq_id = 6 WHERE name = 'HighWaterMark'`);
      expect((await p.tick()).lastReport).toMatchObject({ records: 1, position: 6, positionsSkipped: 1 });
      expect(await p.counts()).toEqual({ observed: 4, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 2 });
    } finally {
      await p.close();
    }
  });

  it('startFrom end: rows already in the table are not counted', async () => {
    const url = await freshDatabase(env.connectionString, 'marten');
    await martenEvents(url, [
      [1, 'e1', 'a', 1],
      [2, 'e1', 'a', 2],
    ]);
    const p = pipeline(url, 'preset: marten', 'startFrom: end');
    try {
      await p.tick();
      expect(await p.counts()).toEqual({ observed: 0, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 0 });
      await martenEvents(url, [[3, 'e3', 'a', 3]]);
      await p.tick();
      expect(await p.counts()).toEqual({ observed: 1, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 0 });
    } finally {
      await p.close();
    }
  });

  it('outbox layout: publish delay = recorded_at - occurred_at, only where both exist', async () => {
    const url = await freshDatabase(env.connectionString);
    await exec(url, OUTBOX);
    await exec(
      url,
      `INSERT INTO outbox (id, aggregate_id, version, occurred_at, recorded_at) VALUES
        ('x1', 'o1', 1, $1, $2), ('x2', 'o1', 2, $1, $3), ('x3', 'o1', 3, NULL, $3)`,
      [ts(0), ts(2), ts(0.5)],
    );
    const p = pipeline(
      url,
      'preset: generic, generic: { head: "SELECT 1", checkpoint: "SELECT 1", eventTime: "SELECT 1" }',
      `startFrom: beginning, ${OUTBOX_LAYOUT}`,
    );
    try {
      await p.tick();
      expect(await p.counts()).toEqual({ observed: 3, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 0 });
      expect(await p.v('cqrs_event_publish_delay_seconds_count')).toBe(2);
      expect(await p.v('cqrs_event_publish_delay_seconds_sum')).toBe(2.5);
    } finally {
      await p.close();
    }
  });

  it('bounded reads: a backlog of 12 rows with batchSize 5 and maxRowsPerCycle 7 is drained over two cycles, counts exact', async () => {
    const url = await freshDatabase(env.connectionString);
    await exec(url, OUTBOX);
    await outboxRows(url, 12);
    await exec(url, `INSERT INTO outbox (id, aggregate_id, version) VALUES ('e3', 'a3', 2)`); // 13: a duplicate id
    const p = pipeline(
      url,
      'preset: generic, generic: { head: "SELECT 1", checkpoint: "SELECT 1", eventTime: "SELECT 1" }',
      `startFrom: beginning, batchSize: 5, maxRowsPerCycle: 7, ${OUTBOX_LAYOUT}`,
    );
    try {
      const s1 = await p.tick();
      expect(s1.lastReport).toMatchObject({ records: 7, batches: 2, position: 7 });
      expect((await p.counts()).observed).toBe(7);
      const s2 = await p.tick();
      expect(s2.lastReport).toMatchObject({ records: 6, batches: 2, position: 13 });
      expect(await p.counts()).toEqual({ observed: 13, duplicate: 1, gap: 0, outOfOrder: 0, skipped: 0 });
      const s3 = await p.tick();
      expect(s3.lastReport).toMatchObject({ records: 0, batches: 1 });
      expect((await p.counts()).observed).toBe(13);
    } finally {
      await p.close();
    }
  });

  it('an aborted cycle (timeout, shutdown) stops between batches; what it handed over stays counted, no gauge comes back', async () => {
    const url = await freshDatabase(env.connectionString);
    await exec(url, OUTBOX);
    await outboxRows(url, 12);
    const p = pipeline(
      url,
      'preset: generic, generic: { head: "SELECT 1", checkpoint: "SELECT 1", eventTime: "SELECT 1" }',
      `startFrom: beginning, batchSize: 5, ${OUTBOX_LAYOUT}`,
    );
    try {
      const ac = new AbortController();
      ac.abort();
      const logger = pino({ level: 'silent' });
      const report = await p.source.collect({ signal: ac.signal, clock: () => T0, startedAt: T0, logger, span: (_n, fn) => fn() });
      expect(report).toMatchObject({ records: 5, batches: 1, position: 5 });
      expect((await p.counts()).observed).toBe(5);
      expect(await p.v('cqrs_events_tracked_aggregates')).toBeUndefined();
      expect((await p.tick()).lastReport).toMatchObject({ records: 7, position: 12 });
      expect((await p.counts()).observed).toBe(12);
      expect(await p.v('cqrs_events_tracked_aggregates')).toBe(12);
    } finally {
      await p.close();
    }
  });

  it('positions committed out of order: the hole is waited for, then read in order; a rolled-back hole is given up after settle', async () => {
    const url = await freshDatabase(env.connectionString);
    await exec(url, OUTBOX);
    await outboxRows(url, 1); // position 1
    const p = pipeline(
      url,
      'preset: generic, generic: { head: "SELECT 1", checkpoint: "SELECT 1", eventTime: "SELECT 1" }',
      `startFrom: end, settle: 5s, ${OUTBOX_LAYOUT}`,
    );
    const slow = new pg.Client({ connectionString: url });
    slow.on('error', () => undefined);
    await slow.connect();
    try {
      await p.tick(); // starts at the end: position 1
      // a transaction takes position 2 and stays open; another takes 3 and 4 and commits
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO outbox (id, aggregate_id, version) VALUES ('e2', 'a', 1)`);
      await outboxRows(url, 2, 3);
      expect((await exec(url, 'SELECT array_agg(position ORDER BY position) AS p FROM outbox')).rows[0].p).toEqual(['1', '3', '4']);
      p.setNow(T0 + 1000);
      expect((await p.tick()).lastReport).toMatchObject({ records: 0, position: 1 });
      p.setNow(T0 + 4000);
      expect((await p.tick()).lastReport).toMatchObject({ records: 0, position: 1 });
      await slow.query('COMMIT'); // position 2 becomes visible after 3 and 4
      p.setNow(T0 + 5000);
      expect((await p.tick()).lastReport).toMatchObject({ records: 3, position: 4 });
      expect(await p.counts()).toEqual({ observed: 3, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 0 });

      // position 5 rolled back: a hole that never fills
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO outbox (id, aggregate_id, version) VALUES ('e5', 'b', 1)`);
      await slow.query('ROLLBACK');
      await outboxRows(url, 1, 6);
      p.setNow(T0 + 10_000);
      expect((await p.tick()).lastReport).toMatchObject({ records: 0, position: 4 });
      p.setNow(T0 + 14_999);
      expect((await p.tick()).lastReport).toMatchObject({ records: 0, position: 4 });
      p.setNow(T0 + 15_000);
      expect((await p.tick()).lastReport).toMatchObject({ records: 1, position: 6, positionsSkipped: 1 });
      expect(await p.counts()).toEqual({ observed: 4, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 1 });
    } finally {
      await slow.end().catch(() => undefined);
      await p.close();
    }
  });

  it('generic query: columns by name; a query without event_id fails with reason config, naming the stream', async () => {
    const url = await freshDatabase(env.connectionString);
    await exec(url, OUTBOX);
    await outboxRows(url, 3);
    await exec(url, `INSERT INTO outbox (id, aggregate_id, version) VALUES ('e1', 'a1', 3)`); // duplicate id, version gap 1 -> 3
    const generic = 'preset: generic, generic: { head: "SELECT 1", checkpoint: "SELECT 1", eventTime: "SELECT 1" }';
    const good = pipeline(
      url,
      generic,
      `startFrom: beginning, query: "SELECT position, id AS event_id, aggregate_id, version, NULL AS occurred_at, recorded_at FROM outbox WHERE position > $1 ORDER BY position LIMIT $2"`,
    );
    const bad = pipeline(url, generic, `query: "SELECT position, id FROM outbox WHERE position > $1 ORDER BY position LIMIT $2"`);
    try {
      await good.tick();
      expect(await good.counts()).toEqual({ observed: 4, duplicate: 1, gap: 1, outOfOrder: 0, skipped: 0 });
      const st = await bad.tick();
      expect(st.up).toBe(false);
      expect(st.lastError).toMatchObject({ reason: 'config' });
      expect(st.lastError?.message).toContain('stream "events"');
      expect(st.lastError?.message).toContain('event_id');
      expect(await bad.v('cqrs_source_up', { source: 'stream:events' })).toBe(0);
    } finally {
      await good.close();
      await bad.close();
    }
  });

  it('Emmett, Eventuous and Axon presets: the same counts from their own tables', async () => {
    const emmett = await freshDatabase(env.connectionString, 'emmett');
    await exec(
      emmett,
      `INSERT INTO emt_messages (stream_position, transaction_id, stream_id, message_schema_version, message_id, message_type, message_data, message_metadata)
       VALUES (1, pg_current_xact_id(), 's1', '1', 'm1', 't', '{}', '{}'), (3, pg_current_xact_id(), 's1', '1', 'm2', 't', '{}', '{}'),
              (1, pg_current_xact_id(), 's2', '1', 'm1', 't', '{}', '{}')`,
    );
    const eventuous = await freshDatabase(env.connectionString, 'eventuous');
    await exec(eventuous, `INSERT INTO eventuous.streams (stream_name, version) VALUES ('s1', 2), ('s2', 0)`);
    await exec(
      eventuous,
      `INSERT INTO eventuous.messages (message_id, message_type, stream_id, stream_position, json_data, created) VALUES
        ('00000000-0000-0000-0000-000000000001', 't', 1, 0, '{}', now()), ('00000000-0000-0000-0000-000000000002', 't', 1, 2, '{}', now()),
        ('00000000-0000-0000-0000-000000000001', 't', 2, 0, '{}', now())`,
    );
    const axon = await freshDatabase(env.connectionString, 'axon');
    await exec(
      axon,
      `INSERT INTO domain_event_entry (global_index, aggregate_identifier, event_identifier, payload, payload_type, sequence_number, time_stamp) VALUES
        (1, 'a1', 'x1', '\\x00', 't', 0, $1), (2, 'a1', 'x2', '\\x00', 't', 2, $1), (3, 'a2', 'x3', '\\x00', 't', 0, $1)`,
      [ts(0)],
    );
    for (const [url, preset] of [
      [emmett, 'emmett'],
      [eventuous, 'eventuous'],
      [axon, 'axon'],
    ] as const) {
      const p = pipeline(url, `preset: ${preset}`, 'startFrom: beginning');
      try {
        expect((await p.tick()).up, preset).toBe(true);
        // three events, one version skipped; Emmett and Eventuous repeat an id, Axon's ids are unique
        expect(await p.counts(), preset).toEqual({ observed: 3, duplicate: preset === 'axon' ? 0 : 1, gap: 1, outOfOrder: 0, skipped: 0 });
      } finally {
        await p.close();
      }
    }
  });

  describe('database restarted mid-run', () => {
    let pgh: PostgresHandle;
    beforeAll(async () => {
      pgh = await startPostgres({ database: 'sqlstream', settings: { synchronous_commit: 'on' } });
      await exec(pgh.connectionString, fixture('marten'));
    });
    afterAll(async () => pgh?.stop());

    it('a failed read reports up 0 and no made-up values; after the restart the tail resumes without double counting', async () => {
      const url = pgh.connectionString;
      await martenEvents(url, [
        [1, 'e1', 'a', 1],
        [2, 'e2', 'a', 2],
        [3, 'e3', 'a', 3],
      ]);
      const p = pipeline(url, 'preset: marten', 'startFrom: beginning');
      try {
        expect((await p.tick()).up).toBe(true);
        expect(await p.counts()).toEqual({ observed: 3, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 0 });
        expect(await p.v('cqrs_events_tracked_aggregates')).toBe(1);

        await pgh.kill();
        const down = await p.tick();
        expect(down.up).toBe(false);
        expect(down.lastError).toMatchObject({ reason: 'unreachable' });
        expect(await p.v('cqrs_source_up', { source: 'stream:events' })).toBe(0);
        // gauges removed, counters kept as they were
        expect(await p.v('cqrs_events_tracked_aggregates')).toBeUndefined();
        expect(await p.counts()).toEqual({ observed: 3, duplicate: 0, gap: 0, outOfOrder: 0, skipped: 0 });

        await pgh.restart();
        // one duplicate of a row read before the outage, one version gap
        await martenEvents(url, [
          [4, 'e2', 'b', 1],
          [5, 'e5', 'a', 5],
        ]);
        const up = await p.tick();
        expect(up.up).toBe(true);
        expect(up.lastReport).toMatchObject({ records: 2, position: 5 });
        expect(await p.counts()).toEqual({ observed: 5, duplicate: 1, gap: 1, outOfOrder: 0, skipped: 0 });
        expect(await p.v('cqrs_source_up', { source: 'stream:events' })).toBe(1);
      } finally {
        await p.close();
      }
    });
  });
});
