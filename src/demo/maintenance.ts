import type { DemoDb } from './demo-db.js';
import { KEEP_EVENTS, REPLAY_MIN_AGE_S, pruneDue, replayDue } from './plan.js';
import { EverySecond } from './every-second.js';

/**
 * The demo's operator: replays dead letters (marks old enough rows resolved, as a replay tool
 * does once the fixed projector took them) and prunes old events, orders and resolved dead
 * letters so that the embedded database, and the process, stay small however long it runs.
 */
export class DemoMaintenance extends EverySecond {
  constructor(private readonly db: DemoDb) {
    super();
  }

  /** Resolves the dead letters older than REPLAY_MIN_AGE_S; returns how many. */
  async replay(): Promise<number> {
    const r = await this.db.query<{ n: number }>(
      `WITH done AS (UPDATE demo_dead_letters SET resolved_at = now()
        WHERE resolved_at IS NULL AND dead_lettered_at < now() - make_interval(secs => $1) RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [REPLAY_MIN_AGE_S],
    );
    return r.rows[0]?.n ?? 0;
  }

  /** Keeps the newest KEEP_EVENTS events, orders of the last 20 minutes and unresolved or recent dead letters. */
  async prune(): Promise<void> {
    await this.db.query(`DELETE FROM emt_messages WHERE global_position <= (SELECT max(global_position) FROM emt_messages) - $1`, [KEEP_EVENTS]);
    await this.db.query(`DELETE FROM order_summary WHERE updated < now() - interval '20 minutes'`);
    await this.db.query(`DELETE FROM demo_dead_letters WHERE resolved_at < now() - interval '10 minutes'`);
    // One statement each: a multi-statement string is one transaction, where VACUUM cannot run.
    for (const t of ['emt_messages', 'order_summary', 'demo_dead_letters', 'emt_processors']) await this.db.exec(`VACUUM ${t}`);
  }

  protected async tick(elapsedMs: number): Promise<void> {
    const s = Math.floor(elapsedMs / 1000);
    if (replayDue(s)) await this.replay();
    if (pruneDue(s)) await this.prune();
  }
}
