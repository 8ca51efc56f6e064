import { describe, expect, it } from 'vitest';
import type { LagAggregate } from '../../../../src/core/kafka/aggregate.js';
import { GroupPartitions } from '../../../../src/sources/kafka/cluster-state.js';
import type { GroupEvaluation } from '../../../../src/sources/kafka/group-evaluation.js';
import { rowBudget } from '../../../../src/sources/kafka/publish.js';

const agg: LagAggregate = { sum: 1, max: 1, seconds: undefined } as unknown as LagAggregate;
type Row = [topic: string, partition: number];
/** A group's rows as slots of a GroupPartitions, as evaluateGroup hands them to publish. */
const evaluation = (groupId: string, rows: Row[], retained: Row[] = []): GroupEvaluation => {
  const ps = new GroupPartitions(3);
  const slots = (list: Row[]) => list.map(([t, p]) => ps.slot(`${t}\u0000${p}`, t, p));
  return {
    groupId,
    rows: { partitions: ps, slots: slots(rows) },
    retained: { partitions: ps, slots: slots(retained) },
    byTopic: new Map(rows.map(([t]) => [t, agg])),
    retainedByTopic: new Map(retained.map(([t]) => [t, agg])),
  } as unknown as GroupEvaluation;
};
const row = (topic: string, partition: number): Row => [topic, partition];

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
