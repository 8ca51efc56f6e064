import { describe, expect, it } from 'vitest';
import type { PartitionWatermarks } from '../../../../src/sources/kafka/client.js';
import { decodeListOffsetsV2, type ListOffsetsPartitionError } from '../../../../src/sources/kafka/list-offsets.js';
import { int64At } from '../../../../src/sources/kafka/response-reader.js';
import { mergeWatermarks, WatermarkMerge } from '../../../../src/sources/kafka/watermark-merge.js';
import { listOffsetsAnswer, type AnswerPartition } from '../../../helpers/list-offsets-answer.js';

type Topic = { topic: string; partitions: AnswerPartition[] };
const part = (partition: number, offset: number, errorCode = 0): AnswerPartition => ({ partition, offset: BigInt(offset), errorCode });
const bytes = (...topics: [string, [number, number][]][]): Buffer =>
  listOffsetsAnswer(topics.map(([topic, ps]) => ({ topic, partitions: ps.map(([p, o]) => part(p, o)) })));

/**
 * The decode and merge this one replaces (a pair of typed arrays per topic of an answer, the
 * lows laid out once every answer was in), kept here as the reference on the same bytes.
 */
function referencePairs(high: readonly Buffer[], low: readonly Buffer[]): PartitionWatermarks[] {
  type Cols = { topic: string; partitions: Int32Array; offsets: Float64Array };
  const decode = (buf: Buffer): Cols[] => {
    let at = 4;
    const topics = buf.readInt32BE(at);
    at += 4;
    const out: Cols[] = [];
    for (let t = 0; t < topics; t++) {
      const len = buf.readInt16BE(at);
      const topic = buf.toString('utf8', at + 2, at + 2 + len);
      at += 2 + len;
      const n = buf.readInt32BE(at);
      at += 4;
      const partitions = new Int32Array(n);
      const offsets = new Float64Array(n);
      for (let i = 0; i < n; i++, at += 22) {
        const code = buf.readInt16BE(at + 4);
        if (code !== 0) throw Object.assign(new Error(`code ${code}`), { topic, partition: buf.readInt32BE(at) });
        partitions[i] = buf.readInt32BE(at);
        offsets[i] = int64At(buf, at + 14);
      }
      out.push({ topic, partitions, offsets });
    }
    return out;
  };
  const lows = new Map<string, Float64Array>();
  for (const t of low.flatMap(decode)) {
    let max = -1;
    for (const p of t.partitions) if (p > max) max = p;
    const before = lows.get(t.topic);
    let a = before;
    if (a === undefined || a.length <= max) {
      a = new Float64Array(max + 1).fill(Number.NaN);
      if (before) a.set(before);
    }
    for (let i = 0; i < t.partitions.length; i++) if (t.partitions[i]! >= 0) a[t.partitions[i]!] = t.offsets[i]!;
    lows.set(t.topic, a);
  }
  const out: PartitionWatermarks[] = [];
  for (const t of high.flatMap(decode)) {
    const l = lows.get(t.topic);
    if (l === undefined) continue;
    for (let i = 0; i < t.partitions.length; i++) {
      const partition = t.partitions[i]!;
      const lo = partition >= 0 && partition < l.length ? l[partition]! : Number.NaN;
      if (!Number.isNaN(lo)) out.push({ topic: t.topic, partition, low: lo, high: t.offsets[i]! });
    }
  }
  return out;
}

/** The merge under test on the same bytes: answers decoded and added one at a time, lows and highs interleaved. */
function pairs(high: readonly Buffer[], low: readonly Buffer[]): PartitionWatermarks[] {
  const m = new WatermarkMerge();
  for (let i = 0; i < Math.max(high.length, low.length); i++) {
    if (high[i]) m.addHigh(decodeListOffsetsV2(high[i]!));
    if (low[i]) m.addLow(decodeListOffsetsV2(low[i]!));
  }
  const out: PartitionWatermarks[] = [];
  for (let i = 0; i < m.highs; i++) m.pairs(i, out);
  return out;
}

describe('WatermarkMerge', () => {
  it('pairs each high with the low of the same partition, in the order of the high answers', () => {
    // Topic a is led by two brokers: its partitions come in two answers of each kind, in another order.
    const high = [
      bytes(
        [
          'a',
          [
            [2, 30],
            [0, 10],
          ],
        ],
        ['b', [[0, 7]]],
      ),
      bytes(['a', [[1, 20]]]),
    ];
    const low = [
      bytes(['a', [[1, 4]]], ['b', [[0, 0]]]),
      bytes([
        'a',
        [
          [0, 1],
          [2, 3],
        ],
      ]),
    ];
    const expected = [
      { topic: 'a', partition: 2, low: 3, high: 30 },
      { topic: 'a', partition: 0, low: 1, high: 10 },
      { topic: 'b', partition: 0, low: 0, high: 7 },
      { topic: 'a', partition: 1, low: 4, high: 20 },
    ];
    expect(pairs(high, low)).toEqual(expected);
    expect(referencePairs(high, low)).toEqual(expected);
    const out: PartitionWatermarks[] = [];
    mergeWatermarks(high.map(decodeListOffsetsV2), low.map(decodeListOffsetsV2), out);
    expect(out).toEqual(expected);
  });

  it('leaves out partitions and topics without a low answer; of two lows of a partition the later wins', () => {
    const out: PartitionWatermarks[] = [{ topic: 'x', partition: 9, low: 1, high: 2 }];
    const high = [
      bytes(
        [
          'a',
          [
            [0, 10],
            [5, 50],
            [1, 11],
          ],
        ],
        ['c', [[0, 3]]],
      ),
    ];
    const low = [bytes(['a', [[1, 6]]]), bytes(['a', [[1, 8]]], ['b', [[0, 1]]]), bytes(['a', [[0, 0]]])];
    mergeWatermarks(high.map(decodeListOffsetsV2), low.map(decodeListOffsetsV2), out);
    expect(out).toEqual([
      { topic: 'x', partition: 9, low: 1, high: 2 },
      { topic: 'a', partition: 0, low: 0, high: 10 },
      { topic: 'a', partition: 1, low: 8, high: 11 },
    ]);
    expect(pairs(high, low)).toEqual(out.slice(1));
    expect(referencePairs(high, low)).toEqual(out.slice(1));
  });

  it('never pairs a high with the low of another topic or another partition', () => {
    // Same partition numbers in two topics, lows of one topic only, and a topic after an empty one.
    const high = [bytes(['p', [[3, 30]]], ['q', [[3, 300]]], ['e', []], ['r', [[0, 5]]])];
    const low = [
      bytes(
        [
          'q',
          [
            [3, 100],
            [2, 99],
          ],
        ],
        ['e', []],
        ['r', [[0, 1]]],
      ),
    ];
    expect(pairs(high, low)).toEqual([
      { topic: 'q', partition: 3, low: 100, high: 300 },
      { topic: 'r', partition: 0, low: 1, high: 5 },
    ]);
  });

  it('gives the same pairs as the former decode and merge on the same bytes: 40 topics split over three leaders, lows missing', () => {
    // Partition p of topic t is led by broker (t + p) % 3; each broker answers its partitions in
    // descending order; broker 2's low answer leaves out every fifth partition and topic t5.
    const topics = Array.from({ length: 40 }, (_, t) => `t${t}`);
    const answerOf = (broker: number, kind: 'high' | 'low'): Buffer => {
      const out: Topic[] = [];
      for (const [t, topic] of topics.entries()) {
        if (kind === 'low' && broker === 2 && t === 5) continue;
        const ps: AnswerPartition[] = [];
        for (let p = 49; p >= 0; p--) {
          if ((t + p) % 3 !== broker) continue;
          if (kind === 'low' && broker === 2 && p % 5 === 0) continue;
          ps.push(part(p, kind === 'high' ? 2 ** 40 + t * 1000 + p : t * 10 + p));
        }
        out.push({ topic, partitions: ps });
      }
      return listOffsetsAnswer(out);
    };
    const high = [answerOf(1, 'high'), answerOf(0, 'high'), answerOf(2, 'high')];
    const low = [answerOf(2, 'low'), answerOf(1, 'low'), answerOf(0, 'low')];
    const mine = pairs(high, low);
    expect(mine).toEqual(referencePairs(high, low));
    const missing = topics.length * 50 - mine.length;
    // Topic t5's 17 partitions led by broker 2 (p with (5 + p) % 3 == 2), and every fifth led by broker 2 elsewhere.
    expect(mine.filter((w) => w.topic === 't5')).toHaveLength(50 - 17);
    expect(missing).toBeGreaterThan(17);
    expect(mine.find((w) => w.topic === 't7' && w.partition === 1)).toEqual({ topic: 't7', partition: 1, low: 71, high: 2 ** 40 + 7001 });
  });

  it('fails like the former decode on an answer with an error code per partition, naming the first one', () => {
    const bad = listOffsetsAnswer([
      { topic: 'ok', partitions: [part(0, 1)] },
      { topic: 'moved', partitions: [part(4, 1), part(5, -1, 6), part(6, -1, 3)] },
    ]);
    const good = bytes(['ok', [[0, 0]]]);
    expect(() => referencePairs([good], [bad])).toThrow(expect.objectContaining({ topic: 'moved', partition: 5 }));
    let err: ListOffsetsPartitionError | undefined;
    try {
      pairs([good], [bad]);
    } catch (e) {
      err = e as ListOffsetsPartitionError;
    }
    expect(err).toMatchObject({ topic: 'moved', partition: 5, type: 'NOT_LEADER_FOR_PARTITION' });
  });
});
