import { describe, expect, inject, it } from 'vitest';
import { clusterConfig, cycle, makeDeps, makeSource, produce, unique, value, useKit } from './helpers.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: many groups`, () => {
  const k = useKit(env.brokers);

  it('reads 250 groups with a few OffsetFetch requests (100 groups each) and exact lag for every group', async () => {
    const topic = unique('many');
    const prefix = unique('mg');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await produce(k, topic, 0, 10);
    await produce(k, topic, 1, 10);
    const groups = Array.from({ length: 250 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    for (const [i, g] of groups.entries()) {
      await k.setOffsets({
        groupId: g,
        topic,
        partitions: [
          { partition: 0, offset: String(i % 10) },
          { partition: 1, offset: '10' },
        ],
      });
    }
    const deps = makeDeps();
    const reg = deps.registry;
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${prefix}-`] }, granularity: 'group' }), deps);
    try {
      expect(await cycle(source, deps)).not.toBeInstanceOf(Error);
      const before = (await value(reg, 'cqrs_kafka_requests_total', { cluster: 'test' }))!;
      const r = await cycle(source, deps);
      expect(r).toMatchObject({ groups: 250, groups_error: 0, partitions: 500 });
      const requests = (await value(reg, 'cqrs_kafka_requests_total', { cluster: 'test' }))! - before;
      // Metadata 1, ListGroups 1, DescribeGroups 1, OffsetFetch 3 (100 + 100 + 50), ListOffsets 2,
      // and at most one Fetch round for record timestamps: never one request per group.
      expect(requests).toBeLessThanOrEqual(11);
      for (const [i, g] of groups.entries()) {
        expect(await value(reg, 'cqrs_kafka_group_total_lag_messages', { cluster: 'test', group: g })).toBe(10 - (i % 10));
      }
    } finally {
      await source.close();
    }
  });
});
