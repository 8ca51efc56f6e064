import { internals, type OwnRequest } from './kafkajs-internals.js';
import { int64At, ResponseReader } from './response-reader.js';

export const LIST_OFFSETS_KEY = 2;
export const LIST_OFFSETS_VERSION = 2;

export interface ListOffsetsTopicRequest {
  readonly topic: string;
  readonly partitions: readonly number[];
}

/**
 * The ListOffsets v2 request body, written in one pass into one buffer of the right size.
 * kafkajs's encoder makes an Encoder (and a buffer) per partition and copies them into their
 * topic's and then the request's: for 5 000 partitions that was one synchronous task of
 * 23-58 ms under the profiler (bench/long-tasks.mjs).
 */
export function encodeListOffsets(isolationLevel: number, timestamp: number, topics: readonly ListOffsetsTopicRequest[]): Buffer {
  let size = 4 + 1 + 4;
  for (const t of topics) size += 2 + Buffer.byteLength(t.topic) + 4 + t.partitions.length * 12;
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeInt32BE(-1, 0); // replica_id: a client
  at = buf.writeInt8(isolationLevel, at);
  at = buf.writeInt32BE(topics.length, at);
  const ts = BigInt(timestamp);
  for (const t of topics) {
    const len = buf.write(t.topic, at + 2);
    buf.writeInt16BE(len, at);
    at += 2 + len;
    at = buf.writeInt32BE(t.partitions.length, at);
    for (const p of t.partitions) {
      at = buf.writeInt32BE(p, at);
      at = buf.writeBigInt64BE(ts, at);
    }
  }
  return buf;
}

/**
 * A ListOffsets answer as columns, one row per partition in answer order: the rows of topic
 * `topics[i]` are `ends[i - 1]` (0 for the first) up to `ends[i]`.
 */
export interface ListOffsetsAnswer {
  readonly topics: readonly string[];
  readonly ends: Int32Array;
  readonly partitions: Int32Array;
  readonly offsets: Float64Array;
}

/** A partition's error code in a ListOffsets answer, as kafkajs names it, with where it was. */
export type ListOffsetsPartitionError = Error & { type?: string; code?: number; retriable?: boolean; topic: string; partition: number };

/** Bytes per partition of a v2 answer: partition, error_code, timestamp, offset. */
const PARTITION_BYTES = 4 + 2 + 8 + 8;
/** Bytes of a topic without partitions: name length, name (at least 0 bytes), partition count. */
const TOPIC_MIN_BYTES = 2 + 4;

/**
 * The ListOffsets v2 answer into columns for the whole answer: three typed arrays however many
 * topics it holds. kafkajs's decoder makes an object per partition with its timestamp and offset
 * as strings (via a BigInt each); a pair of typed arrays per topic was still 200 array buffers
 * per answer of 100 topics, 28 000 a cycle at 1 000 topics on seven leaders
 * (docs/performance.md, "Large clusters"). The columns are sized from the answer's length (at
 * most one row per 22 bytes) and handed out as views of the rows read. Same checks as kafkajs:
 * the first partition with a non-zero error code fails the answer, with kafkajs's error for that
 * code (its `type`, `retriable`), here also naming the topic and partition.
 *
 * ListOffsets Response (Version: 2) => throttle_time_ms [topic [partition error_code timestamp offset]]
 */
export function decodeListOffsetsV2(buf: Buffer): ListOffsetsAnswer {
  const r = new ResponseReader(buf, 'ListOffsets v2');
  r.int32(); // throttle_time_ms
  const count = r.arrayLength();
  // Bounded by the bytes there, not by the count the answer announces.
  const room = Math.max(0, buf.length - r.at);
  const topics: string[] = [];
  const ends = new Int32Array(Math.max(0, Math.min(count, Math.floor(room / TOPIC_MIN_BYTES))));
  const rows = Math.floor(room / PARTITION_BYTES);
  const partitions = new Int32Array(rows);
  const offsets = new Float64Array(rows);
  let row = 0;
  for (let t = 0; t < count; t++) {
    const topic = r.string() ?? '';
    const n = r.arrayLength();
    r.need(n * PARTITION_BYTES);
    let at = r.at;
    for (let i = 0; i < n; i++, at += PARTITION_BYTES, row++) {
      const partition = buf.readInt32BE(at);
      const code = buf.readInt16BE(at + 4);
      if (code !== 0) throw partitionError(code, topic, partition);
      partitions[row] = partition;
      offsets[row] = int64At(buf, at + 14);
    }
    r.at = at;
    topics.push(topic);
    ends[t] = row;
  }
  return { topics, ends: ends.subarray(0, topics.length), partitions: partitions.subarray(0, row), offsets: offsets.subarray(0, row) };
}

/** kafkajs's decoded ListOffsets answer (any version) as the same columns. */
export function answerOf(responses: readonly { topic: string; partitions: readonly { partition: number; offset: string }[] }[]): ListOffsetsAnswer {
  let rows = 0;
  for (const t of responses) rows += t.partitions.length;
  const ends = new Int32Array(responses.length);
  const partitions = new Int32Array(rows);
  const offsets = new Float64Array(rows);
  let row = 0;
  responses.forEach((t, i) => {
    for (const p of t.partitions) {
      partitions[row] = p.partition;
      offsets[row++] = Number(p.offset);
    }
    ends[i] = row;
  });
  return { topics: responses.map((t) => t.topic), ends, partitions, offsets };
}

function partitionError(code: number, topic: string, partition: number): ListOffsetsPartitionError {
  const e = internals.createErrorFromCode(code) as ListOffsetsPartitionError;
  e.message = `ListOffsets of ${topic} partition ${partition}: ${e.message}`;
  e.topic = topic;
  e.partition = partition;
  return e;
}

/**
 * The request, for `sendOwn`. The answer comes back undecoded (its body): kafkajs's connection
 * resolves every answer of a socket read in the same task, so decoding there put them back to
 * back in one task; the caller decodes each (`decodeListOffsetsV2`) when the loop has had a turn.
 */
export function listOffsetsRequest(isolationLevel: number, timestamp: number, topics: readonly ListOffsetsTopicRequest[]): OwnRequest<Buffer> {
  return {
    apiKey: LIST_OFFSETS_KEY,
    apiVersion: LIST_OFFSETS_VERSION,
    apiName: 'ListOffsets',
    encode: () => encodeListOffsets(isolationLevel, timestamp, topics),
    decode: (body) => body,
  };
}
