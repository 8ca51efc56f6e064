import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SourceError } from '../../../src/sources/source-error.js';
import { at, exec, fixture, freshDatabase, harness, storeConfig, ts, type Harness } from './helpers.js';

const env = inject('postgres');

const generic = {
  projections: `SELECT name AS projection FROM app_checkpoints`,
  head: `SELECT seq AS position, happened_at AS timestamp FROM app_events ORDER BY seq DESC LIMIT 1`,
  checkpoint: `SELECT pos AS position, updated AS updated_at FROM app_checkpoints WHERE name = $1`,
  eventTime: `SELECT happened_at AS timestamp FROM app_events WHERE seq > $1 ORDER BY seq LIMIT 1`,
  eventTimes: `SELECT seq AS position, happened_at AS timestamp FROM app_events WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3;`,
};

describe.skipIf(!!env.unavailable)('generic preset (user SQL) on PostgreSQL', () => {
  let url: string;
  let h: Harness;
  const P = { store: 'orders', projection: 'invoices' };

  beforeAll(async () => {
    url = await freshDatabase(env.connectionString);
    await exec(
      url,
      `CREATE TABLE app_events (seq bigint PRIMARY KEY, happened_at timestamptz NOT NULL);
       CREATE TABLE app_checkpoints (name text PRIMARY KEY, pos bigint NOT NULL, updated timestamptz NOT NULL);`,
    );
    await exec(url, `INSERT INTO app_events SELECT k, $1::timestamptz + k * interval '2 seconds' FROM generate_series(1, 100) k`, [ts(0)]);
    await exec(url, `INSERT INTO app_checkpoints VALUES ('invoices', 90, $1), ('emails', 100, $2)`, [ts(181), ts(200)]);
    h = harness(storeConfig({ preset: 'generic', generic, latencySamples: 3 }, url));
  });
  afterAll(async () => h?.close());

  it('validates the SQL at startup, then reads exact values; parameters a statement does not use are not sent', async () => {
    h.setNow(at(210));
    await h.cycle();
    expect(await h.value('cqrs_projection_lag_events', P)).toBe(10);
    expect(await h.value('cqrs_projection_lag_seconds', P)).toBe(28); // event 91 at T0+182 s
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', P)).toBe(29);
    expect(await h.value('cqrs_projection_lag_events', { ...P, projection: 'emails' })).toBe(0);
  });

  it('apply latency: first `limit` events of a large advance (latencySamples 3)', async () => {
    await exec(url, `UPDATE app_checkpoints SET pos = 100, updated = $1 WHERE name = 'invoices'`, [ts(205)]);
    h.setNow(at(215));
    await h.cycle();
    // 10 events applied, budget 3: the user SQL returns the first 3 (events 91, 92, 93 at
    // T0+182/184/186 s), applied at T0+205 s: 23, 21, 19 s
    expect(h.board.takeLatencies('projection:orders/invoices')).toEqual([23, 21, 19]);
  });

  it('a statement that does not return the expected columns is a config error naming it', async () => {
    const bad = harness(storeConfig({ preset: 'generic', generic: { ...generic, checkpoint: `SELECT pos FROM app_checkpoints WHERE name = $1` } }, url));
    try {
      const err = await bad.cycle().then(
        () => undefined,
        (e: unknown) => e as SourceError,
      );
      expect(err).toBeInstanceOf(SourceError);
      expect(err?.reason).toBe('config');
      expect(err?.message).toBe('store "orders" (generic): generic.checkpoint: must return column position; it returned pos');
    } finally {
      await bad.close();
    }
  });
});

describe('Marten preset on PGlite (embedded, instance handed in)', () => {
  let db: PGlite;
  let h: Harness;
  const L = { store: 'demo', projection: 'Trip:All' };

  beforeAll(async () => {
    db = await PGlite.create('memory://');
    await db.exec(fixture('marten'));
    await db.query(
      `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
       SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 't', $1::timestamptz + k * interval '1 second' FROM generate_series(1, 10) k`,
      [ts(0)],
    );
    await db.query(`INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 10, $1), ('Trip:All', 6, $2)`, [
      ts(10),
      ts(6.5),
    ]);
    h = harness(storeConfig({ name: 'demo', preset: 'marten', connection: { pglite: 'memory://demo' } }), { pglite: () => db });
  });
  afterAll(async () => {
    await h?.close();
    await db?.close();
  });

  it('same SQL, same exact numbers as on the server', async () => {
    h.setNow(at(30));
    await h.cycle();
    expect(await h.value('cqrs_projection_lag_events', L)).toBe(4);
    expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(23);
    expect(await h.value('cqrs_projection_checkpoint_age_seconds', L)).toBe(23.5);
    await db.query(`UPDATE mt_event_progression SET last_seq_id = 9, last_updated = $1 WHERE name = 'Trip:All'`, [ts(9.5)]);
    h.setNow(at(35));
    await h.cycle();
    expect(h.board.takeLatencies('projection:demo/Trip:All')).toEqual([2.5, 1.5, 0.5]);
    expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(25);
  });

  it('the transaction is read-only: the source cannot write', async () => {
    // the source's Db refuses writes; proven on PGlite where it shares the instance
    const { createPgliteDb } = await import('../../../src/sources/sql/pglite-db.js');
    const ro = createPgliteDb(async () => db as never, 'memory', false);
    await expect(ro.readOnly(1000, (q) => q('write', `DELETE FROM mt_events`))).rejects.toThrow(/read-only/);
  });

  it('an owned PGlite (opened by the source from connection.pglite) reports a missing table clearly', async () => {
    const own = harness(storeConfig({ name: 'empty', preset: 'eventuous', connection: { pglite: 'memory://' } }));
    try {
      const err = await own.cycle().then(
        () => undefined,
        (e: unknown) => e as SourceError,
      );
      expect(err?.reason).toBe('missing_table');
      expect(err?.message).toContain('preset eventuous needs tables eventuous.messages, eventuous.checkpoints');
    } finally {
      await own.close();
    }
  });
});
