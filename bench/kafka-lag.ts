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
 * without the set-up. NODE_ARGS adds options to the child; PROFILE_DIR adds one last, uncounted run of the first
 * granularity under `node --cpu-prof` and leaves the profile there.
 *
 * MODE=inprocess: runs CYCLES cycles back to back in this process (figures include the harness).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_KAFKA_VERSION, freePort, startKafka } from '../test/env/kafka.js';
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
type Granularity = 'partition' | 'topic' | 'group';
const GRANULARITIES = (process.env.GRANULARITY ?? 'partition').split(',').map((g) => g.trim()) as Granularity[];
const GRANULARITY = GRANULARITIES[0]!;
const MODE = process.env.MODE ?? 'service';
const RUNS = num('RUNS', 1);
const INTERVAL = num('INTERVAL', 5);
const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

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

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, d = 1): number => +x.toFixed(d);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The body of a GET, tried again once: on a loaded box a kept-alive connection may be closed by the server as it is reused (ECONNRESET, UND_ERR_SOCKET). */
async function fetchText(url: string): Promise<string> {
  try {
    return await (await fetch(url)).text();
  } catch {
    await sleep(50);
    return (await fetch(url)).text();
  }
}

/** Sum of the samples of one metric in the Prometheus text format (all label sets). */
function metric(text: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : NaN;
}

interface Sample {
  cycleMs: number;
  requests: number;
  cpuMs: number;
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  eldP99Ms: number;
  eldMaxMs: number;
  scrapeMs: number;
  scrapeBytes: number;
  report: unknown;
}

async function benchService(brokers: string[]): Promise<void> {
  if (process.env.BUILD !== '0') {
    const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const results: Record<string, ReturnType<typeof summarise>[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const granularity of GRANULARITIES) {
      const r = summarise(await serviceRun(brokers, granularity));
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
      },
    ]),
  );
  if (process.env.PROFILE_DIR) {
    // One more run of the first granularity with the V8 profiler on; not part of the figures.
    const r = summarise(await serviceRun(brokers, GRANULARITY, ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`]));
    console.log(`profiled ${GRANULARITY} run (not counted): ${JSON.stringify(r)}`);
  }
  console.log(
    `medians over runs (${TOPICS} topics x ${PARTITIONS} partitions, ${GROUPS} groups, interval ${INTERVAL}s, ${CYCLES} cycles per run after the first):`,
  );
  console.log(JSON.stringify(out, null, 2));
}

function summarise(s: { first: Sample; samples: Sample[]; startRssMB: number; vmHWM: number; series: number }) {
  const xs = s.samples;
  const f = (k: keyof Sample) => xs.map((x) => x[k] as number);
  return {
    cycles: xs.length,
    firstCycleMs: round(s.first.cycleMs),
    firstCycleRequests: s.first.requests,
    cycleMs: { p50: round(pct(f('cycleMs'), 50)), p95: round(pct(f('cycleMs'), 95)), max: round(Math.max(...f('cycleMs'))) },
    requestsPerCycle: pct(f('requests'), 50),
    cpuMsPerCycle: { p50: round(pct(f('cpuMs'), 50)), p95: round(pct(f('cpuMs'), 95)) },
    rssMB: { peakSample: round(Math.max(s.first.rssMB, ...f('rssMB'))), vmHWM: round(s.vmHWM), start: round(s.startRssMB) },
    heapMB: { usedMax: round(Math.max(...f('heapUsedMB'))), totalMax: round(Math.max(...f('heapTotalMB'))) },
    eventLoopLagMs: { p99: round(pct(f('eldP99Ms'), 50)), p99Max: round(Math.max(...f('eldP99Ms'))), max: round(Math.max(...f('eldMaxMs'))) },
    scrape: { ms: round(pct(f('scrapeMs'), 50)), bytes: pct(f('scrapeBytes'), 50), series: s.series },
    report: xs.at(-1)?.report,
  };
}

async function serviceRun(brokers: string[], granularity: Granularity, extraArgs: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-bench-'));
  const port = await freePort();
  const cfg = join(dir, 'bench.yaml');
  writeFileSync(
    cfg,
    [
      'server:',
      `  port: ${port}`,
      '  address: 127.0.0.1',
      'telemetry:',
      '  logLevel: warn',
      ...(process.env.HEAP_GROWTH !== undefined ? ['runtime:', `  heapGrowthPercent: ${Number(process.env.HEAP_GROWTH)}`] : []),
      'clusters:',
      '  - name: bench',
      `    brokers: [${brokers.map((b) => JSON.stringify(b)).join(', ')}]`,
      `    interval: ${INTERVAL}s`,
      ...(process.env.TIMEOUT ? [`    timeout: ${Number(process.env.TIMEOUT)}s`] : []),
      `    granularity: ${granularity}`,
      '    maxSeries: 1000000',
      '',
    ].join('\n'),
  );
  const nodeArgs = [...(process.env.NODE_ARGS ?? '').split(' ').filter(Boolean), ...extraArgs];
  const child = spawn(process.execPath, [...nodeArgs, 'bin/cqrs-slo.js', 'run', '--config', cfg], { stdio: ['ignore', 'pipe', 'inherit'] });
  let url = `http://127.0.0.1:${port}`;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const m = /"url":"(http:\/\/[^"]+)"/.exec(chunk);
    if (m) url = m[1]!;
    if (process.env.VERBOSE) process.stdout.write(chunk);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  try {
    let startRss = NaN;
    for (let i = 0; ; i++) {
      try {
        const text = await fetchText(`${url}/metrics`);
        startRss = metric(text, 'process_resident_memory_bytes') / 1048576;
        break;
      } catch (err) {
        if (i > 300 || child.exitCode !== null) throw err;
        await sleep(100);
      }
    }
    const status = async () => {
      const st = JSON.parse(await fetchText(`${url}/api/status`)) as {
        sources: { name: string; cycles: number; errors: number; lastDuration?: number; lastReport?: unknown; lastError?: unknown }[];
      };
      return st.sources.find((x) => x.name.includes('bench'))!;
    };
    let seen = 0;
    let prev = { requests: 0, cpu: 0 };
    let first: Sample | undefined;
    const samples: Sample[] = [];
    let series = 0;
    while (samples.length < CYCLES) {
      const src = await status();
      if (src.cycles === seen) {
        await sleep(50);
        continue;
      }
      if (src.cycles > seen + 1) console.warn(`missed ${src.cycles - seen - 1} cycle(s)`);
      if (src.errors) throw new Error(`cycle failed: ${JSON.stringify(src.lastError)}`);
      seen = src.cycles;
      const s0 = performance.now();
      const text = await fetchText(`${url}/metrics`);
      const scrapeMs = performance.now() - s0;
      const requests = metric(text, 'cqrs_kafka_requests_total');
      const cpu = metric(text, 'process_cpu_seconds_total');
      const sample: Sample = {
        cycleMs: (src.lastDuration ?? NaN) * 1000,
        requests: requests - prev.requests,
        cpuMs: (cpu - prev.cpu) * 1000,
        rssMB: metric(text, 'process_resident_memory_bytes') / 1048576,
        heapUsedMB: metric(text, 'nodejs_heap_size_used_bytes') / 1048576,
        heapTotalMB: metric(text, 'nodejs_heap_size_total_bytes') / 1048576,
        eldP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        eldMaxMs: metric(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
        scrapeMs,
        scrapeBytes: text.length,
        report: src.lastReport,
      };
      prev = { requests, cpu };
      series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      if (process.env.VERBOSE) console.log(`${granularity} cycle ${seen}: ${JSON.stringify(sample)}`);
      if (!first) first = sample;
      else samples.push(sample);
    }
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { first: first!, samples, startRssMB: startRss, vmHWM: hwm ? Number(hwm[1]) / 1024 : NaN, series };
  } finally {
    kill();
    await exited;
    process.off('exit', kill);
  }
}

await main();
