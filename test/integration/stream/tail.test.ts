import { describe, expect, inject, it } from 'vitest';
import type { Message } from 'kafkajs';
import { StreamSource } from '../../../src/sources/stream/stream-source.js';
import { createKafkaClient } from '../../../src/sources/stream/kafka-client.js';
import { cluster, cycle, event, stream, testDeps, STREAM_CLIENT, uniq, until, value } from './helpers.js';
import { useKit } from '../kafka/helpers.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`stream tail on Kafka ${env.version}`, () => {
  const kit = useKit(env.brokers, STREAM_CLIENT);

  function makeSource(deps: ReturnType<typeof testDeps>, input: Record<string, unknown>) {
    const c = cluster(env.brokers);
    const s = stream({
      eventId: { jsonPath: '$.id' },
      aggregateId: { jsonPath: '$.aggregateId' },
      version: { jsonPath: '$.version' },
      occurredAt: { jsonPath: '$.occurredAt' },
      maxMessageBytes: 2048,
      ...input,
    });
    return new StreamSource({ stream: s, cluster: c, kafka: createKafkaClient(c, { clientId: 'tail-test', logger: deps.logger }), deps });
  }

  it('counts a known sequence with duplicates, gaps, reordering and garbage exactly (start from end)', async () => {
    const topic = uniq('tail-known');
    await kit.admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    // Before the tail starts: not counted (startFrom end).
    await kit.producer.send({ topic, messages: [event('old-1', 'Z', 1), event('old-2', 'Z', 2)] });

    const deps = testDeps();
    const src = makeSource(deps, { name: 'known', topics: [topic] });
    try {
      await src.collect(cycle(deps));
      const now = Date.now();
      const msgs: Message[] = [
        // aggregate A: 1 2 2(dup id) 5(gap 3,4) 4(out of order) 6
        event('a1', 'A', 1, { occurredAt: new Date(now - 1500).toISOString() }),
        event('a2', 'A', 2, { occurredAt: now - 2500 }),
        event('a2', 'A', 2),
        event('a5', 'A', 5),
        event('a4', 'A', 4),
        event('a6', 'A', 6),
        // aggregate B: 1 3(gap 2) 4
        event('b1', 'B', 1, { occurredAt: Math.floor((now - 10_000) / 1000) }),
        event('b3', 'B', 3),
        event('b4', 'B', 4),
        // garbage
        { key: 'A', value: 'not json' },
        { key: 'B', value: null },
        { key: 'C', value: JSON.stringify({ aggregateId: 'C', version: 1 }) },
        { key: 'C', value: JSON.stringify({ id: 'c1', aggregateId: 'C', version: 'one' }) },
        { key: 'C', value: JSON.stringify({ id: 'c2', pad: 'x'.repeat(3000) }) },
        { key: 'C', value: JSON.stringify({ id: 'c3', occurredAt: 'later' }) },
      ];
      // One send per aggregate key keeps the per-key order.
      await kit.producer.send({ topic, messages: msgs });
      const l = { stream: 'known' };
      await until('15 records', () => src.tail.delivered >= 15);
      expect(src.tail.delivered).toBe(15);
      const r = deps.registry;
      expect(await value(r, 'cqrs_events_observed_total', l)).toBe(9);
      expect(await value(r, 'cqrs_events_duplicate_total', l)).toBe(1);
      expect(await value(r, 'cqrs_events_gap_total', l)).toBe(3);
      expect(await value(r, 'cqrs_events_out_of_order_total', l)).toBe(1);
      for (const [reason, n] of Object.entries({ non_json: 1, tombstone: 1, missing_id: 1, wrong_type: 2, oversize: 1 })) {
        expect(await value(r, 'cqrs_events_unparseable_total', { ...l, reason }), reason).toBe(n);
      }
      const delay = (await deps.registry.getSingleMetric('cqrs_event_publish_delay_seconds')!.get()).values;
      expect(delay.find((v) => (v as { metricName?: string }).metricName === 'cqrs_event_publish_delay_seconds_count')?.value).toBe(3);
      const sum = delay.find((v) => (v as { metricName?: string }).metricName === 'cqrs_event_publish_delay_seconds_sum')!.value;
      // 1.5 + 2.5 + ~10 (seconds-resolution timestamp) plus broker latency
      expect(sum).toBeGreaterThan(13);
      expect(sum).toBeLessThan(16);
      // SLI board: duplicates 1 of 9; completeness 3 missing of 9 versioned + 3 missing
      expect(deps.board.takeEvents('duplicates', 'stream:known')).toEqual({ total: 9, bad: 1 });
      expect(deps.board.takeEvents('completeness', 'stream:known')).toEqual({ total: 12, bad: 3 });
      const report = await src.collect(cycle(deps));
      expect(report).toMatchObject({ records: 15, dedupeIds: 8, aggregates: 2 });
      expect(await value(r, 'cqrs_events_dedupe_window_ids', l)).toBe(8);
    } finally {
      await src.close();
    }
  });

  it("jsonCheck 'fields' counts a value broken after its fields as an event; 'document' counts it non_json", async () => {
    const topic = uniq('tail-check');
    await kit.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const head = (id: string, version: number) => `{"id":"${id}","aggregateId":"A","version":${version},"occurredAt":"2024-05-01T10:00:00Z"`;
    await kit.producer.send({
      topic,
      messages: [
        { key: 'A', value: `${head('e1', 1)},"payload":{"lines":[1,2]}}` },
        { key: 'A', value: `${head('e2', 2)},"payload":{"lines":[1,2` }, // truncated after the fields
        { key: 'A', value: `{"id":"e3","payload":[1,,2],"aggregateId":"A","version":3}` }, // broken before a field
        { key: 'A', value: `${head('e1', 1)}}` }, // duplicate id
      ],
    });
    const counts: Record<string, Record<string, number>> = {};
    for (const jsonCheck of ['document', 'fields'] as const) {
      const deps = testDeps();
      const name = `check-${jsonCheck}`;
      const src = makeSource(deps, { name, topics: [topic], startFrom: 'beginning', jsonCheck });
      try {
        await src.collect(cycle(deps));
        await until('4 records', () => src.tail.delivered >= 4);
        const l = { stream: name };
        counts[jsonCheck] = {
          observed: await value(deps.registry, 'cqrs_events_observed_total', l),
          duplicate: await value(deps.registry, 'cqrs_events_duplicate_total', l),
          nonJson: await value(deps.registry, 'cqrs_events_unparseable_total', { ...l, reason: 'non_json' }),
        };
      } finally {
        await src.close();
      }
    }
    expect(counts).toEqual({ document: { observed: 2, duplicate: 1, nonJson: 2 }, fields: { observed: 3, duplicate: 1, nonJson: 1 } });
  });

  it('resumes from its committed offsets after a clean restart: nothing lost, nothing counted twice', async () => {
    const topic = uniq('tail-resume');
    await kit.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => event(`e${from + i}`, `agg${(from + i) % 7}`, 1 + Math.floor((from + i) / 7)));
    const deps1 = testDeps();
    const s1 = makeSource(deps1, { name: 'resume', topics: [topic], startFrom: 'beginning' });
    await kit.producer.send({ topic, messages: batch(0, 300) });
    await s1.collect(cycle(deps1));
    await until('300 records', () => s1.tail.delivered >= 300);
    await s1.close();
    await kit.producer.send({ topic, messages: batch(300, 200) });
    const deps2 = testDeps();
    const s2 = makeSource(deps2, { name: 'resume', topics: [topic], startFrom: 'beginning' });
    try {
      await s2.collect(cycle(deps2));
      await until('200 more records', () => s2.tail.delivered >= 200);
      await new Promise((r) => setTimeout(r, 1500)); // would any extra record arrive?
      expect(await value(deps1.registry, 'cqrs_events_observed_total', { stream: 'resume' })).toBe(300);
      expect(await value(deps2.registry, 'cqrs_events_observed_total', { stream: 'resume' })).toBe(200);
      expect(s2.tail.delivered).toBe(200);
    } finally {
      await s2.close();
    }
  });

  it('starts at a given time', async () => {
    const topic = uniq('tail-time');
    await kit.admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const t0 = Date.now() - 3_600_000;
    await kit.producer.send({ topic, messages: Array.from({ length: 40 }, (_, i) => ({ ...event(`old${i}`, 'A', i + 1), timestamp: String(t0 + i) })) });
    await kit.producer.send({
      topic,
      messages: Array.from({ length: 25 }, (_, i) => ({ ...event(`new${i}`, 'A', 41 + i), timestamp: String(t0 + 600_000 + i) })),
    });
    const deps = testDeps();
    const src = makeSource(deps, { name: 'attime', topics: [topic], startFrom: new Date(t0 + 300_000).toISOString() });
    try {
      await src.collect(cycle(deps));
      await until('25 records', () => src.tail.delivered >= 25);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await value(deps.registry, 'cqrs_events_observed_total', { stream: 'attime' })).toBe(25);
      expect(await value(deps.registry, 'cqrs_events_gap_total', { stream: 'attime' })).toBe(0);
    } finally {
      await src.close();
    }
  });
});
