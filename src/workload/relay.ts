import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { DemoDb } from '../demo/demo-db.js';
import { isDuplicatedDelivery } from './profiles.js';

interface Row {
  global_position: string;
  stream_id: string;
  stream_position: string;
  message_type: string;
  message_id: string;
  message_data: { orderId: string; amount: number };
  created: Date;
}

/** The JSON value of an event on the bus; the envelope first, as the stream tail reads best. */
export interface BusEvent {
  id: string;
  orderId: string;
  version: number;
  occurredAt: string;
  type: string;
  globalPosition: number;
  amount: number;
}

/** Pure: the bus event of an event-store row. */
export function toBusEvent(r: Row): BusEvent {
  return {
    id: r.message_id,
    orderId: r.stream_id,
    version: Number(r.stream_position),
    occurredAt: r.created.toISOString(),
    type: r.message_type,
    globalPosition: Number(r.global_position),
    amount: r.message_data.amount,
  };
}

/**
 * Outbox relay: publishes events appended to the event store (emt_messages) to the event topic,
 * in global order, and remembers how far it got in `workload_relay`. Every 25th event is sent
 * twice, as an at-least-once publisher does after a lost acknowledgement: the stream tail's
 * duplicate SLI sees it. Only the workload's single writer appends, so global positions commit
 * in order and none is skipped.
 */
export class OutboxRelay {
  #position = -1;
  published = 0;

  constructor(
    private readonly db: DemoDb,
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly logger: Logger,
  ) {}

  async #load(): Promise<number> {
    await this.db.query('INSERT INTO workload_relay (id, position) VALUES (1, 0) ON CONFLICT (id) DO NOTHING');
    const r = await this.db.query<{ position: string }>('SELECT position FROM workload_relay WHERE id = 1');
    return Number(r.rows[0]!.position);
  }

  /** Publishes up to `max` unpublished events; returns how many. */
  async step(max = 500): Promise<number> {
    if (this.#position < 0) this.#position = await this.#load();
    const r = await this.db.query<Row>(
      `SELECT global_position, stream_id, stream_position, message_type, message_id, message_data, created
       FROM emt_messages WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
      [this.#position, max],
    );
    if (r.rows.length === 0) return 0;
    const messages = r.rows.flatMap((row) => {
      const e = toBusEvent(row);
      const m = { key: e.orderId, value: JSON.stringify(e), headers: { 'event-id': e.id }, timestamp: String(Date.now()) };
      return isDuplicatedDelivery(e.globalPosition) ? [m, m] : [m];
    });
    await this.producer.send({ topic: this.topic, messages });
    this.#position = Number(r.rows[r.rows.length - 1]!.global_position);
    await this.db.query('UPDATE workload_relay SET position = $1 WHERE id = 1', [this.#position]);
    this.published += messages.length;
    this.logger.debug({ published: messages.length, position: this.#position }, 'relay published');
    return r.rows.length;
  }
}
