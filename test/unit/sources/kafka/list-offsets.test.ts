import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { encodeListOffsets } from '../../../../src/sources/kafka/list-offsets.js';

const require = createRequire(import.meta.url);
const kafkajsV2 = require('kafkajs/src/protocol/requests/listOffsets/v2/request.js') as (a: {
  replicaId: number;
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
}) => { encode(): Promise<{ buffer: Buffer }> };

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
