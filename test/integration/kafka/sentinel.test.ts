import { describe, expect, inject, it } from 'vitest';
import type { GroupCommits } from '../../../src/sources/kafka/client.js';
import { kafkajsClientFactory } from '../../../src/sources/kafka/index.js';
import { commitList } from '../../../src/sources/kafka/kept-commits.js';
import { clusterConfig, cycle, kafkajsConsumer, makeDeps, makeSource, metricText, produce, sample, sleep, statusOf, unique, useKit } from './helpers.js';

const env = inject('kafka');

/**
 * kafkajs' admin.resetOffsets commits a sentinel instead of an offset (-2 for earliest, -1 for
 * latest). Read as the position it stands for, a reset to earliest after real commits is a
 * rewind whose redelivery is counted, and that count is what a kafkajs consumer really receives
 * again.
 */
describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: commit sentinels from kafkajs resetOffsets`, () => {
  const k = useKit(env.brokers);

  it('resetOffsets earliest after commits: -2 on the broker, REWOUND, redelivery counted exactly as re-received', async () => {
    const topic = unique('sentinel');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await produce(k, topic, 0, 30);
    await produce(k, topic, 1, 12);
    // Retention removed the first 10 messages of partition 0: they cannot be delivered again.
    // (Right after producing, a broker may still refuse: retry briefly, as time-lag.test.ts does.)
    for (let i = 0; ; i++) {
      try {
        await k.admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '10' }] });
        break;
      } catch (err) {
        if (i >= 20) throw err;
        await sleep(250);
      }
    }

    const first = await kafkajsConsumer(k, group, topic, { fromBeginning: true });
    for (let i = 0; i < 100 && first.total() < 32; i++) await sleep(100);
    expect(first.total()).toBe(32); // 20 + 12
    await first.stop(); // kafkajs commits 30 and 12 at the end of the batches

    const deps = makeDeps();
    const cfg = clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } });
    const source = makeSource(cfg, deps);
    const client = kafkajsClientFactory(cfg, deps);
    const labels = { cluster: 'test', group, topic };
    try {
      await cycle(source, deps);
      let text = await metricText(deps.registry);
      expect(sample(text, 'cqrs_kafka_group_committed_offset', { ...labels, partition: '0' })).toBe(30);
      expect(await statusOf(deps.registry, group)).toBe('OK');
      // Born at 0 with the group's topic, so that increase() sees the first rewind.
      expect(sample(text, 'cqrs_kafka_group_redelivered_messages_total', labels)).toBe(0);

      await k.admin.resetOffsets({ groupId: group, topic, earliest: true });
      // What kafkajs committed, as the broker returns it.
      const raw = await client.fetchCommittedOffsets([group]);
      const offsets = raw.get(group);
      expect(offsets).not.toBeInstanceOf(Error);
      expect(
        commitList(offsets as GroupCommits)
          .map((o) => [o.partition, o.offset])
          .sort(),
      ).toEqual([
        [0, -2],
        [1, -2],
      ]);

      await cycle(source, deps);
      text = await metricText(deps.registry);
      expect(await statusOf(deps.registry, group)).toBe('REWOUND');
      // Partition 0: 30 - low watermark 10 = 20; partition 1: 12 - 0 = 12.
      expect(sample(text, 'cqrs_kafka_group_redelivered_messages_total', labels)).toBe(32);
      // Lag from the position -2 stands for; it is a commit, not "uncommitted", and no offset.
      expect(sample(text, 'cqrs_kafka_group_lag_messages', { ...labels, partition: '0' })).toBe(20);
      expect(sample(text, 'cqrs_kafka_group_lag_messages', { ...labels, partition: '1' })).toBe(12);
      expect(sample(text, 'cqrs_kafka_group_uncommitted_partitions', { cluster: 'test', group })).toBe(0);
      expect(sample(text, 'cqrs_kafka_group_committed_offset', { ...labels, partition: '0' })).toBeUndefined();

      // A second cycle with the sentinel still there counts nothing more.
      await cycle(source, deps);
      expect(sample(await metricText(deps.registry), 'cqrs_kafka_group_redelivered_messages_total', labels)).toBe(32);

      // A kafkajs consumer that resolves a missing commit to the earliest offset receives
      // exactly that many messages again.
      const again = await kafkajsConsumer(k, group, topic, { fromBeginning: true });
      for (let i = 0; i < 100 && again.total() < 32; i++) await sleep(100);
      await sleep(500);
      expect(again.total()).toBe(32);
      expect(again.received.get(0)![0]).toBe(10);
      await again.stop();
      await cycle(source, deps);
      text = await metricText(deps.registry);
      expect(sample(text, 'cqrs_kafka_group_committed_offset', { ...labels, partition: '0' })).toBe(30);
      expect(sample(text, 'cqrs_kafka_group_redelivered_messages_total', labels)).toBe(32);
    } finally {
      await client.close();
      await source.close();
    }
  });

  it('resetOffsets latest: -1 on the broker, read as the high watermark (lag 0, no rewind); a kafkajs consumer resolves any sentinel by its own fromBeginning', async () => {
    const topic = unique('sentinel-latest');
    const group = unique('g');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await produce(k, topic, 0, 10);
    await k.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '4' }] });
    const deps = makeDeps();
    const cfg = clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } });
    const source = makeSource(cfg, deps);
    const client = kafkajsClientFactory(cfg, deps);
    const labels = { cluster: 'test', group, topic };
    try {
      await cycle(source, deps);
      expect(await statusOf(deps.registry, group)).toBe('STOPPED'); // no member, lag 6

      await k.admin.resetOffsets({ groupId: group, topic, earliest: false });
      expect(commitList((await client.fetchCommittedOffsets([group])).get(group) as GroupCommits)).toEqual([{ topic, partition: 0, offset: -1 }]);
      await produce(k, topic, 0, 5);
      await cycle(source, deps);
      const text = await metricText(deps.registry);
      expect(sample(text, 'cqrs_kafka_group_lag_messages', { ...labels, partition: '0' })).toBe(0);
      expect(sample(text, 'cqrs_kafka_group_uncommitted_partitions', { cluster: 'test', group })).toBe(0);
      expect(sample(text, 'cqrs_kafka_group_redelivered_messages_total', labels)).toBe(0);
      expect(await statusOf(deps.registry, group)).toBe('OK');

      // Measured limit of any sentinel: kafkajs treats every negative commit as "none" and
      // starts where the subscription's fromBeginning says, whatever the sentinel was.
      const c = await kafkajsConsumer(k, group, topic, { fromBeginning: true });
      for (let i = 0; i < 100 && c.total() < 15; i++) await sleep(100);
      await sleep(500);
      expect(c.received.get(0)?.[0]).toBe(0);
      expect(c.total()).toBe(15);
      await c.stop();

      // And the other way: after a reset to earliest, a consumer with fromBeginning: false
      // (kafkajs' default) starts at the end and re-delivers nothing.
      await k.admin.resetOffsets({ groupId: group, topic, earliest: true });
      const late = await kafkajsConsumer(k, group, topic, { fromBeginning: false });
      await sleep(1000);
      await produce(k, topic, 0, 2);
      for (let i = 0; i < 100 && late.total() < 2; i++) await sleep(100);
      await sleep(500);
      expect(late.received.get(0)).toEqual([15, 16]);
      await late.stop();
    } finally {
      await client.close();
      await source.close();
    }
  });
});
