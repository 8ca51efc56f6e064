/**
 * Benchmark of the Kafka collector on a large cluster (not a timed test): by default 500 topics x
 * 100 partitions (50 000 partitions) on 4 brokers, 5 000 groups each committed on the partitions
 * of one topic (500 000 group-partitions).
 *
 *   HOLD=1 npx vite-node bench/kafka-large.ts          # prepare once, keep the brokers; prints BROKERS= and the data dirs
 *   BROKERS=127.0.0.1:PORT RUNS=3 GRANULARITY=topic npx vite-node bench/kafka-large.ts
 *
 * Set-up knobs: TOPICS, PARTITIONS, GROUP_COUNT, MESSAGES (per partition), BROKER_COUNT (a
 * broker keeps one open file per partition and the hard limit here is 20 000 per process, so
 * keep partitions per broker under ~16 000), KAFKA_HEAP (per broker). Measurement knobs as in
 * bench/kafka-lag.ts: RUNS, CYCLES, INTERVAL, GRANULARITY (comma-separated), PROFILE_DIR,
 * NODE_ARGS, BUILD=0, plus MAX_SERIES and EXTRA_YAML (lines added under the cluster).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_KAFKA_VERSION, startKafka } from '../test/env/kafka.js';
import { OffsetCommitter } from '../test/env/kafka/commit-offsets.js';
import { addBroker, type ExtraBroker } from './kafka-brokers.js';
import { median, round, serviceRun, summarise, type Granularity } from './service-probe.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const TOPICS = num('TOPICS', 500);
const PARTITIONS = num('PARTITIONS', 100);
const GROUPS = num('GROUP_COUNT', 5000);
const MESSAGES = num('MESSAGES', 4);
const BROKER_COUNT = num('BROKER_COUNT', 4);
const RUNS = num('RUNS', 1);
const GRANULARITIES = (process.env.GRANULARITY ?? 'topic').split(',').map((g) => g.trim()) as Granularity[];
const HEAP = process.env.KAFKA_HEAP ?? '1g';
const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;

// Each partition costs a directory, a 1 MB segment file and two small lazily mapped indexes.
const BROKER_PROPERTIES = {
  'log.segment.bytes': 1_048_576,
  'log.index.size.max.bytes': 16_384,
  'num.io.threads': 2,
  'num.replica.fetchers': 1,
  'log.retention.check.interval.ms': 3_600_000,
  'offsets.topic.num.partitions': 10,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const topicName = (i: number) => `large-${String(i).padStart(5, '0')}`;

async function prepare(brokers: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'bench-setup', brokers, logLevel: logLevel.NOTHING, requestTimeout: 300_000 });
  const admin = kafka.admin();
  await admin.connect();
  for (;;) {
    const { brokers: live } = await admin.describeCluster();
    if (live.length >= BROKER_COUNT) break;
    await sleep(500);
  }
  const topics = Array.from({ length: TOPICS }, (_, i) => topicName(i));
  let t = Date.now();
  const existing = new Set(await admin.listTopics());
  const BATCH = Math.max(1, Math.floor(2000 / PARTITIONS));
  for (let i = 0; i < topics.length; i += BATCH) {
    const batch = topics.slice(i, i + BATCH).filter((x) => !existing.has(x));
    if (batch.length === 0) continue;
    await admin.createTopics({ topics: batch.map((topic) => ({ topic, numPartitions: PARTITIONS })), waitForLeaders: false, timeout: 300_000 });
    for (let tries = 0; ; tries++) {
      try {
        const meta = await admin.fetchTopicMetadata({ topics: batch });
        if (meta.topics.every((x) => x.partitions.length === PARTITIONS && x.partitions.every((p) => p.leader >= 0))) break;
      } catch (err) {
        if (tries > 3000) throw err;
      }
      await sleep(200);
    }
    if ((i / BATCH) % 10 === 0) console.log(`  ${i + batch.length} topics in ${Date.now() - t} ms`);
  }
  console.log(`created ${TOPICS} topics x ${PARTITIONS} partitions in ${Date.now() - t} ms`);
  t = Date.now();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  for (let i = 0; i < topics.length; i += 10) {
    await producer.sendBatch({
      acks: 1,
      topicMessages: topics
        .slice(i, i + 10)
        .map((topic) => ({ topic, messages: Array.from({ length: PARTITIONS * MESSAGES }, (_, j) => ({ partition: j % PARTITIONS, value: 'x' })) })),
    });
  }
  await producer.disconnect();
  console.log(`produced ${TOPICS * PARTITIONS * MESSAGES} messages in ${Date.now() - t} ms`);
  t = Date.now();
  const committer = new OffsetCommitter(brokers);
  const commitGroup = (g: number) =>
    committer.commit(
      `large-g${String(g).padStart(5, '0')}`,
      topics[g % TOPICS]!,
      // Offsets vary the lag per partition (1..MESSAGES behind the high watermark).
      Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, offset: (g + p) % MESSAGES })),
    );
  for (let g = 0; g < GROUPS; g += 20) await Promise.all(Array.from({ length: Math.min(20, GROUPS - g) }, (_, k) => commitGroup(g + k)));
  await committer.close();
  console.log(`committed ${GROUPS} groups in ${Date.now() - t} ms`);
  await admin.disconnect();
}

async function measure(brokers: string[]): Promise<void> {
  if (process.env.BUILD !== '0') {
    const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
    if (b.status !== 0) throw new Error('npm run build failed');
  }
  const extra = [
    `    maxSeries: ${num('MAX_SERIES', 5_000_000)}`,
    `    timeout: ${num('TIMEOUT', 60)}s`,
    ...(process.env.EXTRA_YAML ?? '')
      .split('\\n')
      .filter(Boolean)
      .map((l) => `    ${l}`),
  ];
  const results: Record<string, ReturnType<typeof summarise>[]> = {};
  for (let run = 0; run < RUNS; run++) {
    for (const granularity of GRANULARITIES) {
      const load0 = loadavg()[0]!;
      const r = summarise(await serviceRun({ brokers, granularity, extraClusterYaml: extra }));
      console.log(`run ${run + 1} ${granularity} (load ${load0.toFixed(2)} -> ${loadavg()[0]!.toFixed(2)}): ${JSON.stringify(r)}`);
      (results[granularity] ??= []).push(r);
    }
  }
  if (process.env.PROFILE_DIR) {
    const r = summarise(
      await serviceRun({
        brokers,
        granularity: GRANULARITIES[0]!,
        extraClusterYaml: extra,
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`],
      }),
    );
    console.log(`profiled ${GRANULARITIES[0]} run (not counted): ${JSON.stringify(r)}`);
  }
  const med = (rs: ReturnType<typeof summarise>[], f: (r: ReturnType<typeof summarise>) => number) => round(median(rs.map(f)));
  for (const [g, rs] of Object.entries(results)) {
    console.log(
      `medians ${g} over ${rs.length} runs (${TOPICS} x ${PARTITIONS}, ${GROUPS} groups): ` +
        JSON.stringify({
          cycleMs: { p50: med(rs, (r) => r.cycleMs.p50), p95: med(rs, (r) => r.cycleMs.p95) },
          firstCycleMs: med(rs, (r) => r.firstCycleMs),
          requestsPerCycle: med(rs, (r) => r.requestsPerCycle),
          cpuMsPerCycle: { p50: med(rs, (r) => r.cpuMsPerCycle.p50), p95: med(rs, (r) => r.cpuMsPerCycle.p95) },
          vmHWM: med(rs, (r) => r.rssMB.vmHWM),
          eventLoopLagMs: {
            p99: med(rs, (r) => r.eventLoopLagMs.p99),
            p99Max: med(rs, (r) => r.eventLoopLagMs.p99Max),
            max: med(rs, (r) => r.eventLoopLagMs.max),
          },
          scrape: { ms: med(rs, (r) => r.scrape.ms), bytes: med(rs, (r) => r.scrape.bytes), series: med(rs, (r) => r.scrape.series) },
        }),
    );
  }
}

async function main(): Promise<void> {
  if (process.env.BROKERS) {
    await measure(process.env.BROKERS.split(','));
    return;
  }
  const t0 = Date.now();
  const first = await startKafka({ version, heap: HEAP, properties: BROKER_PROPERTIES, readyTimeoutMs: 300_000 });
  const extra: ExtraBroker[] = [];
  const stopAll = async () => {
    await Promise.all(extra.map((b) => b.stop()));
    await first.stop();
  };
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => void stopAll().finally(() => process.exit(130)));
  try {
    for (let n = 2; n <= BROKER_COUNT; n++) extra.push(await addBroker(first, n, { heap: HEAP, properties: BROKER_PROPERTIES }));
    const brokers = [first.brokers[0]!, ...extra.map((b) => b.address)];
    console.log(
      `${BROKER_COUNT} brokers ${version} started in ${Date.now() - t0} ms: ${brokers.join(',')} (extra pids ${extra.map((b) => b.pid).join(',')}, data dirs ${[first.dataDir, ...extra.map((b) => b.dataDir)].join(' ')})`,
    );
    await prepare(brokers);
    if (process.env.HOLD) {
      console.log(`holding the brokers: BROKERS=${brokers.join(',')} (SIGTERM stops them; check that the data dirs above are gone)`);
      await new Promise(() => {});
    }
    await measure(brokers);
  } finally {
    await stopAll();
  }
}

await main();
