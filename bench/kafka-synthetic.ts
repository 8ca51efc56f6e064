/**
 * The Kafka collector's own cost per group-partition, without a broker (not a timed test). A
 * bench-only KafkaClient answers for TOPICS x PARTITIONS partitions and GROUP_COUNT groups, each
 * consuming TOPICS_PER_GROUP topics; the real KafkaClusterSource runs its cycles with the real
 * metrics registry, and /metrics is rendered after every cycle as the service streams it.
 *
 * SYNTHETIC: the client's answers cost only the objects it builds (no network, no decoding), so
 * the figures are the collector's state, evaluation and rendering, not a cycle on a real cluster
 * (bench/kafka-large.ts on real brokers remains the reference).
 *
 * The cluster moves like a busy one: every partition's high watermark advances each cycle
 * (1 + partition % 7 messages), groups commit close behind it (0..4 messages of lag), one group
 * in STALLED_EVERY keeps its first commits (STALLED), one in 10 lags further each cycle, and one
 * in 25 goes back to an earlier commit from the fourth cycle on (REWOUND).
 *
 *   npm run bench -- bench/kafka-synthetic.ts
 *   TOPICS=200 PARTITIONS=50 GROUP_COUNT=500 GRANULARITY=partition npm run bench -- bench/kafka-synthetic.ts
 *
 * Knobs: TOPICS (500), PARTITIONS (100), GROUP_COUNT (5000), TOPICS_PER_GROUP (1), STALLED_EVERY
 * (50), CYCLES (6), INTERVAL (seconds between cycles on the fixed clock, 10), GRANULARITY
 * (topic), STATUS_WINDOW (10), MAX_SERIES (10 000 000: past it rows are ranked), RUNS (3: each a fresh process, medians printed), HEAP_SNAPSHOT
 * (a path: one run, a heap snapshot after the last cycle and a full GC, no medians), METRICS_OUT
 * (a path: one run, writes the last cycle's /metrics text there; compare two builds' files to
 * check that a change leaves the series byte-identical on a cluster whose offsets move).
 * Prints per run: heap used after a full GC before the first cycle and after the last (and its
 * difference per group-partition), RSS and VmHWM at the end, CPU per cycle and per render,
 * garbage-collection pause time per cycle and its share of that CPU (PerformanceObserver 'gc'),
 * and the event-loop delay p99 / max, all over the cycles after the first (the first builds the
 * state and compiles; perf_hooks.monitorEventLoopDelay, 1 ms resolution).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import pino from 'pino';
import { clusterSchema } from '../src/config/schema/kafka.js';
import { SliBoard } from '../src/core/sli-board.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { MetricsRegistry } from '../src/metrics/metrics-registry.js';
import type {
  GroupCommits,
  GroupInfo,
  GroupListing,
  KafkaClient,
  PartitionWatermarks,
  RecordRef,
  RecordTimestamp,
  WatermarkResult,
} from '../src/sources/kafka/client.js';
import { KafkaClusterSource } from '../src/sources/kafka/cluster-source.js';
import type { CycleContext } from '../src/sources/source.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const TOPICS = num('TOPICS', 500);
const PARTITIONS = num('PARTITIONS', 100);
const GROUPS = num('GROUP_COUNT', 5000);
const TOPICS_PER_GROUP = num('TOPICS_PER_GROUP', 1);
const STALLED_EVERY = num('STALLED_EVERY', 50);
const CYCLES = num('CYCLES', 6);
const INTERVAL = num('INTERVAL', 10);
const GRANULARITY = process.env.GRANULARITY ?? 'topic';
const STATUS_WINDOW = num('STATUS_WINDOW', 10);
const RUNS = num('RUNS', 3);
const MAX_SERIES = num('MAX_SERIES', 10_000_000);
const START_MS = Date.UTC(2030, 0, 1);

const topicName = (t: number) => `syn-${String(t).padStart(5, '0')}`;
const groupName = (g: number) => `syn-g${String(g).padStart(5, '0')}`;
const topicsOf = (g: number) => Array.from({ length: TOPICS_PER_GROUP }, (_, j) => (g * TOPICS_PER_GROUP + j) % TOPICS);

/** A cluster whose offsets are a function of the cycle number: the answers need no state and no I/O. */
class SyntheticClient implements KafkaClient {
  cycle = 0;
  #requests = 0;

  high(p: number, cycle = this.cycle): number {
    return 1000 + cycle * (1 + (p % 7));
  }

  async listGroups(): Promise<GroupListing[]> {
    this.#requests++;
    return Array.from({ length: GROUPS }, (_, g) => ({ groupId: groupName(g), protocolType: 'consumer' }));
  }

  async describeGroups(groupIds: readonly string[]): Promise<Map<string, GroupInfo | Error>> {
    this.#requests++;
    return new Map(groupIds.map((id) => [id, { state: 'Stable', members: 1, protocol: 'classic' } as GroupInfo]));
  }

  async fetchCommittedOffsets(groupIds: readonly string[]): Promise<Map<string, GroupCommits | Error>> {
    this.#requests++;
    const out = new Map<string, GroupCommits | Error>();
    for (const id of groupIds) {
      const g = Number(id.slice(5));
      const stalled = g % STALLED_EVERY === STALLED_EVERY - 1;
      const falling = g % 10 === 3;
      const rewound = g % 25 === 11 && this.cycle >= 3;
      // Columns, as the OffsetFetch decoder makes them: one string per topic per answer.
      const ts = topicsOf(g);
      const topics: string[] = [];
      const runs: number[] = [];
      const partitions = new Int32Array(ts.length * PARTITIONS);
      const offsets = new Float64Array(ts.length * PARTITIONS);
      let i = 0;
      for (const t of ts) {
        topics.push(topicName(t));
        runs.push(PARTITIONS);
        for (let p = 0; p < PARTITIONS; p++, i++) {
          const offset = stalled
            ? this.high(p, 0) - 2
            : rewound
              ? this.high(p, 1)
              : this.high(p) - ((g + p) % 5) - (falling ? this.cycle * this.cycle * 20 * (p % 3) : 0);
          partitions[i] = p;
          offsets[i] = Math.max(0, offset);
        }
      }
      out.set(id, { topics, runs, partitions, offsets });
    }
    return out;
  }

  async fetchWatermarks(topics: readonly string[]): Promise<WatermarkResult> {
    this.#requests++;
    const partitions: PartitionWatermarks[] = [];
    for (const topic of topics) for (let p = 0; p < PARTITIONS; p++) partitions.push({ topic, partition: p, low: 0, high: this.high(p) });
    return { partitions, failed: new Map() };
  }

  async readTimestamps(reads: readonly RecordRef[]): Promise<RecordTimestamp[]> {
    this.#requests++;
    // The record at `offset` was written when the high watermark passed it (one cycle = INTERVAL s).
    return reads.map((r) => {
      let c = 0;
      while (c < this.cycle && this.high(r.partition, c) <= r.offset) c++;
      return { ...r, timestamp: START_MS + c * INTERVAL * 1000 };
    });
  }

  requestCount(): number {
    return this.#requests;
  }

  async close(): Promise<void> {}
}

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const gc = (): void => (globalThis as { gc?: () => void }).gc!();
const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
const vmHWM = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface RunResult {
  heapBeforeMB: number;
  heapAfterMB: number;
  bytesPerGroupPartition: number;
  rssMB: number;
  vmHWMMB: number;
  cycleCpuMs: number[];
  renderCpuMs: number[];
  cycleCpuMsP50: number;
  renderCpuMsP50: number;
  /** Garbage-collection pause time per cycle (cycle + render), and its share of their CPU. */
  gcMsPerCycle: number;
  gcShare: number;
  metricsBytes: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  load: string;
}

async function runOnce(): Promise<RunResult> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with --expose-gc (npm run bench does)');
  const load0 = loadavg()[0]!;
  let now = START_MS;
  const clock = () => now;
  const registry = new MetricsRegistry();
  const logger = pino({ level: 'warn' });
  const deps = { metrics: createMetrics(registry, { processMetrics: false }), logger, clock, board: new SliBoard() };
  const cfg = clusterSchema.parse({
    name: 'synthetic',
    brokers: ['synthetic:9092'],
    interval: `${INTERVAL}s`,
    timeout: '600s',
    granularity: GRANULARITY,
    statusWindow: STATUS_WINDOW,
    maxSeries: MAX_SERIES,
  });
  const client = new SyntheticClient();
  const source = new KafkaClusterSource(cfg, deps, client);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  // GC pauses of the cycles after the first (entries arrive asynchronously: counted while measuring).
  let gcMs = 0;
  let measuring = false;
  const gcs = new PerformanceObserver((list) => {
    if (measuring) for (const e of list.getEntries()) gcMs += e.duration;
  });
  gcs.observe({ entryTypes: ['gc'] });
  const cycleCpu: number[] = [];
  const renderCpu: number[] = [];
  let metricsBytes = 0;
  for (let i = 0; i < CYCLES; i++) {
    if (i === 1) {
      loop.enable();
      measuring = true;
    }
    client.cycle = i;
    const ctx: CycleContext = { signal: new AbortController().signal, clock, startedAt: now, logger, span: (_n, fn) => fn() };
    const c0 = process.cpuUsage();
    await source.collect(ctx);
    const c1 = process.cpuUsage();
    metricsBytes = 0;
    let text = '';
    for await (const chunk of registry.stream()) {
      metricsBytes += chunk.length;
      if (process.env.METRICS_OUT && i === CYCLES - 1) text += chunk;
    }
    if (text) writeFileSync(process.env.METRICS_OUT!, text);
    const c2 = process.cpuUsage();
    if (i > 0) {
      cycleCpu.push(cpuMs(c1) - cpuMs(c0));
      renderCpu.push(cpuMs(c2) - cpuMs(c1));
    }
    now += INTERVAL * 1000;
  }
  loop.disable();
  await new Promise<void>((r) => setImmediate(r));
  measuring = false;
  gcs.disconnect();
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  if (process.env.HEAP_SNAPSHOT) console.log(`heap snapshot: ${writeHeapSnapshot(process.env.HEAP_SNAPSHOT)}`);
  const gp = GROUPS * TOPICS_PER_GROUP * PARTITIONS;
  const r: RunResult = {
    heapBeforeMB: mb(heapBefore),
    heapAfterMB: mb(heapAfter),
    bytesPerGroupPartition: Math.round((heapAfter - heapBefore) / gp),
    rssMB: mb(process.memoryUsage().rss),
    vmHWMMB: Math.round(vmHWM() * 10) / 10,
    cycleCpuMs: cycleCpu.map(Math.round),
    renderCpuMs: renderCpu.map(Math.round),
    cycleCpuMsP50: Math.round(median(cycleCpu)),
    renderCpuMsP50: Math.round(median(renderCpu)),
    gcMsPerCycle: Math.round(gcMs / cycleCpu.length),
    gcShare: Math.round((gcMs / (cycleCpu.reduce((a, b) => a + b, 0) + renderCpu.reduce((a, b) => a + b, 0))) * 1000) / 1000,
    metricsBytes,
    eventLoopP99Ms: Math.round(loop.percentile(99) / 1e5) / 10,
    eventLoopMaxMs: Math.round(loop.max / 1e5) / 10,
    load: `${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}`,
  };
  await source.close();
  return r;
}

const sizes = `${TOPICS} x ${PARTITIONS} partitions, ${GROUPS} groups x ${TOPICS_PER_GROUP} topic(s) (${GROUPS * TOPICS_PER_GROUP * PARTITIONS} group-partitions), ${GRANULARITY}, statusWindow ${STATUS_WINDOW}, ${CYCLES} cycles`;
if (process.env.SYNTHETIC_CHILD || process.env.HEAP_SNAPSHOT || process.env.METRICS_OUT) {
  const r = await runOnce();
  console.log(`RESULT ${JSON.stringify(r)}`);
} else {
  // Each run in a fresh process: RSS, VmHWM and heap are per process.
  const results: RunResult[] = [];
  console.log(`synthetic (no broker): ${sizes}`);
  for (let run = 0; run < RUNS; run++) {
    const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!], {
      env: { ...process.env, SYNTHETIC_CHILD: '1' },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    if (child.status !== 0) throw new Error(`run ${run + 1} failed: ${child.stderr}`);
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    const r = JSON.parse(line!.slice(7)) as RunResult;
    console.log(`run ${run + 1}: ${JSON.stringify(r)}`);
    results.push(r);
  }
  const med = (f: (r: RunResult) => number) => median(results.map(f));
  console.log(
    `medians of ${RUNS}: ${JSON.stringify({
      heapAfterMB: med((r) => r.heapAfterMB),
      bytesPerGroupPartition: med((r) => r.bytesPerGroupPartition),
      rssMB: med((r) => r.rssMB),
      vmHWMMB: med((r) => r.vmHWMMB),
      cycleCpuMsP50: med((r) => r.cycleCpuMsP50),
      renderCpuMsP50: med((r) => r.renderCpuMsP50),
      gcMsPerCycle: med((r) => r.gcMsPerCycle),
      gcShare: med((r) => r.gcShare),
      eventLoopP99Ms: med((r) => r.eventLoopP99Ms),
      eventLoopMaxMs: med((r) => r.eventLoopMaxMs),
      metricsBytes: med((r) => r.metricsBytes),
    })}`,
  );
}
