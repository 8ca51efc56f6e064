/**
 * Stream tail throughput against a bare kafkajs consumer reading the same topic (the practical
 * limit of a kafkajs-based tail), on a real local broker. Not a timed test.
 *
 *   npm run bench -- bench/stream-tail.ts
 *   EVENTS=300000 PARTITIONS=4 RUNS=5 FIELDS=json LINES=10 JSON_CHECK=fields PROFILE=/tmp npm run bench -- bench/stream-tail.ts
 *
 * FIELDS=json (default) reads id, aggregateId, version and occurredAt by JSON path from the
 * value; FIELDS=headers reads them as a Debezium-outbox-style relay sets them: the id and
 * version in headers, the aggregate id as the key (the payload is not parsed).
 * LINES adds order lines (~70 bytes each) to every payload; JSON_CHECK sets the stream's
 * `jsonCheck`. PROFILE=dir writes a CPU profile of each measured phase there.
 * Starts its own broker, produces EVENTS JSON events (~185 bytes, id/aggregateId/version/
 * occurredAt), then alternately reads the whole topic from the beginning RUNS times with
 * (a) a bare kafkajs consumer (eachBatch, resolve + commit per batch, no parsing) and
 * (b) the StreamSource (parse, dedupe, versions, publish delay, metrics, commit per batch),
 * each in a fresh group. Prints events/s per run and the medians, and RSS.
 */
import { Kafka, logLevel } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DEFAULT_KAFKA_VERSION, startKafka } from '../test/env/kafka.js';
import { clusterSchema } from '../src/config/schema/kafka.js';
import { streamSchema } from '../src/config/schema/streams.js';
import { SliBoard } from '../src/core/sli-board.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { StreamSource } from '../src/sources/stream/stream-source.js';
import { createKafkaClient } from '../src/sources/stream/kafka-client.js';
import type { CycleContext } from '../src/sources/source.js';

const num = (name: string, def: number): number => Number(process.env[name] ?? def);
const EVENTS = num('EVENTS', 500_000);
const PARTITIONS = num('PARTITIONS', 4);
const RUNS = num('RUNS', 3);
const MAX_BYTES = 4 * 1024 * 1024;
const FIELDS = process.env.FIELDS === 'headers' ? 'headers' : 'json';
/** Order lines added to each event's payload (each ~70 bytes): how the tail scales with event size. */
const LINES = num('LINES', 0);
/** The stream's `jsonCheck`: document (default) or fields. */
const JSON_CHECK = process.env.JSON_CHECK === 'fields' ? 'fields' : 'document';

const PROFILE = process.env.PROFILE;

/** With PROFILE=dir, writes a V8 CPU profile of each measured phase there (bare-N, tail-N). */
async function profiled<T>(name: string, fn: () => Promise<T>): Promise<T> {
  if (!PROFILE) return fn();
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(`${PROFILE}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Events per second of wall time and per second of this process's CPU time. */
interface Rate {
  wall: number;
  cpu: number;
}

async function bare(kafka: Kafka, topic: string, run: number): Promise<Rate> {
  const consumer = kafka.consumer({ groupId: `bench-bare-${run}`, maxBytesPerPartition: MAX_BYTES });
  let n = 0;
  let t0 = 0;
  let c0 = process.cpuUsage();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Promise<number>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (t0 === 0) {
          t0 = performance.now();
          c0 = process.cpuUsage();
        }
        n += batch.messages.length;
        const last = batch.lastOffset();
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last) + 1) }]);
        if (n >= EVENTS) resolve(performance.now());
      },
    });
  });
  const t1 = await done;
  const cpu = cpuSeconds(c0);
  await consumer.disconnect();
  return { wall: EVENTS / ((t1 - t0) / 1000), cpu: EVENTS / cpu };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

async function tail(brokers: string[], topic: string, run: number): Promise<Rate> {
  const registry = new Registry();
  const deps = {
    metrics: createMetrics(registry, { processMetrics: false }),
    logger: pino({ level: 'silent' }),
    clock: () => Date.now(),
    board: new SliBoard(),
  };
  const cluster = clusterSchema.parse({ name: 'bench', brokers });
  const stream = streamSchema.parse({
    name: 'bench',
    cluster: 'bench',
    topics: [topic],
    groupId: `bench-tail-${run}`,
    startFrom: 'beginning',
    jsonCheck: JSON_CHECK,
    ...(FIELDS === 'json'
      ? {
          eventId: { jsonPath: '$.id' },
          aggregateId: { jsonPath: '$.aggregateId' },
          version: { jsonPath: '$.version' },
          occurredAt: { jsonPath: '$.occurredAt' },
        }
      : { eventId: { header: 'id' }, aggregateId: { key: true }, version: { header: 'version' }, occurredAt: { header: 'occurredAt' } }),
  });
  const src = new StreamSource({ stream, cluster, kafka: createKafkaClient(cluster, { clientId: 'bench', logger: deps.logger }), deps });
  const ctx: CycleContext = { signal: new AbortController().signal, clock: deps.clock, startedAt: Date.now(), logger: deps.logger, span: (_n, fn) => fn() };
  await src.collect(ctx);
  // The first record marks the start, as for the bare consumer (group join excluded).
  while (src.tail.delivered === 0) await sleep(1);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (src.tail.delivered < EVENTS) await sleep(1);
  const t1 = performance.now();
  const cpu = cpuSeconds(c0);
  await src.close();
  return { wall: EVENTS / ((t1 - t0) / 1000), cpu: EVENTS / cpu };
}

function payload(n: number): Record<string, unknown> {
  const p: Record<string, unknown> = { amount: n % 997, currency: 'EUR' };
  if (LINES > 0) p.lines = Array.from({ length: LINES }, (_, k) => ({ sku: `SKU-${k}-${n}`, qty: k + 1, price: 12.5 * k, note: 'some free text here' }));
  return p;
}

const k = await startKafka({ version: process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION, heap: '1g' });
try {
  const kafka = new Kafka({ clientId: 'bench', brokers: k.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = 'bench-events';
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const t = Date.now();
  for (let i = 0; i < EVENTS; i += 2000) {
    const messages = Array.from({ length: Math.min(2000, EVENTS - i) }, (_, j) => {
      const n = i + j;
      const agg = `order-${n % 10_000}`;
      const id = `0b9f3c1e-4d2a-4c1b-9e7f-${String(n).padStart(12, '0')}`;
      const version = 1 + Math.floor(n / 10_000);
      const occurredAt = new Date(t - 1000).toISOString();
      return {
        key: agg,
        value: JSON.stringify({ id, aggregateId: agg, version, type: 'OrderPlaced', occurredAt, payload: payload(n) }),
        headers: FIELDS === 'headers' ? { id, version: String(version), occurredAt } : {},
      };
    });
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
  await admin.disconnect();
  console.log(
    JSON.stringify({
      fields: FIELDS,
      jsonCheck: JSON_CHECK,
      lines: LINES,
      produced: EVENTS,
      partitions: PARTITIONS,
      kafka: k.version,
      seconds: (Date.now() - t) / 1000,
    }),
  );

  const bareRates: Rate[] = [];
  const tailRates: Rate[] = [];
  for (let r = 0; r < RUNS; r++) {
    const b = await profiled(`bare-${r}`, () => bare(kafka, topic, r));
    const t = await profiled(`tail-${r}`, () => tail(k.brokers, topic, r));
    bareRates.push(b);
    tailRates.push(t);
    console.log(
      JSON.stringify({
        run: r,
        bareEventsPerSec: Math.round(b.wall),
        tailEventsPerSec: Math.round(t.wall),
        ratio: +(t.wall / b.wall).toFixed(3),
        bareEventsPerCpuSec: Math.round(b.cpu),
        tailEventsPerCpuSec: Math.round(t.cpu),
        cpuRatio: +(t.cpu / b.cpu).toFixed(3),
        rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      }),
    );
  }
  const m = (xs: Rate[], k: keyof Rate) => median(xs.map((x) => x[k]));
  console.log(
    JSON.stringify({
      medianBare: Math.round(m(bareRates, 'wall')),
      medianTail: Math.round(m(tailRates, 'wall')),
      ratioOfMedians: +(m(tailRates, 'wall') / m(bareRates, 'wall')).toFixed(3),
      medianBarePerCpuSec: Math.round(m(bareRates, 'cpu')),
      medianTailPerCpuSec: Math.round(m(tailRates, 'cpu')),
      cpuRatioOfMedians: +(m(tailRates, 'cpu') / m(bareRates, 'cpu')).toFixed(3),
      loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
    }),
  );
} finally {
  await k.stop();
}
