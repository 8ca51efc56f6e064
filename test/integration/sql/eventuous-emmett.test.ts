import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { at, exec, freshDatabase, harness, storeConfig, ts, type Harness } from './helpers.js';

const env = inject('postgres');

describe.skipIf(!!env.unavailable)('Eventuous preset on PostgreSQL', () => {
  let url: string;
  let h: Harness;
  const P = { store: 'orders', projection: 'BookingsProjections' };

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString, 'eventuous');
    await exec(url, `INSERT INTO eventuous.streams (stream_name, version) VALUES ('Booking-1', 19)`);
    // 20 messages; message k created at T0 + k s, stored as UTC timestamp without time zone.
    await exec(
      url,
      `INSERT INTO eventuous.messages (message_id, message_type, stream_id, stream_position, json_data, created)
       SELECT gen_random_uuid(), 'RoomBooked', 1, k - 1, '{}'::jsonb, ($1::timestamptz + k * interval '1 second') AT TIME ZONE 'UTC'
       FROM generate_series(1, 20) k`,
      [ts(0)],
    );
    await exec(url, `INSERT INTO eventuous.checkpoints (id, position) VALUES ('BookingsProjections', 12), ('PaymentsIntegration', 20), ('NotStarted', NULL)`);
    h = harness(storeConfig({ preset: 'eventuous' }, url));
  });
  afterAll(async () => h?.close());

  it('lag and staleness from global_position; NULL position = nothing applied', async () => {
    h.setNow(at(40));
    await h.cycle();
    expect(await h.value('cqrs_projection_lag_events', P)).toBe(8);
    expect(await h.value('cqrs_projection_lag_seconds', P)).toBe(27); // message 13 at T0+13 s
    expect(await h.value('cqrs_projection_lag_events', { ...P, projection: 'PaymentsIntegration' })).toBe(0);
    expect(await h.value('cqrs_projection_lag_events', { ...P, projection: 'NotStarted' })).toBe(20);
    expect(await h.value('cqrs_projection_lag_seconds', { ...P, projection: 'NotStarted' })).toBe(39);
    // no checkpoint time in Eventuous: age counts from the monitor's first sight
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', P)).toBe(0);
  });

  it('advance: latency measured to the reading time (no store checkpoint time)', async () => {
    await exec(url, `UPDATE eventuous.checkpoints SET position = 15 WHERE id = 'BookingsProjections'`);
    h.setNow(at(45));
    await h.cycle();
    // events 13, 14, 15 applied by T0+45 s at the latest: 32, 31, 30 s
    const hist = await h.histogram('cqrs_projection_apply_latency_seconds', P);
    expect(hist).toMatchObject({ count: 3, sum: 93 });
    expect(hist.buckets).toMatchObject({ '10': 0, '30': 1, '60': 3 });
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', P)).toBe(0);
    h.setNow(at(50));
    await h.cycle();
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', P)).toBe(5);
  });

  it('OK -> LAGGING while new messages outpace the checkpoint -> OK when caught up', async () => {
    const add = (n: number, t: number) =>
      exec(
        url,
        `INSERT INTO eventuous.messages (message_id, message_type, stream_id, stream_position, json_data, created)
         SELECT gen_random_uuid(), 'RoomBooked', 1, (SELECT max(stream_position) FROM eventuous.messages) + k, '{}'::jsonb, $2::timestamptz AT TIME ZONE 'UTC'
         FROM generate_series(1, $1::int) k`,
        [n, ts(t)],
      );
    const status = async () => {
      for (const s of ['OK', 'LAGGING', 'STALLED', 'REBUILDING', 'ERROR']) if ((await h.value('cqrs_projection_status', { ...P, status: s })) === 1) return s;
      return undefined;
    };
    const seen: (string | undefined)[] = [];
    // lag 5 at T0+50 s; then +10 messages per 15 s while the projection applies 4
    for (const [i, t] of [65, 80, 95].entries()) {
      await add(10, t - 1);
      await exec(url, `UPDATE eventuous.checkpoints SET position = position + 4 WHERE id = 'BookingsProjections'`);
      h.setNow(at(t));
      await h.cycle();
      seen.push(await status());
      expect(await h.value('cqrs_projection_lag_events', P)).toBe(5 + (i + 1) * 6);
    }
    await exec(url, `UPDATE eventuous.checkpoints SET position = (SELECT max(global_position) FROM eventuous.messages) WHERE id = 'BookingsProjections'`);
    h.setNow(at(110));
    await h.cycle();
    seen.push(await status());
    expect(seen).toEqual(['LAGGING', 'LAGGING', 'LAGGING', 'OK']);
  });
});

describe.skipIf(!!env.unavailable)('Emmett preset on PostgreSQL, both checkpoint formats', () => {
  let url: string;
  let h: Harness;
  const S = { store: 'orders', projection: 'shopping-carts' };
  const N = { store: 'orders', projection: 'carts-summary' };

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString, 'emmett');
    await exec(
      url,
      `INSERT INTO emt_messages (stream_position, transaction_id, created, stream_id, message_schema_version, message_id, message_type, message_data, message_metadata)
       SELECT k, pg_current_xact_id(), $1::timestamptz + k * interval '1 second', 'cart-1', '1', gen_random_uuid()::text, 'ProductItemAdded', '{}', '{}'
       FROM generate_series(1, 30) k`,
      [ts(0)],
    );
    // an archived message beyond the head must not count
    await exec(
      url,
      `INSERT INTO emt_messages (stream_position, transaction_id, created, is_archived, stream_id, message_schema_version, message_id, message_type, message_data, message_metadata)
       VALUES (1, pg_current_xact_id(), $1, true, 'old', '1', 'x', 'T', '{}', '{}')`,
      [ts(31)],
    );
    // shopping-carts: pre-0.43 bare position 21 (old version row 1 at 5 is ignored: highest version wins)
    // carts-summary: 0.43+ "txid:position" at 25
    await exec(
      url,
      `INSERT INTO emt_processors (processor_id, version, last_processed_checkpoint, last_processed_transaction_id, last_updated, status) VALUES
        ('shopping-carts', 1, lpad('5', 20, '0'), '1', $1, 'stopped'),
        ('shopping-carts', 2, lpad('21', 20, '0'), '1', $2, 'running'),
        ('carts-summary', 1, lpad('1000', 20, '0') || ':' || lpad('25', 20, '0'), '1000', $3, 'running')`,
      [ts(5), ts(22), ts(26)],
    );
    h = harness(storeConfig({ preset: 'emmett' }, url));
  });
  afterAll(async () => h?.close());

  it('decodes the bare and the txid:position checkpoints; archived rows ignored', async () => {
    h.setNow(at(60));
    await h.cycle();
    expect(await h.value('cqrs_projection_head_position', S)).toBe(30);
    expect(await h.value('cqrs_projection_checkpoint_position', S)).toBe(21);
    expect(await h.value('cqrs_projection_lag_events', S)).toBe(9);
    expect(await h.value('cqrs_projection_lag_seconds', S)).toBe(38); // message 22 at T0+22 s
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', S)).toBe(38);
    expect(await h.value('cqrs_projection_checkpoint_position', N)).toBe(25);
    expect(await h.value('cqrs_projection_lag_events', N)).toBe(5);
    expect(await h.value('cqrs_projection_lag_seconds', N)).toBe(34);
  });

  it('advance in the new format uses last_updated as the apply time', async () => {
    await exec(
      url,
      `UPDATE emt_processors SET last_processed_checkpoint = lpad('1001', 20, '0') || ':' || lpad('28', 20, '0'), last_updated = $1 WHERE processor_id = 'carts-summary'`,
      [ts(29)],
    );
    h.setNow(at(65));
    await h.cycle();
    // events 26, 27, 28 applied at T0+29 s: 3, 2, 1 s
    expect(h.board.takeLatencies('projection:orders/carts-summary')).toEqual([3, 2, 1]);
    const hist = await h.histogram('cqrs_projection_apply_latency_seconds', N);
    expect(hist.buckets).toMatchObject({ '0.5': 0, '1': 1, '2': 2, '3': 3, '5': 3 });
  });
});
