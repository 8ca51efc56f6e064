import { describe, expect, it } from 'vitest';
import type { LagAggregate } from '../../../../src/core/kafka/aggregate.js';
import type { GroupEvaluation, PartitionRow } from '../../../../src/sources/kafka/group-evaluation.js';
import { rowBudget } from '../../../../src/sources/kafka/publish.js';

const agg: LagAggregate = { sum: 1, max: 1, seconds: undefined } as unknown as LagAggregate;
const row = (topic: string, partition: number): PartitionRow =>
  ({ topic, partition, committed: 0, lag: { kind: 'offset', lag: 1 }, time: { seconds: 1 } }) as unknown as PartitionRow;
const evaluation = (groupId: string, rows: PartitionRow[], retained: PartitionRow[] = []): GroupEvaluation =>
  ({
    groupId,
    rows,
    retained,
    byTopic: new Map(rows.map((r) => [r.topic, agg])),
    retainedByTopic: new Map(retained.map((r) => [r.topic, agg])),
  }) as unknown as GroupEvaluation;

describe('rowBudget', () => {
  // Two groups: a on orders/0-1, b on orders/0 and (retained) deleted/0. Watermarks: orders/0-1, deleted/0, other/0.
  const groups = [
    { evaluation: evaluation('a', [row('orders', 0), row('orders', 1)]), info: undefined },
    { evaluation: evaluation('b', [row('orders', 0)], [row('deleted', 0)]), info: undefined },
  ];
  const watermarks = [
    { topic: 'orders', partition: 0, low: 0, high: 1 },
    { topic: 'orders', partition: 1, low: 0, high: 1 },
    { topic: 'deleted', partition: 0, low: 0, high: 1 },
    { topic: 'other', partition: 0, low: 0, high: 1 },
  ];

  it('partition granularity: 3 per topic row, 3 per partition row, 2 per watermark of a row topic', () => {
    const b = rowBudget({ granularity: 'partition', groups, watermarks });
    // topic rows: a/orders, b/orders, b/deleted = 3 -> 9; partition rows 4 -> 12; watermarks orders/0, orders/1, deleted/0 -> 6.
    expect(b.needed).toBe(27);
    expect([...b.rowTopics].sort()).toEqual(['deleted', 'orders']);
  });

  it('topic granularity: topic rows only; group granularity: nothing', () => {
    expect(rowBudget({ granularity: 'topic', groups, watermarks }).needed).toBe(9);
    expect(rowBudget({ granularity: 'group', groups, watermarks }).needed).toBe(0);
  });
});
