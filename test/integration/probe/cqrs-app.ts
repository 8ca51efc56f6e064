import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * A small real CQRS app on PostgreSQL for the probe tests: POST /orders appends an event to
 * `events` (the write model), a projector copies new events to the `order_view` read model every
 * 100 ms, GET /orders/:id reads the read model (404 until projected), DELETE /orders/:id removes
 * the order from both. The projector can be paused and resumed; GETs can be made to fail.
 */
export class CqrsApp {
  readonly pool: pg.Pool;
  readonly #server: Server;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  paused = false;
  failQueries = false;
  /** When each order's event was committed (epoch ms), by order id. */
  readonly postedAt = new Map<string, number>();
  deletes = 0;

  private constructor(url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 8 });
    this.pool.on('error', () => undefined);
    this.#server = createServer((req, res) => {
      this.#handle(req.method ?? '', req.url ?? '', req).then(
        ({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(body === undefined ? undefined : JSON.stringify(body));
        },
        (err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        },
      );
    });
  }

  static async start(url: string): Promise<CqrsApp> {
    const app = new CqrsApp(url);
    await app.pool.query(`
      CREATE TABLE IF NOT EXISTS events (seq bigserial PRIMARY KEY, order_id text NOT NULL, amount int NOT NULL, at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE IF NOT EXISTS order_view (order_id text PRIMARY KEY, amount int NOT NULL, projected_at timestamptz NOT NULL);`);
    await new Promise<void>((r) => app.#server.listen(0, '127.0.0.1', r));
    app.#timer = setInterval(() => {
      if (app.paused || app.#running) return;
      app.#running = app.#project().finally(() => (app.#running = undefined));
    }, 100);
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /**
   * Copies the events not yet in the read model (no checkpoint: a sequence committed out of
   * order would be skipped by one, and the tests would measure that instead of the pause).
   */
  async #project(): Promise<void> {
    await this.pool
      .query(
        `INSERT INTO order_view SELECT e.order_id, e.amount, now() FROM events e WHERE NOT EXISTS (SELECT 1 FROM order_view v WHERE v.order_id = e.order_id) ON CONFLICT (order_id) DO NOTHING`,
      )
      .catch(() => undefined);
  }

  async #handle(method: string, url: string, req: NodeJS.ReadableStream): Promise<{ status: number; body?: unknown }> {
    const m = /^\/orders(?:\/([A-Za-z0-9-]+))?$/.exec(url);
    if (!m) return { status: 404 };
    if (method === 'POST' && !m[1]) {
      let text = '';
      for await (const chunk of req) text += String(chunk);
      const { id, amount } = JSON.parse(text) as { id: string; amount: number };
      await this.pool.query('INSERT INTO events (order_id, amount) VALUES ($1, $2)', [id, amount]);
      this.postedAt.set(id, Date.now());
      return { status: 201, body: { id } };
    }
    if (method === 'GET' && m[1]) {
      if (this.failQueries) return { status: 503, body: { error: 'read model unavailable' } };
      const r = await this.pool.query('SELECT order_id, amount FROM order_view WHERE order_id = $1', [m[1]]);
      return r.rows.length === 0
        ? { status: 404, body: { error: 'not found' } }
        : { status: 200, body: { order: { id: r.rows[0].order_id, amount: r.rows[0].amount } } };
    }
    if (method === 'DELETE' && m[1]) {
      this.deletes++;
      await this.pool.query('WITH a AS (DELETE FROM events WHERE order_id = $1) DELETE FROM order_view WHERE order_id = $1', [m[1]]);
      return { status: 204 };
    }
    return { status: 405 };
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    await new Promise<void>((r) => this.#server.close(() => r()));
    await this.pool.end();
  }
}
