import { describe, expect, inject, it } from 'vitest';
import type { GroupCommits, GroupInfo } from '../../../src/sources/kafka/client.js';
import { kafkajsClientFactory } from '../../../src/sources/kafka/index.js';
import { commitList } from '../../../src/sources/kafka/kept-commits.js';
import { clusterConfig, makeDeps, produce, unique, useKit } from './helpers.js';

const env = inject('kafka');

describe.skipIf(!!env.unavailable)(`Kafka ${env.version}: batched FindCoordinator (v4)`, () => {
  const k = useKit(env.brokers);

  it('places 60 groups with one FindCoordinator, then reuses the coordinators for their offsets', async () => {
    const topic = unique('fc');
    const prefix = unique('fcg');
    await k.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await produce(k, topic, 0, 5);
    const groups = Array.from({ length: 60 }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
    for (const [i, g] of groups.entries()) await k.setOffsets({ groupId: g, topic, partitions: [{ partition: 0, offset: String(i % 5) }] });

    const cfg = clusterConfig(env.brokers, { groups: { include: [`^${prefix}-`] } });
    const client = kafkajsClientFactory(cfg, makeDeps());
    try {
      // As in a cycle: the group listing loads the metadata the lookup spreads its requests over.
      const listed = (await client.listGroups()).filter((g) => g.groupId.startsWith(prefix));
      expect(listed).toHaveLength(60);
      const before = client.requestCount();
      const infos = await client.describeGroups(groups);
      // FindCoordinator 1 and DescribeGroups 1 on the single broker (one group per
      // FindCoordinator, as kafkajs sends them, would be 60 more).
      expect(client.requestCount() - before).toBe(2);
      for (const g of groups) expect(infos.get(g)).toEqual<GroupInfo>({ state: 'Empty', members: 0, protocol: 'classic' });

      const mid = client.requestCount();
      const commits = await client.fetchCommittedOffsets(groups);
      // No lookup again: one OffsetFetch v8 for the 60 groups.
      expect(client.requestCount() - mid).toBe(1);
      for (const [i, g] of groups.entries()) expect(commitList(commits.get(g) as GroupCommits)).toEqual([{ topic, partition: 0, offset: i % 5 }]);
    } finally {
      await client.close();
    }
  });

  it('looks a lone group up through kafkajs, and a group nobody committed is still placed', async () => {
    const group = unique('fc-lone');
    const client = kafkajsClientFactory(clusterConfig(env.brokers), makeDeps());
    try {
      await client.listGroups();
      const infos = await client.describeGroups([group]);
      // A coordinator answers for any group id (what it says of an unknown group varies by version).
      expect(infos.get(group)).not.toBeInstanceOf(Error);
      expect(infos.has(group)).toBe(true);
      const fresh = [unique('fc-none'), unique('fc-none')];
      const before = client.requestCount();
      const commits = await client.fetchCommittedOffsets(fresh);
      expect(client.requestCount() - before).toBe(2); // FindCoordinator 1, OffsetFetch 1
      for (const g of fresh) expect(commitList(commits.get(g) as GroupCommits)).toEqual([]);
    } finally {
      await client.close();
    }
  });
});
