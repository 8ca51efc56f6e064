/**
 * Checks that a change to the Kafka collector leaves /metrics byte-identical for the same broker
 * state (not a timed test). Runs CYCLES cycles of one KafkaClusterSource in this process against
 * BROKERS (a broker held by `HOLD=1 npx vite-node bench/kafka-lag.ts`), on a clock that starts
 * at START_MS and advances INTERVAL seconds per cycle, so that time lag, rates, status windows
 * and forecasts are the same on every run; then writes the registry's text (every family the
 * collector writes; no process metrics) to OUT and prints its SHA-256.
 *
 *   BROKERS=127.0.0.1:PORT OUT=/tmp/after.txt npx vite-node bench/kafka-metrics-identical.ts
 *   BROKERS=... OUT=/tmp/after.txt EXPECT=/tmp/before.txt npx vite-node bench/kafka-metrics-identical.ts
 *
 * GRANULARITY (default partition) and MAX_SERIES (default 1 000 000) vary the cluster config.
 * With EXPECT, exits 1 and prints the first differing line when the text differs. To get the
 * "before" text, run this file from an export of the earlier commit (`git archive <commit> src`
 * next to a copy of this file and a node_modules link).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { clusterSchema } from '../src/config/schema/kafka.js';
import { SliBoard } from '../src/core/sli-board.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { KafkaClusterSource } from '../src/sources/kafka/cluster-source.js';
import { kafkajsClientFactory } from '../src/sources/kafka/index.js';
import type { CycleContext } from '../src/sources/source.js';

const brokers = (process.env.BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('BROKERS=host:port is required (see the header)');
const CYCLES = Number(process.env.CYCLES ?? 4);
const INTERVAL = Number(process.env.INTERVAL ?? 5);
const GRANULARITY = process.env.GRANULARITY ?? 'partition';
const OUT = process.env.OUT ?? '/tmp/kafka-metrics.txt';

async function run(): Promise<string> {
  let now = Number(process.env.START_MS ?? Date.UTC(2030, 0, 1));
  const clock = () => now;
  const registry = new Registry();
  const deps = { metrics: createMetrics(registry, { processMetrics: false }), logger: pino({ level: 'warn' }), clock, board: new SliBoard() };
  const cfg = clusterSchema.parse({
    name: 'bench',
    brokers,
    interval: `${INTERVAL}s`,
    timeout: '120s',
    granularity: GRANULARITY,
    maxSeries: Number(process.env.MAX_SERIES ?? 1_000_000),
  });
  const source = new KafkaClusterSource(cfg, deps, kafkajsClientFactory(cfg, deps));
  try {
    const cycleCpu: number[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const ctx: CycleContext = { signal: new AbortController().signal, clock, startedAt: now, logger: deps.logger, span: (_n, fn) => fn() };
      const c0 = process.cpuUsage();
      await source.collect(ctx);
      const c = process.cpuUsage(c0);
      if (i > 0) cycleCpu.push((c.user + c.system) / 1000);
      now += INTERVAL * 1000;
    }
    const c0 = process.cpuUsage();
    const text = await registry.metrics();
    const c = process.cpuUsage(c0);
    // By the way: CPU of the cycles after the first and of one rendering, in this process (under vite-node).
    console.log(`cycle CPU ms (after the first): ${cycleCpu.map((x) => x.toFixed(0)).join(', ')}; render CPU ms: ${((c.user + c.system) / 1000).toFixed(0)}`);
    return text;
  } finally {
    await source.close();
  }
}

const text = await run();
writeFileSync(OUT, text);
const lines = text.split('\n');
console.log(
  `${OUT}: ${text.length} bytes, ${lines.filter((l) => l && !l.startsWith('#')).length} samples, sha256 ${createHash('sha256').update(text).digest('hex')}`,
);
if (process.env.EXPECT) {
  const expected = readFileSync(process.env.EXPECT, 'utf8');
  if (expected === text) console.log(`identical to ${process.env.EXPECT}`);
  else {
    const before = expected.split('\n');
    const i = before.findIndex((l, k) => l !== lines[k]);
    console.log(`DIFFERENT from ${process.env.EXPECT} at line ${i + 1}:\n- ${before[i]}\n+ ${lines[i]}`);
    process.exitCode = 1;
  }
}
