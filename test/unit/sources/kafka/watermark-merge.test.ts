import { describe, expect, it } from 'vitest';
import type { PartitionWatermarks } from '../../../../src/sources/kafka/client.js';
import type { ListOffsetsColumns } from '../../../../src/sources/kafka/list-offsets.js';
import { mergeWatermarks } from '../../../../src/sources/kafka/watermark-merge.js';

const cols = (topic: string, pairs: [number, number][]): ListOffsetsColumns => ({
  topic,
  partitions: Int32Array.from(pairs.map(([p]) => p)),
  offsets: Float64Array.from(pairs.map(([, o]) => o)),
});

describe('mergeWatermarks', () => {
  it('pairs each high with the low of the same partition, in the order of the high answers', () => {
    const out: PartitionWatermarks[] = [];
    // Topic a is led by two brokers: its partitions come in two answers of each kind, in another order.
    const high = [
      cols('a', [
        [2, 30],
        [0, 10],
      ]),
      cols('b', [[0, 7]]),
      cols('a', [[1, 20]]),
    ];
    const low = [
      cols('a', [[1, 4]]),
      cols('b', [[0, 0]]),
      cols('a', [
        [0, 1],
        [2, 3],
      ]),
    ];
    mergeWatermarks(high, low, out);
    expect(out).toEqual([
      { topic: 'a', partition: 2, low: 3, high: 30 },
      { topic: 'a', partition: 0, low: 1, high: 10 },
      { topic: 'b', partition: 0, low: 0, high: 7 },
      { topic: 'a', partition: 1, low: 4, high: 20 },
    ]);
  });

  it('leaves out partitions and topics without a low answer; of two lows of a partition the later wins', () => {
    const out: PartitionWatermarks[] = [{ topic: 'x', partition: 9, low: 1, high: 2 }];
    mergeWatermarks(
      [
        cols('a', [
          [0, 10],
          [5, 50],
          [1, 11],
        ]),
        cols('c', [[0, 3]]),
      ],
      [cols('a', [[1, 6]]), cols('a', [[1, 8]]), cols('a', [[0, 0]])],
      out,
    );
    expect(out).toEqual([
      { topic: 'x', partition: 9, low: 1, high: 2 },
      { topic: 'a', partition: 0, low: 0, high: 10 },
      { topic: 'a', partition: 1, low: 8, high: 11 },
    ]);
  });
});
