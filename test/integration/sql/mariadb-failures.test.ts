import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { trace } from '@opentelemetry/api';
import { mariadbUnavailable, startMariadb, type MariadbHandle } from '../../env/mariadb.js';
import { sleep, waitUntil } from '../../env/wait.js';
import { parseConfig } from '../../../src/config/load.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { createSloSources } from '../../../src/slo/index.js';
import { SourceError } from '../../../src/sources/source-error.js';
import { createSqlSource } from '../../../src/sources/sql/index.js';
import { seriesValue } from '../../helpers/deps.js';
import { harness } from './helpers.js';
import { mariaStore } from './mariadb-helpers.js';

const unavailable = process.env.CI === 'true' ? undefined : mariadbUnavailable();
if (unavailable) console.warn(`[mariadb] skipped: ${unavailable}`);

const P = { store: 'orders', projection: 'fast' };
const S = { store: 'orders', projection: 'slow' };

const GENERIC = {
  projections: `SELECT name AS projection FROM checkpoints ORDER BY name`,
  head: `SELECT id AS position, created AS timestamp FROM events ORDER BY id DESC LIMIT 1`,
  checkpoint: `SELECT position, updated_at FROM checkpoints WHERE name = $1`,
  eventTime: `SELECT created AS timestamp FROM events WHERE id > $1 ORDER BY id LIMIT 1`,
};

// `fast` is caught up, `slow` stays 10 events behind; the first event it misses is 60 s old.
const SLOS = `
slos:
  - { name: fast-fresh, objective: 99, evaluationInterval: 1s, sli: { kind: freshness, store: orders, projection: fast, threshold: 30s } }
  - { name: slow-fresh, objective: 99, evaluationInterval: 1s, sli: { kind: freshness, store: orders, projection: slow, threshold: 30s } }
`;

async function failure(p: Promise<unknown>): Promise<SourceError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SourceError);
  return err as SourceError;
}

describe.skipIf(!!unavailable)('MySQL/MariaDB store failures on a real MariaDB', () => {
  let m: MariadbHandle;
  beforeAll(async () => {
    m = await startMariadb({ database: 'failures' });
    await m.exec(`CREATE TABLE events (id bigint PRIMARY KEY, created datetime(3) NOT NULL);
      CREATE TABLE checkpoints (name varchar(100) PRIMARY KEY, position bigint NOT NULL, updated_at datetime(3) NOT NULL)`);
    // 20 events one second apart ending 50 s ago (real clock: the SLO test runs on it).
    const end = Date.now() - 50_000;
    const rows = Array.from({ length: 20 }, (_, i) => [i + 1, new Date(end - (20 - (i + 1)) * 1000)]);
    await m.exec(`SET time_zone = '+00:00'; INSERT INTO events VALUES ?`, [rows]);
    await m.exec(`SET time_zone = '+00:00'; INSERT INTO checkpoints VALUES ('fast', 20, ?), ('slow', 10, ?)`, [new Date(end), new Date(end)]);
  });
  afterAll(async () => m?.stop());

  it('wrong password: reason auth, the message names the store and query, never the password', async () => {
    process.env.CQRS_TEST_MARIA_BAD = 'not-the-Password-42';
    const h = harness(mariaStore(m, { preset: 'generic', generic: GENERIC }, { password: 'env:CQRS_TEST_MARIA_BAD' }));
    try {
      const err = await failure(h.cycle());
      console.info(`[mariadb] wrong password: ${err.message}`);
      expect(err.reason).toBe('auth');
      expect(err.message).toContain('store "orders" (generic): query "connect" failed (auth)');
      expect(err.message).toContain('Access denied');
      expect(err.message).not.toContain('not-the-Password-42');
      expect(JSON.stringify(err.context)).not.toContain('not-the-Password-42');
    } finally {
      await h.close();
    }
  });

  it('wrong password in a mysql:// URL: reason auth, the URL password never in the message', async () => {
    const url = new URL(m.url);
    url.password = 'url-Secret-99';
    process.env.CQRS_TEST_MARIA_URL = url.toString();
    const { storeSchema } = await import('../../../src/config/schema/stores.js');
    const h = harness(storeSchema.parse({ name: 'orders', preset: 'generic', generic: GENERIC, connection: { connectionString: 'env:CQRS_TEST_MARIA_URL' } }));
    try {
      const err = await failure(h.cycle());
      expect(err.reason).toBe('auth');
      expect(err.message).not.toContain('url-Secret-99');
    } finally {
      await h.close();
    }
  });

  it('table locked (LOCK TABLES ... WRITE from another connection): the cycle ends at statementTimeout with reason timeout', async () => {
    const h = harness(mariaStore(m, { preset: 'generic', generic: GENERIC, statementTimeout: '500ms' }));
    const locker = await mysql.createConnection({ host: m.host, port: m.port, user: m.user, password: m.password, database: m.database });
    try {
      await h.cycle();
      await locker.query('LOCK TABLES checkpoints WRITE');
      const t = Date.now();
      const err = await failure(h.cycle());
      const took = Date.now() - t;
      console.info(`[mariadb] locked table: cycle failed after ${took} ms: ${err.message}`);
      expect(err.reason).toBe('timeout');
      expect(err.message).toContain('max_statement_time exceeded');
      expect(took).toBeGreaterThanOrEqual(450);
      expect(took).toBeLessThan(1500);
      await locker.query('UNLOCK TABLES');
      const report = await h.cycle();
      expect(report.projections).toBe(2);
    } finally {
      await locker.end();
      await h.close();
    }
  });

  it('the session is read-only: a write in the cycle transaction is refused by the server', async () => {
    // A generic statement that writes (not a SELECT) must not change the store.
    const h = harness(
      mariaStore(m, { preset: 'generic', projectionList: ['fast'], generic: { ...GENERIC, checkpoint: `INSERT INTO checkpoints VALUES ('x', 1, now())` } }),
    );
    try {
      const err = await failure(h.cycle());
      expect(err.message).toMatch(/READ ONLY/i);
      const rows = (await m.exec(`SELECT count(*) AS n FROM checkpoints WHERE name = 'x'`)) as { n: number }[];
      expect(Number(rows[0]?.n)).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('server shut down normally between cycles: next cycle unreachable; killed during a query: that query fails, the process lives on; back up: reads', async () => {
    const slowHead = { ...GENERIC, head: `SELECT id AS position, created AS timestamp FROM events WHERE SLEEP(3) = 0 ORDER BY id DESC LIMIT 1` };
    const h = harness(mariaStore(m, { preset: 'generic', generic: GENERIC, statementTimeout: '5s' }));
    const slow = harness(mariaStore(m, { preset: 'generic', projectionList: ['fast'], generic: slowHead, statementTimeout: '5s' }));
    try {
      expect((await h.cycle()).projections).toBe(2);
      await m.shutdown();
      const stopped = await failure(h.cycle());
      expect(stopped.reason).toBe('unreachable');
      await m.restart();
      expect((await h.cycle()).projections).toBe(2);

      const running = slow.cycle().then(
        () => undefined,
        (e: unknown) => e as SourceError,
      );
      // Killed while the server runs the slow head query (its first run: validation runs it once, the cycle again).
      await waitUntil(
        'the SLEEP(3) head query running on the server',
        async () => {
          const rows = (await m.exec(
            `SELECT count(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE '%SLEEP(3) = 0%' AND ID <> CONNECTION_ID()`,
          )) as {
            n: number;
          }[];
          return Number(rows[0]?.n) > 0;
        },
        { timeoutMs: 10_000, everyMs: 50, retryErrors: false },
      );
      await m.kill();
      const err = await running;
      console.info(`[mariadb] killed during a query: ${err?.message}`);
      expect(err).toBeInstanceOf(SourceError);
      expect(err?.reason).toBe('unreachable');
      await m.restart();
      expect((await h.cycle()).projections).toBe(2);
    } finally {
      await slow.close();
      await h.close();
    }
  });

  it('server killed mid-run: source down at the next cycle (up 0, series removed, never lag 0), back up: recovers; freshness SLO counts good and bad ticks, none while down', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry, { processMetrics: false });
    const logger = pino({ level: 'silent' });
    const deps = { metrics, logger, clock: () => Date.now(), board: new SliBoard() };
    const store = createSqlSource(mariaStore(m, { preset: 'generic', generic: GENERIC, interval: '1s', statementTimeout: '1s' }), deps);
    const slos = createSloSources(parseConfig(SLOS, 'slos.yaml'), deps);
    const scheduler = new Scheduler({ sources: [store, ...slos], metrics, logger, tracer: trace.getTracer('test'), clock: deps.clock });
    const value = (name: string, labels: Record<string, string>) => seriesValue(registry, name, labels);
    const tick = async () => {
      const started = Date.now();
      const s = await scheduler.runOnce(store.name);
      for (const slo of slos) await scheduler.runOnce(slo.name);
      await sleep(Math.max(0, 1000 - (Date.now() - started)));
      return { up: s.up, ms: Date.now() - started };
    };
    try {
      for (let i = 0; i < 3; i++) expect((await tick()).up).toBe(true);
      expect(await value('cqrs_source_up', { source: 'store:orders' })).toBe(1);
      expect(await value('cqrs_projection_lag_events', S)).toBe(10);
      expect(await value('cqrs_projection_lag_seconds', S)).toBeGreaterThanOrEqual(60);

      await m.kill();
      const t = Date.now();
      const down = await scheduler.runOnce(store.name);
      const detectMs = Date.now() - t;
      for (const slo of slos) await scheduler.runOnce(slo.name);
      console.info(`[mariadb] server killed: cycle failed in ${detectMs} ms`);
      expect(down.up).toBe(false);
      expect(detectMs).toBeLessThan(1000); // within one interval
      expect(await value('cqrs_source_up', { source: 'store:orders' })).toBe(0);
      expect(await value('cqrs_collect_errors_total', { source: 'store:orders', reason: 'unreachable' })).toBe(1);
      for (const l of [P, S]) {
        expect(await value('cqrs_projection_lag_events', l)).toBeUndefined();
        expect(await value('cqrs_projection_lag_seconds', l)).toBeUndefined();
      }
      expect((await tick()).up).toBe(false);

      await m.restart();
      const back = await tick();
      expect(back.up).toBe(true);
      expect(await value('cqrs_source_up', { source: 'store:orders' })).toBe(1);
      expect(await value('cqrs_projection_lag_events', S)).toBe(10);
      expect(await value('cqrs_projection_lag_events', P)).toBe(0);

      // Readable ticks: 3 before, 1 after. fast is fresh (good), slow is 60+ s stale (bad); the
      // 2 blind ticks count as unknown, neither good nor bad.
      const counts = async (slo: string) => ({
        good: await value('cqrs_slo_good_total', { slo }),
        total: await value('cqrs_slo_total', { slo }),
        unreadable: await value('cqrs_slo_unknown_total', { slo, reason: 'unreadable' }),
      });
      expect(await counts('fast-fresh')).toEqual({ good: 4, total: 4, unreadable: 2 });
      expect(await counts('slow-fresh')).toEqual({ good: 0, total: 4, unreadable: 2 });
    } finally {
      await scheduler.stop(1);
    }
  });
});
