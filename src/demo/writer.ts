import type { DemoDb } from './demo-db.js';

const TYPES = ['OrderPlaced', 'OrderPaid', 'OrderShipped'] as const;

/**
 * The demo's command side: appends order events. The rate swings over a 10-minute cycle
 * (quiet, steady, burst) so that lag and staleness move.
 */
export class DemoWriter {
  #order = 0;
  #timer?: NodeJS.Timeout;
  #busy = false;

  constructor(
    private readonly db: DemoDb,
    private readonly baseRatePerSecond = 5,
    /** Prefix of the order stream ids (`<prefix>-<n>`). */
    private readonly orderPrefix = 'order',
  ) {}

  /** Events per second at a given time: quiet, steady, then a burst, every 10 minutes. */
  static rateAt(baseRate: number, epochMs: number): number {
    const phase = Math.floor(epochMs / 1000) % 600;
    if (phase < 60) return 0;
    if (phase < 480) return baseRate;
    return baseRate * 4;
  }

  start(): void {
    this.#timer = setInterval(() => void this.#tick(), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    while (this.#busy) await new Promise((r) => setTimeout(r, 20));
  }

  /** Appends `n` events in one transaction. */
  async append(n: number): Promise<void> {
    if (n <= 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    for (let i = 0; i < n; i++) {
      const orderId = `${this.orderPrefix}-${Math.floor(this.#order / TYPES.length)}`;
      const type = TYPES[this.#order % TYPES.length]!;
      const pos = this.#order % TYPES.length;
      this.#order++;
      params.push(orderId, pos, type, JSON.stringify({ orderId, amount: 10 + (this.#order % 90) }), `${orderId}-${type}`);
      const b = params.length - 5;
      values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5})`);
    }
    await this.db.query(
      `INSERT INTO emt_messages (stream_id, stream_position, message_type, message_data, message_id) VALUES ${values.join(',')}`,
      params,
    );
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      await this.append(Math.round(DemoWriter.rateAt(this.baseRatePerSecond, Date.now())));
    } catch {
      // The demo is best effort; the monitor is what is being shown.
    } finally {
      this.#busy = false;
    }
  }
}
