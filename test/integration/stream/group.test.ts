import { describe, expect, inject, it } from 'vitest';
import { StreamSource } from '../../../src/sources/stream/stream-source.js';
import { SourceError } from '../../../src/sources/source-error.js';
import { createKafkaClient } from '../../../src/sources/stream/kafka-client.js';
import { cluster, cycle, event, stream, testDeps, STREAM_CLIENT, uniq, until, value } from './helpers.js';
import { useKit } from '../kafka/helpers.js';

const env = inject('kafka');

// Monitor replicas scale out by sharing the tail group: each event must be counted once overall.
describe.skipIf(!!env.unavailable)(`two tail instances in one group on Kafka ${env.version}`, () => {
  const kit = useKit(env.brokers, STREAM_CLIENT);

  it('share the partitions and count every event once, also when one stops cleanly', async () => {
    const topic = uniq('tail-group');
    await kit.admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    const c = cluster(env.brokers);
    const s = stream({
      name: 'shared',
      topics: [topic],
      groupId: uniq('shared-group'),
      eventId: { jsonPath: '$.id' },
      aggregateId: { key: true },
      version: { jsonPath: '$.version' },
    });
    const deps = [testDeps(), testDeps()];
    const src = deps.map(
      (d, i) => new StreamSource({ stream: s, cluster: c, kafka: createKafkaClient(c, { clientId: `replica-${i}`, logger: d.logger }), deps: d }),
    );
    const observed = async () =>
      (await value(deps[0]!.registry, 'cqrs_events_observed_total', { stream: 'shared' })) +
      (await value(deps[1]!.registry, 'cqrs_events_observed_total', { stream: 'shared' }));
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => event(`e${from + i}`, `agg${(from + i) % 50}`, 1 + Math.floor((from + i) / 50)));
    try {
      await src[0]!.collect(cycle(deps[0]!));
      await src[1]!.collect(cycle(deps[1]!));
      await until('both members assigned', () => src[0]!.tail.assigned > 0 && src[1]!.tail.assigned > 0 && src[0]!.tail.assigned + src[1]!.tail.assigned === 4);
      // Replicas of one configuration share the group on purpose: no conflict is reported.
      for (const [i, x] of src.entries()) await x.collect(cycle(deps[i]!));
      for (const x of src) expect(x.tail.conflict).toBeUndefined();
      for (let k = 0; k < 4; k++) await kit.producer.send({ topic, messages: batch(k * 500, 500) });
      await until('2000 events counted', async () => (await observed()) >= 2000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await observed()).toBe(2000);
      for (const d of deps) expect(await value(d.registry, 'cqrs_events_observed_total', { stream: 'shared' })).toBeGreaterThan(0);
      for (const d of deps) {
        expect(await value(d.registry, 'cqrs_events_duplicate_total', { stream: 'shared' })).toBe(0);
        expect(await value(d.registry, 'cqrs_events_gap_total', { stream: 'shared' })).toBe(0);
      }

      // Replica 0 stops cleanly; replica 1 takes its partitions from the committed offsets.
      await src[0]!.close();
      await until('replica 1 owns all partitions', () => src[1]!.tail.assigned === 4);
      await kit.producer.send({ topic, messages: batch(2000, 1000) });
      await until('3000 events counted', async () => (await observed()) >= 3000);
      await new Promise((r) => setTimeout(r, 1500));
      expect(await observed()).toBe(3000);
      // Aggregates that moved to replica 1 are new to it ('first'), so no false gap either.
      expect(await value(deps[1]!.registry, 'cqrs_events_gap_total', { stream: 'shared' })).toBe(0);
    } finally {
      for (const s of src) await s.close();
    }
  });

  it('a tail group shared with a stream of other topics fails both sources with a clear error until one leaves', async () => {
    const prefix = uniq('tail-clash');
    const topics = [`${prefix}-orders`, `${prefix}-payments`];
    await kit.admin.createTopics({ topics: topics.map((topic) => ({ topic })), waitForLeaders: true });
    const c = cluster(env.brokers);
    const groupId = `${prefix}-group`;
    const deps = [testDeps(), testDeps()];
    const src = topics.map((topic, i) => {
      const s = stream({ name: `s${i}`, topics: [topic], groupId, eventId: { jsonPath: '$.id' }, aggregateId: { key: true } });
      return new StreamSource({ stream: s, cluster: c, kafka: createKafkaClient(c, { clientId: `monitor-${i}`, logger: deps[i]!.logger }), deps: deps[i]! });
    });
    try {
      await src[0]!.collect(cycle(deps[0]!));
      await until('first joined', () => src[0]!.tail.joined);
      // The second start must not fail on the group's members (setOffsets is refused then).
      const second = await src[1]!.collect(cycle(deps[1]!)).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      if (second) expect(second.message).toContain(`consumer group ${groupId} is shared with`);
      await until('both see the conflict', () => src[0]!.tail.conflict !== undefined && src[1]!.tail.conflict !== undefined);
      const err = await src[0]!.collect(cycle(deps[0]!)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).reason).toBe('config');
      expect((err as SourceError).message).toMatch(
        new RegExp(`^consumer group ${groupId} is shared with a member subscribed to other topics \\(monitor-1@\\S+ reading ${topics[1]}\\)`),
      );
      expect((err as SourceError).message).toContain('(groupId)');
      await src[1]!.close();
      await until('conflict cleared', () => src[0]!.tail.conflict === undefined && src[0]!.tail.assigned === 1);
      await kit.producer.send({ topic: topics[0]!, messages: [event('e1', 'a1', 1)] });
      await until('the event counted', async () => (await value(deps[0]!.registry, 'cqrs_events_observed_total', { stream: 's0' })) === 1);
      await src[0]!.collect(cycle(deps[0]!));
    } finally {
      for (const s of src) await s.close();
    }
  });
});
