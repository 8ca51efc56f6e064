import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isMissingTopic } from '../../../../src/sources/kafka/kafka-errors.js';
import { indexLeaders } from '../../../../src/sources/kafka/leader-index.js';
import { decodeMetadataV6, encodeMetadata, leadersOf, sameBrokers, unaskedTopics } from '../../../../src/sources/kafka/metadata.js';
import { TruncatedResponseError } from '../../../../src/sources/kafka/response-reader.js';

const require = createRequire(import.meta.url);
const kafkajsV6Request = require('kafkajs/src/protocol/requests/metadata/v6/request.js') as (a: { topics: string[]; allowAutoTopicCreation: boolean }) => {
  encode(): Promise<{ buffer: Buffer }>;
};
const kafkajsV6Response = require('kafkajs/src/protocol/requests/metadata/v6/response.js') as {
  decode(b: Buffer): Promise<{
    brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
    topicMetadata: { topic: string; partitionMetadata: { partitionId: number; leader: number }[] }[];
  }>;
  parse(d: unknown): Promise<unknown>;
};

interface P {
  partition: number;
  leader: number;
  errorCode?: number;
  replicas?: number[];
}

/** A Metadata v6 answer, field by field as the protocol page lays it out. */
function answer(
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[],
  topics: { topic: string; errorCode?: number; partitions: P[] }[],
): Buffer {
  const parts: Buffer[] = [];
  const int = (bytes: number, v: number) => {
    const b = Buffer.alloc(bytes);
    if (bytes === 1) b.writeInt8(v);
    else if (bytes === 2) b.writeInt16BE(v);
    else b.writeInt32BE(v);
    parts.push(b);
  };
  const str = (s: string | null) => {
    if (s === null) return int(2, -1);
    const b = Buffer.from(s);
    int(2, b.length);
    parts.push(b);
  };
  const ints = (a: number[]) => {
    int(4, a.length);
    for (const v of a) int(4, v);
  };
  int(4, 0); // throttle_time_ms
  int(4, brokers.length);
  for (const b of brokers) {
    int(4, b.nodeId);
    str(b.host);
    int(4, b.port);
    str(b.rack);
  }
  str('cluster-id');
  int(4, 1); // controller_id
  int(4, topics.length);
  for (const t of topics) {
    int(2, t.errorCode ?? 0);
    str(t.topic);
    int(1, 0); // is_internal
    int(4, t.partitions.length);
    for (const p of t.partitions) {
      int(2, p.errorCode ?? 0);
      int(4, p.partition);
      int(4, p.leader);
      ints(p.replicas ?? [p.leader]);
      ints(p.replicas ?? [p.leader]);
      ints([]);
    }
  }
  return Buffer.concat(parts);
}

const BROKERS = [
  { nodeId: 2, host: 'b2', port: 9092, rack: null },
  { nodeId: 1, host: 'b1', port: 9093, rack: 'r1' },
];

describe('encodeMetadata', () => {
  it('writes the topics as kafkajs writes them, auto-creation off', async () => {
    const topics = ['orders', 'café-événements'];
    const theirs = await kafkajsV6Request({ topics, allowAutoTopicCreation: false }).encode();
    expect(encodeMetadata(topics).equals(theirs.buffer)).toBe(true);
  });

  it('writes no topic as an empty array (brokers only), where kafkajs would write null (all topics)', () => {
    expect([...encodeMetadata([])]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('decodeMetadataV6', () => {
  it('reads brokers and per-topic columns in answer order, skipping replica lists', () => {
    const buf = answer(BROKERS, [
      {
        topic: 't',
        partitions: [
          { partition: 1, leader: 2, replicas: [2, 1, 3] },
          { partition: 0, leader: 1 },
        ],
      },
    ]);
    const md = decodeMetadataV6(buf);
    expect(md.brokers).toEqual(BROKERS);
    expect(md.topics).toHaveLength(1);
    const t = md.topics[0]!;
    expect(t.topic).toBe('t');
    expect(t.errorCode).toBe(0);
    expect([...t.partitions]).toEqual([1, 0]);
    expect([...t.leaders]).toEqual([2, 1]);
    expect([...t.errorCodes]).toEqual([0, 0]);
  });

  it('gives the brokers and leaders kafkajs decodes from the same bytes', async () => {
    const topics = Array.from({ length: 5 }, (_, i) => ({
      topic: `topic-${i}`,
      partitions: Array.from({ length: 7 }, (_, p) => ({ partition: p, leader: (p + i) % 2 === 0 ? 1 : 2, replicas: [1, 2] })),
    }));
    const buf = answer(BROKERS, topics);
    const theirs = await kafkajsV6Response.decode(buf);
    const md = decodeMetadataV6(buf);
    expect(md.brokers).toEqual(theirs.brokers.map(({ nodeId, host, port, rack }) => ({ nodeId, host, port, rack })));
    // The grouping the client uses, from both decoders.
    expect(leadersOf(md.topics)).toEqual(indexLeaders(theirs.topicMetadata));
  });

  it('throws a TruncatedResponseError for an answer cut anywhere', () => {
    const buf = answer(BROKERS, [{ topic: 'orders', partitions: [{ partition: 0, leader: 1 }] }]);
    for (let cut = 0; cut < buf.length; cut += 3) {
      expect(() => decodeMetadataV6(buf.subarray(0, cut)), `cut at ${cut}`).toThrow(TruncatedResponseError);
    }
    expect(() => decodeMetadataV6(buf.subarray(0, buf.length - 1))).toThrow(/Metadata v6 response truncated/);
  });
});

describe('leadersOf', () => {
  it('groups partitions by leader, node ids ascending, partitions in answer order', () => {
    const md = decodeMetadataV6(
      answer(BROKERS, [
        {
          topic: 't',
          partitions: [
            { partition: 3, leader: 2 },
            { partition: 0, leader: 1 },
            { partition: 1, leader: 2 },
          ],
        },
      ]),
    );
    expect(leadersOf(md.topics).get('t')).toEqual(
      new Map([
        ['1', [0]],
        ['2', [3, 1]],
      ]),
    );
  });

  it('fails only the topic with an error: missing (3), other codes named as kafkajs names them, a partition without leader', () => {
    const md = decodeMetadataV6(
      answer(BROKERS, [
        { topic: 'gone', errorCode: 3, partitions: [] },
        { topic: 'denied', errorCode: 29, partitions: [] },
        {
          topic: 'electing',
          partitions: [
            { partition: 0, leader: 1 },
            { partition: 1, leader: -1, errorCode: 5 },
          ],
        },
        { topic: 'orphan', partitions: [{ partition: 0, leader: -1 }] },
        { topic: 'fine', partitions: [{ partition: 0, leader: 1 }] },
      ]),
    );
    const l = leadersOf(md.topics);
    const gone = l.get('gone') as Error;
    expect(isMissingTopic(gone)).toBe(true);
    expect(gone.message).toBe('topic gone does not exist');
    expect(l.get('denied')).toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED', name: 'KafkaJSProtocolError' });
    expect((l.get('denied') as Error).message).toMatch(/^Metadata of topic denied: /);
    expect(l.get('electing')).toMatchObject({ type: 'LEADER_NOT_AVAILABLE', retriable: true });
    expect((l.get('electing') as Error).message).toMatch(/^Metadata of topic electing partition 1: /);
    expect((l.get('orphan') as Error).message).toBe('Invalid partition metadata: topic orphan partition 0 has no leader');
    expect(l.get('fine')).toEqual(new Map([['1', [0]]]));
  });
});

describe('sameBrokers', () => {
  const pool = {
    '1': { connectionPool: { host: 'b1', port: 9093, rack: 'r1' } },
    '2': { connectionPool: { host: 'b2', port: 9092, rack: null } },
  };
  it('is true for the same node ids, hosts, ports and racks', () => {
    expect(sameBrokers(BROKERS, pool)).toBe(true);
  });
  it('is false when a broker joined, left, moved or changed rack', () => {
    expect(sameBrokers([...BROKERS, { nodeId: 3, host: 'b3', port: 1, rack: null }], pool)).toBe(false);
    expect(sameBrokers([BROKERS[0]!], pool)).toBe(false);
    expect(sameBrokers([BROKERS[0]!, { ...BROKERS[1]!, port: 1 }], pool)).toBe(false);
    expect(sameBrokers([BROKERS[0]!, { ...BROKERS[1]!, rack: 'r2' }], pool)).toBe(false);
  });
});

describe('unaskedTopics', () => {
  const column = (topic: string, errorCode = 0) => ({
    topic,
    errorCode,
    partitions: new Int32Array(0),
    errorCodes: new Int16Array(0),
    leaders: new Int32Array(0),
  });

  it('lists the wanted topics the answer does not name, in the order wanted; a topic named with an error counts as named', () => {
    const md = { brokers: [], topics: [column('a'), column('gone', 3), column('c')] };
    expect(unaskedTopics(md, ['new-1', 'a', 'gone', 'new-2', 'c'])).toEqual(['new-1', 'new-2']);
    expect(unaskedTopics(md, ['a', 'c'])).toEqual([]);
    expect(unaskedTopics({ brokers: [], topics: [] }, ['x'])).toEqual(['x']);
  });
});
