import { describe, expect, inject, it } from 'vitest';
import {
  clusterConfig,
  cycle,
  kafkajsConsumer,
  makeDeps,
  makeSource,
  metricText,
  produce,
  sample,
  sleep,
  statusOf,
  steadyProducer,
  unique,
  useKit,
} from './helpers.js';

const env = inject('kafka');

/** Per-partition committed offsets and lags of a group, from the /metrics text. */
function partitions(text: string, group: string, topic: string, n: number): { committed: (number | undefined)[]; lag: (number | undefined)[] } {
  const ps = Array.from({ length: n }, (_, p) => ({ cluster: 'test', group, topic, partition: String(p) }));
  return {
    committed: ps.map((l) => sample(text, 'cqrs_kafka_group_committed_offset', l)),
    lag: ps.map((l) => sample(text, 'cqrs_kafka_group_lag_messages', l)),
  };
}

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: status of real kafkajs consumers`, () => {
  const k = useKit(env.brokers);

  it('a kafkajs consumer draining a backlog at more than 2x production is never STALLED', async () => {
    const topic = unique('drain');
    const group = unique('g');
    // Five partitions: each one's commit stands still while the four others' batches (~1 s each)
    // are processed, long enough for the 3 equal samples the partition rule looks at (with three
    // partitions it was ~2 s, and one CI run saw none).
    const P = 5;
    await k.admin.createTopics({ topics: [{ topic, numPartitions: P }], waitForLeaders: true });
    // The backlog in record batches of 50 messages: kafkajs fetches one batch per partition.
    for (let b = 0; b < 3; b++) for (let p = 0; p < P; p++) await produce(k, topic, p, 50);
    const producer = steadyProducer(k, topic, P, 20);
    const deps = makeDeps();
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    // 20 ms per message: at most 50 msg/s, 2.5x the production. kafkajs works through one
    // partition's batch at a time and commits at the end of it, so each partition's commit
    // stands still while the others' batches are processed (~4 s of every ~5 s here). A batch
    // takes ~1 s, under the stall run of 2 intervals, as 1 MB batches are under the 30 s of the
    // default 15 s interval in production: a consumer whose very first batch outlasts the stall
    // run has nothing to tell it from a stuck one (docs/kafka.md).
    const consumer = await kafkajsConsumer(k, group, topic, { fromBeginning: true, perMessageMs: 20, maxBytesPerPartition: 512 });
    const statuses: string[] = [];
    const history: { committed: (number | undefined)[]; lag: (number | undefined)[] }[] = [];
    let drainSeen = false;
    try {
      // ~25 s on a quiet machine (750 messages at 50/s against 20/s produced); up to 180 cycles on a busy one.
      for (let i = 0; i < 180; i++) {
        await cycle(source, deps);
        const text = await metricText(deps.registry);
        statuses.push((await statusOf(deps.registry, group)) ?? 'absent');
        history.push(partitions(text, group, topic, P));
        if (sample(text, 'cqrs_kafka_group_drain_seconds', { cluster: 'test', group }) !== undefined) drainSeen = true;
        const total = sample(text, 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group }) ?? Infinity;
        if (i >= 10 && total <= 20) break;
        await sleep(1000);
      }
      // The backlog was drained...
      expect(sample(await metricText(deps.registry), 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group })).toBeLessThanOrEqual(20);
      // ...while single partitions stood still with lag for 3 samples (what the partition rule
      // alone called STALLED)...
      let standing = 0;
      for (let i = 2; i < history.length; i++) {
        for (let p = 0; p < P; p++) {
          const c = history[i]!.committed[p];
          if ((history[i]!.lag[p] ?? 0) > 0 && c !== undefined && c === history[i - 1]!.committed[p] && c === history[i - 2]!.committed[p]) standing++;
        }
      }
      expect(standing).toBeGreaterThan(0);
      // ...and the group was never STALLED, with a drain forecast on the way.
      expect(
        statuses.filter((s) => s === 'STALLED'),
        statuses.join(' '),
      ).toEqual([]);
      expect(drainSeen).toBe(true);
    } finally {
      await consumer.stop();
      await producer.stop();
      await source.close();
    }
  }, 330_000);

  it('a consumer that disconnects is STOPPED within two cycles, with no drain forecast', async () => {
    const topic = unique('stop');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    // A backlog it drains at ~2x the production: the window's rates forecast a drain, and still
    // hold that consumption after the consumer has gone.
    for (let b = 0; b < 8; b++) for (let p = 0; p < 2; p++) await produce(k, topic, p, 50);
    const producer = steadyProducer(k, topic, 2, 20);
    const consumer = await kafkajsConsumer(k, group, topic, { fromBeginning: true, perMessageMs: 25, maxBytesPerPartition: 512 });
    const deps = makeDeps();
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    const drain = async () => sample(await metricText(deps.registry), 'cqrs_kafka_group_drain_seconds', { cluster: 'test', group });
    try {
      for (let i = 0; i < 6; i++) {
        await sleep(1000);
        await cycle(source, deps);
      }
      expect(await statusOf(deps.registry, group)).toBe('OK');
      expect(await drain()).toBeGreaterThan(0);

      await consumer.stop();
      const after: string[] = [];
      for (let i = 0; i < 2; i++) {
        await sleep(1000);
        await cycle(source, deps);
        after.push((await statusOf(deps.registry, group)) ?? 'absent');
        if (after.at(-1) === 'STOPPED') expect(await drain()).toBeUndefined();
      }
      expect(after).toContain('STOPPED');
      expect(sample(await metricText(deps.registry), 'cqrs_kafka_group_members', { cluster: 'test', group })).toBe(0);
      // It stays STOPPED (lag keeps growing) and keeps no forecast.
      await sleep(1000);
      await cycle(source, deps);
      expect(await statusOf(deps.registry, group)).toBe('STOPPED');
      expect(await drain()).toBeUndefined();
      expect(sample(await metricText(deps.registry), 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group })).toBeGreaterThan(0);
    } finally {
      await consumer.stop().catch(() => undefined);
      await producer.stop();
      await source.close();
    }
  }, 120_000);

  it('a consumer starting at the end is OK while a partition it never committed keeps only old records; arrivals it leaves uncommitted make it STALLED', async () => {
    const topic = unique('keyed');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    // History on every partition before the group exists.
    for (let p = 0; p < 3; p++) await produce(k, topic, p, 10);
    // kafkajs' default start (fromBeginning false, like the Java client's auto.offset.reset=latest);
    // it never receives a message of partition 2, so it never commits there. A record of
    // partition 2 it does receive is held (never finished, never committed).
    const consumer = k.kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1000, rebalanceTimeout: 10_000 });
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    await consumer.run({ partitionsConsumedConcurrently: 3, eachMessage: async ({ partition }) => (partition === 2 ? held : undefined) });
    for (let i = 0; i < 300 && !joined; i++) await sleep(100);
    expect(joined).toBe(true);
    const deps = makeDeps();
    const source = makeSource(clusterConfig(env.brokers, { interval: '1s', groups: { include: [`^${group}$`] } }), deps);
    const seen: string[] = [];
    try {
      // Keyed traffic on partitions 0 and 1 only: consumed and committed at once.
      for (let i = 0; i < 8; i++) {
        await produce(k, topic, i % 2, 2);
        await sleep(1000);
        await cycle(source, deps);
        const text = await metricText(deps.registry);
        seen.push(
          `${await statusOf(deps.registry, group)}:${sample(text, 'cqrs_kafka_group_lag_messages', { cluster: 'test', group, topic, partition: '2' })}`,
        );
      }
      // Partition 2's 10 old records are not lag: it was OK in every cycle once it had committed.
      expect(seen.slice(2), seen.join(' ')).toEqual(Array(6).fill('OK:0'));
      const text = await metricText(deps.registry);
      expect(sample(text, 'cqrs_kafka_group_uncommitted_partitions', { cluster: 'test', group })).toBe(1);
      expect(sample(text, 'cqrs_kafka_group_max_lag_seconds', { cluster: 'test', group })).toBe(0);
      // 3 records arrive on partition 2; the consumer holds the first and commits nothing there.
      await produce(k, topic, 2, 3);
      const after: string[] = [];
      for (let i = 0; i < 6; i++) {
        await sleep(1000);
        await cycle(source, deps);
        const t = await metricText(deps.registry);
        after.push(`${await statusOf(deps.registry, group)}:${sample(t, 'cqrs_kafka_group_lag_messages', { cluster: 'test', group, topic, partition: '2' })}`);
      }
      // Lag 3 (the arrivals only); STALLED once the first of them existed for stallSamples (3) samples.
      expect(after.at(-1), after.join(' ')).toBe('STALLED:3');
    } finally {
      release();
      await consumer.disconnect();
      await source.close();
    }
  }, 120_000);
});
