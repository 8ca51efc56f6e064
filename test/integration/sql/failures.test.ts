import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startPostgres, type PostgresHandle } from '../../env/postgres.js';
import { pino } from 'pino';
import { SourceError } from '../../../src/sources/source-error.js';
import { QueryFailure } from '../../../src/sources/sql/db.js';
import { createPgDb } from '../../../src/sources/sql/pg-db.js';
import { at, exec, fixture, freshDatabase, harness, storeConfig, ts } from './helpers.js';

const env = inject('postgres');
const L = { store: 'orders', projection: 'Trip:All' };

async function failure(p: Promise<unknown>): Promise<SourceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

async function seedMarten(url: string): Promise<void> {
  await exec(url, fixture('marten'));
  await exec(
    url,
    `INSERT INTO mt_events (seq_id, id, stream_id, version, data, type, timestamp)
     SELECT k, gen_random_uuid(), gen_random_uuid(), 1, '{}'::jsonb, 't', $1::timestamptz + k * interval '1 second' FROM generate_series(1, 10) k`,
    [ts(0)],
  );
  await exec(url, `INSERT INTO mt_event_progression (name, last_seq_id, last_updated) VALUES ('HighWaterMark', 10, $1), ('Trip:All', 7, $1)`, [ts(7)]);
}

describe.skipIf(!!env.unavailable)('failure behaviour on PostgreSQL', () => {
  it('wrong password: reason auth, message names the store and query, never the password', async () => {
    const url = new URL(await freshDatabase(env.connectionString, 'marten'));
    url.password = 'not-the-Password-42';
    const h = harness(storeConfig({ preset: 'marten' }, url.toString()));
    try {
      const err = await failure(h.cycle());
      expect(err.reason).toBe('auth');
      expect(err.message).toContain('store "orders"');
      expect(err.message).toContain('query "connect"');
      expect(err.message).not.toContain('not-the-Password-42');
      expect(JSON.stringify(err.context)).not.toContain('not-the-Password-42');
    } finally {
      await h.close();
    }
  });

  it('query timeout: statement_timeout cancels, reason timeout, names the query', async () => {
    const url = await freshDatabase(env.connectionString);
    const h = harness(
      storeConfig(
        {
          preset: 'generic',
          statementTimeout: '300ms',
          projectionList: ['slow'],
          generic: {
            head: `SELECT 1::bigint AS position, now() AS timestamp FROM pg_sleep(2)`,
            checkpoint: `SELECT 1::bigint AS position`,
            eventTime: `SELECT now() AS timestamp`,
          },
        },
        url,
      ),
    );
    try {
      const t = Date.now();
      const err = await failure(h.cycle());
      expect(err.reason).toBe('timeout');
      expect(err.message).toContain('query "generic.head"');
      expect(Date.now() - t).toBeLessThan(1900);
    } finally {
      await h.close();
    }
  });

  it('unknown host port (nothing listening): reason unreachable', async () => {
    const u = new URL(env.connectionString);
    u.port = '1';
    const h = harness(storeConfig({ preset: 'marten', statementTimeout: '2s' }, u.toString()));
    try {
      expect((await failure(h.cycle())).reason).toBe('unreachable');
    } finally {
      await h.close();
    }
  });

  describe('database killed mid-run and restarted', () => {
    let pgh: PostgresHandle;
    beforeAll(async () => {
      // synchronous_commit on: a SIGKILL must not lose the seeded rows (the harness default is off).
      pgh = await startPostgres({ database: 'killme', settings: { synchronous_commit: 'on' } });
      await seedMarten(pgh.connectionString);
    });
    afterAll(async () => pgh?.stop());

    it('up -> killed: cycle fails (unreachable), series cleared -> restarted: recovers by itself', async () => {
      const h = harness(storeConfig({ preset: 'marten', statementTimeout: '2s' }, pgh.connectionString));
      try {
        h.setNow(at(20));
        await h.cycle();
        expect(await h.value('cqrs_projection_lag_events', L)).toBe(3);

        await pgh.kill();
        h.setNow(at(35));
        const err = await failure(h.cycle());
        expect(err.reason).toBe('unreachable');
        expect(err.message).toContain('store "orders" (marten)');
        expect(err.message).not.toContain(pgh.password);
        h.source.clear(); // what the scheduler does on failure
        expect(await h.value('cqrs_projection_lag_events', L)).toBeUndefined();
        // still down on the next tick: fails again, no hang
        h.setNow(at(50));
        expect((await failure(h.cycle())).reason).toBe('unreachable');

        await pgh.restart();
        await exec(pgh.connectionString, `UPDATE mt_event_progression SET last_seq_id = 9, last_updated = $1 WHERE name = 'Trip:All'`, [ts(60)]);
        h.setNow(at(65));
        await h.cycle();
        expect(await h.value('cqrs_projection_lag_events', L)).toBe(1);
        expect(await h.value('cqrs_projection_lag_seconds', L)).toBe(55); // event 10 at T0+10 s
        // the advance across the outage (7 -> 9) still feeds apply latency: 60-8, 60-9
        expect(h.board.takeLatencies('projection:orders/Trip:All')).toEqual([52, 51]);
      } finally {
        await h.close();
      }
    });

    it('killed during a query: the query fails (unreachable), the process lives on, the next query works', async () => {
      const logger = pino({ level: 'silent' });
      const db = createPgDb(storeConfig({ preset: 'marten', statementTimeout: '10s' }, pgh.connectionString), logger);
      try {
        // A connection that drops while checked out emits 'error' besides failing its query;
        // unhandled, that event would be an uncaught exception (vitest fails the run on one).
        const running = db.readOnly(10_000, (q) => q('sleep', 'SELECT pg_sleep(5)'));
        const settled = running.then(
          () => undefined,
          (e: unknown) => e,
        );
        await new Promise((r) => setTimeout(r, 500));
        await pgh.kill();
        const err = (await settled) as QueryFailure;
        expect(err).toBeInstanceOf(QueryFailure);
        expect(err.query).toBe('sleep');
        await new Promise((r) => setTimeout(r, 200)); // any late 'error' event would surface here
        await pgh.restart();
        expect(await db.readOnly(5000, async (q) => (await q('one', 'SELECT 1 AS one')).rows)).toEqual([{ one: 1 }]);
      } finally {
        await db.close();
      }
    });
  });
});
