/**
 * CPU of one /metrics rendering (text + gzip level 1, what a Prometheus scrape costs the service)
 * of the registry a KafkaClusterSource fills from a held broker. Runs CYCLES cycles on a fixed
 * clock (as bench/kafka-metrics-identical.ts does, so the text is the same on every run), then
 * RENDERS renderings through src/metrics/exposition.ts's `gzipExposition` (what a scrape asking
 * for gzip costs; in a tree without it, the route's earlier code: text, then gzip), and prints
 * the median CPU (all threads: gzip runs on libuv's pool), the sha256 of the text, of the gzip
 * body and of the gunzipped body, and their sizes.
 *
 *   BROKERS=127.0.0.1:PORT RENDERS=7 npx vite-node bench/exposition.ts
 *
 * OUT writes the text, OUT_GZ the gzip body; GRANULARITY and MAX_SERIES as in
 * kafka-metrics-identical.ts. No process metrics (they differ between runs). For "before"
 * numbers, copy this file into a worktree of the earlier commit. Run under `node --expose-gc
 * node_modules/.bin/vite-node` to start every rendering after a full collection.
 */
import { createHash } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import pino from 'pino';
import { clusterSchema } from '../src/config/schema/kafka.js';
import { SliBoard } from '../src/core/sli-board.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { MetricsRegistry } from '../src/metrics/metrics-registry.js';
import { KafkaClusterSource } from '../src/sources/kafka/cluster-source.js';
import { kafkajsClientFactory } from '../src/sources/kafka/index.js';
import type { CycleContext } from '../src/sources/source.js';

type Render = (r: MetricsRegistry) => Promise<{ plain: Buffer; gzip: Buffer }>;

const brokers = (process.env.BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('BROKERS=host:port is required (see the header)');
const CYCLES = Number(process.env.CYCLES ?? 3);
const RENDERS = Number(process.env.RENDERS ?? 7);
const INTERVAL = 5;

const gzipAsync = promisify(gzip);
/** Set for the last rendering, which also makes the plain text (identity check). */
let LAST = false;
/** The route's code before `renderExposition` existed (main at b528bf0's parent). */
const legacy: Render = async (registry) => {
  const parts: Buffer[] = [];
  let since = performance.now();
  for await (const chunk of registry.stream()) {
    parts.push(Buffer.from(chunk));
    if (performance.now() - since > 5) {
      await new Promise((r) => setImmediate(r));
      since = performance.now();
    }
  }
  const plain = Buffer.concat(parts);
  return { plain, gzip: await gzipAsync(plain, { level: 1 }) };
};

async function renderer(): Promise<{ name: string; render: Render }> {
  const path = new URL('../src/metrics/exposition.ts', import.meta.url).pathname;
  if (existsSync(path)) {
    const mod = (await import('../src/metrics/exposition.js')) as Record<string, (r: MetricsRegistry) => Promise<Buffer>>;
    const gzipExposition = mod.gzipExposition!;
    const plainExposition = mod.plainExposition!;
    // What a scrape asking for gzip costs now: the gzip body alone (plain only when asked for).
    return { name: 'gzipExposition', render: async (r) => ({ gzip: await gzipExposition(r), plain: LAST ? await plainExposition(r) : Buffer.alloc(0) }) };
  }
  return { name: 'legacy', render: legacy };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let now = Date.UTC(2030, 0, 1);
const clock = () => now;
const registry = new MetricsRegistry();
const deps = { metrics: createMetrics(registry, { processMetrics: false }), logger: pino({ level: 'warn' }), clock, board: new SliBoard() };
const cfg = clusterSchema.parse({
  name: 'bench',
  brokers,
  interval: `${INTERVAL}s`,
  timeout: '120s',
  granularity: process.env.GRANULARITY ?? 'partition',
  maxSeries: Number(process.env.MAX_SERIES ?? 1_000_000),
});
const source = new KafkaClusterSource(cfg, deps, kafkajsClientFactory(cfg, deps));
const { name, render } = await renderer();
const cpu: number[] = [];
const wall: number[] = [];
let last: { plain: Buffer; gzip: Buffer } | undefined;
// Rendered before close(): closing the source removes its series.
try {
  for (let i = 0; i < CYCLES; i++) {
    const ctx: CycleContext = { signal: new AbortController().signal, clock, startedAt: now, logger: deps.logger, span: (_n, fn) => fn() };
    await source.collect(ctx);
    now += INTERVAL * 1000;
  }
  for (let i = 0; i <= RENDERS + 1; i++) {
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    LAST = i === RENDERS + 1;
    last = await render(registry);
    const t = performance.now() - t0;
    const c = process.cpuUsage(c0);
    // The first rendering warms the JIT, the last one also makes the plain text: not counted.
    if (i > 0 && !LAST) {
      cpu.push((c.user + c.system) / 1000);
      wall.push(t);
    }
  }
} finally {
  await source.close();
}
const text = last!.plain;
if (process.env.OUT) writeFileSync(process.env.OUT, text);
if (process.env.OUT_GZ) writeFileSync(process.env.OUT_GZ, last!.gzip);
const unzipped = gunzipSync(last!.gzip);
console.log(
  JSON.stringify({
    renderer: name,
    renders: RENDERS,
    cpuMs: cpu.map((x) => Math.round(x * 10) / 10),
    cpuMsP50: Math.round(median(cpu) * 10) / 10,
    wallMsP50: Math.round(median(wall) * 10) / 10,
    textBytes: text.length,
    gzipBytes: last!.gzip.length,
    textSha: sha(text).slice(0, 16),
    gzipSha: sha(last!.gzip).slice(0, 16),
    gunzipSha: sha(unzipped).slice(0, 16),
    load: (await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' '),
  }),
);
