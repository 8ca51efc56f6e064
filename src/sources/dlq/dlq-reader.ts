import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { decodeDeadLetter, sourceTopicFromName, type DltHeaderStyle } from '../../core/events/dlt-headers.js';
import { OffsetTimeIndex } from '../../core/events/offset-time-index.js';
import type { RawRecord } from '../../core/events/field-ref.js';
import { sharedGroupConflict } from '../kafka/shared-group-check.js';

/** One dead letter as counted: where it came from and why. */
export interface DeadLetter {
  dlqTopic: string;
  /** Original topic, from the headers or the DLQ topic's name; `unknown` when neither tells. */
  source: string;
  /** Exception class name from the headers, or undefined. */
  reason: string | undefined;
}

export interface DlqReaderOptions {
  kafka: Kafka;
  admin: Admin;
  groupId: string;
  topics: readonly string[];
  headers: DltHeaderStyle;
  /** Offsets below which records are handled, per topic and partition (see `handledMarks`). */
  marks: () => Promise<Map<string, number>>;
  /** Where inflow counting stands; owned by the caller so that a restarted reader neither loses nor repeats a count. */
  inflow: InflowPositions;
  onDeadLetter: (d: DeadLetter) => void;
  logger: Logger;
}

/** Per partition (see `partitionKey`): where inflow starts, and the highest offset counted as inflow. */
export interface InflowPositions {
  /** Records at or above this offset are inflow (the high watermark when the partition was first seen). */
  readonly from: Map<string, number>;
  readonly counted: Map<string, number>;
}

export const newInflowPositions = (): InflowPositions => ({ from: new Map(), counted: new Map() });

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Reads the DLQ topics in the monitor's own group, for two things:
 * - inflow: each record appended after the reader started is handed to `onDeadLetter` once
 *   (records already there when a partition is first seen are backlog, not inflow; a counter
 *   starts at 0). The positions outlive the reader, so a reader restarted after a failed start
 *   or a new topic counts from where the last one stopped;
 * - the oldest unhandled age: the timestamps of unhandled records, by offset. On every group
 *   join the reader seeks each partition back to its handled mark so the index covers the
 *   whole unhandled range, whatever it read before. So it never commits.
 */
export class DlqReader {
  readonly #opts: DlqReaderOptions;
  #consumer: Consumer | undefined;
  readonly indexes = new Map<string, OffsetTimeIndex>();
  #failure: Error | undefined;
  #conflict: string | undefined;
  #joined = false;
  /** Partitions (see `partitionKey`) assigned to this member at its last join. */
  #assigned: ReadonlySet<string> | undefined;

  constructor(opts: DlqReaderOptions) {
    this.#opts = opts;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Set while the group holds a member subscribed to other topics (checked on every join). */
  get conflict(): string | undefined {
    return this.#conflict;
  }

  /**
   * Partitions this member reads since its last join (undefined before the first). Replicas of
   * one configuration share the group and split the partitions: each knows the unhandled
   * records' timestamps of its own partitions only.
   */
  get assigned(): ReadonlySet<string> | undefined {
    return this.#assigned;
  }

  get joined(): boolean {
    return this.#joined;
  }

  get running(): boolean {
    return this.#consumer !== undefined;
  }

  get topics(): readonly string[] {
    return this.#opts.topics;
  }

  async start(): Promise<void> {
    if (this.#consumer || this.#opts.topics.length === 0) return;
    const { kafka, admin, groupId, topics, logger } = this.#opts;
    const { from } = this.#opts.inflow;
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        const k = partitionKey(topic, p.partition);
        if (!from.has(k)) from.set(k, Number(p.high));
      }
    }
    const consumer = kafka.consumer({ groupId, retry: { retries: 10 } });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.#joined = true;
      this.#assigned = new Set(Object.entries(e.payload.memberAssignment).flatMap(([topic, ps]) => ps.map((p) => partitionKey(topic, p))));
      void this.#seekToMarks(consumer, e.payload.memberAssignment).catch((err: unknown) =>
        logger.warn({ err, groupId }, 'could not seek the DLQ reader to the handled offsets'),
      );
      void sharedGroupConflict(admin, groupId, topics, 'readerGroup').then(
        (conflict) => {
          if (this.#consumer !== consumer) return; // stopped meanwhile
          if (conflict && conflict !== this.#conflict) logger.error({ groupId }, conflict);
          this.#conflict = conflict;
        },
        (err: unknown) => logger.warn({ err, groupId }, 'could not read the members of the DLQ reader group'),
      );
    });
    consumer.on(consumer.events.CRASH, (e) => {
      logger.warn({ err: e.payload.error, groupId, restart: e.payload.restart }, 'DLQ reader crashed');
      if (!e.payload.restart) this.#failure = e.payload.error;
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        this.#onBatch(batch.topic, batch.partition, batch.messages);
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    const c = this.#consumer;
    this.#consumer = undefined;
    this.#joined = false;
    this.#assigned = undefined;
    this.#conflict = undefined;
    if (c) await c.disconnect();
  }

  async #seekToMarks(consumer: Consumer, assignment: Record<string, number[]>): Promise<void> {
    const marks = await this.#opts.marks();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const k = partitionKey(topic, partition);
        const mark = marks.get(k);
        if (mark === undefined) continue;
        this.indexes.get(k)?.reset();
        consumer.seek({ topic, partition, offset: String(mark) });
      }
    }
  }

  #onBatch(topic: string, partition: number, messages: readonly KafkaMessage[]): void {
    const k = partitionKey(topic, partition);
    let index = this.indexes.get(k);
    if (!index) this.indexes.set(k, (index = new OffsetTimeIndex()));
    const { inflow } = this.#opts;
    const from = inflow.from.get(k) ?? 0;
    let counted = inflow.counted.get(k) ?? -1;
    for (const m of messages) {
      const offset = Number(m.offset);
      index.add(offset, Number(m.timestamp));
      if (offset < from || offset <= counted) continue;
      counted = offset;
      const info = decodeDeadLetter(m.headers as RawRecord['headers'], this.#opts.headers);
      this.#opts.onDeadLetter({ dlqTopic: topic, source: info.topic ?? sourceTopicFromName(topic) ?? 'unknown', reason: info.exception });
    }
    inflow.counted.set(k, counted);
  }
}
