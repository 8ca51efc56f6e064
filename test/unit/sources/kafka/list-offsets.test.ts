import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { decodeListOffsetsV2, encodeListOffsets, type ListOffsetsPartitionError } from '../../../../src/sources/kafka/list-offsets.js';
import { TruncatedResponseError } from '../../../../src/sources/kafka/response-reader.js';

const require = createRequire(import.meta.url);
const kafkajsV2 = require('kafkajs/src/protocol/requests/listOffsets/v2/request.js') as (a: {
  replicaId: number;
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
}) => { encode(): Promise<{ buffer: Buffer }> };
const kafkajsV2Response = require('kafkajs/src/protocol/requests/listOffsets/v2/response.js') as {
  decode(b: Buffer): Promise<unknown>;
  parse(d: unknown): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string }[] }[] }>;
};

interface AnswerPartition {
  partition: number;
  errorCode?: number;
  offset: bigint;
}

/** A ListOffsets v2 answer, written field by field as the protocol page lays it out. */
function answer(topics: { topic: string; partitions: AnswerPartition[] }[], throttle = 0): Buffer {
  const parts: Buffer[] = [];
  const i32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  const i16 = (v: number) => {
    const b = Buffer.alloc(2);
    b.writeInt16BE(v);
    parts.push(b);
  };
  const i64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    parts.push(b);
  };
  i32(throttle);
  i32(topics.length);
  for (const t of topics) {
    const name = Buffer.from(t.topic);
    i16(name.length);
    parts.push(name);
    i32(t.partitions.length);
    for (const p of t.partitions) {
      i32(p.partition);
      i16(p.errorCode ?? 0);
      i64(-1n); // timestamp
      i64(p.offset);
    }
  }
  return Buffer.concat(parts);
}

/** Our columns back to kafkajs's shape (offsets as strings), to compare with its decoder. */
function asKafkajs(buf: Buffer) {
  return decodeListOffsetsV2(buf).map((t) => ({
    topic: t.topic,
    partitions: [...t.partitions].map((partition, i) => ({ partition, offset: String(t.offsets[i]) })),
  }));
}

describe('encodeListOffsets', () => {
  it('writes the v2 layout byte by byte', () => {
    const buf = encodeListOffsets(0, -1, [{ topic: 'ab', partitions: [0, 7] }]);
    // prettier-ignore
    expect([...buf]).toEqual([
      0xff,
      0xff,
      0xff,
      0xff, // replica_id -1
      0, // isolation_level READ_UNCOMMITTED
      0,
      0,
      0,
      1, // one topic
      0,
      2,
      0x61,
      0x62, // "ab"
      0,
      0,
      0,
      2, // two partitions
      0,
      0,
      0,
      0,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, // 0, LATEST
      0,
      0,
      0,
      7,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff,
      0xff, // 7, LATEST
    ]);
  });

  it('gives the same bytes as kafkajs for many topics, multi-byte names and EARLIEST', async () => {
    const topics = [
      { topic: 'orders', partitions: [0, 1, 2, 49] },
      { topic: 'café-événements', partitions: [3] },
      { topic: 'empty', partitions: [] },
    ];
    const ours = encodeListOffsets(1, -2, topics);
    const theirs = await kafkajsV2({
      replicaId: -1,
      isolationLevel: 1,
      topics: topics.map((t) => ({ topic: t.topic, partitions: t.partitions.map((partition) => ({ partition, timestamp: -2 })) })),
    }).encode();
    expect(ours.equals(theirs.buffer)).toBe(true);
  });
});

describe('decodeListOffsetsV2', () => {
  it('reads topics and partitions into columns, in answer order', () => {
    const buf = answer([
      {
        topic: 'ab',
        partitions: [
          { partition: 7, offset: 42n },
          { partition: 0, offset: 0n },
        ],
      },
      { topic: 'c', partitions: [] },
    ]);
    // 4 throttle + 4 count + (2 + 2 + 4 + 2 x 22) + (2 + 1 + 4)
    expect(buf.length).toBe(4 + 4 + 52 + 7);
    const out = decodeListOffsetsV2(buf);
    expect(out.map((t) => t.topic)).toEqual(['ab', 'c']);
    expect([...out[0]!.partitions]).toEqual([7, 0]);
    expect([...out[0]!.offsets]).toEqual([42, 0]);
    expect(out[1]!.partitions.length).toBe(0);
  });

  it('reads 64-bit offsets exactly up to 2^53 - 1, high word included', () => {
    const big = 2n ** 53n - 1n;
    const out = decodeListOffsetsV2(
      answer([
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: big },
            { partition: 1, offset: 2n ** 32n + 5n },
            { partition: 2, offset: -1n },
          ],
        },
      ]),
    );
    expect([...out[0]!.offsets]).toEqual([Number(big), 4294967301, -1]);
  });

  it('gives what kafkajs decodes from the same bytes', async () => {
    const topics = [
      { topic: 'orders', partitions: Array.from({ length: 50 }, (_, i) => ({ partition: i, offset: BigInt(i * 1000 + 3) })) },
      { topic: 'café-événements', partitions: [{ partition: 3, offset: 2n ** 40n }] },
      { topic: 'empty', partitions: [] },
    ];
    const buf = answer(topics, 17);
    const theirs = await kafkajsV2Response.parse(await kafkajsV2Response.decode(buf));
    const mine = asKafkajs(buf);
    expect(mine).toEqual(
      theirs.responses.map((t) => ({ topic: t.topic, partitions: t.partitions.map((p) => ({ partition: p.partition, offset: p.offset })) })),
    );
  });

  it('fails on the first partition with an error code, as kafkajs does, naming topic and partition', async () => {
    const buf = answer([
      { topic: 'ok', partitions: [{ partition: 0, offset: 1n }] },
      {
        topic: 'moved',
        partitions: [
          { partition: 4, offset: 1n },
          { partition: 5, errorCode: 6, offset: -1n },
          { partition: 6, errorCode: 3, offset: -1n },
        ],
      },
    ]);
    let err: ListOffsetsPartitionError | undefined;
    try {
      decodeListOffsetsV2(buf);
    } catch (e) {
      err = e as ListOffsetsPartitionError;
    }
    const theirs = await kafkajsV2Response.parse(await kafkajsV2Response.decode(buf)).catch((e: unknown) => e as Error & { type: string });
    expect(err?.name).toBe('KafkaJSProtocolError');
    expect(err?.type).toBe('NOT_LEADER_FOR_PARTITION');
    expect(err?.type).toBe((theirs as { type: string }).type);
    expect(err?.retriable).toBe(true);
    expect(err?.topic).toBe('moved');
    expect(err?.partition).toBe(5);
    expect(err?.message).toMatch(/^ListOffsets of moved partition 5: /);
  });

  it('throws a TruncatedResponseError for an answer cut anywhere', () => {
    const buf = answer([
      {
        topic: 'orders',
        partitions: [
          { partition: 0, offset: 9n },
          { partition: 1, offset: 9n },
        ],
      },
    ]);
    for (const cut of [0, 3, 6, 9, 12, 17, 20, buf.length - 1]) {
      expect(() => decodeListOffsetsV2(buf.subarray(0, cut)), `cut at ${cut}`).toThrow(TruncatedResponseError);
    }
    expect(() => decodeListOffsetsV2(buf.subarray(0, 9))).toThrow(/ListOffsets v2 response truncated: 9 bytes/);
  });

  it('reads a null array as empty, as kafkajs does', () => {
    const buf = Buffer.alloc(8);
    buf.writeInt32BE(-1, 4);
    expect(decodeListOffsetsV2(buf)).toEqual([]);
  });
});
