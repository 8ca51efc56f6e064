/**
 * Scrape storm: 1 000 concurrent GET /metrics against the service's HTTP server (a child
 * process, so that the storm's client does not share its event loop), while /healthz is probed
 * every 5 ms on its own connection from a third process (the storm's client would delay its
 * timings). Scrapes ask for gzip, as Prometheus does. Reports /healthz latency (p50, p99, max),
 * the server's RSS (before, peak during the storm, sampled every 10 ms from /proc), the storm's
 * duration, failed requests and the renderings of /metrics. Modes: `cached` (the default 1 s
 * window) and `per-scrape` (metricsCacheMs 0, the behaviour before the cache; slow).
 * Run: npm run bench -- bench/scrape-storm.ts
 *   (BENCH_RUNS=3 BENCH_SCRAPES=1000 BENCH_SERIES=20000 BENCH_MODES=cached,per-scrape)
 * Prints one JSON line per run and the medians; docs/performance.md records them.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { MetricsRegistry } from '../src/metrics/metrics-registry.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { startServer } from '../src/server/server.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 1000);
const SERIES = Number(process.env.BENCH_SERIES ?? 20_000);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const median = (xs: number[]) => quantile(xs, 0.5);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** GETs `url` (asking for gzip, as Prometheus does); resolves the body size, -1 on a socket error. */
function get(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent, headers: { 'accept-encoding': 'gzip' } }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => (n += c.length));
      res.on('end', () => resolve(n));
      res.on('error', () => resolve(-1));
    });
    req.on('error', () => resolve(-1));
    req.end();
  });
}

/** The prober, a process of its own so that the storm's client cannot delay its timings. */
async function probe(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  let on = true;
  createInterface({ input: process.stdin }).on('line', () => (on = false));
  process.stdout.write('ready\n');
  while (on) {
    const t = performance.now();
    await get(`${url}/healthz`, agent);
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  agent.destroy();
  process.stdout.write(`${JSON.stringify(latencies)}\n`, () => process.exit(0));
}

async function run(mode: 'cached' | 'per-scrape') {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [self, '--serve', mode === 'cached' ? '1000' : '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const next = () => new Promise<Record<string, unknown>>((r) => lines.once('line', (l) => r(JSON.parse(l) as Record<string, unknown>)));
  const { url } = (await next()) as { url: string };
  const probeAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const stormAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  await get(`${url}/metrics`, probeAgent); // warm up: first rendering, JIT
  probeAgent.destroy();
  const prober = spawn(process.execPath, [self, '--probe', url], { stdio: ['pipe', 'pipe', 'inherit'] });
  const probeLines = createInterface({ input: prober.stdout });
  const probeLine = () => new Promise<string>((r) => probeLines.once('line', r));
  await probeLine();
  await new Promise((r) => setTimeout(r, 1100));
  const rssBefore = rssMb(child.pid!);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(child.pid!))), 10);
  const t0 = performance.now();
  const sizes = await Promise.all(Array.from({ length: SCRAPES }, () => get(`${url}/metrics`, stormAgent)));
  const stormMs = performance.now() - t0;
  const probed = probeLine();
  prober.stdin.write('stop\n');
  const latencies = JSON.parse(await probed) as number[];
  clearInterval(sampler);
  child.stdin.write('stats\n');
  const { renders } = (await next()) as { renders: number };
  child.kill();
  stormAgent.destroy();
  return {
    mode,
    scrapes: SCRAPES,
    bodyMB: +(Math.max(...sizes) / 1024 / 1024).toFixed(2),
    failed: sizes.filter((n) => n < 0).length,
    stormMs: Math.round(stormMs),
    healthzP50Ms: +quantile(latencies, 0.5).toFixed(1),
    healthzP99Ms: +quantile(latencies, 0.99).toFixed(1),
    healthzMaxMs: +Math.max(...latencies).toFixed(1),
    probes: latencies.length,
    rssBeforeMB: Math.round(rssBefore),
    rssGrowthMB: Math.round(rssPeak - rssBefore),
    renders: mode === 'cached' ? renders : SCRAPES,
  };
}

async function main() {
  const modes = (process.env.BENCH_MODES ?? 'cached').split(',') as ('cached' | 'per-scrape')[];
  for (const mode of modes) {
    const results: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(mode);
      console.log(JSON.stringify(r));
      results.push(r);
    }
    const med = (k: keyof (typeof results)[number]) => median(results.map((r) => r[k] as number));
    console.log(
      JSON.stringify({
        mode,
        median: true,
        stormMs: med('stormMs'),
        healthzP50Ms: med('healthzP50Ms'),
        healthzP99Ms: med('healthzP99Ms'),
        healthzMaxMs: med('healthzMaxMs'),
        rssGrowthMB: med('rssGrowthMB'),
        renders: med('renders'),
        bodyMB: med('bodyMB'),
      }),
    );
  }
}

async function serve() {
  // The server side: SERIES Kafka lag series (a TableGauge, as the collector writes them) plus
  // 200 histograms and the process metrics: about 1.5 MB of text.
  const registry = new MetricsRegistry();
  const metrics = createMetrics(registry, { processMetrics: true });
  for (let i = 0; i < SERIES; i++)
    metrics.kafka.lagMessages.set(['main', `group-${i % 100}`, `topic-${Math.floor(i / 100) % 40}`, String(Math.floor(i / 4000))], i);
  for (let i = 0; i < 200; i++) metrics.monitor.collectDuration.observe({ source: `kafka:cluster-${i}` }, i / 100);
  const server = await startServer({
    registry,
    logger: pino({ level: 'silent' }),
    port: 0,
    address: '127.0.0.1',
    states: () => [],
    startedAt: Date.now(),
    metricsCacheMs: Number(process.argv[3]),
  });
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  createInterface({ input: process.stdin }).on('line', () => process.stdout.write(`${JSON.stringify({ renders: server.stats.metricsRenders })}\n`));
}

if (process.argv[2] === '--serve') await serve();
else if (process.argv[2] === '--probe') await probe(process.argv[3]!);
else await main();
