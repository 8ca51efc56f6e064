import { afterEach, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import { pino } from 'pino';
import { MetricsRegistry } from '../../../src/metrics/metrics-registry.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { startServer, type HttpServer } from '../../../src/server/server.js';
import { parseConfig } from '../../../src/config/load.js';
import { sloReportFrom } from '../../../src/report/slo-report.js';
import { sloReportSource } from '../../../src/sources/slo-report/report-source.js';

// Regressions from the "Hardening" issue: 1 000 concurrent scrapes rendered /metrics 1 000 times
// (RSS 791 MB), and 500 requests to /api/slos sent 1 000 queries to Prometheus.
const logger = pino({ level: 'silent' });
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.reverse()) await c();
  closers = [];
});

async function serve(
  opts: { metricsCacheMs?: number; reportCacheMs?: number; sloReport?: Parameters<typeof startServer>[0]['sloReport'] } = {},
): Promise<HttpServer> {
  const registry = new MetricsRegistry();
  const metrics = createMetrics(registry, { processMetrics: false });
  for (let i = 0; i < 2000; i++) metrics.monitor.sourceUp.set({ source: `store:s${i}` }, 1);
  const server = await startServer({ registry, logger, port: 0, address: '127.0.0.1', states: () => [], startedAt: 0, ...opts });
  closers.push(() => server.close());
  return server;
}

describe('scrape storms', () => {
  test('300 concurrent scrapes of /metrics cost one rendering and get the same bytes', async () => {
    // A window longer than the storm (on a loaded box 300 requests can take seconds to arrive).
    const server = await serve({ metricsCacheMs: 60_000 });
    const bodies = await Promise.all(Array.from({ length: 300 }, async () => (await fetch(`${server.url}/metrics`)).text()));
    expect(server.stats.metricsRenders).toBe(1);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toContain('cqrs_source_up{source="store:s1999"} 1');
  });

  test('with the default 1 s window, at most one rendering per second of storm', async () => {
    const server = await serve();
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 300 }, async () => (await fetch(`${server.url}/metrics`)).text()));
    expect(server.stats.metricsRenders).toBeLessThanOrEqual(Math.ceil((Date.now() - t0) / 1000) + 1);
  });

  test('500 concurrent /api/slos make one report: at most 4 queries to Prometheus (a local stand-in counts them)', async () => {
    let queries = 0;
    const prom: Server = createServer((req, res) => {
      if (req.url?.startsWith('/api/v1/query')) queries++;
      // Answer after 50 ms, as a real Prometheus under load would: requests pile up meanwhile.
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { slo: 'a' }, value: [0, '0.001'] }] } }));
      }, 50);
    });
    await new Promise<void>((r) => prom.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => prom.close(() => r())));
    const port = (prom.address() as { port: number }).port;
    const config = parseConfig(`prometheus: {url: "http://127.0.0.1:${port}"}\nslos: [{name: a, objective: 99, sli: {kind: duplicates, stream: s}}]`, 'x.yaml');
    const metrics = createMetrics(new MetricsRegistry(), { processMetrics: false });
    // A window longer than the storm, so that the count does not depend on the box's load.
    const server = await serve({ sloReport: sloReportFrom(config.slos, sloReportSource(config, metrics)), reportCacheMs: 60_000 });
    const bodies = await Promise.all(
      Array.from({ length: 500 }, async () => (await fetch(`${server.url}/api/slos`)).json() as Promise<{ slos: { name: string; basis: string }[] }>),
    );
    expect(bodies.every((b) => b.slos[0]?.basis === 'prometheus')).toBe(true);
    // One report: error ratio, budget, and per distinct period coverage and budget history.
    expect(queries).toBeLessThanOrEqual(4);
    expect(server.stats.reports).toBe(1);
  });
});
