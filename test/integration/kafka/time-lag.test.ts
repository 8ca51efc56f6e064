import { describe, expect, inject, it } from 'vitest';
import { skippingClock } from '../../helpers/clock.js';
import { clusterConfig, cycle, makeDeps, makeSource, produce, sleep, statusOf, unique, value, useKit } from './helpers.js';

const env = inject('kafka');
const INTERVAL_S = 1;

/** The accuracy bound: max(2 x interval, 10 %) of the true age. */
function expectWithinBound(measured: number | undefined, truth: number): void {
  expect(measured, 'time lag reported').toBeDefined();
  const bound = Math.max(2 * INTERVAL_S, 0.1 * truth);
  expect(Math.abs(measured! - truth), `measured ${measured} vs true ${truth.toFixed(3)} (bound ${bound})`).toBeLessThanOrEqual(bound);
}

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: time lag against true record timestamps`, () => {
  const k = useKit(env.brokers);

  const labels = (group: string, topic: string, partition = '0') => ({ cluster: 'test', group, topic, partition });

  it('interpolates the watermark history at a steady produce rate', async () => {
    const topic = unique('steady');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '0' }] });
    const deps = makeDeps();
    // No exact reads: interpolation only.
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] }, timeLag: { maxReadsPerCycle: 0 } }), deps);
    const sent: number[] = [];
    try {
      await cycle(source, deps);
      // ~20 msg/s for 6 s, a cycle every second.
      const until = Date.now() + 6000;
      let nextCycle = Date.now() + 1000;
      while (Date.now() < until) {
        const [meta] = await k.producer.send({ topic, messages: [{ partition: 0, value: 'x' }] });
        sent[Number(meta!.baseOffset)] = Date.now();
        if (Date.now() >= nextCycle) {
          await cycle(source, deps);
          nextCycle += 1000;
        }
        await sleep(50);
      }
      await cycle(source, deps);
      // The group is stuck at the message produced ~3 s into the run.
      const at = Math.floor(sent.length / 2);
      await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: String(at) }] });
      await cycle(source, deps);
      const truth = (Date.now() - sent[at]!) / 1000;
      expectWithinBound(await value(deps.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic)), truth);
      expectWithinBound(await value(deps.registry, 'cqrs_kafka_group_max_lag_seconds', { cluster: 'test', group }), truth);
    } finally {
      await source.close();
    }
  });

  it('idle topic, consumer one behind: exact read gives the old age; without reads it says "unknown", not a guess', async () => {
    const topic = unique('idle');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const t0 = Date.now() - 600_000;
    await produce(k, topic, 0, 5, (i) => t0 + i * 1000);
    await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '4' }] });

    const deps = makeDeps();
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    const blind = makeDeps();
    const blindSource = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] }, timeLag: { maxReadsPerCycle: 0 } }), blind);
    try {
      await cycle(source, deps);
      expectWithinBound(await value(deps.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic)), (Date.now() - (t0 + 4000)) / 1000);
      // The monitor started after the message: no history to interpolate.
      await cycle(blindSource, blind);
      expect(await value(blind.registry, 'cqrs_kafka_group_lag_messages', labels(group, topic))).toBe(1);
      expect(await value(blind.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic))).toBeUndefined();
      expect(await value(blind.registry, 'cqrs_kafka_group_max_lag_seconds', { cluster: 'test', group })).toBeUndefined();
      expect(await value(blind.registry, 'cqrs_kafka_time_lag_unavailable_total', { cluster: 'test', reason: 'no_history' })).toBe(1);
    } finally {
      await source.close();
      await blindSource.close();
    }
  });

  it('commit below the low watermark (retention): the age of the oldest message still in the log', async () => {
    const topic = unique('trimmed');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const t0 = Date.now() - 300_000;
    await produce(k, topic, 0, 10, (i) => t0 + i * 10_000);
    await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '2' }] });
    // Right after producing, a 3.9 broker may still refuse (the log start offset update races
    // the high watermark): retry briefly.
    for (let i = 0; ; i++) {
      try {
        await k.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
        break;
      } catch (err) {
        if (i >= 20)
          throw new Error(`deleteTopicRecords: ${JSON.stringify((err as { partitions?: unknown }).partitions ?? (err as Error).message)}`, { cause: err });
        await sleep(250);
      }
    }
    const deps = makeDeps();
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    try {
      await cycle(source, deps);
      expect(await value(deps.registry, 'cqrs_kafka_partition_low_watermark', { cluster: 'test', topic, partition: '0' })).toBe(6);
      expect(await value(deps.registry, 'cqrs_kafka_group_lag_messages', labels(group, topic))).toBe(8);
      expectWithinBound(await value(deps.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic)), (Date.now() - (t0 + 60_000)) / 1000);
    } finally {
      await source.close();
    }
  });

  it('reprocessing after an offset reset, and a monitor restart, read the age at the new commit', async () => {
    const topic = unique('reset');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const t0 = Date.now() - 120_000;
    await produce(k, topic, 0, 10, (i) => t0 + i * 5000);
    await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '10' }] });
    const deps = makeDeps();
    const cfg = clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } });
    const source = makeSource(cfg, deps);
    try {
      await cycle(source, deps);
      expect(await value(deps.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic))).toBe(0);
      await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }] });
      await cycle(source, deps);
      expect(await statusOf(deps.registry, group)).toBe('REWOUND');
      expectWithinBound(await value(deps.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic)), (Date.now() - (t0 + 5000)) / 1000);
    } finally {
      await source.close();
    }
    // A new monitor process: no history, no cache; the first cycle already knows.
    const again = makeDeps();
    const restarted = makeSource(cfg, again);
    try {
      await cycle(restarted, again);
      expectWithinBound(await value(again.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic)), (Date.now() - (t0 + 5000)) / 1000);
    } finally {
      await restarted.close();
    }
  });

  it('LogAppendTime topics: the broker timestamp counts, not the producer-set one', async () => {
    const topic = unique('append');
    const group = unique('g');
    await k.admin.createTopics({
      topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }],
      waitForLeaders: true,
    });
    const appended = Date.now();
    // The producer claims an hour-old timestamp; the broker overrides it on append.
    await produce(k, topic, 0, 3, () => appended - 3_600_000);
    await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '0' }] });
    // The monitor looks 1.5 s after the append (on its clock): a lag of ~1.5 s, not an hour.
    const clock = skippingClock();
    clock.skip(1500);
    const deps = makeDeps(clock.now);
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    try {
      await cycle(source, deps);
      expectWithinBound(await value(deps.registry, 'cqrs_kafka_group_lag_seconds', labels(group, topic)), (clock.now() - appended) / 1000);
    } finally {
      await source.close();
    }
  });
});
