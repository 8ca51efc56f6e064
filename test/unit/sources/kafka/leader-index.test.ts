import { describe, expect, it } from 'vitest';
import { indexLeaders } from '../../../../src/sources/kafka/leader-index.js';

const p = (partitionId: number, leader: number | null) => ({ partitionId, leader });

describe('indexLeaders', () => {
  it('groups each topic by leader, node ids ascending, partitions in metadata order', () => {
    const idx = indexLeaders([
      { topic: 'a', partitionMetadata: [p(0, 3), p(1, 1), p(2, 3), p(3, 2), p(4, 1)] },
      { topic: 'b', partitionMetadata: [p(1, 2), p(0, 2)] },
    ]);
    expect([...(idx.get('a') as Map<string, number[]>)]).toEqual([
      ['1', [1, 4]],
      ['2', [3]],
      ['3', [0, 2]],
    ]);
    expect([...(idx.get('b') as Map<string, number[]>)]).toEqual([['2', [1, 0]]]);
    expect(idx.has('c')).toBe(false);
  });

  it('fails a topic with a partition that has no leader field, and only that topic', () => {
    const idx = indexLeaders([
      { topic: 'bad', partitionMetadata: [p(0, 1), p(1, null)] },
      { topic: 'ok', partitionMetadata: [p(0, 1)] },
    ]);
    expect(idx.get('bad')).toBeInstanceOf(Error);
    expect((idx.get('bad') as Error).message).toMatch(/topic bad partition 1 has no leader/);
    expect([...(idx.get('ok') as Map<string, number[]>)]).toEqual([['1', [0]]]);
  });

  it('keeps the first entry of a topic named twice, as kafkajs does', () => {
    const idx = indexLeaders([
      { topic: 'a', partitionMetadata: [p(0, 1)] },
      { topic: 'a', partitionMetadata: [p(0, 2)] },
    ]);
    expect([...(idx.get('a') as Map<string, number[]>)]).toEqual([['1', [0]]]);
  });

  it('handles 100 000 partitions of one topic in linear time', () => {
    const parts = Array.from({ length: 100_000 }, (_, i) => p(i, i % 7));
    const t = performance.now();
    const idx = indexLeaders([{ topic: 'big', partitionMetadata: parts }]);
    // kafkajs's findLeaderForPartitions copies its result per partition: minutes at this size.
    expect(performance.now() - t).toBeLessThan(2000);
    expect((idx.get('big') as Map<string, number[]>).get('0')!.length).toBe(14_286);
  });
});
