/**
 * Benchmark of the Kafka collector against a real local broker (not a timed test).
 *
 *   npx vite-node bench/kafka-lag.ts
 *   TOPICS=200 PARTITIONS=50 GROUP_COUNT=500 GRANULARITY=partition,topic RUNS=3 CYCLES=10 npx vite-node bench/kafka-lag.ts
 *
 * Starts its own broker (KAFKA_VERSION, default 4.1.1), creates TOPICS x PARTITIONS with a few
 * messages each and GROUP_COUNT groups committed on TOPICS_PER_GROUP topics each.
 *
 * MODE=service (default): builds the service (`npm run build`, unless BUILD=0) and, for each of
 * RUNS runs and each granularity in GRANULARITY (comma-separated), starts `node bin/cqrs-slo.js
 * run` as a child process with one cluster on the bench broker (INTERVAL seconds, default 5),
 * waits for the first cycle (reported apart) and CYCLES more, and after every cycle reads
 * /api/status (lastDuration) and /metrics: cqrs_kafka_requests_total and
 * process_cpu_seconds_total deltas, process_resident_memory_bytes, nodejs_eventloop_lag_p99/max.
 * TIMEOUT (seconds) sets the cluster's cycle timeout (default: the interval; raise it on a loaded box).
 * HEAP_GROWTH sets the service's runtime.heapGrowthPercent (default: the service's default).
 * HOLD=1 prepares the broker and keeps it running; BROKERS=host:port then benchmarks against it
 * without the set-up. The child gets the command's own node options (SHIPPED=0: none), then NODE_ARGS; PROFILE_DIR adds one last, uncounted run of the first
 * granularity under `node --cpu-prof` and leaves the profile there.
 *
 * IDLE (seconds, default 0) adds to each service run the CPU between cycles and of the whole process
 * with no scrape over that many seconds (bench/service-probe.ts measureIdle).
 *
 * MODE=inprocess: runs CYCLES cycles back to back in this process (figures include the harness).
 */
import { spawnSync } from 'node:child_process';
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
import { median, pct, round, serviceRun, summarise, type Granularity, type ServiceRunOptions } from './service-probe.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const TOPICS = num('TOPICS', 200);
const PARTITIONS = num('PARTITIONS', 50);
const GROUPS = num('GROUP_COUNT', 500);
const TOPICS_PER_GROUP = num('TOPICS_PER_GROUP', 1);
const CYCLES = num('CYCLES', 20);
const GRANULARITIES = (process.env.GRANULARITY ?? 'partition').split(',').map((g) => g.trim()) as Granularity[];
const GRANULARITY = GRANULARITIES[0]!;
const MODE = process.env.MODE ?? 'service';
const RUNS = num('RUNS', 1);
const INTERVAL = num('INTERVAL', 5);
const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;

async function main(): Promise<void> {
  if (process.env.BROKERS) {
    // Reuse a broker prepared by an earlier `HOLD=1` run (same TOPICS/PARTITIONS/GROUP_COUNT).
    await benchService(process.env.BROKERS.split(','));
    return;
  }
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
        await committer.commit(
          `bench-g${g}`,
          topic,
          Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, offset: (g + p) % 4 })),
        );
      }
    }
    await committer.close();
    console.log(`committed ${GROUPS} groups x ${TOPICS_PER_GROUP} topics in ${Date.now() - t} ms`);
    await producer.disconnect();
    await admin.disconnect();
    if (process.env.HOLD) {
      console.log(`holding the broker: BROKERS=${broker.brokers.join(',')} (Ctrl-C stops it)`);
      await new Promise(() => {});
    }
    if (MODE === 'service') {
      await benchService(broker.brokers);
      return;
    }

    const registry = new Registry();
    const deps = {
      metrics: createMetrics(registry, { processMetrics: false }),
      logger: pino({ level: 'warn' }),
      clock: () => Date.now(),
      board: new SliBoard(),
    };
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

async function benchService(brokers: string[]): Promise<void> {
  if (process.env.BUILD !== '0') {
    const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const results: Record<string, ReturnType<typeof summarise>[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const granularity of GRANULARITIES) {
      const r = summarise(await serviceRun(serviceOptions(brokers, granularity)));
      console.log(`run ${run + 1} ${granularity}: ${JSON.stringify(r)}`);
      (results[granularity] ??= []).push(r);
    }
  }
  const med = (rs: ReturnType<typeof summarise>[], f: (r: ReturnType<typeof summarise>) => number) => round(median(rs.map(f)));
  const out = Object.fromEntries(
    Object.entries(results).map(([g, rs]) => [
      g,
      {
        runs: rs.length,
        cycleMs: { p50: med(rs, (r) => r.cycleMs.p50), p95: med(rs, (r) => r.cycleMs.p95), max: med(rs, (r) => r.cycleMs.max) },
        firstCycleMs: med(rs, (r) => r.firstCycleMs),
        requestsPerCycle: med(rs, (r) => r.requestsPerCycle),
        cpuMsPerCycle: { p50: med(rs, (r) => r.cpuMsPerCycle.p50), p95: med(rs, (r) => r.cpuMsPerCycle.p95) },
        rssMB: { peakSample: med(rs, (r) => r.rssMB.peakSample), vmHWM: med(rs, (r) => r.rssMB.vmHWM), idleBeforeFirstCycle: med(rs, (r) => r.rssMB.start) },
        heapMB: { usedMax: med(rs, (r) => r.heapMB.usedMax), totalMax: med(rs, (r) => r.heapMB.totalMax) },
        eventLoopLagMs: {
          p99: med(rs, (r) => r.eventLoopLagMs.p99),
          p99Max: med(rs, (r) => r.eventLoopLagMs.p99Max),
          max: med(rs, (r) => r.eventLoopLagMs.max),
        },
        scrape: { ms: med(rs, (r) => r.scrape.ms), bytes: med(rs, (r) => r.scrape.bytes), series: med(rs, (r) => r.scrape.series) },
        ...(rs[0]?.idle
          ? { idlePctOfCore: { betweenCycles: round(median(rs.map((r) => r.idle!.betweenPct)), 2), whole: round(median(rs.map((r) => r.idle!.wholePct)), 2) } }
          : {}),
      },
    ]),
  );
  if (process.env.PROFILE_DIR) {
    // One more run of the first granularity with the V8 profiler on; not part of the figures.
    const r = summarise(await serviceRun({ ...serviceOptions(brokers, GRANULARITY), nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] }));
    console.log(`profiled ${GRANULARITY} run (not counted): ${JSON.stringify(r)}`);
  }
  console.log(
    `medians over runs (${TOPICS} topics x ${PARTITIONS} partitions, ${GROUPS} groups, interval ${INTERVAL}s, ${CYCLES} cycles per run after the first):`,
  );
  console.log(JSON.stringify(out, null, 2));
}

/** The service on the bench cluster (bench/service-probe.ts measures it), with this bench's settings. */
function serviceOptions(brokers: string[], granularity: Granularity): ServiceRunOptions {
  return {
    brokers,
    granularity,
    interval: INTERVAL,
    cycles: CYCLES,
    idleSeconds: num('IDLE', 0),
    extraClusterYaml: [...(process.env.TIMEOUT ? [`    timeout: ${Number(process.env.TIMEOUT)}s`] : []), '    maxSeries: 1000000'],
  };
}

await main();
