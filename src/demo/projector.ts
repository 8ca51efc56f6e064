import type { DemoDb } from './demo-db.js';
import { emmettCheckpoint } from './schema.js';
import { EverySecond } from './every-second.js';

/** How a demo projector behaves; chosen to show every status the monitor knows within a minute. */
export interface ProjectorProfile {
  readonly name: string;
  /** Events applied per second at most. */
  readonly eventsPerSecond: number;
  /** Stuck for `seconds` from `atSecond` after the start, again every `everySeconds`. */
  readonly stall?: { readonly atSecond: number; readonly seconds: number; readonly everySeconds: number };
  /**
   * Rebuilt from position 0 at `atSecond` after the start and every `everySeconds`; it pauses
   * `pauseSeconds` first (dropping the read model), so a 5 s monitor interval sees the reset.
   */
  readonly rebuild?: { readonly atSecond: number; readonly everySeconds: number; readonly pauseSeconds: number };
  /** Poison events go to the dead-letter table instead of the read model. */
  readonly deadLetters?: boolean;
}

export const DEMO_PROJECTORS: readonly ProjectorProfile[] = [
  // Healthy, fast; rejects poison events into the dead-letter table.
  { name: 'order_summary', eventsPerSecond: 1000, deadLetters: true },
  // Slower than the burst rate and stuck for 40 s from 5 s on, every 5 minutes: STALLED, LAGGING.
  { name: 'customer_stats', eventsPerSecond: 12, stall: { atSecond: 5, seconds: 40, everySeconds: 300 } },
  // Rebuilt from scratch 45 s after the start and every 10 minutes: REBUILDING until caught up.
  { name: 'shipping_board', eventsPerSecond: 25, rebuild: { atSecond: 45, everySeconds: 600, pauseSeconds: 10 } },
];

/** Pure: what the projector does in the second `elapsedMs` after the demo started. */
export function projectorAction(p: ProjectorProfile, elapsedMs: number): 'apply' | 'stall' | 'rebuild' {
  const s = Math.floor(elapsedMs / 1000);
  const within = (at: number, every: number) => (s >= at ? (s - at) % every : -1);
  if (p.rebuild) {
    const r = within(p.rebuild.atSecond, p.rebuild.everySeconds);
    if (r === 0) return 'rebuild';
    if (r > 0 && r <= p.rebuild.pauseSeconds) return 'stall';
  }
  if (p.stall) {
    const r = within(p.stall.atSecond, p.stall.everySeconds);
    if (r >= 0 && r < p.stall.seconds) return 'stall';
  }
  return 'apply';
}

/** A projector of the demo read side: applies events after its checkpoint and saves progress the Emmett way. */
export class DemoProjector extends EverySecond {
  constructor(
    private readonly db: DemoDb,
    readonly profile: ProjectorProfile,
  ) {
    super();
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
    const r = await this.db.query<{ global_position: string; message_data: { orderId: string; amount: number }; message_type: string; message_id: string }>(
      `SELECT global_position, message_data, message_type, message_id FROM emt_messages
       WHERE global_position > $1 AND is_archived = false ORDER BY global_position LIMIT $2`,
      [from, max],
    );
    if (r.rows.length === 0) return 0;
    if (this.profile.deadLetters) {
      for (const e of r.rows) {
        if (e.message_data.amount < 0) {
          await this.db.query(`INSERT INTO demo_dead_letters (projector, reason, global_position, message_id) VALUES ($1, 'InvalidAmount', $2, $3)`, [
            this.profile.name,
            e.global_position,
            e.message_id,
          ]);
          continue;
        }
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

  protected async tick(elapsedMs: number): Promise<void> {
    const action = projectorAction(this.profile, elapsedMs);
    if (action === 'rebuild') await this.reset();
    else if (action === 'apply') await this.step(this.profile.eventsPerSecond);
  }
}
