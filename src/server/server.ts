import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Secret } from '../config/secret.js';
import type { SourceState } from '../scheduler/source-state.js';
import { VERSION } from '../version.js';
import { bearerAuth } from './auth.js';
import { singleFlight } from './single-flight.js';
import { metricsRoute } from './metrics-route.js';
import { renderSloPage } from './slo-page.js';
import { renderLandingPage, type WatchedItem } from './landing-page.js';
import type { SloReportResult } from '../report/slo-report.js';

export interface ServerOptions {
  readonly registry: Registry;
  readonly logger: Logger;
  readonly port: number;
  readonly address: string;
  readonly bearerToken?: Secret | undefined;
  /** Live source states (from the scheduler). */
  readonly states: () => SourceState[];
  readonly startedAt: number;
  /** Data of the executive SLO page. */
  readonly sloReport?: () => Promise<SloReportResult>;
  /**
   * How long one rendering of /metrics serves every scrape (default 1000 ms): concurrent and
   * following scrapes within the window get the same buffer. 0 renders per scrape (streamed).
   */
  readonly metricsCacheMs?: number;
  /** How long one SLO report (two Prometheus queries, plus coverage and history per distinct period) serves /slo and /api/slos (default 5000 ms). */
  readonly reportCacheMs?: number;
  /** What the configuration watches, for the landing page. */
  readonly watched?: () => readonly WatchedItem[];
}

export { METRICS_CACHE_MS, METRICS_WRITERS } from './metrics-route.js';
/** Default window of one SLO report: 5 s; the recording rules it reads move every 30 s or more. */
export const REPORT_CACHE_MS = 5000;

export interface HttpServer {
  readonly url: string;
  /** Renderings of /metrics and SLO reports produced so far (tests, benchmarks). */
  readonly stats: { readonly metricsRenders: number; readonly reports: number };
  close(): Promise<void>;
}

/** Pure: readiness from source states. Ready when every source has completed a cycle. */
export function readiness(states: readonly SourceState[]): { ready: boolean; reasons: string[] } {
  const reasons = states.filter((s) => !s.completedOnce).map((s) => `source ${s.name} has not completed a cycle yet`);
  return { ready: reasons.length === 0, reasons };
}

/** GET /metrics, /healthz, /readyz, /api/status. Unknown routes: 404 JSON. Never a stack trace. */
export async function startServer(opts: ServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(bearerAuth(opts.bearerToken, new Set(['/healthz'])));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    const r = readiness(opts.states());
    res.status(r.ready ? 200 : 503).json({ ready: r.ready, reasons: r.reasons });
  });
  const metrics = metricsRoute({ registry: opts.registry, metricsCacheMs: opts.metricsCacheMs });
  app.get('/metrics', (req, res) => metrics.handle(req, res));
  app.get('/api/status', (_req, res) => {
    const states = opts.states();
    res.json({
      version: VERSION,
      startedAt: new Date(opts.startedAt).toISOString(),
      ready: readiness(states).ready,
      sources: states.map((s) => ({
        ...s,
        lastStart: iso(s.lastStart),
        lastEnd: iso(s.lastEnd),
        lastSuccess: iso(s.lastSuccess),
        lastError: s.lastError ? { ...s.lastError, at: iso(s.lastError.at) } : undefined,
      })),
    });
  });
  const reports = singleFlight(opts.sloReport ?? (async (): Promise<SloReportResult> => ({ rows: [] })), opts.reportCacheMs ?? REPORT_CACHE_MS);
  const report = () => reports.get();
  app.get('/api/slos', async (_req, res) => {
    const r = await report();
    res.json({ slos: r.rows, note: r.note });
  });
  app.get('/slo', async (_req, res) => {
    const r = await report();
    res
      .type('html')
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(renderSloPage(r.rows, { generatedAt: new Date(), note: r.note }));
  });
  app.get('/', async (_req, res) => {
    const r = await report();
    res
      .type('html')
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(
        renderLandingPage({
          version: VERSION,
          startedAt: opts.startedAt,
          now: Date.now(),
          watched: opts.watched?.() ?? [],
          states: opts.states(),
          slos: r.rows,
          note: r.note,
        }),
      );
  });
  app.use((req, res) => {
    res.status(404).json({ error: 'not found', path: req.path });
  });
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    opts.logger.error({ err: (err as Error).message }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
  app.use(onError);

  const server: Server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.address, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    stats: {
      get metricsRenders() {
        return metrics.renders;
      },
      get reports() {
        return reports.calls;
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
