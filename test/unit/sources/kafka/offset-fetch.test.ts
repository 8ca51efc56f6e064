import { describe, expect, it } from 'vitest';
import { decodeOffsetFetch, encodeOffsetFetch } from '../../../../src/sources/kafka/offset-fetch.js';

const s = (v: string) => Buffer.concat([Buffer.from([Buffer.byteLength(v) + 1]), Buffer.from(v)]);
const i16 = (v: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(v);
  return b;
};
const i32 = (v: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(v);
  return b;
};
const i64 = (v: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(v);
  return b;
};
const T = Buffer.from([0]); // empty tagged fields

/** A partition entry: index, committed offset, leader epoch, metadata, error code, tags. */
const part = (p: number, offset: bigint, error = 0) => Buffer.concat([i32(p), i64(offset), i32(-1), Buffer.from([1]) /* metadata "" */, i16(error), T]);

describe('OffsetFetch v8', () => {
  it('encodes every group with a null topic list (all topics), after the header tag byte', () => {
    expect([...encodeOffsetFetch(['a', 'bc'])]).toEqual([
      0, // request header v2 tagged fields
      3, // two groups
      2,
      0x61,
      0,
      0, // "a", topics null, tags
      3,
      0x62,
      0x63,
      0,
      0, // "bc", topics null, tags
      0, // require_stable false
      0, // tags
    ]);
  });

  it('decodes groups, topics and partitions, large offsets, the -1/-2 sentinels and other negatives as no commit', () => {
    const body = Buffer.concat([
      T, // response header v1
      i32(0), // throttle
      Buffer.from([3]), // two groups
      s('billing'),
      Buffer.from([3]), // two topics
      s('orders'),
      Buffer.from([3]),
      part(0, 7n),
      part(1, -1n),
      T,
      s('payments'),
      Buffer.from([4]),
      part(1, -2n),
      part(2, -3n),
      part(0, 5_000_000_000n),
      T,
      i16(0),
      T,
      s('shipping'),
      Buffer.from([1]), // no topics
      i16(0),
      T,
      T,
    ]);
    expect(decodeOffsetFetch(body)).toEqual([
      {
        groupId: 'billing',
        errorCode: 0,
        offsets: [
          { topic: 'orders', partition: 0, offset: 7 },
          { topic: 'orders', partition: 1, offset: -1 },
          { topic: 'payments', partition: 1, offset: -2 },
          { topic: 'payments', partition: 2, offset: undefined },
          { topic: 'payments', partition: 0, offset: 5_000_000_000 },
        ],
      },
      { groupId: 'shipping', errorCode: 0, offsets: [] },
    ]);
  });

  it('fails a group on its own error code or on any partition error, and only that group', () => {
    const body = Buffer.concat([
      T,
      i32(0),
      Buffer.from([4]),
      s('moved'),
      Buffer.from([1]),
      i16(16), // NOT_COORDINATOR
      T,
      s('unstable'),
      Buffer.from([2]),
      s('orders'),
      Buffer.from([3]),
      part(0, 3n),
      part(1, -1n, 88), // UNSTABLE_OFFSET_COMMIT
      T,
      i16(0),
      T,
      s('fine'),
      Buffer.from([2]),
      s('orders'),
      Buffer.from([2]),
      part(0, 1n),
      T,
      i16(0),
      T,
      T,
    ]);
    expect(decodeOffsetFetch(body)).toEqual([
      { groupId: 'moved', errorCode: 16 },
      { groupId: 'unstable', errorCode: 88 },
      { groupId: 'fine', errorCode: 0, offsets: [{ topic: 'orders', partition: 0, offset: 1 }] },
    ]);
  });
});
