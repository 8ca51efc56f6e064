import { describe, expect, inject, it } from 'vitest';
import { kafkajsClientFactory } from '../../../src/sources/kafka/index.js';
import { clusterConfig, makeDeps, produce, unique, useKit } from './helpers.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: one Metadata request per cycle`, () => {
  const k = useKit(env.brokers);

  it('reads the last cycle topics with the brokers, and asks again only for a topic new this cycle', async () => {
    const a = unique('om-a');
    const b = unique('om-b');
    await k.admin.createTopics({ topics: [{ topic: a, numPartitions: 3 }], waitForLeaders: true });
    await produce(k, a, 1, 4);
    const client = kafkajsClientFactory(clusterConfig(env.brokers), makeDeps());
    const round = async (topics: string[]) => {
      const before = client.requestCount();
      await client.listGroups();
      const w = await client.fetchWatermarks(topics);
      return { requests: client.requestCount() - before, w };
    };
    try {
      await round([a]);
      // Metadata (brokers and topic a) 1, ListGroups 1; ListOffsets latest and earliest 2 on the
      // single broker: no Metadata of its own for the watermarks.
      const steady = await round([a]);
      expect(steady.requests).toBe(4);
      expect(steady.w.failed.size).toBe(0);
      expect(
        steady.w.partitions
          .filter((p) => p.topic === a)
          .map((p) => [p.partition, p.low, p.high])
          .sort((x, y) => x[0]! - y[0]!),
      ).toEqual([
        [0, 0, 0],
        [1, 0, 4],
        [2, 0, 0],
      ]);

      // Topic b appears (a group started consuming it): one more Metadata, for b alone.
      await k.admin.createTopics({ topics: [{ topic: b, numPartitions: 2 }], waitForLeaders: true });
      await produce(k, b, 0, 3);
      const grown = await round([a, b]);
      expect(grown.requests).toBe(5);
      expect(grown.w.failed.size).toBe(0);
      expect(
        grown.w.partitions
          .filter((p) => p.topic === b)
          .map((p) => [p.partition, p.high])
          .sort((x, y) => x[0]! - y[0]!),
      ).toEqual([
        [0, 3],
        [1, 0],
      ]);
      // Next cycle b is read with the brokers again.
      expect((await round([a, b])).requests).toBe(4);

      // A topic never created: named in the answer with its error, failed alone.
      const ghost = unique('om-ghost');
      const missing = await round([a, ghost]);
      expect(missing.requests).toBe(5);
      expect(missing.w.failed.get(ghost)?.message).toMatch(ghost);
      expect(missing.w.partitions.some((p) => p.topic === a)).toBe(true);
    } finally {
      await client.close();
    }
  });
});
