import type { GroupCommits } from './client.js';
import { compactString, uvarint } from './flexible-codec.js';
import type { OwnRequest } from './kafkajs-internals.js';
import { readCommitted } from '../../core/kafka/commit-sentinel.js';
import { TimeSlice } from './time-slice.js';
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
  | { readonly groupId: string; readonly errorCode: 0; readonly commits: GroupCommits }
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
 * A cursor over a flexible-version response that reads the buffer in place: per partition, a
 * BigInt for the offset and a string for the metadata (as a general reader makes them) were
 * garbage 500 000 times a cycle at 5 000 groups x 100 partitions.
 */
class Cursor {
  pos = 0;
  constructor(readonly buf: Buffer) {}
  uvarint(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new RangeError(`OffsetFetch response truncated at byte ${this.pos - 1}`);
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v >>> 0;
      shift += 7;
    }
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  /** An int64 as the nearest double (exact below 2^53, as offsets are). */
  int64(): number {
    const v = this.buf.readInt32BE(this.pos) * 4294967296 + this.buf.readUInt32BE(this.pos + 4);
    this.pos += 8;
    return v;
  }
  string(): string {
    const n = this.uvarint();
    if (n <= 1) return '';
    const s = this.buf.toString('utf8', this.pos, this.pos + n - 1);
    this.pos += n - 1;
    return s;
  }
  skipString(): void {
    const n = this.uvarint();
    if (n > 1) this.pos += n - 1;
  }
  taggedFields(): void {
    const n = this.uvarint();
    for (let i = 0; i < n; i++) {
      this.uvarint();
      this.pos += this.uvarint();
    }
  }
}

/**
 * One group's partitions before they are copied out at the end of the group, shared by every
 * decode: a group is decoded without a pause (pauses fall between groups), so concurrent decodes
 * never interleave inside it.
 */
let scratchPartitions = new Int32Array(1024);
let scratchOffsets = new Float64Array(1024);

function decodeGroup(r: Cursor): GroupOffsets {
  const groupId = r.string();
  const topics: string[] = [];
  const runs: number[] = [];
  let n = 0;
  let partitionError = 0;
  const topicCount = r.uvarint() - 1;
  for (let t = 0; t < topicCount; t++) {
    const topic = r.string();
    const parts = r.uvarint() - 1;
    if (n + parts > scratchPartitions.length) {
      const size = Math.max(2 * scratchPartitions.length, n + parts);
      const p = new Int32Array(size);
      const o = new Float64Array(size);
      p.set(scratchPartitions.subarray(0, n));
      o.set(scratchOffsets.subarray(0, n));
      scratchPartitions = p;
      scratchOffsets = o;
    }
    const before = n;
    for (let i = 0; i < parts; i++) {
      const partition = r.int32();
      const offset = r.int64();
      r.pos += 4; // committed leader epoch
      r.skipString(); // metadata
      const errorCode = r.int16();
      r.taggedFields();
      if (errorCode !== 0) partitionError ||= errorCode;
      else {
        scratchPartitions[n] = partition;
        scratchOffsets[n] = readCommitted(offset) ?? Number.NaN;
        n++;
      }
    }
    if (n > before) {
      topics.push(topic);
      runs.push(n - before);
    }
    r.taggedFields();
  }
  const errorCode = r.int16();
  r.taggedFields();
  const code = errorCode || partitionError;
  if (code !== 0) return { groupId, errorCode: code };
  return { groupId, errorCode: 0, commits: { topics, runs, partitions: scratchPartitions.slice(0, n), offsets: scratchOffsets.slice(0, n) } };
}

/**
 * Decodes a v8 response body (after the correlation id) into columns, yielding to the event
 * loop between groups once `slice` is due (a 100-group answer of 10 000 partitions in one task
 * was 64 ms under the profiler). A partition-level error fails its whole group (reported with
 * that code): a group is read completely or not at all.
 */
export async function decodeOffsetFetch(buf: Buffer, slice: TimeSlice = new TimeSlice()): Promise<GroupOffsets[]> {
  const r = new Cursor(buf);
  r.taggedFields(); // response header v1
  r.int32(); // throttle time
  const count = r.uvarint() - 1;
  const groups: GroupOffsets[] = [];
  for (let g = 0; g < count; g++) {
    groups.push(decodeGroup(r));
    if (slice.due()) await slice.pause();
  }
  r.taggedFields();
  return groups;
}

/** The request, for `sendOwn`. */
export function offsetFetchRequest(groupIds: readonly string[]): OwnRequest<GroupOffsets[]> {
  return {
    apiKey: OFFSET_FETCH_KEY,
    apiVersion: OFFSET_FETCH_BATCH_VERSION,
    apiName: 'OffsetFetch',
    encode: () => encodeOffsetFetch(groupIds),
    decode: (body) => decodeOffsetFetch(body),
  };
}
