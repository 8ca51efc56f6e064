import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin, type KafkaConfig, type Producer } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll } from 'vitest';
import { clusterSchema, type ClusterConfig } from '../../../src/config/schema/kafka.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import type { Clock } from '../../../src/core/units.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import type { SourceDeps } from '../../../src/sources/deps.js';
import { KafkaClusterSource } from '../../../src/sources/kafka/cluster-source.js';
import { kafkajsClientFactory } from '../../../src/sources/kafka/index.js';
import type { CycleContext, CycleReport } from '../../../src/sources/source.js';
import { OffsetCommitter } from '../../env/kafka/commit-offsets.js';
import { sleep } from '../../env/wait.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Fresh deps on their own registry; the real clock unless a test moves its own (`skippingClock`). */
export function makeDeps(clock: Clock = () => Date.now()): SourceDeps & { registry: Registry } {
  const registry = new Registry();
  return {
    registry,
    metrics: createMetrics(registry, { processMetrics: false }),
    logger: pino({ level: 'silent' }),
    clock,
    board: new SliBoard(),
  };
}

/** A cluster config as the YAML loader would produce it, with test-friendly defaults. */
export function clusterConfig(brokers: string[], extra: Record<string, unknown> = {}): ClusterConfig {
  return clusterSchema.parse({ name: 'test', brokers, interval: '1s', timeout: '20s', ...extra });
}

export function makeSource(cfg: ClusterConfig, deps: SourceDeps): KafkaClusterSource {
  return new KafkaClusterSource(cfg, deps, kafkajsClientFactory(cfg, deps));
}

/** Runs one cycle the way the scheduler does: on failure the series are cleared. */
export async function cycle(source: KafkaClusterSource, deps: SourceDeps, logger: SourceDeps['logger'] = deps.logger): Promise<CycleReport | Error> {
  const ctx: CycleContext = {
    signal: new AbortController().signal,
    clock: deps.clock,
    startedAt: deps.clock(),
    logger,
    span: (_name, fn) => fn(),
  };
  try {
    return await source.collect(ctx);
  } catch (err) {
    source.clear();
    return err as Error;
  }
}

/** Value of one series, or undefined when absent. */
export async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const hit = values.find((v) => Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want));
  return hit?.value;
}

/** Every series of a metric, as label objects with values. */
export async function series(registry: Registry, name: string): Promise<{ labels: Record<string, string>; value: number }[]> {
  const { values } = await registry.getSingleMetric(name)!.get();
  return values.map((v) => ({ labels: v.labels as Record<string, string>, value: v.value }));
}

/** The status currently at 1 for a group. */
export async function statusOf(registry: Registry, group: string): Promise<string | undefined> {
  const all = await series(registry, 'cqrs_kafka_group_status');
  return all.find((s) => s.labels.group === group && s.value === 1)?.labels.status;
}

export interface KafkaKit {
  kafka: Kafka;
  admin: Admin;
  producer: Producer;
  /** Commits offsets for a group without members (kafkajs's admin.setOffsets joins the group: seconds per call). */
  setOffsets(args: { groupId: string; topic: string; partitions: { partition: number; offset: string }[] }): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Kafka client with a connected admin and producer, for setting up what a test watches
 * (topics, records, commits). `client` overrides the client settings (its id, its retry).
 */
export async function kit(brokers: string[], client: Omit<KafkaConfig, 'brokers'> = {}): Promise<KafkaKit> {
  const kafka = new Kafka({ clientId: 'test-kit', logLevel: logLevel.NOTHING, retry: { retries: 3 }, ...client, brokers });
  const admin = kafka.admin();
  const producer = kafka.producer();
  await admin.connect();
  await producer.connect();
  const committer = new OffsetCommitter(brokers);
  return {
    kafka,
    admin,
    producer,
    setOffsets: ({ groupId, topic, partitions }) =>
      committer.commit(
        groupId,
        topic,
        partitions.map((p) => ({ partition: p.partition, offset: Number(p.offset) })),
      ),
    async close() {
      await committer.close();
      await producer.disconnect();
      await admin.disconnect();
    },
  };
}

/**
 * A kit opened before the suite's tests and closed after them; the returned object forwards to
 * it (so tests write `k.admin` as with a plain kit).
 */
export function useKit(brokers: string[], client: Omit<KafkaConfig, 'brokers'> = {}): KafkaKit {
  let inst: KafkaKit | undefined;
  beforeAll(async () => {
    inst = await kit(brokers, client);
  });
  afterAll(async () => {
    await inst?.close();
  });
  return new Proxy({} as KafkaKit, {
    get: (_t, prop) => {
      if (!inst) throw new Error('the Kafka kit is not open (used outside a test)');
      return inst[prop as keyof KafkaKit];
    },
  });
}

let seq = 0;
/** A name unique within the run (tests share the broker). */
export const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}-${seq++}`;

/** Produces `n` messages to one partition, with explicit timestamps when given. */
export async function produce(k: KafkaKit, topic: string, partition: number, n: number, timestamp?: (i: number) => number): Promise<void> {
  await k.producer.send({
    topic,
    messages: Array.from({ length: n }, (_, i) => ({ partition, value: `m${i}`, ...(timestamp ? { timestamp: String(timestamp(i)) } : {}) })),
  });
}

/** A one-partition topic of `messages` records and a group committed at `committed`: where the secured-listener tests start. */
export async function seedTopic(brokers: string[], opts: { topic: string; group: string; messages: number; committed: number }): Promise<void> {
  const k = await kit(brokers);
  try {
    await k.admin.createTopics({ topics: [{ topic: opts.topic, numPartitions: 1 }], waitForLeaders: true });
    await produce(k, opts.topic, 0, opts.messages);
    await k.setOffsets({ groupId: opts.group, topic: opts.topic, partitions: [{ partition: 0, offset: String(opts.committed) }] });
  } finally {
    await k.close();
  }
}

/** Writes `text` to `dir/name`, readable by its owner only, and returns it as a `file:` secret reference. */
export function secretFile(dir: string, name: string, text: string): string {
  writeFileSync(join(dir, name), text, { mode: 0o600 });
  return `file:${join(dir, name)}`;
}

export { sleep, until } from '../../env/wait.js';

/**
 * A consumer-group member from Kafka's Java client (test/env/kafka/GroupConsumer.java):
 * consumes and commits `max` records, then stays in the group without committing.
 * `protocol` `consumer` creates a KIP-848 group, which kafkajs cannot.
 */
export async function javaConsumer(
  jarDir: string,
  brokers: string[],
  group: string,
  topic: string,
  max: number,
  protocol: 'classic' | 'consumer',
): Promise<{ stop(): Promise<void>; consumed(): number }> {
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx128m', '-cp', `${jarDir}/*`, join(HERE, '..', '..', 'env', 'kafka', 'GroupConsumer.java'), brokers.join(','), group, topic, String(max), protocol],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let consumed = 0;
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const m of out.matchAll(/consumed (\d+)/g)) consumed = Math.max(consumed, Number(m[1]));
    out = out.slice(-200);
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const deadline = Date.now() + 60_000;
  while (consumed < max) {
    if (child.exitCode !== null) throw new Error(`java consumer exited: ${err}`);
    if (Date.now() > deadline) throw new Error(`java consumer consumed ${consumed}/${max} in 60 s: ${err}`);
    await sleep(200);
  }
  return {
    consumed: () => consumed,
    async stop() {
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** The jar dir of the test broker's version (same cache the environment uses). */
export { fetchKafkaJars } from '../../env/kafka.js';

/** A running kafkajs consumer-group member that records what it received. */
export interface RecordingConsumer {
  /** Offsets received, per partition, in order. */
  readonly received: Map<number, number[]>;
  total(): number;
  stop(): Promise<void>;
}

/**
 * Starts a kafkajs consumer (autoCommit: kafkajs commits at the end of each batch) that takes
 * `perMessageMs` per message, and waits until it has joined the group.
 */
export async function kafkajsConsumer(
  k: KafkaKit,
  group: string,
  topic: string,
  opts: { fromBeginning: boolean; perMessageMs?: number; maxBytesPerPartition?: number },
): Promise<RecordingConsumer> {
  const consumer = k.kafka.consumer({
    groupId: group,
    sessionTimeout: 10_000,
    heartbeatInterval: 1000,
    rebalanceTimeout: 10_000,
    ...(opts.maxBytesPerPartition ? { maxBytesPerPartition: opts.maxBytesPerPartition } : {}),
  });
  const received = new Map<number, number[]>();
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (opts.perMessageMs) await sleep(opts.perMessageMs);
      let list = received.get(partition);
      if (!list) received.set(partition, (list = []));
      list.push(Number(message.offset));
    },
  });
  for (let i = 0; i < 300 && !joined; i++) await sleep(100);
  if (!joined) throw new Error(`kafkajs consumer of ${group} did not join in 30 s`);
  return {
    received,
    total: () => [...received.values()].reduce((n, l) => n + l.length, 0),
    stop: () => consumer.disconnect(),
  };
}

/** A producer sending `perSecond` messages a second (round robin over the partitions) until stopped. */
export function steadyProducer(k: KafkaKit, topic: string, partitions: number, perSecond: number): { stop(): Promise<void>; sent(): number } {
  let sent = 0;
  let stopped = false;
  const start = Date.now();
  const loop = (async () => {
    while (!stopped) {
      // Catch up to the schedule: rate = perSecond however long a send takes.
      const due = Math.floor(((Date.now() - start) / 1000) * perSecond) - sent;
      if (due > 0) {
        await k.producer.send({ topic, messages: Array.from({ length: due }, (_, i) => ({ partition: (sent + i) % partitions, value: `s${sent + i}` })) });
        sent += due;
      }
      await sleep(20);
    }
  })();
  return {
    sent: () => sent,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** The /metrics text of a registry, and one sample of it (undefined when the series is absent). */
export async function metricText(registry: Registry): Promise<string> {
  return registry.metrics();
}
export function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.indexOf('} ');
    const ls = line.slice(name.length + 1, close).split(',');
    if (want.every((w) => ls.includes(w))) return Number(line.slice(close + 2));
  }
  return undefined;
}
