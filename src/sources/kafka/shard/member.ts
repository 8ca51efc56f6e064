import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Clock } from '../../../core/units.js';
import type { Metrics } from '../../../metrics/create-metrics.js';
import type { KafkajsConnection } from '../kafkajs-options.js';
import type { GroupShard, ShardSelection } from './group-shard.js';
import { assignedAt, INITIAL_SHARD_STATE, lostPartitions, ownsGroup, publishesTopics, stepShard, type ShardEvent, type ShardState } from './ownership.js';
import type { ShardSettings } from './settings.js';

export interface ShardMemberOptions {
  readonly cluster: string;
  readonly connection: KafkajsConnection;
  readonly settings: ShardSettings;
  readonly metrics: Metrics['kafka'];
  readonly logger: Logger;
  readonly clock: Clock;
  /** Wait before joining again after the consumer gave up (default 5 s). */
  readonly restartDelayMs?: number;
}

/**
 * One replica's membership in the coordination group: a kafkajs consumer subscribed to the
 * coordination topic that never reads a record (nothing is written there; its fetches only
 * long-poll and heartbeat). The partitions the group assigns it say which consumer groups it
 * owns (`ownership.ts`). Until it has joined, and from the start of a rebalance until the next
 * join, it owns nothing.
 */
export class ShardMember implements GroupShard {
  readonly #o: ShardMemberOptions;
  readonly #kafka: Kafka;
  readonly #listeners: (() => void)[] = [];
  #state: ShardState = INITIAL_SHARD_STATE;
  #owned: ReadonlySet<number> = new Set();
  #consumer: Consumer | undefined;
  #closed = false;
  #timer: NodeJS.Timeout;
  #restart: NodeJS.Timeout | undefined;

  constructor(o: ShardMemberOptions) {
    this.#o = o;
    const c = o.connection;
    this.#kafka = new Kafka({
      brokers: c.brokers,
      clientId: `${c.clientId}-shard`,
      ssl: c.ssl,
      sasl: c.sasl,
      connectionTimeout: c.connectionTimeout,
      requestTimeout: c.requestTimeout,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log }) => {
          const { message, ...rest } = log;
          o.logger.debug({ kafkajs: rest, level }, message);
        },
    });
    o.metrics.shardAssignedPartitions.set({ cluster: o.cluster }, 0);
    // The lease runs out without any event: look at it several times per heartbeat interval.
    this.#timer = setInterval(() => this.#refresh(), Math.max(50, Math.floor(o.settings.heartbeatIntervalMs / 2)));
    this.#timer.unref();
    void this.#start();
  }

  select(listed: readonly string[]): ShardSelection {
    const { clock, cluster, settings } = this.#o;
    const now = clock();
    let owned = 0;
    for (const id of listed) if (id !== settings.group && ownsGroup(this.#state, id, now)) owned++;
    this.#o.metrics.shardOwnedGroups.set({ cluster }, owned);
    return {
      // The replicas' own coordination group is not one of the monitored groups.
      owns: (id) => id !== settings.group && ownsGroup(this.#state, id, clock()),
      topics: () => publishesTopics(this.#state, clock()),
    };
  }

  onLoss(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#restart);
    this.#apply({ kind: 'revoked' });
    // disconnect() sends LeaveGroup: the other replicas take over without waiting for the session timeout.
    await this.#consumer?.disconnect().catch(() => undefined);
    this.#o.metrics.shardAssignedPartitions.remove({ cluster: this.#o.cluster });
    this.#o.metrics.shardOwnedGroups.remove({ cluster: this.#o.cluster });
  }

  #apply(event: ShardEvent): void {
    this.#state = stepShard(this.#state, event, this.#o.settings.sessionTimeoutMs, this.#o.settings.claimDelayMs);
    this.#refresh();
  }

  /** Publishes the assignment gauge and tells the listeners when partitions were lost. */
  #refresh(): void {
    const now = assignedAt(this.#state, this.#o.clock());
    const lost = lostPartitions(this.#owned, now);
    const changed = lost.length > 0 || now.size !== this.#owned.size;
    this.#owned = now;
    if (!changed) return;
    this.#o.metrics.shardAssignedPartitions.set({ cluster: this.#o.cluster }, now.size);
    if (lost.length === 0) return;
    this.#o.logger.info({ cluster: this.#o.cluster, lost: lost.length, kept: now.size }, 'shard partitions lost; their groups are no longer published here');
    for (const l of this.#listeners) {
      try {
        l();
      } catch (err) {
        this.#o.logger.warn({ err, cluster: this.#o.cluster }, 'shard loss listener failed');
      }
    }
  }

  async #start(): Promise<void> {
    if (this.#closed) return;
    const { settings, logger, cluster } = this.#o;
    try {
      this.#apply({ kind: 'partitions', count: await this.#ensureTopic() });
      const consumer = this.#kafka.consumer({
        groupId: settings.group,
        sessionTimeout: settings.sessionTimeoutMs,
        heartbeatInterval: settings.heartbeatIntervalMs,
        rebalanceTimeout: Math.max(settings.sessionTimeoutMs, 2 * settings.heartbeatIntervalMs),
        // Fetches only wait for records that never come: keep each wait under a heartbeat interval.
        maxWaitTimeInMs: settings.heartbeatIntervalMs,
        allowAutoTopicCreation: false,
        retry: { retries: 5, initialRetryTime: 100, maxRetryTime: settings.sessionTimeoutMs },
      });
      this.#consumer = consumer;
      const { GROUP_JOIN, HEARTBEAT, REBALANCING, CRASH, STOP } = consumer.events;
      consumer.on(GROUP_JOIN, (e) => {
        const parts = e.payload.memberAssignment[settings.topic] ?? [];
        this.#apply({ kind: 'joined', partitions: parts, at: this.#o.clock() });
        logger.info({ cluster, group: settings.group, partitions: parts.length }, 'joined the shard coordination group');
      });
      consumer.on(HEARTBEAT, () => this.#apply({ kind: 'heartbeat', at: this.#o.clock() }));
      consumer.on(REBALANCING, () => this.#apply({ kind: 'revoked' }));
      consumer.on(STOP, () => this.#apply({ kind: 'revoked' }));
      consumer.on(CRASH, (e) => {
        this.#apply({ kind: 'revoked' });
        logger.warn({ cluster, err: e.payload.error, restart: e.payload.restart }, 'shard coordination consumer crashed');
        if (!e.payload.restart) this.#later(consumer);
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [settings.topic] });
      await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
    } catch (err) {
      logger.warn({ cluster, err }, 'shard coordination group could not be joined; retrying');
      this.#later(this.#consumer);
    }
  }

  /** Drops `consumer` and joins again after the restart delay. */
  #later(consumer: Consumer | undefined): void {
    if (this.#closed) return;
    this.#consumer = undefined;
    void consumer?.disconnect().catch(() => undefined);
    clearTimeout(this.#restart);
    this.#restart = setTimeout(() => void this.#start(), this.#o.restartDelayMs ?? 5000);
    this.#restart.unref();
  }

  /** Creates the coordination topic when missing; returns its partition count. */
  async #ensureTopic(): Promise<number> {
    const { topic, partitions } = this.#o.settings;
    const admin: Admin = this.#kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) {
        // Another replica may create it at the same moment: TOPIC_ALREADY_EXISTS is fine.
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true }).catch((err: unknown) => {
          if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS' && !/already exists/i.test(String((err as Error).message))) throw err;
        });
      }
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      const count = meta.topics[0]?.partitions.length ?? 0;
      if (count < 1) throw new Error(`coordination topic ${topic} has no partitions`);
      return count;
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
