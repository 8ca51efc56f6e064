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

/** One topic of a ListOffsets answer as columns: partition ids and their offsets, in answer order. */
export interface ListOffsetsColumns {
  readonly topic: string;
  readonly partitions: Int32Array;
  readonly offsets: Float64Array;
}

/** A partition's error code in a ListOffsets answer, as kafkajs names it, with where it was. */
export type ListOffsetsPartitionError = Error & { type?: string; code?: number; retriable?: boolean; topic: string; partition: number };

/** Bytes per partition of a v2 answer: partition, error_code, timestamp, offset. */
const PARTITION_BYTES = 4 + 2 + 8 + 8;

/**
 * The ListOffsets v2 answer into columns. kafkajs's decoder makes an object per partition with
 * its timestamp and offset as strings (via a BigInt each); at 5 000 partitions per answer and four
 * answers per cycle that was 20 000 objects and 40 000 strings to collect. Same checks as
 * kafkajs: the first partition with a non-zero error code fails the answer, with kafkajs's error
 * for that code (its `type`, `retriable`), here also naming the topic and partition.
 *
 * ListOffsets Response (Version: 2) => throttle_time_ms [topic [partition error_code timestamp offset]]
 */
export function decodeListOffsetsV2(buf: Buffer): ListOffsetsColumns[] {
  const r = new ResponseReader(buf, 'ListOffsets v2');
  r.int32(); // throttle_time_ms
  const topics = r.arrayLength();
  const out: ListOffsetsColumns[] = [];
  for (let t = 0; t < topics; t++) {
    const topic = r.string() ?? '';
    const n = r.arrayLength();
    r.need(n * PARTITION_BYTES);
    const partitions = new Int32Array(n);
    const offsets = new Float64Array(n);
    let at = r.at;
    for (let i = 0; i < n; i++, at += PARTITION_BYTES) {
      const partition = buf.readInt32BE(at);
      const code = buf.readInt16BE(at + 4);
      if (code !== 0) throw partitionError(code, topic, partition);
      partitions[i] = partition;
      offsets[i] = int64At(buf, at + 14);
    }
    r.at = at;
    out.push({ topic, partitions, offsets });
  }
  return out;
}

function partitionError(code: number, topic: string, partition: number): ListOffsetsPartitionError {
  const e = internals.createErrorFromCode(code) as ListOffsetsPartitionError;
  e.message = `ListOffsets of ${topic} partition ${partition}: ${e.message}`;
  e.topic = topic;
  e.partition = partition;
  return e;
}

/** The request, for `sendOwn`; the answer is decoded by `decodeListOffsetsV2`. */
export function listOffsetsRequest(isolationLevel: number, timestamp: number, topics: readonly ListOffsetsTopicRequest[]): OwnRequest<ListOffsetsColumns[]> {
  return {
    apiKey: LIST_OFFSETS_KEY,
    apiVersion: LIST_OFFSETS_VERSION,
    apiName: 'ListOffsets',
    encode: () => encodeListOffsets(isolationLevel, timestamp, topics),
    decode: decodeListOffsetsV2,
  };
}
