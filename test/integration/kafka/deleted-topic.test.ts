import { describe, expect, inject, it } from 'vitest';
import { skippingClock } from '../../helpers/clock.js';
import { clusterConfig, cycle, makeDeps, makeSource, produce, statusOf, unique, until, value, useKit } from './helpers.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: a deleted topic`, () => {
  const k = useKit(env.brokers);

  it('keeps its rows at their last values for inactiveRetention, outside the group totals, then removes them', async () => {
    const kept = unique('kept');
    const gone = unique('gone');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic: kept }, { topic: gone }], waitForLeaders: true });
    await produce(k, kept, 0, 10);
    await produce(k, gone, 0, 8);
    await k.setOffsets({ groupId: group, topic: kept, partitions: [{ partition: 0, offset: '6' }] });
    await k.setOffsets({ groupId: group, topic: gone, partitions: [{ partition: 0, offset: '3' }] });

    // inactiveRetention runs on the source's clock: the test skips it instead of sleeping through it.
    const clock = skippingClock();
    const deps = makeDeps(clock.now);
    const reg = deps.registry;
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] }, inactiveRetention: '4s' }), deps);
    const p = (topic: string) => ({ cluster: 'test', group, topic, partition: '0' });
    try {
      expect(await cycle(source, deps)).not.toBeInstanceOf(Error);
      expect(await value(reg, 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group })).toBe(9);

      await k.admin.deleteTopics({ topics: [gone] });
      await until(`the broker to drop ${gone} and the group's commits on it`, async () => {
        const offsets = await k.admin.fetchOffsets({ groupId: group });
        const topics = await k.admin.listTopics();
        return !topics.includes(gone) && !offsets.some((o) => o.topic === gone);
      });
      const r = await cycle(source, deps);
      expect(r).not.toBeInstanceOf(Error);
      // Still there at the last values...
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(gone))).toBe(5);
      expect(await value(reg, 'cqrs_kafka_group_topic_lag_messages', { cluster: 'test', group, topic: gone })).toBe(5);
      expect(await value(reg, 'cqrs_kafka_partition_high_watermark', { cluster: 'test', topic: gone, partition: '0' })).toBe(8);
      // ...but the group is judged on what it consumes now.
      expect(await value(reg, 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group })).toBe(4);
      expect(await statusOf(reg, group)).toBe('STOPPED');

      clock.skip(4500);
      expect(await cycle(source, deps)).not.toBeInstanceOf(Error);
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(gone))).toBeUndefined();
      expect(await value(reg, 'cqrs_kafka_group_topic_lag_messages', { cluster: 'test', group, topic: gone })).toBeUndefined();
      expect(await value(reg, 'cqrs_kafka_partition_high_watermark', { cluster: 'test', topic: gone, partition: '0' })).toBeUndefined();
      expect(await value(reg, 'cqrs_kafka_topic_produced_messages_total', { cluster: 'test', topic: gone })).toBeUndefined();
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', p(kept))).toBe(4);
    } finally {
      await source.close();
    }
  });
});
