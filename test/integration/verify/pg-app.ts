import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * A small CQRS application on the real PostgreSQL for the verify tests: a writer appending
 * versioned events, a projector applying them to a read model and moving its checkpoint,
 * and an HTTP control endpoint (POST /pause, /resume, /rebuild) the CLI's hooks call.
 */
export const APP_SCHEMA = `
CREATE TABLE events (position bigserial PRIMARY KEY, id text NOT NULL, aggregate_id text NOT NULL, version int NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(), recorded_at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE TABLE checkpoints (name text PRIMARY KEY, position bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE read_model (aggregate_id text PRIMARY KEY, version int NOT NULL, events int NOT NULL);
INSERT INTO checkpoints (name, position) VALUES ('orders', 0);`;

export const CHECKSUM_SQL = `select md5(coalesce(string_agg(aggregate_id || ':' || version || ':' || events, ',' order by aggregate_id), '')) from read_model`;

/** The store and stream sections of the config for this application (connection by env reference). */
export function appConfig(envRef: string): string {
  return `stores:
  - name: app
    connection: { connectionString: "env:${envRef}" }
    preset: generic
    projectionList: [orders]
    generic:
      head: "select position, recorded_at as timestamp from events order by position desc limit 1"
      checkpoint: "select position, updated_at from checkpoints where name = $1"
      eventTime: "select recorded_at as timestamp from events where position > $1 order by position limit 1"
streams:
  - kind: sql
    name: events
    store: app
    settle: 1s
    outbox: { table: events, position: position, eventId: id, aggregateId: aggregate_id, version: version, occurredAt: occurred_at, recordedAt: recorded_at }
`;
}

export class PgApp {
  readonly pool: pg.Pool;
  paused = false;
  /** Events applied per projector step (every 100 ms). */
  batch = 200;
  /** A rebuild that forgets every third event (the "changed read model" case). */
  buggyRebuild = false;
  #seq = 0;
  readonly #versions = new Map<string, number>();
  #timers: NodeJS.Timeout[] = [];
  #server: Server | undefined;
  #busy = false;
  #writes: Promise<void> = Promise.resolve();
  readonly calls: string[] = [];

  constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 3 });
    this.pool.on('error', () => undefined);
  }

  /** Appends one event per aggregate for `aggregates` aggregates. */
  async write(aggregates: number): Promise<void> {
    const rows: [string, string, number][] = [];
    for (let a = 0; a < aggregates; a++) {
      const agg = `a${a}`;
      const v = (this.#versions.get(agg) ?? 0) + 1;
      this.#versions.set(agg, v);
      rows.push([`e${++this.#seq}`, agg, v]);
    }
    await this.insert(rows);
  }

  /** Inserts in the order called, one statement at a time: versions of an aggregate never commit out of order. */
  insert(rows: [id: string, aggregate: string, version: number][]): Promise<void> {
    const values = rows.map((_, i) => `($${i * 3 + 1}, $${i * 3 + 2}, $${i * 3 + 3})`).join(', ');
    const run = this.#writes.then(() => this.pool.query(`INSERT INTO events (id, aggregate_id, version) VALUES ${values}`, rows.flat()));
    this.#writes = run.then(
      () => undefined,
      () => undefined,
    );
    return run.then(() => undefined);
  }

  /** The ids of the last `n` events written again, on new aggregates (n duplicates, no gap). */
  duplicateLast(n: number): Promise<void> {
    const rows: [string, string, number][] = [];
    for (let k = 0; k < n; k++) rows.push([`e${this.#seq - k}`, `dup${k}`, 1]);
    return this.insert(rows);
  }

  /** A version skipped ahead by `skip` on aggregate a0 (that many events lost), as the next write of a0. */
  skipVersions(skip: number): void {
    this.#versions.set('a0', (this.#versions.get('a0') ?? 0) + skip);
  }

  /** One projector step: apply up to `batch` events after the checkpoint, in one transaction. */
  async step(): Promise<void> {
    if (this.paused || this.#busy) return;
    this.#busy = true;
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const cp = Number((await c.query(`SELECT position FROM checkpoints WHERE name = 'orders' FOR UPDATE`)).rows[0].position);
      const ev = await c.query('SELECT position, aggregate_id, version FROM events WHERE position > $1 ORDER BY position LIMIT $2', [cp, this.batch]);
      for (const e of ev.rows) {
        if (this.buggyRebuild && Number(e.position) % 3 === 0) continue;
        await c.query(
          `INSERT INTO read_model (aggregate_id, version, events) VALUES ($1, $2, 1)
           ON CONFLICT (aggregate_id) DO UPDATE SET version = EXCLUDED.version, events = read_model.events + 1`,
          [e.aggregate_id, e.version],
        );
      }
      if (ev.rows.length > 0)
        await c.query(`UPDATE checkpoints SET position = $1, updated_at = now() WHERE name = 'orders'`, [ev.rows[ev.rows.length - 1].position]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
      this.#busy = false;
    }
  }

  /** Resets the checkpoint and empties the read model: the projector replays everything. */
  async resetForRebuild(): Promise<void> {
    await this.pool.query(`BEGIN; DELETE FROM read_model; UPDATE checkpoints SET position = 0, updated_at = now() WHERE name = 'orders'; COMMIT`);
  }

  startProjector(): void {
    this.#timers.push(setInterval(() => void this.step().catch(() => undefined), 100));
  }

  /** Writes `aggregates` events every 100 ms. */
  startWriter(aggregates: number): void {
    this.#timers.push(setInterval(() => void this.write(aggregates).catch(() => undefined), 100));
  }

  stopLoops(): void {
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  /** The control endpoint; `onPause` runs when the pause hook is called (to inject events). Returns its base URL. */
  async serve(onPause?: () => Promise<void>): Promise<string> {
    this.#server = createServer((req, res) => {
      const path = req.url ?? '';
      this.calls.push(`${req.method} ${path}`);
      const done = (code: number) => res.writeHead(code).end();
      if (req.method !== 'POST') return done(405);
      if (path === '/pause') {
        this.paused = true;
        void (onPause ? onPause() : Promise.resolve()).then(
          () => done(204),
          () => done(500),
        );
      } else if (path === '/resume') {
        this.paused = false;
        done(204);
      } else if (path === '/rebuild')
        void this.resetForRebuild().then(
          () => done(204),
          () => done(500),
        );
      else done(404);
    });
    await new Promise<void>((r) => this.#server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Waits until the projector has applied everything written so far. */
  async caughtUp(ms = 20_000): Promise<void> {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const r = await this.pool.query(
        `SELECT (SELECT coalesce(max(position), 0) FROM events) AS head, (SELECT position FROM checkpoints WHERE name = 'orders') AS cp`,
      );
      if (Number(r.rows[0].head) === Number(r.rows[0].cp)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('projector did not catch up');
  }

  async close(): Promise<void> {
    this.stopLoops();
    await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
    while (this.#busy) await new Promise((r) => setTimeout(r, 20));
    await this.pool.end();
  }
}
