import type { DemoDb } from './demo-db.js';
import { eventPlan } from './plan.js';
import { EverySecond } from './every-second.js';

const TYPES = ['OrderPlaced', 'OrderPaid', 'OrderShipped'] as const;

/** One row of emt_messages as the writer appends it. */
export interface DemoEvent {
  readonly streamId: string;
  readonly position: number;
  readonly type: string;
  readonly data: { orderId: string; amount: number };
  readonly messageId: string;
}

/**
 * The demo's command side: appends order events (three per order). The rate swings over a
 * 10-minute cycle counted from the start (steady, burst, quiet) so that lag and staleness move
 * from the first minute on. Now and then an event is poison (dead-lettered by a projector),
 * appended twice (a duplicate with the same message id) or preceded by a version gap.
 */
export class DemoWriter extends EverySecond {
  #index = 0;
  #stream = '';
  #next = 0;

  constructor(
    private readonly db: DemoDb,
    private readonly baseRatePerSecond = 5,
    /** Prefix of the order stream ids (`<prefix>-<n>`). */
    private readonly orderPrefix = 'order',
  ) {
    super();
  }

  /** Events per second `elapsedMs` after the start: steady for 7 minutes, a 4x burst for 2, quiet for 1. */
  static rateAt(baseRate: number, elapsedMs: number): number {
    const phase = Math.floor(elapsedMs / 1000) % 600;
    if (phase < 420) return baseRate;
    if (phase < 540) return baseRate * 4;
    return 0;
  }

  /** The next `n` planned events (duplicates included as extra rows), advancing the writer. */
  plan(n: number): DemoEvent[] {
    const out: DemoEvent[] = [];
    for (let k = 0; k < n; k++) {
      const i = this.#index++;
      const orderId = `${this.orderPrefix}-${Math.floor(i / TYPES.length)}`;
      const type = TYPES[i % TYPES.length]!;
      if (orderId !== this.#stream) {
        this.#stream = orderId;
        this.#next = 0;
      }
      const p = eventPlan(i);
      if (p.gap) this.#next++;
      const e = { streamId: orderId, position: this.#next++, type, data: { orderId, amount: p.poison ? -1 : 10 + (i % 90) }, messageId: `${orderId}-${type}` };
      out.push(e);
      if (p.duplicate) out.push({ ...e, position: this.#next++ });
    }
    return out;
  }

  /** Appends `n` events (plus their planned duplicates) in one statement. */
  async append(n: number): Promise<void> {
    if (n <= 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    for (const e of this.plan(n)) {
      params.push(e.streamId, e.position, e.type, JSON.stringify(e.data), e.messageId);
      const b = params.length - 5;
      values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5})`);
    }
    await this.db.query(`INSERT INTO emt_messages (stream_id, stream_position, message_type, message_data, message_id) VALUES ${values.join(',')}`, params);
  }

  protected async tick(elapsedMs: number): Promise<void> {
    await this.append(Math.round(DemoWriter.rateAt(this.baseRatePerSecond, elapsedMs)));
  }
}
