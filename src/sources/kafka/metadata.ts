import { internals, type OwnRequest } from './kafkajs-internals.js';
import { missingTopicError, UNKNOWN_TOPIC_OR_PARTITION } from './kafka-errors.js';
import type { LeaderGroups } from './leader-index.js';
import { ResponseReader } from './response-reader.js';

export const METADATA_KEY = 3;
/** v6: the highest version kafkajs 2.2.4 speaks (so both paths see the same answer), accepted by Kafka 3.9 and 4.1. */
export const METADATA_VERSION = 6;

export interface BrokerAddress {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

/** One topic of a Metadata answer: its error code, and per partition (answer order) id, error code and leader. */
export interface TopicLeaderColumns {
  readonly topic: string;
  readonly errorCode: number;
  readonly partitions: Int32Array;
  readonly errorCodes: Int16Array;
  readonly leaders: Int32Array;
}

export interface ClusterMetadata {
  readonly brokers: BrokerAddress[];
  readonly topics: TopicLeaderColumns[];
}

/**
 * The Metadata v6 request body: the topics named (none: only the brokers; Kafka reads an empty
 * array as no topic and null as all, from v1 on), never creating a topic.
 */
export function encodeMetadata(topics: readonly string[]): Buffer {
  let size = 4 + 1;
  for (const t of topics) size += 2 + Buffer.byteLength(t);
  const buf = Buffer.allocUnsafe(size);
  let at = buf.writeInt32BE(topics.length, 0);
  for (const t of topics) {
    const len = buf.write(t, at + 2);
    buf.writeInt16BE(len, at);
    at += 2 + len;
  }
  buf.writeInt8(0, at); // allow_auto_topic_creation: false
  return buf;
}

/**
 * The Metadata v6 answer: brokers, and each topic's partitions and leaders as columns. kafkajs's
 * decoder makes an object per partition with its replica, ISR and offline arrays (10 000 each at
 * 200 x 50 partitions), and rejects the whole answer on the first topic or partition error; here
 * the error codes are kept per topic and partition, so that one topic's error fails that topic.
 *
 * Metadata Response (Version: 6) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *   brokers => node_id host port rack(nullable)
 *   topics => error_code name is_internal [partitions]
 *     partitions => error_code partition leader [replicas] [isr] [offline_replicas]
 */
export function decodeMetadataV6(buf: Buffer): ClusterMetadata {
  const r = new ResponseReader(buf, 'Metadata v6');
  r.int32(); // throttle_time_ms
  const brokers: BrokerAddress[] = [];
  for (let i = 0, n = r.arrayLength(); i < n; i++) {
    const nodeId = r.int32();
    const host = r.string() ?? '';
    const port = r.int32();
    const rack = r.string();
    brokers.push({ nodeId, host, port, rack });
  }
  r.string(); // cluster_id
  r.int32(); // controller_id
  const topics: TopicLeaderColumns[] = [];
  for (let t = 0, nt = r.arrayLength(); t < nt; t++) {
    const errorCode = r.int16();
    const topic = r.string() ?? '';
    r.int8(); // is_internal
    const n = r.arrayLength();
    const partitions = new Int32Array(n);
    const errorCodes = new Int16Array(n);
    const leaders = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      errorCodes[i] = r.int16();
      partitions[i] = r.int32();
      leaders[i] = r.int32();
      r.skipInt32Array(); // replicas
      r.skipInt32Array(); // isr
      r.skipInt32Array(); // offline_replicas
    }
    topics.push({ topic, errorCode, partitions, errorCodes, leaders });
  }
  return { brokers, topics };
}

/** The request, for `sendOwn`. */
export function metadataRequest(topics: readonly string[]): OwnRequest<ClusterMetadata> {
  return { apiKey: METADATA_KEY, apiVersion: METADATA_VERSION, apiName: 'Metadata', encode: () => encodeMetadata(topics), decode: decodeMetadataV6 };
}

/** The topics of `wanted` (in its order) that the answer does not name. */
export function unaskedTopics(md: ClusterMetadata, wanted: readonly string[]): string[] {
  const named = new Set<string>();
  for (const t of md.topics) named.add(t.topic);
  return wanted.filter((t) => !named.has(t));
}

/**
 * Partitions grouped by leader per topic, as `indexLeaders` groups kafkajs's metadata (node ids
 * ascending, partitions in answer order). A topic with an error code, or with a partition that
 * has one or no leader, maps to an Error naming it (kafkajs's error for the code); a topic that
 * does not exist to `missingTopicError`.
 */
export function leadersOf(topics: readonly TopicLeaderColumns[]): Map<string, LeaderGroups> {
  const out = new Map<string, LeaderGroups>();
  for (const t of topics) {
    if (out.has(t.topic)) continue;
    if (t.errorCode === UNKNOWN_TOPIC_OR_PARTITION.code) {
      out.set(t.topic, missingTopicError(t.topic));
      continue;
    }
    if (t.errorCode !== 0) {
      out.set(t.topic, codeError(t.errorCode, `Metadata of topic ${t.topic}`));
      continue;
    }
    const byLeader = new Map<number, number[]>();
    let bad: Error | undefined;
    for (let i = 0; i < t.partitions.length; i++) {
      const code = t.errorCodes[i]!;
      const leader = t.leaders[i]!;
      if (code !== 0 || leader < 0) {
        bad = code !== 0 ? codeError(code, `Metadata of topic ${t.topic} partition ${t.partitions[i]}`) : noLeader(t.topic, t.partitions[i]!);
        break;
      }
      const list = byLeader.get(leader);
      if (list) list.push(t.partitions[i]!);
      else byLeader.set(leader, [t.partitions[i]!]);
    }
    out.set(t.topic, bad ?? new Map([...byLeader].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])));
  }
  return out;
}

function codeError(code: number, what: string): Error {
  const e = internals.createErrorFromCode(code);
  e.message = `${what}: ${e.message}`;
  return e;
}

function noLeader(topic: string, partition: number): Error {
  return new Error(`Invalid partition metadata: topic ${topic} partition ${partition} has no leader`);
}

/** Whether the answer's brokers are exactly those kafkajs's pool holds (node id, host, port, rack). */
export function sameBrokers(
  brokers: readonly BrokerAddress[],
  pool: Record<string, { connectionPool?: { host?: string; port?: number; rack?: string | null } }>,
): boolean {
  if (brokers.length !== Object.keys(pool).length) return false;
  for (const b of brokers) {
    const c = pool[String(b.nodeId)]?.connectionPool;
    if (!c || c.host !== b.host || c.port !== b.port || (c.rack ?? null) !== b.rack) return false;
  }
  return true;
}
