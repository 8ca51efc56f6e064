import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../../../src/config/schema/kafka.js';
import { SliBoard } from '../../../../src/core/sli-board.js';
import { createMetrics } from '../../../../src/metrics/create-metrics.js';
import type {
  CommittedOffset,
  GroupCommits,
  GroupInfo,
  KafkaClient,
  PartitionWatermarks,
  RecordRef,
  RecordTimestamp,
  WatermarkResult,
} from '../../../../src/sources/kafka/client.js';
import { KafkaClusterSource } from '../../../../src/sources/kafka/cluster-source.js';
import { missingTopicError } from '../../../../src/sources/kafka/kafka-errors.js';
import { commitColumns } from '../../../../src/sources/kafka/kept-commits.js';
import { SourceError } from '../../../../src/sources/source-error.js';
import type { CycleContext } from '../../../../src/sources/source.js';

/** An in-memory cluster: groups with commits, topics with watermarks and record timestamps. */
class FakeClient implements KafkaClient {
  groups = new Map<string, { commits: CommittedOffset[]; members: number; fail?: boolean }>();
  topics = new Map<string, { low: number; high: number }[]>();
  timestamps = new Map<string, number>();
  down = false;
  /** Topic -> the error its watermark request fails with. */
  failing = new Map<string, Error>();
  reads: RecordRef[][] = [];
  async listGroups() {
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return [...this.groups.keys()].map((groupId) => ({ groupId, protocolType: 'consumer' }));
  }
  async describeGroups(ids: readonly string[]) {
    return new Map<string, GroupInfo | Error>(ids.map((id) => [id, { state: 'Stable', members: this.groups.get(id)!.members, protocol: 'classic' }]));
  }
  async fetchCommittedOffsets(ids: readonly string[]) {
    return new Map<string, GroupCommits | Error>(
      ids.map((id) => {
        const g = this.groups.get(id)!;
        return [id, g.fail ? new Error('NOT_COORDINATOR') : commitColumns(g.commits)];
      }),
    );
  }
  async fetchWatermarks(topics: readonly string[]): Promise<WatermarkResult> {
    const partitions: PartitionWatermarks[] = [];
    const failed = new Map<string, Error>();
    for (const t of topics) {
      const err = this.failing.get(t);
      if (err) failed.set(t, err);
      else
        (this.topics.get(t) ?? []).forEach((w, partition) => {
          partitions.push({ topic: t, partition, ...w });
        });
    }
    return { partitions, failed };
  }
  async readTimestamps(reads: readonly RecordRef[]): Promise<RecordTimestamp[]> {
    this.reads.push([...reads]);
    return reads.flatMap((r) => {
      const ts = this.timestamps.get(`${r.topic}/${r.partition}/${r.offset}`);
      return ts === undefined ? [] : [{ ...r, timestamp: ts }];
    });
  }
  requestCount() {
    return 0;
  }
  async close() {}
}

function setup(extra: Record<string, unknown> = {}) {
  const registry = new Registry();
  let now = 1_000_000;
  const deps = { metrics: createMetrics(registry, { processMetrics: false }), logger: pino({ level: 'silent' }), clock: () => now, board: new SliBoard() };
  const client = new FakeClient();
  const source = new KafkaClusterSource(clusterSchema.parse({ name: 'c1', brokers: ['127.0.0.1:1'], interval: '10s', ...extra }), deps, client);
  const ctx = (): CycleContext => ({ signal: new AbortController().signal, clock: deps.clock, startedAt: now, logger: deps.logger, span: (_n, fn) => fn() });
  const run = async () => {
    try {
      return await source.collect(ctx());
    } catch (err) {
      source.clear();
      throw err;
    }
  };
  const text = () => registry.metrics();
  return { registry, deps, client, source, run, text, advance: (s: number) => (now += s * 1000) };
}

const line = (name: string, labels: string) => new RegExp(`^${name}\\{${labels.replace(/[{}]/g, '\\$&')}\\} (\\S+)$`, 'm');
async function read(text: () => Promise<string>, name: string, labels: string): Promise<number | undefined> {
  const m = line(name, labels).exec(await text());
  return m ? Number(m[1]) : undefined;
}

describe('KafkaClusterSource', () => {
  it('isolates a group whose offsets cannot be read: ERROR for it, lag for the others', async () => {
    const t = setup();
    t.client.topics.set('orders', [{ low: 0, high: 100 }]);
    t.client.groups.set('good', { commits: [{ topic: 'orders', partition: 0, offset: 60 }], members: 1 });
    t.client.groups.set('bad', { commits: [], members: 1, fail: true });
    const report = await t.run();
    expect(report).toMatchObject({ groups: 2, groups_error: 1, partitions: 1 });
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="good",topic="orders",partition="0"')).toBe(40);
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="bad",status="ERROR"')).toBe(1);
    expect(await t.text()).not.toMatch(/cqrs_kafka_group_total_lag_messages\{[^}]*group="bad"/);
    expect(await read(t.text, 'cqrs_kafka_partial_errors_total', 'cluster="c1",request="fetch_offsets"')).toBe(1);
    expect(t.deps.board.staleness('group:c1/bad')).toBeUndefined();
  });

  it('a group that goes away keeps reporting from its last commits for inactiveRetention, then its series go', async () => {
    const t = setup({ inactiveRetention: '30s' });
    t.client.topics.set('orders', [
      { low: 0, high: 100 },
      { low: 0, high: 50 },
    ]);
    t.client.topics.set('audit', [{ low: 5, high: 9 }]);
    t.client.groups.set('left', {
      commits: [
        { topic: 'orders', partition: 1, offset: 20 },
        { topic: 'audit', partition: 0, offset: undefined },
        { topic: 'orders', partition: 0, offset: 60 },
      ],
      members: 1,
    });
    await t.run();
    t.client.groups.delete('left');
    t.client.topics.set('orders', [
      { low: 0, high: 110 },
      { low: 0, high: 55 },
    ]);
    t.client.topics.set('audit', [{ low: 5, high: 12 }]);
    t.advance(10);
    await t.run();
    // Its last commits against this cycle's watermarks: 110 - 60, 55 - 20, and audit uncommitted
    // since the high watermark it was first seen at (12 - 9).
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="left",topic="orders",partition="0"')).toBe(50);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="left",topic="orders",partition="1"')).toBe(35);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="left",topic="audit",partition="0"')).toBe(3);
    expect(await read(t.text, 'cqrs_kafka_group_members', 'cluster="c1",group="left"')).toBe(0);
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="left",status="STOPPED"')).toBe(1);
    t.advance(10);
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="left",topic="orders",partition="0"')).toBe(50);
    t.advance(25);
    await t.run();
    expect(await t.text()).not.toMatch(/group="left"/);
  });

  it('a topic that does not exist (by Kafka error code) leaves its groups readable; any other watermark failure makes them ERROR', async () => {
    const t = setup();
    t.client.topics.set('orders', [{ low: 0, high: 100 }]);
    t.client.groups.set('missing', {
      commits: [
        { topic: 'orders', partition: 0, offset: 60 },
        { topic: 'gone', partition: 0, offset: 1 },
      ],
      members: 1,
    });
    t.client.groups.set('failed', {
      commits: [
        { topic: 'orders', partition: 0, offset: 70 },
        { topic: 'slow', partition: 0, offset: 1 },
      ],
      members: 1,
    });
    t.client.failing.set('gone', missingTopicError('gone'));
    // The same words, but a timeout: the text of a message decides nothing.
    t.client.failing.set('slow', Object.assign(new Error('topic slow does not exist'), { type: 'REQUEST_TIMED_OUT', code: 7 }));
    const report = await t.run();
    expect(report).toMatchObject({ groups: 2, groups_error: 1 });
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="missing",topic="orders",partition="0"')).toBe(40);
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="failed",status="ERROR"')).toBe(1);
    expect(await read(t.text, 'cqrs_kafka_partial_errors_total', 'cluster="c1",request="fetch_watermarks"')).toBe(2);
  });

  it('throws a SourceError when the cluster is unreachable; clear() leaves no lag series; it recovers', async () => {
    const t = setup();
    t.client.topics.set('orders', [{ low: 0, high: 10 }]);
    t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 5 }], members: 1 });
    await t.run();
    t.client.down = true;
    await expect(t.run()).rejects.toSatisfy((e: unknown) => e instanceof SourceError && e.reason === 'unreachable');
    expect(await t.text()).not.toMatch(/^cqrs_kafka_group_(lag_messages|status|total_lag_messages)\{/m);
    t.client.down = false;
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="orders",partition="0"')).toBe(5);
  });

  it('reads timestamps most lagging first within the budget, caches them, and computes time lag', async () => {
    const t = setup({ timeLag: { maxReadsPerCycle: 1, historyPoints: 8 } });
    t.client.topics.set('orders', [
      { low: 0, high: 100 },
      { low: 0, high: 100 },
    ]);
    t.client.groups.set('g', {
      commits: [
        { topic: 'orders', partition: 0, offset: 90 },
        { topic: 'orders', partition: 1, offset: 50 },
      ],
      members: 1,
    });
    t.client.timestamps.set('orders/1/50', 1_000_000 - 120_000);
    t.client.timestamps.set('orders/0/90', 1_000_000 - 30_000);
    await t.run();
    expect(t.client.reads).toEqual([[{ topic: 'orders', partition: 1, offset: 50, lag: 50 }]]);
    expect(await read(t.text, 'cqrs_kafka_group_lag_seconds', 'cluster="c1",group="g",topic="orders",partition="1"')).toBe(120);
    // Partition 0: not read yet, no history -> absent, counted.
    expect(await read(t.text, 'cqrs_kafka_group_lag_seconds', 'cluster="c1",group="g",topic="orders",partition="0"')).toBeUndefined();
    expect(await read(t.text, 'cqrs_kafka_time_lag_unavailable_total', 'cluster="c1",reason="no_history"')).toBe(1);
    expect(await read(t.text, 'cqrs_kafka_group_max_lag_seconds', 'cluster="c1",group="g"')).toBeUndefined();
    t.advance(10);
    await t.run();
    // Second cycle reads only the other partition: partition 1 is cached (commit unchanged).
    expect(t.client.reads[1]).toEqual([{ topic: 'orders', partition: 0, offset: 90, lag: 10 }]);
    expect(await read(t.text, 'cqrs_kafka_group_max_lag_seconds', 'cluster="c1",group="g"')).toBe(130);
    expect(t.deps.board.staleness('group:c1/g')).toBe(130);
  });

  it('keeps a group that went away for inactiveRetention, then removes its series', async () => {
    const t = setup({ inactiveRetention: '60s' });
    t.client.topics.set('orders', [{ low: 0, high: 10 }]);
    t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 4 }], members: 1 });
    await t.run();
    t.client.groups.delete('g');
    t.client.topics.set('orders', [{ low: 0, high: 12 }]);
    t.advance(30);
    await t.run();
    // Still reported, against the current high watermark, as STOPPED (no member, lag).
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="orders",partition="0"')).toBe(8);
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="g",status="STOPPED"')).toBe(1);
    t.advance(40);
    await t.run();
    expect(await t.text()).not.toMatch(/group="g"/);
  });

  it('keeps the series of a deleted topic at their last values for inactiveRetention, outside the group totals', async () => {
    const t = setup({ inactiveRetention: '60s' });
    t.client.topics.set('orders', [{ low: 0, high: 10 }]);
    t.client.topics.set('payments', [{ low: 0, high: 20 }]);
    t.client.groups.set('g', {
      commits: [
        { topic: 'orders', partition: 0, offset: 4 },
        { topic: 'payments', partition: 0, offset: 15 },
      ],
      members: 1,
    });
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_total_lag_messages', 'cluster="c1",group="g"')).toBe(11);
    // The topic is deleted: the broker drops its partitions and the group's offsets on it.
    t.client.topics.delete('payments');
    t.client.groups.get('g')!.commits = [{ topic: 'orders', partition: 0, offset: 5 }];
    t.advance(30);
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="payments",partition="0"')).toBe(5);
    expect(await read(t.text, 'cqrs_kafka_group_topic_lag_messages', 'cluster="c1",group="g",topic="payments"')).toBe(5);
    expect(await read(t.text, 'cqrs_kafka_partition_high_watermark', 'cluster="c1",topic="payments",partition="0"')).toBe(20);
    // Totals and status describe what the group consumes now.
    expect(await read(t.text, 'cqrs_kafka_group_total_lag_messages', 'cluster="c1",group="g"')).toBe(5);
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="g",status="OK"')).toBe(1);
    t.advance(40);
    await t.run();
    expect((await t.text()).split('\n').filter((l) => l.includes('topic="payments"'))).toEqual([]);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="orders",partition="0"')).toBe(5);
  });

  it.each([
    ['partition', true, true],
    ['topic', false, true],
    ['group', false, false],
  ] as const)('granularity %s', async (granularity, partitionLevel, topicLevel) => {
    const t = setup({ granularity });
    t.client.topics.set('orders', [{ low: 0, high: 10 }]);
    t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 4 }], members: 1 });
    await t.run();
    const text = await t.text();
    expect(/^cqrs_kafka_group_lag_messages\{/m.test(text)).toBe(partitionLevel);
    expect(/^cqrs_kafka_partition_high_watermark\{/m.test(text)).toBe(partitionLevel);
    expect(/^cqrs_kafka_group_topic_lag_messages\{/m.test(text)).toBe(topicLevel);
    expect(await read(t.text, 'cqrs_kafka_group_total_lag_messages', 'cluster="c1",group="g"')).toBe(6);
  });

  it('caps series at maxSeries, dropping the least lagging rows and counting them', async () => {
    const t = setup({ maxSeries: 40 });
    t.client.topics.set(
      'orders',
      Array.from({ length: 10 }, (_, i) => ({ low: 0, high: 100 + i })),
    );
    t.client.groups.set('g', { commits: Array.from({ length: 10 }, (_, i) => ({ topic: 'orders', partition: i, offset: 100 })), members: 1 });
    const report = await t.run();
    expect(report.series).toBeLessThanOrEqual(40);
    expect(report.series_dropped).toBeGreaterThan(0);
    expect(await read(t.text, 'cqrs_series_dropped_total', 'source="kafka:c1"')).toBe(report.series_dropped);
    // The most lagging partition (9, lag 9) is kept; the least (0, lag 0) is dropped.
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="orders",partition="9"')).toBe(9);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="orders",partition="0"')).toBeUndefined();
  });

  it('publishes the same text group by group (under the cap) as the batch path (near the cap, nothing dropped)', async () => {
    const fill = (t: ReturnType<typeof setup>) => {
      t.client.topics.set(
        'orders',
        Array.from({ length: 4 }, (_, i) => ({ low: 0, high: 100 + i })),
      );
      t.client.topics.set('payments', [{ low: 5, high: 50 }]);
      t.client.groups.set('a', { commits: Array.from({ length: 4 }, (_, i) => ({ topic: 'orders', partition: i, offset: 90 + i })), members: 2 });
      t.client.groups.set('b', {
        commits: [
          { topic: 'payments', partition: 0, offset: 20 },
          { topic: 'orders', partition: 0, offset: 100 },
        ],
        members: 1,
      });
      t.client.groups.set('bad', { commits: [], members: 1, fail: true });
      t.client.timestamps.set('payments/0/20', 1_000_000 - 60_000);
    };
    const streamed = setup();
    fill(streamed);
    await streamed.run();
    streamed.advance(10);
    const r1 = await streamed.run();
    // Rows: 3 topic rows x 3 + 6 partition rows x 3 + 5 watermarks x 2 = 37 series. 90 is below the
    // group-by-group bound (3 groups x GROUP_SERIES_MAX 18 + 37 = 91), so the batch path runs, and
    // above what the groups and rows take (r1.series), so it writes every row unranked.
    expect(r1.series).toBeLessThan(90);
    const batch = setup({ maxSeries: 90 });
    fill(batch);
    await batch.run();
    batch.advance(10);
    const r2 = await batch.run();
    expect(r2).toEqual(r1);
    expect(r2.series_dropped).toBe(0);
    expect(await batch.text()).toBe(await streamed.text());
  });

  it('counts production from watermark deltas: baseline first, then deltas, re-creates and new partitions', async () => {
    const t = setup();
    t.client.topics.set('orders', [{ low: 0, high: 10 }]);
    t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 4 }], members: 1 });
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_topic_produced_messages_total', 'cluster="c1",topic="orders"')).toBe(0);
    t.client.topics.set('orders', [
      { low: 0, high: 15 },
      { low: 0, high: 3 },
    ]);
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_topic_produced_messages_total', 'cluster="c1",topic="orders"')).toBe(8);
    t.client.topics.set('orders', [
      { low: 0, high: 2 },
      { low: 0, high: 3 },
    ]);
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_topic_produced_messages_total', 'cluster="c1",topic="orders"')).toBe(10);
  });

  it('several clusters share the registry: clearing one leaves the other', async () => {
    const a = setup();
    const client = new FakeClient();
    const b = new KafkaClusterSource(clusterSchema.parse({ name: 'c2', brokers: ['127.0.0.1:2'] }), a.deps, client);
    for (const c of [a.client, client]) {
      c.topics.set('orders', [{ low: 0, high: 10 }]);
      c.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 4 }], members: 1 });
    }
    await a.run();
    await b.collect({ signal: new AbortController().signal, clock: a.deps.clock, startedAt: 0, logger: a.deps.logger, span: (_n, fn) => fn() });
    a.source.clear();
    expect(await read(a.text, 'cqrs_kafka_group_lag_messages', 'cluster="c1",group="g",topic="orders",partition="0"')).toBeUndefined();
    expect(await read(a.text, 'cqrs_kafka_group_lag_messages', 'cluster="c2",group="g",topic="orders",partition="0"')).toBe(6);
  });

  it('creates its counters at 0 as soon as their labels are known, so increase() sees the first event', async () => {
    const t = setup();
    const before = await t.text();
    expect(await read(async () => before, 'cqrs_kafka_requests_total', 'cluster="c1"')).toBe(0);
    expect(await read(async () => before, 'cqrs_kafka_partial_errors_total', 'cluster="c1",request="read_timestamps"')).toBe(0);
    expect(await read(async () => before, 'cqrs_kafka_time_lag_unavailable_total', 'cluster="c1",reason="no_timestamp"')).toBe(0);
    expect(await read(async () => before, 'cqrs_series_dropped_total', 'source="kafka:c1"')).toBe(0);
    t.client.topics.set('orders', [{ low: 0, high: 300 }]);
    t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 300 }], members: 1 });
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_redelivered_messages_total', 'cluster="c1",group="g",topic="orders"')).toBe(0);
    expect(await read(t.text, 'cqrs_kafka_topic_produced_messages_total', 'cluster="c1",topic="orders"')).toBe(0);
    // The first rewind (300 -> 0) is then an increase of 300, not a series born at 300.
    t.client.groups.get('g')!.commits = [{ topic: 'orders', partition: 0, offset: 0 }];
    t.advance(10);
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_redelivered_messages_total', 'cluster="c1",group="g",topic="orders"')).toBe(300);
  });

  it('reads a -2 commit after a real one as a rewind to the low watermark; -1 as the high watermark', async () => {
    const t = setup();
    t.client.topics.set('orders', [
      { low: 10, high: 30 },
      { low: 0, high: 12 },
    ]);
    t.client.groups.set('g', {
      commits: [
        { topic: 'orders', partition: 0, offset: 30 },
        { topic: 'orders', partition: 1, offset: 5 },
      ],
      members: 0,
    });
    await t.run();
    t.client.groups.get('g')!.commits = [
      { topic: 'orders', partition: 0, offset: -2 },
      { topic: 'orders', partition: 1, offset: -1 },
    ];
    t.advance(10);
    await t.run();
    const p = (n: number) => `cluster="c1",group="g",topic="orders",partition="${n}"`;
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="g",status="REWOUND"')).toBe(1);
    expect(await read(t.text, 'cqrs_kafka_group_redelivered_messages_total', 'cluster="c1",group="g",topic="orders"')).toBe(20);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', p(0))).toBe(20);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', p(1))).toBe(0);
    expect(await read(t.text, 'cqrs_kafka_group_committed_offset', p(0))).toBeUndefined();
    expect(await read(t.text, 'cqrs_kafka_group_uncommitted_partitions', 'cluster="c1",group="g"')).toBe(0);
  });

  it('a partition without a commit counts only what arrived since it was first seen so: OK while nothing arrives, STALLED when arrivals stay uncommitted', async () => {
    // A consumer starting at the end (kafkajs' and the Java client's default) keeps up on
    // partition 0; partition 1 holds 40 old records and receives nothing, so it is never committed.
    const t = setup();
    const p = (n: number) => `cluster="c1",group="g",topic="orders",partition="${n}"`;
    const status = async (s: string) => read(t.text, 'cqrs_kafka_group_status', `cluster="c1",group="g",status="${s}"`);
    let high0 = 100;
    const cycleWith = async (high1: number) => {
      high0 += 10;
      t.client.topics.set('orders', [
        { low: 0, high: high0 },
        { low: 0, high: high1 },
      ]);
      t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: high0 }], members: 1 });
      await t.run();
      t.advance(10);
    };
    for (let i = 0; i < 5; i++) await cycleWith(40);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', p(1))).toBe(0);
    expect(await read(t.text, 'cqrs_kafka_group_total_lag_messages', 'cluster="c1",group="g"')).toBe(0);
    expect(await read(t.text, 'cqrs_kafka_group_uncommitted_partitions', 'cluster="c1",group="g"')).toBe(1);
    expect(await status('OK')).toBe(1);
    // Then 3 records arrive on partition 1 and stay uncommitted: lag 43 - 40 = 3, and after
    // stallSamples (3) samples in which the first of them already existed, STALLED.
    await cycleWith(43);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', p(1))).toBe(3);
    expect(await status('OK')).toBe(1);
    await cycleWith(43);
    await cycleWith(43);
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', p(1))).toBe(3);
    expect(await status('STALLED')).toBe(1);
    // Its first commit is below where counting started (a consumer reading from the beginning):
    // a position like any other, neither a rewind nor a redelivery.
    high0 += 10;
    t.client.topics.set('orders', [
      { low: 0, high: high0 },
      { low: 0, high: 43 },
    ]);
    t.client.groups.set('g', {
      commits: [
        { topic: 'orders', partition: 0, offset: high0 },
        { topic: 'orders', partition: 1, offset: 20 },
      ],
      members: 1,
    });
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_lag_messages', p(1))).toBe(23);
    expect(await read(t.text, 'cqrs_kafka_group_uncommitted_partitions', 'cluster="c1",group="g"')).toBe(0);
    expect(await status('REWOUND')).toBe(0);
    expect(await read(t.text, 'cqrs_kafka_group_redelivered_messages_total', 'cluster="c1",group="g",topic="orders"')).toBe(0);
  });

  it('publishes no drain forecast for a STOPPED group although its window rates still show a drain', async () => {
    const t = setup();
    t.client.topics.set('orders', [{ low: 0, high: 1000 }]);
    t.client.groups.set('g', { commits: [{ topic: 'orders', partition: 0, offset: 0 }], members: 1 });
    await t.run();
    t.advance(10);
    t.client.topics.set('orders', [{ low: 0, high: 1100 }]);
    t.client.groups.get('g')!.commits = [{ topic: 'orders', partition: 0, offset: 400 }];
    await t.run();
    // 40 msg/s consumed, 10 produced: 700 / 30 s.
    expect(await read(t.text, 'cqrs_kafka_group_drain_seconds', 'cluster="c1",group="g"')).toBeCloseTo(700 / 30);
    t.advance(10);
    t.client.topics.set('orders', [{ low: 0, high: 1200 }]);
    t.client.groups.get('g')!.members = 0;
    await t.run();
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="g",status="STOPPED"')).toBe(1);
    expect(await read(t.text, 'cqrs_kafka_group_drain_seconds', 'cluster="c1",group="g"')).toBeUndefined();
  });

  it('applies the allowed lag of the first matching group override', async () => {
    const t = setup({ groupOverrides: [{ group: '^quiet$' }, { group: '^b', allowedLag: 100 }, { group: '.', allowedLag: 0 }] });
    t.client.topics.set('orders', [{ low: 0, high: 0 }]);
    for (const id of ['billing', 'shipping']) t.client.groups.set(id, { commits: [{ topic: 'orders', partition: 0, offset: 0 }], members: 1 });
    // Lag 0 -> 20 -> 40 -> 60 while consuming 10 of 30 msg/s.
    for (let i = 1; i <= 3; i++) {
      t.advance(1);
      t.client.topics.set('orders', [{ low: 0, high: 30 * i }]);
      for (const id of ['billing', 'shipping']) t.client.groups.get(id)!.commits = [{ topic: 'orders', partition: 0, offset: 10 * i }];
      await t.run();
    }
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="billing",status="OK"')).toBe(1);
    expect(await read(t.text, 'cqrs_kafka_group_status', 'cluster="c1",group="shipping",status="LAGGING"')).toBe(1);
  });
});
