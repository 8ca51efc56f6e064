import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at, exec, freshDatabase, harness, storeConfig, ts, type Harness } from './helpers.js';
import { SourceError } from '../../../src/sources/source-error.js';

const env = inject('postgres');
const L = { store: 'orders', projection: 'Trip:All' };
const O = { store: 'orders', projection: 'Other:All' };

describe.skipIf(!!env.unavailable)('Marten preset on PostgreSQL', () => {
  let url: string;
  let h: Harness;

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString, 'marten');
    // Events 1..10, event k written at T0 + k s; the daemon's high water mark is 10.
    await exec(
      url,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
       SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 'trip_started', $1::timestamptz + k * interval '1 second'
       FROM generate_series(1, 10) k`,
      [ts(0)],
    );
    await exec(
      url,
      `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES
         ('HighWaterMark', 10, $1), ('Trip:All', 4, $2), ('Other:All', 10, $1), ('Excluded:All', 1, $1)`,
      [ts(10), ts(4.5)],
    );
    // Two dead letters already there when the monitor starts: depth, not inflow.
    await exec(
      url,
      `INSERT INTO mt_doc_deadletterevent (id, data, mt_last_modified) VALUES
        (gen_random_uuid(), '{"ProjectionName":"Trip:All","ExceptionType":"System.InvalidOperationException","EventSequence":3}', $1),
        (gen_random_uuid(), '{"ProjectionName":"Trip:All","ExceptionType":"System.InvalidOperationException","EventSequence":4}', $2)`,
      [ts(3), ts(4)],
    );
    h = harness(storeConfig({ preset: 'marten', projections: { exclude: ['^Excluded'] }, deadLetters: { preset: 'marten' } }, url));
  });
  afterAll(async () => h?.close());

  it('cycle 1: exact lag, staleness, checkpoint age, status; discovery with exclude', async () => {
    h.setNow(at(20));
    const report = await h.cycle();
    expect(report).toMatchObject({ projections: 2, lagging: 1 });
    expect(await h.value('cqrs_projection_head_position', L)).toBe(10);
    expect(await h.value('cqrs_projection_checkpoint_position', L)).toBe(4);
    expect(await h.value('cqrs_projection_lag_events', L)).toBe(6);
    // first unapplied event is 5, written at T0+5 s; now T0+20 s
    expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(15);
    // last_updated T0+4.5 s
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', L)).toBe(15.5);
    expect(await h.value('cqrs_projection_status', { ...L, status: 'OK' })).toBe(1);
    expect(await h.value('cqrs_projection_lag_events', O)).toBe(0);
    expect(await h.value('cqrs_projection_lag_seconds', O)).toBe(0);
    expect(await h.value('cqrs_projection_lag_events', { store: 'orders', projection: 'Excluded:All' })).toBeUndefined();
    expect(h.board.staleness('projection:orders/Trip:All')).toBe(15);
    // dead letters: depth 2, oldest written at T0+3 s, no inflow counted for the backlog
    expect(await h.value('cqrs_dlq_messages', { dlq: 'orders' })).toBe(2);
    expect(await h.value('cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders' })).toBe(17);
    expect(await h.value('cqrs_dlq_messages_total', { dlq: 'orders' })).toBeUndefined();
  });

  it('cycle 2: checkpoint advance gives exact apply-latency buckets; new dead letter is inflow', async () => {
    // Trip:All applied events 5..8; Marten stamped the write at T0+8.5 s.
    await exec(url, `UPDATE mt_event_progression SET last_seq_id = 8, last_updated = $1 WHERE name = 'Trip:All'`, [ts(8.5)]);
    await exec(
      url,
      `INSERT INTO mt_doc_deadletterevent (id, data, mt_last_modified) VALUES
        (gen_random_uuid(), '{"ProjectionName":"Trip:All","ExceptionType":"System.TimeoutException","EventSequence":7}', $1)`,
      [ts(8)],
    );
    h.setNow(at(25));
    await h.cycle();
    // latencies 8.5-5, 8.5-6, 8.5-7, 8.5-8 = 3.5, 2.5, 1.5, 0.5
    const hist = await h.histogram('cqrs_projection_apply_latency_seconds', L);
    expect(hist.count).toBe(4);
    expect(hist.sum).toBe(8);
    expect(hist.buckets).toMatchObject({ '0.25': 0, '0.5': 1, '1': 1, '2': 2, '3': 3, '4': 4, '5': 4, '10': 4 });
    expect(h.board.takeLatencies('projection:orders/Trip:All')).toEqual([3.5, 2.5, 1.5, 0.5]);
    expect(await h.value('cqrs_projection_lag_events', L)).toBe(2);
    expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(16); // event 9 at T0+9 s
    expect(await h.value('cqrs_dlq_messages', { dlq: 'orders' })).toBe(3);
    expect(await h.value('cqrs_dlq_messages_total', { dlq: 'orders', source: 'Trip:All', reason: 'System.TimeoutException' })).toBe(1);
  });

  it('STALLED after stallAfter without movement, OK again once it moves', async () => {
    h.setNow(at(25 + 121)); // first unapplied event (9) at T0+9 s; checkpoint moved at T0+8.5 s
    await h.cycle();
    expect(await h.value('cqrs_projection_status', { ...L, status: 'STALLED' })).toBe(1);
    expect(await h.value('cqrs_projection_status', { ...L, status: 'OK' })).toBe(0);
    await exec(url, `UPDATE mt_event_progression SET last_seq_id = 10, last_updated = $1 WHERE name = 'Trip:All'`, [ts(150)]);
    h.setNow(at(160));
    await h.cycle();
    expect(await h.value('cqrs_projection_status', { ...L, status: 'OK' })).toBe(1);
    expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(0);
  });

  it('rebuild: progress row deleted (Marten rebuild), then catching up; duration measured', async () => {
    await exec(url, `DELETE FROM mt_event_progression WHERE name = 'Trip:All'`);
    h.setNow(at(170));
    await h.cycle();
    expect(await h.value('cqrs_projection_status', { ...L, status: 'REBUILDING' })).toBe(1);
    expect(await h.value('cqrs_projection_checkpoint_position', L)).toBe(0);
    expect(await h.value('cqrs_projection_rebuild_duration_seconds', L)).toBe(0);
    await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('Trip:All', 6, $1)`, [ts(180)]);
    h.setNow(at(185));
    await h.cycle();
    expect(await h.value('cqrs_projection_status', { ...L, status: 'REBUILDING' })).toBe(1);
    expect(await h.value('cqrs_projection_rebuild_duration_seconds', L)).toBe(15);
    await exec(url, `UPDATE mt_event_progression SET last_seq_id = 10, last_updated = $1 WHERE name = 'Trip:All'`, [ts(195)]);
    h.setNow(at(200));
    await h.cycle();
    expect(await h.value('cqrs_projection_status', { ...L, status: 'OK' })).toBe(1);
    expect(await h.value('cqrs_projection_rebuild_duration_seconds', L)).toBe(30);
    // re-applied events did not enter the histogram
    expect((await h.histogram('cqrs_projection_apply_latency_seconds', L)).count).toBe(6);
  });

  it('clock skew: an event stamped ahead of the monitor gives staleness 0 and is counted', async () => {
    await exec(
      url,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) VALUES (11, gen_random_uuid(), gen_random_uuid(), 1, '{}', 'x', $1)`,
      [ts(400)],
    );
    await exec(url, `UPDATE mt_event_progression SET last_seq_id = 11 WHERE name = 'HighWaterMark'`);
    h.setNow(at(210));
    await h.cycle();
    expect(await h.value('cqrs_projection_lag_events', L)).toBe(1);
    expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(0);
    // Trip:All and Other:All both wait for event 11: two clamped ages
    expect(await h.value('cqrs_clock_skew_detected_total', { source: 'store:orders' })).toBe(2);
  });

  it('clear() removes the gauges (source down never exports 0 lag)', async () => {
    h.source.clear();
    expect(await h.value('cqrs_projection_lag_events', L)).toBeUndefined();
    expect(await h.value('cqrs_projection_status', { ...L, status: 'OK' })).toBeUndefined();
    expect(await h.value('cqrs_dlq_messages', { dlq: 'orders' })).toBeUndefined();
    expect(h.board.staleness('projection:orders/Trip:All')).toBeUndefined();
  });

  it('a missing table is a clear error naming the preset and the table', async () => {
    const empty = await freshDatabase(env.connectionString);
    const e = harness(storeConfig({ preset: 'marten' }, empty));
    try {
      const err = await e.cycle().then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).reason).toBe('missing_table');
      expect((err as Error).message).toContain('preset marten');
      expect((err as Error).message).toContain('public.mt_events');
      expect((err as Error).message).toContain('public.mt_event_progression');
      // recovery: create the tables, the next cycle succeeds without a restart
      await exec(empty, (await import('./helpers.js')).fixture('marten'));
      await expect(e.cycle()).resolves.toMatchObject({ projections: 0 });
    } finally {
      await e.close();
    }
  });
});

describe.skipIf(!!env.unavailable)('Marten extended progress tracking', () => {
  it('a paused shard (pause_reason set) is ERROR; detected from the live columns', async () => {
    const url = await freshDatabase(env.connectionString, 'marten');
    await exec(
      url,
      `ALTER TABLE mt_event_progression ADD COLUMN heartbeat timestamptz, ADD COLUMN agent_status varchar, ADD COLUMN pause_reason varchar, ADD COLUMN running_on_node integer`,
    );
    await exec(
      url,
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp) VALUES (1, gen_random_uuid(), gen_random_uuid(), 1, '{}', 't', $1)`,
      [ts(1)],
    );
    await exec(
      url,
      `INSERT INTO mt_event_progression (name, last_seq_id, last_updated, agent_status, pause_reason) VALUES
        ('HighWaterMark', 1, $1, NULL, NULL), ('Trip:All', 0, $1, 'Paused', 'Error threshold exceeded'), ('Fine:All', 1, $1, 'Running', NULL)`,
      [ts(1)],
    );
    const h = harness(storeConfig({ preset: 'marten' }, url));
    try {
      h.setNow(at(5));
      await h.cycle();
      expect(await h.value('cqrs_projection_status', { store: 'orders', projection: 'Trip:All', status: 'ERROR' })).toBe(1);
      expect(await h.value('cqrs_projection_status', { store: 'orders', projection: 'Fine:All', status: 'OK' })).toBe(1);
    } finally {
      await h.close();
    }
  });
});
