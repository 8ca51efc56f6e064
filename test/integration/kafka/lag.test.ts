import { describe, expect, inject, it } from 'vitest';
import { skippingClock } from '../../helpers/clock.js';
import { clusterConfig, cycle, makeDeps, makeSource, produce, series, statusOf, unique, until, value, useKit } from './helpers.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: offset lag, status, redelivery`, () => {
  const k = useKit(env.brokers);

  it('reports exact lag per partition, per topic and per group, then REWOUND with the redelivered count', async () => {
    const topic = unique('lag');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    await produce(k, topic, 0, 10);
    await produce(k, topic, 1, 20);
    await produce(k, topic, 2, 5);
    // Commits without members: the group exists, is Empty, and consumed 7, 20 and 0 messages.
    await k.setOffsets({
      groupId: group,
      topic,
      partitions: [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '20' },
      ],
    });

    const deps = makeDeps();
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    try {
      const r = await cycle(source, deps);
      expect(r).not.toBeInstanceOf(Error);
      const reg = deps.registry;
      const p = (partition: number) => ({ cluster: 'test', group, topic, partition: String(partition) });
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(0))).toBe(3);
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(1))).toBe(0);
      // Partition 2 has no commit: its 5 records were there when it was first seen so, and where
      // the group will start on it is the consumer's setting: nothing known to be unconsumed.
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(2))).toBe(0);
      expect(await value(reg, 'cqrs_kafka_group_committed_offset', p(0))).toBe(7);
      expect(await value(reg, 'cqrs_kafka_group_committed_offset', p(2))).toBeUndefined();
      expect(await value(reg, 'cqrs_kafka_partition_high_watermark', { cluster: 'test', topic, partition: '1' })).toBe(20);
      expect(await value(reg, 'cqrs_kafka_group_topic_lag_messages', { cluster: 'test', group, topic })).toBe(3);
      expect(await value(reg, 'cqrs_kafka_group_topic_max_lag_messages', { cluster: 'test', group, topic })).toBe(3);
      expect(await value(reg, 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group })).toBe(3);
      expect(await value(reg, 'cqrs_kafka_group_uncommitted_partitions', { cluster: 'test', group })).toBe(1);
      expect(await value(reg, 'cqrs_kafka_group_members', { cluster: 'test', group })).toBe(0);
      // No member and lag > 0: STOPPED from the first cycle.
      expect(await statusOf(reg, group)).toBe('STOPPED');
      // Exact timestamps were read for the lagging partitions: time lag is known at once.
      expect(await value(reg, 'cqrs_kafka_group_max_lag_seconds', { cluster: 'test', group })).toBeGreaterThanOrEqual(0);

      // Rewind partition 1 from 20 to 4: 16 messages will be delivered again.
      await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 1, offset: '4' }] });
      await cycle(source, deps);
      expect(await statusOf(reg, group)).toBe('REWOUND');
      expect(await value(reg, 'cqrs_kafka_group_redelivered_messages_total', { cluster: 'test', group, topic })).toBe(16);
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(1))).toBe(16);

      // Production is counted from high-watermark deltas after the first (baseline) cycle.
      await produce(k, topic, 0, 4);
      await cycle(source, deps);
      expect(await value(reg, 'cqrs_kafka_topic_produced_messages_total', { cluster: 'test', topic })).toBe(4);
    } finally {
      await source.close();
    }
  });

  it('STALLED while a live member stops committing, STOPPED once it leaves', async () => {
    const topic = unique('stall');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await produce(k, topic, 0, 10);
    const consumer = k.kafka.consumer({ groupId: group, sessionTimeout: 60_000, heartbeatInterval: 1000 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let taken = 0;
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((r) => (release = r));
    // Consume 4 messages with a commit each, then hang on the 5th: the member stays, commits stop.
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        if (taken >= 4) return blocked;
        taken++;
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      },
    });
    // The source's clock skips the 1 s interval between cycles: the member's stop, not time, is what the status sees.
    const clock = skippingClock();
    const deps = makeDeps(clock.now);
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    try {
      await until('the 4th commit on the broker', async () => {
        const [t] = await k.admin.fetchOffsets({ groupId: group, topics: [topic] });
        return t?.partitions[0]?.offset === '4';
      });
      await cycle(source, deps);
      const reg = deps.registry;
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', { cluster: 'test', group, topic, partition: '0' })).toBe(6);
      expect(await value(reg, 'cqrs_kafka_group_members', { cluster: 'test', group })).toBe(1);
      expect(await statusOf(reg, group)).toBe('OK');
      clock.skip(1000);
      await cycle(source, deps);
      clock.skip(1000);
      await cycle(source, deps);
      expect(await statusOf(reg, group)).toBe('STALLED');

      release();
      await consumer.disconnect();
      await cycle(source, deps);
      expect(await value(reg, 'cqrs_kafka_group_members', { cluster: 'test', group })).toBe(0);
      expect(await statusOf(reg, group)).toBe('STOPPED');
      const statuses = (await series(reg, 'cqrs_kafka_group_status')).filter((s) => s.labels.group === group);
      expect(statuses).toHaveLength(6);
    } finally {
      release();
      await consumer.disconnect().catch(() => undefined);
      await source.close();
    }
  });
});
