import { headerBytes, headerText, type RawRecord } from './field-ref.js';
import type { EpochMillis } from '../units.js';

/** Which dead-letter header convention to read. `auto` tries Spring, then Connect. */
export type DltHeaderStyle = 'spring' | 'connect' | 'auto';

/** Where a dead-lettered record came from and why, as far as its headers tell. */
export interface DeadLetterInfo {
  style: 'spring' | 'connect' | 'none';
  /** Original topic. */
  topic?: string;
  partition?: number;
  offset?: number;
  /** Original record timestamp (Spring only). */
  timestamp?: EpochMillis;
  /** Consumer group (Spring) or connector name (Connect) that failed. */
  consumer?: string;
  /** Exception class name: the root cause when the framework records it. */
  exception?: string;
  message?: string;
}

/**
 * Spring Kafka `DeadLetterPublishingRecoverer` (KafkaHeaders.DLT_*). Partition is a 4-byte and
 * offset/timestamp 8-byte big-endian binary value, not text. `exception-cause-fqcn` (Spring
 * Kafka 2.8+) names the real cause behind Spring's ListenerExecutionFailedException wrapper;
 * `key-exception-fqcn` is set instead when the key failed to deserialize.
 */
export const SPRING = {
  topic: 'kafka_dlt-original-topic',
  partition: 'kafka_dlt-original-partition',
  offset: 'kafka_dlt-original-offset',
  timestamp: 'kafka_dlt-original-timestamp',
  group: 'kafka_dlt-original-consumer-group',
  fqcn: 'kafka_dlt-exception-fqcn',
  causeFqcn: 'kafka_dlt-exception-cause-fqcn',
  keyFqcn: 'kafka_dlt-key-exception-fqcn',
  message: 'kafka_dlt-exception-message',
} as const;

/**
 * Kafka Connect sink DLQ context headers (UTF-8 text), written only when
 * `errors.deadletterqueue.context.headers.enable=true` (DeadLetterQueueReporter).
 */
export const CONNECT = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connector: '__connect.errors.connector.name',
  exceptionClass: '__connect.errors.exception.class.name',
  message: '__connect.errors.exception.message',
} as const;

/** Reads a big-endian integer of 4 or 8 bytes; tolerates producers that wrote text instead. */
export function readBigEndian(buf: Buffer | undefined): number | undefined {
  if (!buf) return undefined;
  if (buf.length === 4) return buf.readInt32BE(0);
  if (buf.length === 8) {
    const n = buf.readBigInt64BE(0);
    // Offsets and epoch ms fit in 2^53; beyond is not a real value.
    return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : undefined;
  }
  const text = buf.toString('utf8');
  return /^-?\d+$/.test(text) ? Number(text) : undefined;
}

function textInt(s: string | undefined): number | undefined {
  return s !== undefined && /^-?\d+$/.test(s.trim()) ? Number(s) : undefined;
}

function decodeSpring(h: RawRecord['headers']): DeadLetterInfo | undefined {
  const topic = headerText(h, SPRING.topic);
  const exception = headerText(h, SPRING.causeFqcn) ?? headerText(h, SPRING.fqcn) ?? headerText(h, SPRING.keyFqcn);
  if (topic === undefined && exception === undefined) return undefined;
  return clean({
    style: 'spring',
    topic,
    partition: readBigEndian(headerBytes(h, SPRING.partition)),
    offset: readBigEndian(headerBytes(h, SPRING.offset)),
    timestamp: readBigEndian(headerBytes(h, SPRING.timestamp)),
    consumer: headerText(h, SPRING.group),
    exception,
    message: headerText(h, SPRING.message),
  });
}

function decodeConnect(h: RawRecord['headers']): DeadLetterInfo | undefined {
  const topic = headerText(h, CONNECT.topic);
  const exception = headerText(h, CONNECT.exceptionClass);
  if (topic === undefined && exception === undefined) return undefined;
  return clean({
    style: 'connect',
    topic,
    partition: textInt(headerText(h, CONNECT.partition)),
    offset: textInt(headerText(h, CONNECT.offset)),
    consumer: headerText(h, CONNECT.connector),
    exception,
    message: headerText(h, CONNECT.message),
  });
}

function clean(info: DeadLetterInfo): DeadLetterInfo {
  for (const k of Object.keys(info) as (keyof DeadLetterInfo)[]) if (info[k] === undefined) delete info[k];
  return info;
}

/** Decodes the dead-letter headers of a record; `style: 'none'` when none are present. */
export function decodeDeadLetter(headers: RawRecord['headers'], style: DltHeaderStyle = 'auto'): DeadLetterInfo {
  const found = style === 'spring' ? decodeSpring(headers) : style === 'connect' ? decodeConnect(headers) : (decodeSpring(headers) ?? decodeConnect(headers));
  return found ?? { style: 'none' };
}

/**
 * The source topic of a DLQ topic by naming convention, when headers do not say:
 * Spring `{topic}.DLT` / `{topic}-dlt`, common `{topic}-dlq` / `{topic}.dlq` / `{topic}.DLQ`.
 */
export function sourceTopicFromName(dlqTopic: string): string | undefined {
  const m = /^(.+?)([.-](DLT|dlt|DLQ|dlq))$/.exec(dlqTopic);
  return m?.[1];
}
