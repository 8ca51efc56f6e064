import type { ListOffsetsAnswer } from '../../src/sources/kafka/list-offsets.js';

export interface AnswerPartition {
  partition: number;
  errorCode?: number;
  offset: bigint;
}

/** A ListOffsets v2 answer, written field by field as the protocol page lays it out. */
export function listOffsetsAnswer(topics: { topic: string; partitions: AnswerPartition[] }[], throttle = 0): Buffer {
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

/** Decoded columns back to one entry per topic of the answer, for comparing. */
export function byTopic(a: ListOffsetsAnswer): { topic: string; partitions: number[]; offsets: number[] }[] {
  let start = 0;
  return a.topics.map((topic, t) => {
    const end = a.ends[t]!;
    const out = { topic, partitions: [...a.partitions.subarray(start, end)], offsets: [...a.offsets.subarray(start, end)] };
    start = end;
    return out;
  });
}
