/**
 * Real-time check of the scheduler's grid: runs a 1 s and a 5 s source (each cycle awaits a
 * 20-300 ms pseudo-random "query") for BENCH_SECONDS (default 60) on the real clock and timers,
 * and prints, per source, the cycles, the mean period, and the min/max start offset from its
 * grid point `start + k x interval`. docs/architecture.md records the result.
 * Run: npm run bench -- bench/scheduler-period.ts
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { trace } from '@opentelemetry/api';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import type { Source } from '../src/sources/source.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const starts = new Map<string, number[]>();
let x = 7;
const rnd = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;

function source(name: string, interval: number): Source {
  const list: number[] = [];
  starts.set(name, list);
  return {
    name,
    interval,
    timeout: 10,
    collect: async (ctx) => {
      list.push(ctx.startedAt);
      await new Promise((r) => setTimeout(r, 20 + rnd() * 280));
      return {};
    },
    clear() {},
    async close() {},
  };
}

const registry = new Registry();
const scheduler = new Scheduler({
  sources: [source('every-1s', 1), source('every-5s', 5)],
  metrics: createMetrics(registry, { processMetrics: false }),
  logger: pino({ level: 'silent' }),
  tracer: trace.getTracer('bench'),
  clock: () => Date.now(),
});
scheduler.start();
await new Promise((r) => setTimeout(r, SECONDS * 1000 + 100));
await scheduler.stop(1);
for (const [name, list] of starts) {
  const interval = name === 'every-1s' ? 1000 : 5000;
  const offsets = list.map((s, k) => s - (list[0]! + k * interval));
  const meanPeriod = (list[list.length - 1]! - list[0]!) / (list.length - 1);
  console.log(
    JSON.stringify({
      source: name,
      cycles: list.length,
      meanPeriodMs: Number(meanPeriod.toFixed(2)),
      offsetMinMs: Math.min(...offsets),
      offsetMaxMs: Math.max(...offsets),
      skipped: scheduler.states().find((s) => s.name === name)!.skipped,
    }),
  );
}
