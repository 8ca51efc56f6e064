import { createRequire } from 'node:module';
import { internals } from './kafkajs-internals.js';

const require = createRequire(import.meta.url);

export const LIST_OFFSETS_KEY = 2;
export const LIST_OFFSETS_VERSION = 2;

/** kafkajs's own v2 answer decoder (and its error check: a partition's error fails the request). */
const v2Response = require('kafkajs/src/protocol/requests/listOffsets/v2/response.js') as { decode: unknown; parse: unknown };

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

/** The request/response pair in the shape kafkajs connections send; the answer is kafkajs's v2 shape. */
export function listOffsetsRequest(
  isolationLevel: number,
  timestamp: number,
  topics: readonly ListOffsetsTopicRequest[],
): { request: unknown; response: unknown } {
  return {
    request: {
      apiKey: LIST_OFFSETS_KEY,
      apiVersion: LIST_OFFSETS_VERSION,
      apiName: 'ListOffsets',
      encode: async () => new internals.Encoder().writeBuffer(encodeListOffsets(isolationLevel, timestamp, topics)),
    },
    response: v2Response,
  };
}
