import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { sharedGroupConflict } from '../kafka/shared-group-check.js';
import { initGroupOffsets, type StartFrom } from './start-position.js';

/** What the tail hands to its owner for each fetched batch (records not yet seen, in order). */
export type RecordsHandler = (topic: string, partition: number, messages: readonly KafkaMessage[]) => void;

export interface TailConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: readonly string[];
  startFrom: StartFrom;
  onRecords: RecordsHandler;
  logger: Logger;
  /** kafkajs fetch size per partition; larger batches amortise the per-batch commit. */
  maxBytesPerPartition?: number;
}

/**
 * A kafkajs consumer in the monitor's own group that hands every record to `onRecords`
 * exactly once per process, and commits its progress after each batch.
 *
 * Counting guarantees (docs/streams.md, "Exactly once?"):
 * - within one process, a record is never handed over twice: the next offset per partition is
 *   remembered, and records below it (re-delivered after a failed commit, a broker restart or a
 *   rebalance that gave the partition back) are skipped and counted in `redelivered`;
 * - across processes (a replica taking over a partition, a restart after a crash), delivery is
 *   at least once: records handed over but not yet committed when the partition moved are
 *   handed over again by the new owner. A clean stop commits first, so only a crash or a
 *   failed final commit re-counts, at most one batch per partition.
 */
export class TailConsumer {
  readonly #opts: TailConsumerOptions;
  #consumer: Consumer | undefined;
  readonly #next = new Map<string, number>();
  #failure: Error | undefined;
  #conflict: string | undefined;
  #assigned = 0;
  #joined = false;
  /** Records skipped because this process had already handed them over. */
  redelivered = 0;
  /** Records handed over. */
  delivered = 0;

  constructor(opts: TailConsumerOptions) {
    this.#opts = opts;
  }

  /** The error that stopped the consumer for good (kafkajs gave up restarting), if any. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Set while the group holds a member subscribed to other topics (checked on every join). */
  get conflict(): string | undefined {
    return this.#conflict;
  }

  /** Partitions assigned to this member at the last rebalance. */
  get assigned(): number {
    return this.#assigned;
  }

  /** True once the consumer has joined its group at least once. */
  get joined(): boolean {
    return this.#joined;
  }

  get running(): boolean {
    return this.#consumer !== undefined;
  }

  async start(): Promise<void> {
    if (this.#consumer) return;
    const { kafka, groupId, topics, startFrom, logger } = this.#opts;
    this.#failure = undefined;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await initGroupOffsets(admin, groupId, topics, startFrom);
    } finally {
      await admin.disconnect();
    }
    const consumer = kafka.consumer({
      groupId,
      maxBytesPerPartition: this.#opts.maxBytesPerPartition ?? 4 * 1024 * 1024,
      // kafkajs retries a crashed consumer itself; after that `failure` is set and the
      // source restarts it on its next cycle.
      retry: { retries: 10 },
    });
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.#joined = true;
      this.#assigned = Object.values(e.payload.memberAssignment).reduce((n, ps) => n + ps.length, 0);
      void this.#checkMembers(consumer);
    });
    consumer.on(consumer.events.CRASH, (e) => {
      const err = e.payload.error;
      logger.warn({ err, groupId, restart: e.payload.restart }, 'tail consumer crashed');
      if (!e.payload.restart) this.#failure = err;
    });
    this.#consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: startFrom === 'beginning' });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const key = `${batch.topic}\u0000${batch.partition}`;
        const next = this.#next.get(key) ?? -1;
        let fresh = batch.messages;
        // Skip what this process already handed over (kept sorted: offsets only grow).
        if (next >= 0 && fresh.length > 0 && Number(fresh[0]!.offset) < next) {
          const before = fresh.length;
          fresh = fresh.filter((m) => Number(m.offset) >= next);
          this.redelivered += before - fresh.length;
        }
        if (!isRunning() || isStale()) return;
        if (fresh.length > 0) {
          this.#opts.onRecords(batch.topic, batch.partition, fresh);
          this.delivered += fresh.length;
        }
        const last = batch.messages.length > 0 ? batch.lastOffset() : undefined;
        if (last === undefined) return;
        this.#next.set(key, Math.max(next, Number(last) + 1));
        resolveOffset(last);
        await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(Number(last) + 1) }]);
        await heartbeat();
      },
    });
  }

  /** Looks for a member of another configuration in the group (see core/kafka/shared-group.ts). */
  async #checkMembers(consumer: Consumer): Promise<void> {
    const { kafka, groupId, topics, logger } = this.#opts;
    const admin = kafka.admin();
    try {
      await admin.connect();
      const conflict = await sharedGroupConflict(admin, groupId, topics, 'groupId');
      if (this.#consumer !== consumer) return; // stopped meanwhile
      if (conflict && conflict !== this.#conflict) logger.error({ groupId }, conflict);
      this.#conflict = conflict;
    } catch (err) {
      logger.warn({ err, groupId }, 'could not read the members of the tail group');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Stops consuming and leaves the group; kafkajs finishes the running batch (and its commit) first. */
  async stop(): Promise<void> {
    const c = this.#consumer;
    this.#consumer = undefined;
    this.#joined = false;
    this.#conflict = undefined;
    this.#assigned = 0;
    if (c) await c.disconnect();
  }
}
