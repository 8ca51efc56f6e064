import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mariadbUnavailable, startMariadb, type MariadbHandle } from '../../env/mariadb.js';
import { at, fixture, harness, type Harness } from './helpers.js';
import { dt, iso, mariaStore } from './mariadb-helpers.js';

// Outside CI a machine without mariadb-server skips with the reason; in CI it fails in beforeAll.
const unavailable = process.env.CI === 'true' ? undefined : mariadbUnavailable();
if (unavailable) console.warn(`[mariadb] skipped: ${unavailable}`);

const gapAwareXml = (index: number) =>
  `<org.axonframework.eventhandling.GapAwareTrackingToken><index>${index}</index><gaps class="java.util.concurrent.ConcurrentSkipListSet"><long>${index - 3}</long></gaps></org.axonframework.eventhandling.GapAwareTrackingToken>`;
const replayXml = (reset: number, current: number) =>
  `<org.axonframework.eventhandling.ReplayToken><tokenAtReset class="org.axonframework.eventhandling.GapAwareTrackingToken"><index>${reset}</index><gaps class="java.util.concurrent.ConcurrentSkipListSet"/></tokenAtReset><currentToken class="org.axonframework.eventhandling.GapAwareTrackingToken"><index>${current}</index><gaps class="java.util.concurrent.ConcurrentSkipListSet"/></currentToken><context class="null"/></org.axonframework.eventhandling.ReplayToken>`;
const GAP = 'org.axonframework.eventhandling.GapAwareTrackingToken';

/** The generic preset's SQL for a plain events + checkpoints layout on MySQL (same `$n` placeholders as on PostgreSQL). */
const GENERIC = {
  projections: `SELECT name AS projection FROM checkpoints ORDER BY name`,
  head: `SELECT id AS position, created AS timestamp FROM events ORDER BY id DESC LIMIT 1`,
  checkpoint: `SELECT position, updated_at FROM checkpoints WHERE name = $1`,
  eventTime: `SELECT created AS timestamp FROM events WHERE id > $1 ORDER BY id LIMIT 1`,
  eventTimes: `SELECT id AS position, created AS timestamp FROM events WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`,
};

describe.skipIf(!!unavailable)('MySQL/MariaDB stores on a real MariaDB', () => {
  let m: MariadbHandle;
  beforeAll(async () => {
    m = await startMariadb();
    console.info(`[mariadb] server ${m.version}`);
  });
  afterAll(async () => m?.stop());

  describe('generic preset', () => {
    let h: Harness;
    const A = { store: 'orders', projection: 'A' };
    const B = { store: 'orders', projection: 'B' };
    beforeAll(async () => {
      await m.exec(`CREATE TABLE events (id bigint PRIMARY KEY, created datetime(3) NOT NULL);
        CREATE TABLE checkpoints (name varchar(100) PRIMARY KEY, position bigint NOT NULL, updated_at datetime(3) NOT NULL);
        CREATE TABLE dead_letters (id bigint PRIMARY KEY AUTO_INCREMENT, handler varchar(100), error varchar(200), failed_at datetime(3) NOT NULL, resolved tinyint NOT NULL DEFAULT 0);`);
      // 20 events, event k written at T0 + k s.
      const rows = Array.from({ length: 20 }, (_, i) => [i + 1, dt(i + 1)]);
      await m.exec(`INSERT INTO events (id, created) VALUES ?`, [rows]);
      await m.exec(`INSERT INTO checkpoints VALUES ('A', 20, ?), ('B', 12, ?)`, [dt(21), dt(15)]);
      await m.exec(`INSERT INTO dead_letters (handler, error, failed_at) VALUES ('B', 'Timeout', ?), ('B', 'Timeout', ?)`, [dt(5), dt(9)]);
      h = harness(
        mariaStore(m, {
          preset: 'generic',
          generic: GENERIC,
          deadLetters: {
            table: 'dead_letters',
            idColumn: 'id',
            sourceColumn: 'handler',
            reasonColumn: 'error',
            timeColumn: 'failed_at',
            resolvedCondition: 'resolved = 1',
            name: 'orders-dlq',
          },
        }),
      );
    });
    afterAll(async () => h?.close());

    it('exact checkpoint, lag, staleness and checkpoint age from the inserted timestamps', async () => {
      h.setNow(at(30));
      const report = await h.cycle();
      expect(report.projections).toBe(2);
      expect(await h.value('cqrs_projection_head_position', B)).toBe(20);
      expect(await h.value('cqrs_projection_checkpoint_position', B)).toBe(12);
      expect(await h.value('cqrs_projection_lag_events', B)).toBe(8);
      expect(await h.value('cqrs_projection_lag_seconds', B)).toBe(17); // first unapplied event 13 at T0+13, now T0+30
      expect(await h.value('cqrs_projection_checkpoint_age_seconds', B)).toBe(15); // updated_at T0+15
      expect(await h.value('cqrs_projection_lag_events', A)).toBe(0);
      expect(await h.value('cqrs_projection_lag_seconds', A)).toBe(0);
      expect(await h.value('cqrs_projection_status', { ...A, status: 'OK' })).toBe(1);
      // Dead letters: depth 2, oldest at T0+5; the backlog at startup is not inflow.
      expect(await h.value('cqrs_dlq_messages', { dlq: 'orders-dlq' })).toBe(2);
      expect(await h.value('cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlq' })).toBe(25);
      expect(await h.value('cqrs_dlq_messages_total', { dlq: 'orders-dlq', source: 'B', reason: 'Timeout' })).toBeUndefined();
    });

    it('checkpoint advance: apply latency of each applied event; new dead letter counted once; resolved rows leave the depth', async () => {
      await m.exec(`UPDATE checkpoints SET position = 16, updated_at = ? WHERE name = 'B'`, [dt(31)]);
      await m.exec(`INSERT INTO dead_letters (handler, error, failed_at) VALUES ('B', 'Boom', ?)`, [dt(31)]);
      await m.exec(`UPDATE dead_letters SET resolved = 1 WHERE failed_at = ?`, [dt(5)]);
      h.setNow(at(32));
      await h.cycle();
      expect(await h.value('cqrs_projection_lag_events', B)).toBe(4);
      expect(await h.value('cqrs_projection_lag_seconds', B)).toBe(15); // event 17 at T0+17
      const lat = await h.histogram('cqrs_projection_apply_latency_seconds', B);
      expect(lat.count).toBe(4); // events 13..16
      expect(lat.sum).toBe(31 - 13 + (31 - 14) + (31 - 15) + (31 - 16)); // charged to the checkpoint write at T0+31
      expect(await h.value('cqrs_dlq_messages', { dlq: 'orders-dlq' })).toBe(2);
      expect(await h.value('cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlq' })).toBe(23);
      expect(await h.value('cqrs_dlq_messages_total', { dlq: 'orders-dlq', source: 'B', reason: 'Boom' })).toBe(1);
      h.setNow(at(34));
      await h.cycle();
      expect(await h.value('cqrs_dlq_messages_total', { dlq: 'orders-dlq', source: 'B', reason: 'Boom' })).toBe(1);
    });

    it('user SQL without a required column: config error naming the statement and the column', async () => {
      const bad = harness(
        mariaStore(m, { preset: 'generic', projectionList: ['A'], generic: { ...GENERIC, checkpoint: `SELECT updated_at FROM checkpoints WHERE name = $1` } }),
      );
      try {
        const err = await bad.cycle().catch((e: unknown) => e as { reason: string; message: string });
        expect(err).toMatchObject({ reason: 'config' });
        expect(err?.message).toContain('generic.checkpoint: must return column position');
      } finally {
        await bad.close();
      }
    });
  });

  describe('axon preset (token_entry with longblob tokens)', () => {
    let h: Harness;
    const O = { store: 'orders', projection: 'OrderProjection' };
    beforeAll(async () => {
      await m.exec(`CREATE DATABASE axon`);
      const a = await m.admin('axon');
      try {
        await a.query(fixture('axon-mysql'));
        const events = Array.from({ length: 50 }, (_, i) => {
          const k = i + 1;
          return [k, `order-${k % 5}`, `e-${k}`, Buffer.from([0]), 'com.example.OrderPlaced', Math.floor(k / 5), iso(k), 'Order'];
        });
        await a.query(
          `INSERT INTO domain_event_entry (global_index, aggregate_identifier, event_identifier, payload, payload_type, sequence_number, time_stamp, type) VALUES ?`,
          [events],
        );
        await a.query(
          `INSERT INTO token_entry (processor_name, segment, owner, timestamp, token, token_type) VALUES
            ('OrderProjection', 0, 'node-1', ?, ?, ?),
            ('OrderProjection', 1, 'node-2', ?, ?, ?),
            ('Notifier', 0, NULL, ?, NULL, NULL),
            ('Replayer', 0, 'node-1', ?, ?, 'org.axonframework.eventhandling.ReplayToken'),
            ('Broken', 0, 'node-1', ?, UNHEX('ACED0005'), ?)`,
          [
            iso(59),
            Buffer.from(gapAwareXml(45)),
            GAP,
            iso(59),
            Buffer.from(JSON.stringify({ index: 40, gaps: [37] })),
            GAP,
            iso(59),
            iso(59),
            Buffer.from(replayXml(50, 10)),
            iso(59),
            GAP,
          ],
        );
        await a.query(
          `INSERT INTO dead_letter_entry (dead_letter_id, cause_message, cause_type, enqueued_at, event_identifier, message_type, payload, payload_type, time_stamp, processing_group, sequence_identifier, sequence_index)
           VALUES ('dl-1', 'boom', 'java.lang.IllegalStateException', ?, 'e-1', 'EventMessage', UNHEX('00'), 'com.example.OrderPlaced', ?, 'OrderProjection', 'order-1', 0)`,
          [dt(30), iso(30)],
        );
        await a.query(`GRANT SELECT ON axon.* TO '${m.user}'@'127.0.0.1'`);
      } finally {
        await a.end();
      }
      h = harness(mariaStore(m, { preset: 'axon', deadLetters: { preset: 'axon', name: 'axon-dlq' } }, { database: 'axon' }));
    });
    afterAll(async () => h?.close());

    it('slowest segment is the checkpoint (XML 45, JSON 40 -> 40); staleness from time_stamp', async () => {
      h.setNow(at(60));
      await h.cycle();
      expect(await h.value('cqrs_projection_head_position', O)).toBe(50);
      expect(await h.value('cqrs_projection_checkpoint_position', O)).toBe(40);
      expect(await h.value('cqrs_projection_lag_events', O)).toBe(10);
      expect(await h.value('cqrs_projection_lag_seconds', O)).toBe(19); // event 41 at T0+41 s
      expect(await h.value('cqrs_projection_status', { ...O, status: 'OK' })).toBe(1);
    });

    it('a null token = nothing processed; ReplayToken = REBUILDING at its current token; undecodable = ERROR', async () => {
      expect(await h.value('cqrs_projection_lag_events', { ...O, projection: 'Notifier' })).toBe(50);
      expect(await h.value('cqrs_projection_lag_seconds', { ...O, projection: 'Notifier' })).toBe(59);
      expect(await h.value('cqrs_projection_checkpoint_position', { ...O, projection: 'Replayer' })).toBe(10);
      expect(await h.value('cqrs_projection_status', { ...O, projection: 'Replayer', status: 'REBUILDING' })).toBe(1);
      expect(await h.value('cqrs_projection_status', { ...O, projection: 'Broken', status: 'ERROR' })).toBe(1);
    });

    it('segments advance: apply latency sampled from domain_event_entry; dead_letter_entry depth, age, inflow', async () => {
      const a = await m.admin('axon');
      try {
        await a.query(`UPDATE token_entry SET token = ? WHERE processor_name = 'OrderProjection'`, [Buffer.from(gapAwareXml(48))]);
        await a.query(`UPDATE token_entry SET token = ?, token_type = ? WHERE processor_name = 'Replayer'`, [Buffer.from(gapAwareXml(50)), GAP]);
        await a.query(
          `INSERT INTO dead_letter_entry (dead_letter_id, cause_message, cause_type, enqueued_at, event_identifier, message_type, payload, payload_type, time_stamp, processing_group, sequence_identifier, sequence_index)
           VALUES ('dl-2', 'again', 'java.lang.IllegalArgumentException', ?, 'e-2', 'EventMessage', UNHEX('00'), 'com.example.OrderPlaced', ?, 'OrderProjection', 'order-2', 0)`,
          [dt(70), iso(70)],
        );
      } finally {
        await a.end();
      }
      h.setNow(at(75));
      await h.cycle();
      expect(await h.value('cqrs_projection_checkpoint_position', O)).toBe(48);
      expect(await h.value('cqrs_projection_lag_seconds', O)).toBe(26); // event 49 at T0+49
      const lat = await h.histogram('cqrs_projection_apply_latency_seconds', O);
      expect(lat.count).toBe(8); // events 41..48, no store write time: charged to the cycle at T0+75
      expect(lat.sum).toBe([41, 42, 43, 44, 45, 46, 47, 48].reduce((s, k) => s + 75 - k, 0));
      expect(await h.value('cqrs_projection_status', { ...O, projection: 'Replayer', status: 'OK' })).toBe(1);
      expect(await h.value('cqrs_projection_rebuild_duration_seconds', { ...O, projection: 'Replayer' })).toBe(15);
      expect(await h.value('cqrs_dlq_messages', { dlq: 'axon-dlq' })).toBe(2);
      expect(await h.value('cqrs_dlq_oldest_message_age_seconds', { dlq: 'axon-dlq' })).toBe(45);
      expect(await h.value('cqrs_dlq_messages_total', { dlq: 'axon-dlq', source: 'OrderProjection', reason: 'java.lang.IllegalArgumentException' })).toBe(1);
    });

    it('checkpoint probe between cycles: each event is charged to the first token write that covered it', async () => {
      const setToken = async (index: number) => {
        const a = await m.admin('axon');
        try {
          await a.query(`UPDATE token_entry SET token = ? WHERE processor_name = 'OrderProjection'`, [Buffer.from(gapAwareXml(index))]);
        } finally {
          await a.end();
        }
      };
      const before = await h.histogram('cqrs_projection_apply_latency_seconds', O);
      expect(h.source.probe?.interval).toBe(1); // default for framework presets
      await setToken(49);
      h.setNow(at(80));
      await h.source.probe!.run(new AbortController().signal); // sees 49 at T0+80
      await setToken(50);
      h.setNow(at(90));
      await h.cycle(); // sees 50 at T0+90
      const after = await h.histogram('cqrs_projection_apply_latency_seconds', O);
      expect(after.count - before.count).toBe(2);
      expect(after.sum - before.sum).toBe(80 - 49 + (90 - 50)); // without the probe: (90-49)+(90-50)
    });

    it('tables missing (wrong database): reason missing_table naming the tables', async () => {
      const wrong = harness(mariaStore(m, { preset: 'axon' }));
      try {
        const err = await wrong.cycle().catch((e: unknown) => e as { reason: string; message: string });
        expect(err).toMatchObject({ reason: 'missing_table' });
        expect(err?.message).toContain('preset axon needs tables domain_event_entry, token_entry');
      } finally {
        await wrong.close();
      }
    });
  });
});
