import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { gzipExposition, plainExposition } from '../metrics/exposition.js';
import { MetricsRegistry } from '../metrics/metrics-registry.js';
import { singleFlight } from './single-flight.js';

export interface MetricsRouteOptions {
  readonly registry: Registry;
  /**
   * How long one rendering of /metrics serves every scrape (default 1000 ms): concurrent and
   * following scrapes within the window get the same buffer. 0 renders per scrape (streamed).
   */
  readonly metricsCacheMs?: number;
}

/** The /metrics handler on node's plain request/response, and how many renderings it made. */
export interface MetricsRoute {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Renderings of /metrics produced so far (tests, benchmarks). */
  readonly renders: number;
}

/** /metrics responses written at the same time; the rest queue (scrape storms). */
export const METRICS_WRITERS = 8;

/** Default window of one /metrics rendering: 1 s, below any sensible scrape interval. */
export const METRICS_CACHE_MS = 1000;

/**
 * GET /metrics: one rendering per window and encoding, shared by every scraper. The gzip body
 * is compressed while it is rendered; the plain text is made only when a scraper asks for it.
 */
export function metricsRoute(opts: MetricsRouteOptions): MetricsRoute {
  const metricsCacheMs = opts.metricsCacheMs ?? METRICS_CACHE_MS;
  const gzipped = singleFlight(() => gzipExposition(opts.registry), metricsCacheMs);
  const plain = singleFlight(() => plainExposition(opts.registry), metricsCacheMs);
  // Responses of /metrics being written at once; the others wait their turn. A thousand large
  // writes at once make every turn of the event loop long, and /healthz waits behind them.
  const writing = new Semaphore(METRICS_WRITERS);
  return {
    async handle(req, res) {
      res.setHeader('Content-Type', opts.registry.contentType);
      if (metricsCacheMs > 0) {
        // One rendering (and one gzip, as Prometheus asks for) per window, shared by every
        // scraper: a storm costs one rendering and no copy per scraper.
        const gz = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        const body = await (gz ? gzipped : plain).get();
        await writing.run(
          () =>
            new Promise<void>((resolve) => {
              res.once('close', resolve);
              res.setHeader('Vary', 'Accept-Encoding');
              if (gz) res.setHeader('Content-Encoding', 'gzip');
              res.end(body);
            }),
        );
        return;
      }
      if (!(opts.registry instanceof MetricsRegistry)) {
        res.end(await opts.registry.metrics());
        return;
      }
      // Written as rendered: 10^5 series never become one string plus one buffer of the same size.
      for await (const chunk of opts.registry.stream()) {
        if (res.destroyed) return;
        if (!res.write(chunk)) await drained(res);
      }
      res.end();
    },
    get renders() {
      return gzipped.calls + plain.calls;
    },
  };
}

/** Resolves when the response can take more data, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/** At most `n` tasks at a time, in arrival order. */
class Semaphore {
  #free: number;
  readonly #queue: (() => void)[] = [];
  constructor(n: number) {
    this.#free = n;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((r) => this.#queue.push(r));
    try {
      return await task();
    } finally {
      const next = this.#queue.shift();
      if (next) next();
      else this.#free++;
    }
  }
}
