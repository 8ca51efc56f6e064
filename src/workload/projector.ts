import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DemoDb } from '../demo/demo-db.js';
import { emmettCheckpoint } from '../demo/schema.js';
import type { BusEvent } from './relay.js';
import { isPoison, isStalled, type WorkloadProjector } from './profiles.js';

/** Reason (exception class) of the workload's poison events, as a JVM projector would report it. */
export const POISON_REASON = 'com.example.orders.InvalidAmountException';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

function int64(n: string): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
}

export interface ProjectorTargets {
  readonly eventTopic: string;
  readonly deadLetterTopic: string;
  readonly deadLetterTable: string;
}

/**
 * A projector of the workload's read side: a Kafka consumer group that applies order events to
 * a read model in PostgreSQL and saves its progress as an Emmett checkpoint (`emt_processors`,
 * position = the event's global position), so the monitor sees it both as a consumer group
 * (offset and time lag) and as a projection (lag, staleness, apply latency). Poison events go
 * to the dead-letter topic with Spring Kafka's headers, or to the dead-letter table.
 */
export class KafkaProjector {
  #consumer?: Consumer;
  #checkpoint = 0;
  applied = 0;
  deadLettered = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly db: DemoDb,
    readonly profile: WorkloadProjector,
    private readonly targets: ProjectorTargets,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.profile.name, sessionTimeout: 30_000, heartbeatInterval: 3000 });
    this.#consumer = consumer;
    // Registered at position 0 on first start, as a framework does, so the projection is
    // watched before its first event.
    await this.db.query(
      `INSERT INTO emt_processors (processor_id, last_processed_checkpoint, last_processed_transaction_id, processor_instance_id)
       SELECT $1, $2, pg_current_xact_id(), 'workload' ON CONFLICT (processor_id, partition, version) DO NOTHING`,
      [this.profile.name, emmettCheckpoint('0', 0)],
    );
    await consumer.connect();
    await consumer.subscribe({ topic: this.targets.eventTopic, fromBeginning: true });
    await consumer.run({
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const started = Date.now();
        let n = 0;
        let last = 0;
        for (const m of batch.messages) {
          if (!isRunning() || isStale()) break;
          while (isStalled(this.profile, Date.now()) && isRunning()) {
            await sleep(1000);
            await heartbeat();
          }
          last = Math.max(last, await this.#apply(batch.partition, m));
          resolveOffset(m.offset);
          n++;
          // At most eventsPerSecond: wait until this event's slot.
          const due = started + (n * 1000) / this.profile.eventsPerSecond;
          if (due > Date.now()) await sleep(due - Date.now());
          if (n % 50 === 0) {
            await this.#save(last);
            await heartbeat();
          }
        }
        await this.#save(last);
      },
    });
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
  }

  /** Applies one event (or dead-letters it); returns its global position. */
  async #apply(partition: number, m: KafkaMessage): Promise<number> {
    const e = JSON.parse(m.value?.toString() ?? '{}') as BusEvent;
    if (isPoison(e.amount)) {
      await this.#deadLetter(partition, m, e);
    } else if (this.profile.name === 'order-view') {
      await this.db.query(
        `INSERT INTO order_summary (order_id, status, total) VALUES ($1, $2, $3)
         ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, updated = now()`,
        [e.orderId, e.type, e.amount],
      );
    } else {
      await this.db.query(
        `INSERT INTO customer_stats (customer, orders, total) VALUES ($1, 1, $2)
         ON CONFLICT (customer) DO UPDATE SET orders = customer_stats.orders + 1, total = customer_stats.total + excluded.total`,
        [`customer-${e.globalPosition % 50}`, e.amount],
      );
    }
    this.applied++;
    return e.globalPosition;
  }

  async #deadLetter(partition: number, m: KafkaMessage, e: BusEvent): Promise<void> {
    this.deadLettered++;
    if (this.profile.deadLetterTo === 'table') {
      await this.db.query(`INSERT INTO ${this.targets.deadLetterTable} (projection, reason, event_id, payload) VALUES ($1, $2, $3, $4::jsonb)`, [
        this.profile.name,
        POISON_REASON,
        e.id,
        JSON.stringify(e),
      ]);
      return;
    }
    await this.producer.send({
      topic: this.targets.deadLetterTopic,
      messages: [
        {
          key: m.key,
          value: m.value,
          headers: {
            'kafka_dlt-original-topic': this.targets.eventTopic,
            'kafka_dlt-original-partition': int32(partition),
            'kafka_dlt-original-offset': int64(m.offset),
            'kafka_dlt-original-timestamp': int64(m.timestamp),
            'kafka_dlt-original-consumer-group': this.profile.name,
            'kafka_dlt-exception-fqcn': POISON_REASON,
          },
        },
      ],
    });
  }

  /**
   * Saves the checkpoint the Emmett way. Partitions are consumed one batch at a time, so the
   * highest global position applied so far stands for the projection's progress (kept
   * monotonic: a batch of a partition that lags behind does not move it back).
   */
  async #save(position: number): Promise<void> {
    if (position <= this.#checkpoint) return;
    this.#checkpoint = position;
    const tx = await this.db.query<{ tx: string }>('SELECT pg_current_xact_id()::text AS tx');
    const txid = tx.rows[0]!.tx;
    await this.db.query(
      `INSERT INTO emt_processors (processor_id, last_processed_checkpoint, last_processed_transaction_id, last_updated, processor_instance_id)
       VALUES ($1, $2, $3::xid8, now(), 'workload')
       ON CONFLICT (processor_id, partition, version) DO UPDATE
       SET last_processed_checkpoint = excluded.last_processed_checkpoint,
           last_processed_transaction_id = excluded.last_processed_transaction_id, last_updated = now()`,
      [this.profile.name, emmettCheckpoint(txid, position), txid],
    );
  }
}
