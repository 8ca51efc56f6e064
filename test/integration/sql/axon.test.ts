import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at, exec, freshDatabase, harness, storeConfig, ts, type Harness } from './helpers.js';

const env = inject('postgres');

const gapAwareXml = (index: number) =>
  `<org.axonframework.eventhandling.GapAwareTrackingToken><index>${index}</index><gaps class="java.util.concurrent.ConcurrentSkipListSet"><long>${index - 3}</long></gaps></org.axonframework.eventhandling.GapAwareTrackingToken>`;
const replayXml = (reset: number, current: number) =>
  `<org.axonframework.eventhandling.ReplayToken><tokenAtReset class="org.axonframework.eventhandling.GapAwareTrackingToken"><index>${reset}</index><gaps class="java.util.concurrent.ConcurrentSkipListSet"/></tokenAtReset><currentToken class="org.axonframework.eventhandling.GapAwareTrackingToken"><index>${current}</index><gaps class="java.util.concurrent.ConcurrentSkipListSet"/></currentToken><context class="null"/></org.axonframework.eventhandling.ReplayToken>`;
const GAP = 'org.axonframework.eventhandling.GapAwareTrackingToken';

async function seedEvents(url: string): Promise<void> {
  // 50 events, global_index k written at T0 + k s; time_stamp is an ISO-8601 string in Axon.
  await exec(
    url,
    `INSERT INTO domain_event_entry (global_index, aggregate_identifier, event_identifier, payload, payload_type, sequence_number, time_stamp, type)
     SELECT k, 'order-' || (k % 5), gen_random_uuid()::text, '\\x00'::bytea, 'com.example.OrderPlaced', k / 5,
            to_char(($1::timestamptz + k * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'Order'
     FROM generate_series(1, 50) k`,
    [ts(0)],
  );
}

describe.skipIf(!!env.unavailable)('Axon preset on PostgreSQL (bytea tokens)', () => {
  let url: string;
  let h: Harness;
  const O = { store: 'orders', projection: 'OrderProjection' };

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString, 'axon');
    await seedEvents(url);
    await exec(
      url,
      `INSERT INTO token_entry (processor_name, segment, owner, timestamp, token, token_type) VALUES
        ('OrderProjection', 0, 'node-1', $1, convert_to($2, 'UTF8'), $4),
        ('OrderProjection', 1, 'node-2', $1, convert_to($3, 'UTF8'), $4),
        ('Notifier', 0, NULL, $1, NULL, NULL),
        ('Replayer', 0, 'node-1', $1, convert_to($5, 'UTF8'), 'org.axonframework.eventhandling.ReplayToken'),
        ('Broken', 0, 'node-1', $1, '\\xaced0005'::bytea, 'org.axonframework.eventhandling.GapAwareTrackingToken')`,
      [ts(59), gapAwareXml(45), JSON.stringify({ index: 40, gaps: [37] }), GAP, replayXml(50, 10)],
    );
    await exec(
      url,
      `INSERT INTO dead_letter_entry (dead_letter_id, cause_message, cause_type, enqueued_at, event_identifier, message_type, payload, payload_type, time_stamp, processing_group, sequence_identifier, sequence_index)
       VALUES ('dl-1', 'boom', 'java.lang.IllegalStateException', $1::timestamptz, 'e-1', 'EventMessage', '\\x00', 'com.example.OrderPlaced', $1::text, 'OrderProjection', 'order-1', 0)`,
      [ts(30)],
    );
    h = harness(storeConfig({ preset: 'axon', deadLetters: { preset: 'axon', name: 'axon-dlq' } }, url));
  });
  afterAll(async () => h?.close());

  it('slowest segment is the checkpoint (XML 45, JSON 40 -> 40)', async () => {
    h.setNow(at(60));
    await h.cycle();
    expect(await h.value('cqrs_projection_checkpoint_position', O)).toBe(40);
    expect(await h.value('cqrs_projection_lag_events', O)).toBe(10);
    expect(await h.value('cqrs_projection_lag_seconds', O)).toBe(19); // event 41 at T0+41 s
    expect(await h.value('cqrs_projection_status', { ...O, status: 'OK' })).toBe(1);
  });

  it('a null token = nothing processed; ReplayToken = REBUILDING at its current token; undecodable = ERROR', async () => {
    expect(await h.value('cqrs_projection_lag_events', { ...O, projection: 'Notifier' })).toBe(50);
    expect(await h.value('cqrs_projection_checkpoint_position', { ...O, projection: 'Replayer' })).toBe(10);
    expect(await h.value('cqrs_projection_status', { ...O, projection: 'Replayer', status: 'REBUILDING' })).toBe(1);
    expect(await h.value('cqrs_projection_status', { ...O, projection: 'Broken', status: 'ERROR' })).toBe(1);
  });

  it('replay finishes: rebuild duration; dead_letter_entry gives depth, age and inflow', async () => {
    await exec(url, `UPDATE token_entry SET token = convert_to($1, 'UTF8'), token_type = $2 WHERE processor_name = 'Replayer'`, [gapAwareXml(50), GAP]);
    await exec(
      url,
      `INSERT INTO dead_letter_entry (dead_letter_id, cause_message, cause_type, enqueued_at, event_identifier, message_type, payload, payload_type, time_stamp, processing_group, sequence_identifier, sequence_index)
       VALUES ('dl-2', 'again', 'java.lang.IllegalArgumentException', $1::timestamptz, 'e-2', 'EventMessage', '\\x00', 'com.example.OrderPlaced', $1::text, 'OrderProjection', 'order-2', 0)`,
      [ts(70)],
    );
    h.setNow(at(75));
    await h.cycle();
    expect(await h.value('cqrs_projection_status', { ...O, projection: 'Replayer', status: 'OK' })).toBe(1);
    expect(await h.value('cqrs_projection_rebuild_duration_seconds', { ...O, projection: 'Replayer' })).toBe(15);
    expect(await h.value('cqrs_dlq_messages', { dlq: 'axon-dlq' })).toBe(2);
    expect(await h.value('cqrs_dlq_oldest_message_age_seconds', { dlq: 'axon-dlq' })).toBe(45);
    expect(await h.value('cqrs_dlq_messages_total', { dlq: 'axon-dlq', source: 'OrderProjection', reason: 'java.lang.IllegalArgumentException' })).toBe(1);
    expect(await h.value('cqrs_dlq_messages_total', { dlq: 'axon-dlq', source: 'OrderProjection', reason: 'java.lang.IllegalStateException' })).toBeUndefined();
  });
});

describe.skipIf(!!env.unavailable)('Axon preset on PostgreSQL (oid large-object tokens)', () => {
  it('reads tokens through lo_get', async () => {
    const url = await freshDatabase(env.connectionString, 'axon-oid');
    await seedEvents(url);
    await exec(
      url,
      `INSERT INTO token_entry (processor_name, segment, timestamp, token, token_type)
       VALUES ('OrderProjection', 0, $1, lo_from_bytea(0, convert_to($2, 'UTF8')), $3)`,
      [ts(0), gapAwareXml(47), GAP],
    );
    const h = harness(storeConfig({ preset: 'axon' }, url));
    try {
      h.setNow(at(60));
      await h.cycle();
      expect(await h.value('cqrs_projection_checkpoint_position', { store: 'orders', projection: 'OrderProjection' })).toBe(47);
      expect(await h.value('cqrs_projection_lag_seconds', { store: 'orders', projection: 'OrderProjection' })).toBe(12);
    } finally {
      await h.close();
    }
  });
});
