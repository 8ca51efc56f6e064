/**
 * Benchmark of the Kafka collector against a real local broker (not a timed test).
 *
 *   npx vite-node bench/kafka-lag.ts
 *   TOPICS=200 PARTITIONS=50 GROUP_COUNT=500 TOPICS_PER_GROUP=1 CYCLES=20 GRANULARITY=partition npx vite-node bench/kafka-lag.ts
 *
 * Starts its own broker (KAFKA_VERSION, default 4.1.1), creates TOPICS x PARTITIONS with a few
 * messages each and GROUP_COUNT groups committed on TOPICS_PER_GROUP topics each, then runs CYCLES
 * collection cycles back to back and prints cycle time p50/p95, requests per cycle, CPU per
 * cycle, RSS and event-loop delay p99 during cycles, plus the time to render /metrics.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_KAFKA_VERSION, startKafka } from '../test/env/kafka.js';
import { OffsetCommitter } from '../test/env/kafka/commit-offsets.js';
import { clusterSchema } from '../src/config/schema/kafka.js';
import { SliBoard } from '../src/core/sli-board.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { KafkaClusterSource } from '../src/sources/kafka/cluster-source.js';
import { kafkajsClientFactory } from '../src/sources/kafka/index.js';
import type { CycleContext } from '../src/sources/source.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const TOPICS = num('TOPICS', 200);
const PARTITIONS = num('PARTITIONS', 50);
const GROUPS = num('GROUP_COUNT', 500);
const TOPICS_PER_GROUP = num('TOPICS_PER_GROUP', 1);
const CYCLES = num('CYCLES', 20);
const GRANULARITY = (process.env.GRANULARITY ?? 'partition') as 'partition' | 'topic' | 'group';
const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function main(): Promise<void> {
  const t0 = Date.now();
  const broker = await startKafka({
    version,
    heap: process.env.KAFKA_HEAP ?? '1g',
    // 10k partitions: small segments and indexes keep the disk and page cache footprint low.
    properties: { 'log.segment.bytes': 1_048_576, 'log.index.size.max.bytes': 65_536, 'num.io.threads': 2 },
  });
  console.log(`broker ${version} up in ${Date.now() - t0} ms at ${broker.brokers[0]}`);
  // Interrupted runs must not leave the broker behind.
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void broker.stop().finally(() => process.exit(130)));
  try {
    const kafka = new Kafka({ clientId: 'bench-setup', brokers: broker.brokers, logLevel: logLevel.NOTHING, requestTimeout: 120_000 });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    await producer.connect();
    const topics = Array.from({ length: TOPICS }, (_, i) => `bench-${String(i).padStart(4, '0')}`);
    let t = Date.now();
    for (let i = 0; i < topics.length; i += 10) {
      const batch = topics.slice(i, i + 10);
      await admin.createTopics({ topics: batch.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: false, timeout: 120_000 });
      // kafkajs's waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION while the broker is still
      // creating many partitions: poll metadata until every partition has a leader.
      for (let tries = 0; ; tries++) {
        try {
          const meta = await admin.fetchTopicMetadata({ topics: batch });
          if (meta.topics.every((x) => x.partitions.length === PARTITIONS && x.partitions.every((p) => p.leader >= 0))) break;
        } catch (err) {
          if (tries > 600) throw err;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    console.log(`created ${TOPICS} topics x ${PARTITIONS} partitions in ${Date.now() - t} ms`);
    t = Date.now();
    for (const topic of topics) {
      await producer.send({ topic, messages: Array.from({ length: PARTITIONS * 4 }, (_, i) => ({ partition: i % PARTITIONS, value: 'x' })) });
    }
    console.log(`produced ${TOPICS * PARTITIONS * 4} messages in ${Date.now() - t} ms`);
    t = Date.now();
    const committer = new OffsetCommitter(broker.brokers);
    for (let g = 0; g < GROUPS; g++) {
      for (let j = 0; j < TOPICS_PER_GROUP; j++) {
        const topic = topics[(g + j * 7) % TOPICS]!;
        // Offsets 0..3 vary the lag per partition.
        await committer.commit(`bench-g${g}`, topic, Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, offset: (g + p) % 4 })));
      }
    }
    await committer.close();
    console.log(`committed ${GROUPS} groups x ${TOPICS_PER_GROUP} topics in ${Date.now() - t} ms`);
    await producer.disconnect();
    await admin.disconnect();

    const registry = new Registry();
    const deps = { metrics: createMetrics(registry, { processMetrics: false }), logger: pino({ level: 'warn' }), clock: () => Date.now(), board: new SliBoard() };
    const cfg = clusterSchema.parse({ name: 'bench', brokers: broker.brokers, interval: '15s', granularity: GRANULARITY, maxSeries: 1_000_000 });
    const client = kafkajsClientFactory(cfg, deps);
    const source = new KafkaClusterSource(cfg, deps, client);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const durations: number[] = [];
    const cpu: number[] = [];
    const requests: number[] = [];
    let rss = 0;
    const loop = monitorEventLoopDelay({ resolution: 10 });
    let report = {};
    for (let i = 0; i < CYCLES; i++) {
      const ctx: CycleContext = { signal: new AbortController().signal, clock: deps.clock, startedAt: Date.now(), logger: deps.logger, span: (_n, fn) => fn() };
      const r0 = client.requestCount();
      const c0 = process.cpuUsage();
      const s = performance.now();
      if (i > 0) loop.enable();
      report = await source.collect(ctx);
      if (i > 0) loop.disable();
      const d = performance.now() - s;
      const c = process.cpuUsage(c0);
      // The first cycle warms connections, coordinators and the timestamp cache: reported apart.
      if (i === 0) console.log(`first cycle: ${d.toFixed(0)} ms, ${client.requestCount() - r0} requests, report ${JSON.stringify(report)}`);
      else {
        if (process.env.VERBOSE) console.log(`cycle ${i}: ${d.toFixed(0)} ms ${JSON.stringify(report)}`);
        durations.push(d);
        cpu.push((c.user + c.system) / 1000);
        requests.push(client.requestCount() - r0);
      }
      rss = Math.max(rss, process.memoryUsage().rss);
    }
    const s = performance.now();
    const text = await registry.metrics();
    const scrapeMs = performance.now() - s;
    rss = Math.max(rss, process.memoryUsage().rss);
    console.log(`report: ${JSON.stringify(report)}`);
    console.log(
      JSON.stringify(
        {
          version,
          topics: TOPICS,
          partitions: TOPICS * PARTITIONS,
          groups: GROUPS,
          groupPartitions: GROUPS * TOPICS_PER_GROUP * PARTITIONS,
          granularity: GRANULARITY,
          cycles: durations.length,
          cycleMs: { p50: +pct(durations, 50).toFixed(1), p95: +pct(durations, 95).toFixed(1), max: +Math.max(...durations).toFixed(1) },
          requestsPerCycle: { p50: pct(requests, 50), max: Math.max(...requests) },
          cpuMsPerCycle: { p50: +pct(cpu, 50).toFixed(1), p95: +pct(cpu, 95).toFixed(1) },
          rssMB: +(rss / 1048576).toFixed(1),
          rssBeforeCyclesMB: +(rssBefore / 1048576).toFixed(1),
          heapUsedMB: +(process.memoryUsage().heapUsed / 1048576).toFixed(1),
          eventLoopDelayMs: { p99: +(loop.percentile(99) / 1e6).toFixed(1), max: +(loop.max / 1e6).toFixed(1) },
          scrape: { ms: +scrapeMs.toFixed(1), bytes: text.length, series: text.split('\n').filter((l) => l && !l.startsWith('#')).length },
        },
        null,
        2,
      ),
    );
    await source.close();
  } finally {
    await broker.stop();
  }
}

await main();
