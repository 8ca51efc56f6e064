import type { CommittedOffset } from './client.js';
import { compactString, FlexReader, uvarint } from './flexible-codec.js';
import { internals } from './kafkajs-internals.js';
import { readCommitted } from '../../core/kafka/commit-sentinel.js';

/**
 * OffsetFetch v8 (KIP-709, Kafka 3.0+): the committed offsets of many groups in one request to
 * their coordinator. kafkajs sends v1–v7, one group per request, which made OffsetFetch 500 of
 * the 509 requests of a cycle at 500 groups. Flexible version: request header v2, compact
 * strings, tagged fields.
 */
export const OFFSET_FETCH_KEY = 9;
export const OFFSET_FETCH_BATCH_VERSION = 8;

/** One group's answer: its commits, or the error code the coordinator gave for it. */
export type GroupOffsets =
  | { readonly groupId: string; readonly errorCode: 0; readonly offsets: CommittedOffset[] }
  | { readonly groupId: string; readonly errorCode: number };

/**
 * Encodes the request body for every topic of each group (a null topic list). The leading 0
 * completes the v2 request header (its empty tagged fields), which kafkajs's header writer does
 * not emit.
 */
export function encodeOffsetFetch(groupIds: readonly string[]): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), uvarint(groupIds.length + 1)];
  for (const g of groupIds) parts.push(compactString(g), Buffer.from([0]) /* topics: null = all */, Buffer.from([0]) /* tagged */);
  parts.push(Buffer.from([0]) /* require_stable=false */, Buffer.from([0]) /* tagged */);
  return Buffer.concat(parts);
}

/**
 * Decodes a v8 response body (after the correlation id). A partition-level error fails its
 * whole group (reported with that code): a group is read completely or not at all.
 */
export function decodeOffsetFetch(buf: Buffer): GroupOffsets[] {
  const r = new FlexReader(buf);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const groups = r.compactArray((): GroupOffsets => {
    const groupId = r.compactString() ?? '';
    const offsets: CommittedOffset[] = [];
    let partitionError = 0;
    r.compactArray(() => {
      const topic = r.compactString() ?? '';
      r.compactArray(() => {
        const partition = r.int32();
        const offset = r.int64();
        r.int32(); // committed leader epoch
        r.compactString(); // metadata
        const errorCode = r.int16();
        r.taggedFields();
        if (errorCode !== 0) partitionError ||= errorCode;
        else offsets.push({ topic, partition, offset: readCommitted(offset) });
      });
      r.taggedFields();
    });
    const errorCode = r.int16();
    r.taggedFields();
    const code = errorCode || partitionError;
    return code === 0 ? { groupId, errorCode: 0, offsets } : { groupId, errorCode: code };
  });
  r.taggedFields();
  return groups;
}

/** The request/response pair in the shape kafkajs connections send. */
export function offsetFetchRequest(groupIds: readonly string[]): { request: unknown; response: unknown } {
  return {
    request: {
      apiKey: OFFSET_FETCH_KEY,
      apiVersion: OFFSET_FETCH_BATCH_VERSION,
      apiName: 'OffsetFetch',
      encode: async () => new internals.Encoder().writeBuffer(encodeOffsetFetch(groupIds)),
    },
    response: {
      decode: async (raw: Buffer) => decodeOffsetFetch(raw),
      parse: async (data: GroupOffsets[]) => data,
    },
  };
}
