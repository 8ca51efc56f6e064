import { describe, expect, it } from 'vitest';
import type { GroupCommits } from '../../../../src/sources/kafka/client.js';
import { commitList } from '../../../../src/sources/kafka/kept-commits.js';
import { decodeOffsetFetch, encodeOffsetFetch, type GroupOffsets } from '../../../../src/sources/kafka/offset-fetch.js';
import { TimeSlice } from '../../../../src/sources/kafka/time-slice.js';

/** The answer with each group's columns as the list they stand for. */
const asLists = (groups: GroupOffsets[]) =>
  groups.map((g) => ('commits' in g ? { groupId: g.groupId, errorCode: g.errorCode, offsets: commitList(g.commits) } : g));

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

  it('decodes groups, topics and partitions, large offsets, the -1/-2 sentinels and other negatives as no commit', async () => {
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
    expect(asLists(await decodeOffsetFetch(body))).toEqual([
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
    // As columns: a run per topic, NaN for no commit.
    const [billing] = await decodeOffsetFetch(body);
    expect(billing).toMatchObject({ commits: { topics: ['orders', 'payments'], runs: [2, 3] } });
    const c = (billing as { commits: GroupCommits }).commits;
    expect([...c.partitions]).toEqual([0, 1, 1, 2, 0]);
    expect([...c.offsets]).toEqual([7, -1, -2, Number.NaN, 5_000_000_000]);
  });

  it('fails a group on its own error code or on any partition error, and only that group', async () => {
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
    expect(asLists(await decodeOffsetFetch(body))).toEqual([
      { groupId: 'moved', errorCode: 16 },
      { groupId: 'unstable', errorCode: 88 },
      { groupId: 'fine', errorCode: 0, offsets: [{ topic: 'orders', partition: 0, offset: 1 }] },
    ]);
  });
});

describe('OffsetFetch v8 decoding in time slices', () => {
  /** `groups` groups of one topic with `parts` partitions each, partition p committed at p * 10. */
  const answer = (groups: number, parts: number) =>
    Buffer.concat([
      T,
      i32(0),
      Buffer.from([groups + 1]),
      ...Array.from({ length: groups }, (_, g) =>
        Buffer.concat([
          s(`g${g}`),
          Buffer.from([2]),
          s('t'),
          Buffer.from([parts + 1]),
          ...Array.from({ length: parts }, (_, p) => part(p, BigInt(p * 10))),
          T,
          i16(0),
          T,
        ]),
      ),
      T,
    ]);

  it('yields to the event loop between groups once a slice is due, and decodes the same', async () => {
    // A clock that moves 1 ms per reading: a 1 ms slice is due after every group.
    let t = 0;
    const slice = new TimeSlice(1, () => t++);
    let pauses = 0;
    const pause = slice.pause.bind(slice);
    slice.pause = async () => {
      pauses++;
      await pause();
    };
    let done = false;
    let ranDuring = false;
    setImmediate(() => {
      ranDuring = !done;
    });
    const body = answer(5, 3);
    const sliced = await decodeOffsetFetch(body, slice);
    done = true;
    expect(pauses).toBe(5);
    expect(ranDuring).toBe(true); // other work ran while the answer was decoded
    expect(asLists(sliced)).toEqual(asLists(await decodeOffsetFetch(body)));
    expect(asLists(sliced)[4]).toEqual({
      groupId: 'g4',
      errorCode: 0,
      offsets: [0, 1, 2].map((p) => ({ topic: 't', partition: p, offset: p * 10 })),
    });
  });

  it('keeps each group whole when a later group is larger than the shared scratch (2 000 partitions)', async () => {
    const body = Buffer.concat([
      T,
      i32(0),
      Buffer.from([3]),
      s('small'),
      Buffer.from([2]),
      s('a'),
      Buffer.from([2]),
      part(0, 1n),
      T,
      i16(0),
      T,
      s('big'),
      Buffer.from([2]),
      s('b'),
      // 2 001 as an unsigned varint: 0xd1 0x0f.
      Buffer.from([0xd1, 0x0f]),
      ...Array.from({ length: 2000 }, (_, p) => part(p, BigInt(p))),
      T,
      i16(0),
      T,
      T,
    ]);
    const [small, big] = await decodeOffsetFetch(body);
    expect(commitList((small as { commits: GroupCommits }).commits)).toEqual([{ topic: 'a', partition: 0, offset: 1 }]);
    const c = (big as { commits: GroupCommits }).commits;
    expect(c.runs).toEqual([2000]);
    expect(c.partitions[1999]).toBe(1999);
    expect(c.offsets[1999]).toBe(1999);
    expect(c.offsets.length).toBe(2000);
  });

  it('fails on a truncated answer instead of reading past it', async () => {
    const body = answer(2, 2);
    await expect(decodeOffsetFetch(body.subarray(0, body.length - 20))).rejects.toThrow(RangeError);
  });
});
