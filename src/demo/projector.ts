import type { DemoDb } from './demo-db.js';
import { emmettCheckpoint } from './schema.js';

/** How a demo projector behaves; chosen to show every status the monitor knows. */
export interface ProjectorProfile {
  readonly name: string;
  /** Events applied per second at most. */
  readonly eventsPerSecond: number;
  /** Seconds of each cycle (by wall clock) during which the projector is stuck, or 0. */
  readonly stallSecondsPerCycle: number;
  /** Every this many seconds the projection is rebuilt from 0, or 0 for never. */
  readonly rebuildEverySeconds: number;
  /** Length of the stall cycle in seconds. */
  readonly cycleSeconds: number;
}

export const DEMO_PROJECTORS: readonly ProjectorProfile[] = [
  { name: 'order_summary', eventsPerSecond: 1000, stallSecondsPerCycle: 0, rebuildEverySeconds: 0, cycleSeconds: 900 },
  // Slower than the burst rate and stuck for 90 s every 15 minutes: LAGGING, then STALLED.
  { name: 'customer_stats', eventsPerSecond: 12, stallSecondsPerCycle: 90, rebuildEverySeconds: 0, cycleSeconds: 900 },
  // Rebuilt from scratch every 20 minutes: REBUILDING until caught up.
  { name: 'shipping_board', eventsPerSecond: 60, stallSecondsPerCycle: 0, rebuildEverySeconds: 1200, cycleSeconds: 900 },
];

/** Pure: what the projector does in the second starting at `epochMs`. */
export function projectorAction(p: ProjectorProfile, epochMs: number): 'apply' | 'stall' | 'rebuild' {
  const s = Math.floor(epochMs / 1000);
  if (p.rebuildEverySeconds > 0 && s % p.rebuildEverySeconds === 0) return 'rebuild';
  if (p.stallSecondsPerCycle > 0 && s % p.cycleSeconds >= p.cycleSeconds - p.stallSecondsPerCycle) return 'stall';
  return 'apply';
}

/** A projector of the demo read side: applies events after its checkpoint and saves progress the Emmett way. */
export class DemoProjector {
  #timer?: NodeJS.Timeout;
  #busy = false;

  constructor(
    private readonly db: DemoDb,
    readonly profile: ProjectorProfile,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.#tick(), 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    while (this.#busy) await new Promise((r) => setTimeout(r, 20));
  }

  async checkpoint(): Promise<number> {
    const r = await this.db.query<{ c: string }>(
      `SELECT last_processed_checkpoint AS c FROM emt_processors WHERE processor_id = $1 ORDER BY version DESC LIMIT 1`,
      [this.profile.name],
    );
    const text = r.rows[0]?.c;
    return text ? Number(text.split(':').pop()) : 0;
  }

  /** Applies up to `max` events after the checkpoint; returns how many. */
  async step(max: number): Promise<number> {
    const from = await this.checkpoint();
    const r = await this.db.query<{ global_position: string; message_data: { orderId: string; amount: number }; message_type: string }>(
      `SELECT global_position, message_data, message_type FROM emt_messages
       WHERE global_position > $1 AND is_archived = false ORDER BY global_position LIMIT $2`,
      [from, max],
    );
    if (r.rows.length === 0) return 0;
    if (this.profile.name === 'order_summary') {
      for (const e of r.rows) {
        await this.db.query(
          `INSERT INTO order_summary (order_id, status, total) VALUES ($1, $2, $3)
           ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, updated = now()`,
          [e.message_data.orderId, e.message_type, e.message_data.amount],
        );
      }
    }
    await this.#save(Number(r.rows[r.rows.length - 1]!.global_position));
    return r.rows.length;
  }

  /** Resets the checkpoint to the start, as a projection rebuild does. */
  async reset(): Promise<void> {
    await this.#save(0);
  }

  async #save(position: number): Promise<void> {
    const tx = await this.db.query<{ tx: string }>('SELECT pg_current_xact_id()::text AS tx');
    const txid = tx.rows[0]!.tx;
    await this.db.query(
      `INSERT INTO emt_processors (processor_id, last_processed_checkpoint, last_processed_transaction_id, last_updated)
       VALUES ($1, $2, $3::xid8, now())
       ON CONFLICT (processor_id, partition, version) DO UPDATE
       SET last_processed_checkpoint = excluded.last_processed_checkpoint,
           last_processed_transaction_id = excluded.last_processed_transaction_id, last_updated = now()`,
      [this.profile.name, emmettCheckpoint(txid, position), txid],
    );
  }

  async #tick(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      const action = projectorAction(this.profile, Date.now());
      if (action === 'rebuild') await this.reset();
      else if (action === 'apply') await this.step(this.profile.eventsPerSecond);
    } catch {
      // Best effort: a demo projector that fails simply stalls, which the monitor shows.
    } finally {
      this.#busy = false;
    }
  }
}
