import { describe, expect, inject, it } from 'vitest';
import { fetchKafkaJars } from '../../env/kafka.js';
import { skippingClock } from '../../helpers/clock.js';
import { clusterConfig, cycle, javaConsumer, makeDeps, makeSource, produce, series, statusOf, unique, value, useKit } from './helpers.js';

const env = inject('kafka');
// The consumer group protocol (KIP-848) is generally available from Kafka 4.0.
const kip848 = !env.unavailable && Number(env.version.split('.')[0]) >= 4;

describe.skipIf(!kip848)(`Kafka ${env.version}: groups on the KIP-848 consumer protocol`, () => {
  const k = useKit(env.brokers);

  it('gets lag, state and members of a group created by the Java client with group.protocol=consumer', async () => {
    const topic = unique('k848');
    const group = unique('g848');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await produce(k, topic, 0, 10);
    const jars = await fetchKafkaJars(env.version);
    const member = await javaConsumer(jars, env.brokers, group, topic, 4, 'consumer');
    // The source's clock skips the 1 s interval between cycles: the member holds still in real time anyway.
    const clock = skippingClock();
    const deps = makeDeps(clock.now);
    const source = makeSource(clusterConfig(env.brokers, { groups: { include: [`^${group}$`] } }), deps);
    try {
      await cycle(source, deps);
      const reg = deps.registry;
      expect(await value(reg, 'cqrs_kafka_group_lag_messages', { cluster: 'test', group, topic, partition: '0' })).toBe(6);
      expect(await value(reg, 'cqrs_kafka_group_members', { cluster: 'test', group })).toBe(1);
      const info = (await series(reg, 'cqrs_kafka_group_info')).find((s) => s.labels.group === group);
      expect(info?.labels).toMatchObject({ protocol: 'consumer', state: 'Stable' });
      // The member holds its partition but no longer commits.
      clock.skip(1000);
      await cycle(source, deps);
      clock.skip(1000);
      const before = (await value(reg, 'cqrs_kafka_requests_total', { cluster: 'test' }))!;
      await cycle(source, deps);
      expect(await statusOf(reg, group)).toBe('STALLED');
      // Each request counted once, the hand-written ConsumerGroupDescribe and OffsetFetch too:
      // Metadata 1 (the brokers and the topic read last cycle), ListGroups 1, DescribeGroups 1,
      // ConsumerGroupDescribe 1, OffsetFetch 1, ListOffsets 2 (the record timestamp at the
      // unmoved commit is cached: no Fetch).
      expect((await value(reg, 'cqrs_kafka_requests_total', { cluster: 'test' }))! - before).toBe(7);
      await member.stop();
      await cycle(source, deps);
      expect(await value(reg, 'cqrs_kafka_group_members', { cluster: 'test', group })).toBe(0);
      expect(await statusOf(reg, group)).toBe('STOPPED');
    } finally {
      await member.stop();
      await source.close();
    }
  });
});
