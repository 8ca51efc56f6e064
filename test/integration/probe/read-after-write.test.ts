import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { createSloSources } from '../../../src/slo/index.js';
import { createProbeSources, type ProbeSource } from '../../../src/sources/probe/index.js';
import { noopTracer, seriesValue } from '../../helpers/deps.js';
import { freshDatabase } from '../sql/helpers.js';
import { CqrsApp } from './cqrs-app.js';

const env = inject('postgres');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One finished run as the probe logs it (debug level). */
interface Run {
  probeId: string;
  result: string;
  seconds?: number;
}

/** The service's probe and SLO sources on the real scheduler, with the runs read from the debug log. */
function pipeline(yaml: string) {
  const runs: Run[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        const o = JSON.parse(line) as Run & { msg: string };
        if (o.msg === 'probe run finished') runs.push(o);
      }
      done();
    },
  });
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  const logger = pino({ level: 'debug' }, sink);
  const deps = { metrics, logger, clock: () => Date.now(), board: new SliBoard() };
  const config = parseConfig(yaml, 'probes.yaml');
  const probes = createProbeSources(config, deps) as ProbeSource[];
  const slos = createSloSources(config, deps);
  const scheduler = new Scheduler({ sources: [...probes, ...slos], metrics, logger, tracer: noopTracer, clock: deps.clock });
  return {
    runs,
    registry,
    start: () => scheduler.start(),
    /** Stops the schedule, then evaluates every SLO once more. */
    async finish() {
      await scheduler.stop(1);
      // stop() closed the probes: runs in flight were cut (not published) and cleaned up.
      for (const p of probes) await p.close();
      const after = new Scheduler({ sources: slos, metrics, logger, tracer: noopTracer, clock: deps.clock });
      for (const s of slos) await after.runOnce(s.name);
    },
    value: (name: string, labels: Record<string, string>) => seriesValue(registry, name, labels),
    up: (probe: string) => seriesValue(registry, 'cqrs_source_up', { source: `probe:${probe}` }),
  };
}

describe.skipIf(!!env.unavailable)('read-after-write probes against a CQRS app on real PostgreSQL', () => {
  let app: CqrsApp;
  let url: string;
  beforeAll(async () => {
    url = await freshDatabase(env.connectionString);
    process.env.CQRS_TEST_PROBE_PG = url;
    app = await CqrsApp.start(url);
  });
  afterAll(async () => app?.stop());

  it('HTTP probe: projector paused 8 s, probe timeout 5 s: runs written in the last 5 s of the pause see the rest of the pause, earlier ones time out; cleanup removes every probe order', async () => {
    const p = pipeline(`
probes:
  - name: orders-http
    interval: 1s
    timeout: 5s
    pollInterval: 100ms
    maxConcurrency: 8
    command: { http: { url: "${app.url}/orders", headers: { content-type: application/json }, body: '{"id":"{{probeId}}","amount":7}', expectStatus: [201] } }
    query: { http: { url: "${app.url}/orders/{{probeId}}" }, condition: { jsonPath: $.order.id, equals: "{{probeId}}" } }
    cleanup: { http: { url: "${app.url}/orders/{{probeId}}" } }
slos:
  - { name: orders-raw, objective: 99, evaluationInterval: 1s, sli: { kind: read_after_write, probe: orders-http, threshold: 1s } }
`);
    p.start();
    await sleep(4000);
    app.paused = true;
    const pausedAt = Date.now();
    await sleep(8000);
    app.paused = false;
    const resumedAt = Date.now();
    await sleep(3000);
    await p.finish();

    const before = p.runs.filter((r) => app.postedAt.get(r.probeId)! < pausedAt - 300);
    const during = p.runs
      .map((r) => ({ ...r, remainder: (resumedAt - app.postedAt.get(r.probeId)!) / 1000 }))
      .filter((r) => app.postedAt.get(r.probeId)! > pausedAt + 100 && r.remainder > 0.2);
    const after = p.runs.filter((r) => app.postedAt.get(r.probeId)! > resumedAt + 300);
    console.info(
      `[probe-http] before: ${before.map((r) => r.seconds?.toFixed(2)).join(' ')} | during (remainder->measured): ${during.map((r) => `${r.remainder.toFixed(2)}->${r.result === 'visible' ? r.seconds!.toFixed(2) : r.result}`).join(' ')} | after: ${after.map((r) => r.seconds?.toFixed(2)).join(' ')}`,
    );

    // Unpaused: visible within one projector period, one poll and the load of the machine.
    expect(before.length).toBeGreaterThanOrEqual(3);
    for (const r of [...before, ...after]) {
      expect(r.result).toBe('visible');
      expect(r.seconds!).toBeLessThan(1);
    }
    // Paused: a run written `remainder` seconds before the resume is visible no sooner than
    // that, and within 1 s after it; one with more than the 5 s timeout left never is.
    expect(during.length).toBeGreaterThanOrEqual(6);
    let timeouts = 0;
    for (const r of during) {
      if (r.remainder > 5.5) {
        expect(r.result).toBe('timeout');
        timeouts++;
      } else if (r.remainder < 4.5) {
        expect(r.result).toBe('visible');
        expect(r.seconds!).toBeGreaterThanOrEqual(r.remainder - 0.05);
        expect(r.seconds!).toBeLessThan(r.remainder + 1);
      }
    }
    expect(timeouts).toBeGreaterThanOrEqual(2);

    // Metrics agree with the runs, and the SLO counts each run once.
    const visible = p.runs.filter((r) => r.result === 'visible');
    const timedOut = p.runs.filter((r) => r.result === 'timeout').length;
    expect(await p.value('cqrs_probe_runs_total', { probe: 'orders-http', result: 'visible' })).toBe(visible.length);
    expect(await p.value('cqrs_probe_runs_total', { probe: 'orders-http', result: 'timeout' })).toBe(timedOut);
    expect(await p.value('cqrs_probe_visibility_seconds_count', { probe: 'orders-http' })).toBe(visible.length);
    expect(await p.value('cqrs_slo_total', { slo: 'orders-raw' })).toBe(visible.length + timedOut);
    expect(await p.value('cqrs_slo_good_total', { slo: 'orders-raw' })).toBe(visible.filter((r) => r.seconds! <= 1).length);
    expect(await p.value('cqrs_slo_unknown_total', { slo: 'orders-raw', reason: 'unreadable' })).toBe(0);
    expect(await p.value('cqrs_probe_cleanup_failed_total', { probe: 'orders-http' })).toBe(0);

    // Every probe order was cleaned up, from the write and the read model (runs cut by the
    // stop too, which are not in p.runs).
    expect(app.deletes).toBeGreaterThanOrEqual(p.runs.length);
    const left = await app.pool.query(
      `SELECT (SELECT count(*) FROM events WHERE order_id LIKE 'cqrs-slo-probe-%')::int AS e, (SELECT count(*) FROM order_view WHERE order_id LIKE 'cqrs-slo-probe-%')::int AS v`,
    );
    expect(left.rows[0]).toEqual({ e: 0, v: 0 });
  }, 60_000);

  it('SQL probe: insert into the events table, read the read model, pause 3 s: latencies match the pause', async () => {
    const p = pipeline(`
stores:
  - { name: app, preset: emmett, connection: { connectionString: env:CQRS_TEST_PROBE_PG } }
probes:
  - name: orders-sql
    store: app
    interval: 1s
    timeout: 10s
    pollInterval: 100ms
    maxConcurrency: 6
    idPrefix: rawprobe
    command: { sql: { statement: "INSERT INTO events (order_id, amount) VALUES ($1, 1)", params: ["{{probeId}}"] } }
    query: { sql: { statement: "SELECT 1 FROM order_view WHERE order_id = $1", params: ["{{probeId}}"] } }
    cleanup: { sql: { statement: "WITH a AS (DELETE FROM events WHERE order_id = $1) DELETE FROM order_view WHERE order_id = $1", params: ["{{probeId}}"] } }
`);
    p.start();
    await sleep(2500);
    app.paused = true;
    const pausedAt = Date.now();
    await sleep(3000);
    app.paused = false;
    const resumedAt = Date.now();
    await sleep(2500);
    await p.finish();
    const visible = p.runs.filter((r) => r.result === 'visible');
    console.info(`[probe-sql] paused ${(resumedAt - pausedAt) / 1000} s; latencies: ${visible.map((r) => r.seconds!.toFixed(2)).join(' ')}`);
    expect(p.runs.length).toBeGreaterThanOrEqual(6);
    expect(visible.length).toBe(p.runs.length);
    for (const r of p.runs) expect(r.probeId).toMatch(/^rawprobe-orders-sql-[a-z0-9]+-[a-z0-9]{6}$/);
    // The run started first in the pause waits for most of it; none waits longer than the pause plus 1 s.
    const max = Math.max(...visible.map((r) => r.seconds!));
    expect(max).toBeGreaterThanOrEqual(2);
    expect(max).toBeLessThan(3 + 1);
    expect(await p.value('cqrs_probe_runs_total', { probe: 'orders-sql', result: 'visible' })).toBe(visible.length);
    const left = await app.pool.query(
      `SELECT (SELECT count(*) FROM events WHERE order_id LIKE 'rawprobe-%')::int AS e, (SELECT count(*) FROM order_view WHERE order_id LIKE 'rawprobe-%')::int AS v`,
    );
    expect(left.rows[0]).toEqual({ e: 0, v: 0 });
  }, 60_000);

  it('a probe that cannot run is unknown, not bad: command refused (source down), queries failing (503)', async () => {
    const p = pipeline(`
probes:
  - { name: dead, interval: 1s, timeout: 1s, pollInterval: 100ms, command: { http: { url: "http://127.0.0.1:9/orders", timeout: 1s } }, query: { http: { url: "http://127.0.0.1:9/orders/{{probeId}}" } } }
  - { name: failing, interval: 1s, timeout: 1s, pollInterval: 100ms, maxConcurrency: 3, command: { http: { url: "${app.url}/orders", body: '{"id":"{{probeId}}","amount":1}' } }, query: { http: { url: "${app.url}/orders/{{probeId}}" } }, cleanup: { http: { url: "${app.url}/orders/{{probeId}}" } } }
slos:
  - { name: dead-raw, objective: 99, evaluationInterval: 1s, sli: { kind: read_after_write, probe: dead, threshold: 1s } }
  - { name: failing-raw, objective: 99, evaluationInterval: 1s, sli: { kind: read_after_write, probe: failing, threshold: 1s } }
`);
    app.failQueries = true;
    try {
      p.start();
      await sleep(4500);
      expect(await p.up('dead')).toBe(0);
      expect(await p.up('failing')).toBe(0);
      await p.finish();
    } finally {
      app.failQueries = false;
    }
    const dead = p.runs.filter((r) => r.probeId.includes('-dead-'));
    const failing = p.runs.filter((r) => r.probeId.includes('-failing-'));
    expect(dead.length).toBeGreaterThanOrEqual(3);
    expect(failing.length).toBeGreaterThanOrEqual(3);
    expect(new Set(dead.map((r) => r.result))).toEqual(new Set(['command_failed']));
    expect(new Set(failing.map((r) => r.result))).toEqual(new Set(['query_failed']));
    expect(await p.value('cqrs_collect_errors_total', { source: 'probe:dead', reason: 'unreachable' })).toBeGreaterThanOrEqual(1);
    for (const [slo, n] of [
      ['dead-raw', dead.length],
      ['failing-raw', failing.length],
    ] as const) {
      expect(await p.value('cqrs_slo_total', { slo })).toBe(0);
      expect(await p.value('cqrs_slo_unknown_total', { slo, reason: 'unreadable' })).toBe(n);
    }
  }, 60_000);

  it('maxConcurrency bounds the runs in flight: with the projector paused, runs beyond it are skipped and counted', async () => {
    const p = pipeline(`
probes:
  - { name: bounded, interval: 1s, timeout: 10s, pollInterval: 200ms, maxConcurrency: 2, command: { http: { url: "${app.url}/orders", body: '{"id":"{{probeId}}","amount":1}' } }, query: { http: { url: "${app.url}/orders/{{probeId}}" } }, cleanup: { http: { url: "${app.url}/orders/{{probeId}}" } } }
`);
    app.paused = true;
    const postedBefore = app.postedAt.size;
    let posted = 0;
    let skipped: number | undefined;
    try {
      p.start();
      await sleep(4500);
      posted = app.postedAt.size - postedBefore;
      skipped = await p.value('cqrs_probe_runs_skipped_total', { probe: 'bounded' });
    } finally {
      app.paused = false;
    }
    await sleep(1000);
    await p.finish();
    // Cycles at 0, 1, 2, 3, 4 s while paused: two runs started, the others skipped.
    expect(posted).toBe(2);
    expect(skipped).toBeGreaterThanOrEqual(2);
    expect(p.runs.slice(0, 2).map((r) => r.result)).toEqual(['visible', 'visible']);
  }, 60_000);
});
