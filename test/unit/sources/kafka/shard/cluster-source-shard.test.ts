import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../../../../src/config/schema/kafka.js';
import { SliBoard } from '../../../../../src/core/sli-board.js';
import { createMetrics } from '../../../../../src/metrics/create-metrics.js';
import type { GroupCommits, GroupInfo, KafkaClient, PartitionWatermarks, WatermarkResult } from '../../../../../src/sources/kafka/client.js';
import { KafkaClusterSource } from '../../../../../src/sources/kafka/cluster-source.js';
import { commitColumns } from '../../../../../src/sources/kafka/kept-commits.js';
import type { GroupShard, ShardSelection } from '../../../../../src/sources/kafka/shard/group-shard.js';
import type { CycleContext } from '../../../../../src/sources/source.js';

/** Groups g0..g5, each consuming its own topic t0..t5 (one partition, high 100, committed 90). */
class Cluster implements KafkaClient {
  readonly offsetRequests: string[][] = [];
  async listGroups() {
    return Array.from({ length: 6 }, (_, i) => ({ groupId: `g${i}`, protocolType: 'consumer' }));
  }
  async describeGroups(ids: readonly string[]) {
    return new Map<string, GroupInfo | Error>(ids.map((id) => [id, { state: 'Stable', members: 1, protocol: 'classic' }]));
  }
  async fetchCommittedOffsets(ids: readonly string[]) {
    this.offsetRequests.push([...ids]);
    return new Map<string, GroupCommits | Error>(ids.map((id) => [id, commitColumns([{ topic: `t${id.slice(1)}`, partition: 0, offset: 90 }])]));
  }
  async fetchWatermarks(topics: readonly string[]): Promise<WatermarkResult> {
    const partitions: PartitionWatermarks[] = topics.map((topic) => ({ topic, partition: 0, low: 0, high: 100 }));
    return { partitions, failed: new Map() };
  }
  async readTimestamps() {
    return [];
  }
  requestCount() {
    return 0;
  }
  async close() {}
}

/** A shard with an assignment set by the test (the Kafka-backed one is tested in test/integration/kafka/shard.test.ts). */
class FixedShard implements GroupShard {
  owned = new Set<string>();
  topics = false;
  closed = false;
  readonly #listeners: (() => void)[] = [];
  select(): ShardSelection {
    return { owns: (id) => this.owned.has(id), topics: () => this.topics };
  }
  onLoss(l: () => void) {
    this.#listeners.push(l);
  }
  lose(owned: string[], topics: boolean) {
    this.owned = new Set(owned);
    this.topics = topics;
    for (const l of this.#listeners) l();
  }
  async close() {
    this.closed = true;
  }
}

function replica(shard: FixedShard, extra: Record<string, unknown> = {}) {
  const registry = new Registry();
  const deps = {
    metrics: createMetrics(registry, { processMetrics: false }),
    logger: pino({ level: 'silent' }),
    clock: () => Date.now(),
    board: new SliBoard(),
  };
  const client = new Cluster();
  const source = new KafkaClusterSource(
    clusterSchema.parse({ name: 'c', brokers: ['127.0.0.1:1'], interval: '10s', sharding: {}, ...extra }),
    deps,
    client,
    shard,
  );
  const ctx: CycleContext = { signal: new AbortController().signal, clock: deps.clock, startedAt: Date.now(), logger: deps.logger, span: (_n, fn) => fn() };
  const series = async (name: string, label: string): Promise<string[]> => {
    const out: string[] = [];
    for (const m of (await registry.metrics()).matchAll(new RegExp(`^${name}\\{[^}]*${label}="([^"]+)"`, 'gm'))) out.push(m[1]!);
    return out.sort();
  };
  const value = async (line: string): Promise<number | undefined> => {
    const hit = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${line} `));
    return hit === undefined ? undefined : Number(hit.slice(line.length + 1));
  };
  return { client, source, deps, cycle: () => source.collect(ctx), series, value };
}

describe('KafkaClusterSource with a shard', () => {
  it('publishes only the owned groups; only the topic publisher publishes watermarks and produced counters, for every consumed topic', async () => {
    const a = new FixedShard();
    a.owned = new Set(['g0', 'g1']);
    a.topics = true;
    const b = new FixedShard();
    b.owned = new Set(['g2', 'g3', 'g4', 'g5']);
    const ra = replica(a);
    const rb = replica(b);
    await ra.cycle();
    await rb.cycle();
    expect(await ra.series('cqrs_kafka_group_total_lag_messages', 'group')).toEqual(['g0', 'g1']);
    expect(await rb.series('cqrs_kafka_group_total_lag_messages', 'group')).toEqual(['g2', 'g3', 'g4', 'g5']);
    // The publisher read every group's commits (its own to evaluate, the others' for their topics).
    expect(ra.client.offsetRequests[0]!.sort()).toEqual(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
    expect(rb.client.offsetRequests[0]!.sort()).toEqual(['g2', 'g3', 'g4', 'g5']);
    expect(await ra.series('cqrs_kafka_partition_high_watermark', 'topic')).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(await rb.series('cqrs_kafka_partition_high_watermark', 'topic')).toEqual([]);
    expect(await ra.series('cqrs_kafka_topic_produced_messages_total', 'topic')).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    expect(await rb.series('cqrs_kafka_topic_produced_messages_total', 'topic')).toEqual([]);
    expect(ra.deps.board.staleness('group:c/g2')).toBeUndefined();
    // Each replica marks the groups the other owns: their SLO ticks are skipped here, not unknown.
    expect(['g0', 'g1', 'g2', 'g3', 'g4', 'g5'].map((g) => ra.deps.board.isElsewhere(`group:c/${g}`))).toEqual([false, false, true, true, true, true]);
    expect(['g0', 'g1', 'g2', 'g3', 'g4', 'g5'].map((g) => rb.deps.board.isElsewhere(`group:c/${g}`))).toEqual([true, true, false, false, false, false]);
    // When the groups come back to a replica, its marks go.
    a.owned = new Set(['g0', 'g1', 'g2', 'g3', 'g4', 'g5']);
    await ra.cycle();
    expect(['g0', 'g1', 'g2', 'g3', 'g4', 'g5'].map((g) => ra.deps.board.isElsewhere(`group:c/${g}`))).toEqual([false, false, false, false, false, false]);
  });

  it('a loss removes the gauges at once; lost groups are forgotten, not retained as gone', async () => {
    const a = new FixedShard();
    a.owned = new Set(['g0', 'g1', 'g2']);
    a.topics = true;
    const r = replica(a);
    await r.cycle();
    expect(await r.series('cqrs_kafka_group_status', 'group')).toHaveLength(3 * 6);
    a.lose(['g0'], false);
    // Before any cycle: no group gauge and no watermark left.
    expect(await r.series('cqrs_kafka_group_status', 'group')).toEqual([]);
    expect(await r.series('cqrs_kafka_partition_high_watermark', 'topic')).toEqual([]);
    await r.cycle();
    expect(await r.series('cqrs_kafka_group_total_lag_messages', 'group')).toEqual(['g0']);
    expect(await r.series('cqrs_kafka_group_redelivered_messages_total', 'group')).toEqual(['g0']);
    expect(await r.series('cqrs_kafka_topic_produced_messages_total', 'topic')).toEqual([]);
  });

  it("at the series cap, the publisher writes the other topics' watermarks after its rows, while they fit", async () => {
    const full = new FixedShard();
    full.owned = new Set(['g0']);
    full.topics = true;
    const r = replica(full);
    await r.cycle();
    // Group-level series of g0, its topic row (3), its partition row (3) and 6 watermark pairs (12).
    const total = (await r.value('cqrs_kafka_series{cluster="c"}'))!;
    expect(await r.series('cqrs_kafka_partition_high_watermark', 'topic')).toHaveLength(6);

    const capped = replica(full, { maxSeries: total - 4 });
    await capped.cycle();
    // t0 goes with g0's partition row; of t1..t5, three pairs fit in the 6 series left.
    expect(await capped.series('cqrs_kafka_partition_high_watermark', 'topic')).toEqual(['t0', 't1', 't2', 't3']);
    expect(await capped.value('cqrs_kafka_series{cluster="c"}')).toBe(total - 4);
    expect(await capped.value('cqrs_series_dropped_total{source="kafka:c"}')).toBe(4);
  });

  it('owning nothing (joining, rebalancing) publishes no group series; close() leaves the group', async () => {
    const s = new FixedShard();
    const r = replica(s);
    const report = await r.cycle();
    expect(report).toMatchObject({ groups: 0 });
    expect(await r.series('cqrs_kafka_group_status', 'group')).toEqual([]);
    await r.source.close();
    expect(s.closed).toBe(true);
  });
});
