import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Secret } from '../config/secret.js';
import type { SourceState } from '../scheduler/source-state.js';
import { VERSION } from '../version.js';
import { bearerAuth, UNAUTHORIZED_CHALLENGE } from './auth.js';
import { singleFlight } from './single-flight.js';
import { metricsRoute } from './metrics-route.js';
import { pathMatches, requestPath } from './request-path.js';
import { sendHtml, sendJson } from './respond.js';
import type { WatchedItem } from './watched.js';
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

/** A route's handler on node's plain request and response. */
type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * GET (and HEAD) /, /slo, /metrics, /healthz, /readyz, /api/status, /api/slos on node:http.
 * Behaves as the express 5 app it replaced: paths case-insensitive with one optional trailing
 * slash, query ignored, not percent-decoded; any other method or path is a 404 in JSON; JSON and
 * pages carry a weak ETag (304 on a match); an error is a 500 in JSON, never a stack trace.
 */
export async function startServer(opts: ServerOptions): Promise<HttpServer> {
  const authorized = bearerAuth(opts.bearerToken, new Set(['/healthz']));
  const metrics = metricsRoute({ registry: opts.registry, metricsCacheMs: opts.metricsCacheMs });
  const reports = singleFlight(opts.sloReport ?? (async (): Promise<SloReportResult> => ({ rows: [] })), opts.reportCacheMs ?? REPORT_CACHE_MS);
  const report = () => reports.get();
  // The pages' code is loaded on their first request: a monitor that nobody browses never loads it.
  const pages = lazy(() => Promise.all([import('./slo-page.js'), import('./landing-page.js')]));

  const routes: readonly (readonly [string, Handler])[] = [
    ['/healthz', (req, res) => sendJson(req, res, 200, { status: 'ok' })],
    [
      '/readyz',
      (req, res) => {
        const r = readiness(opts.states());
        sendJson(req, res, r.ready ? 200 : 503, { ready: r.ready, reasons: r.reasons });
      },
    ],
    ['/metrics', (req, res) => metrics.handle(req, res)],
    [
      '/api/status',
      (req, res) => {
        const states = opts.states();
        sendJson(req, res, 200, {
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
      },
    ],
    [
      '/api/slos',
      async (req, res) => {
        const r = await report();
        sendJson(req, res, 200, { slos: r.rows, note: r.note });
      },
    ],
    [
      '/slo',
      async (req, res) => {
        const r = await report();
        const [{ renderSloPage }] = await pages();
        sendHtml(req, res, renderSloPage(r.rows, { generatedAt: new Date(), note: r.note }));
      },
    ],
    [
      '/',
      async (req, res) => {
        const r = await report();
        const [, { renderLandingPage }] = await pages();
        sendHtml(
          req,
          res,
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
      },
    ],
  ];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    let path: string;
    try {
      path = requestPath(target);
    } catch {
      // A target node's URL parser refuses (`http://[bad`): express answered 404 without running
      // any middleware, the token check included; a 404 names nothing that exists.
      sendJson(req, res, 404, { error: 'not found', path: target });
      return;
    }
    if (!authorized(path, req.headers)) {
      res.setHeader('WWW-Authenticate', UNAUTHORIZED_CHALLENGE);
      sendJson(req, res, 401, { error: 'unauthorized' });
      return;
    }
    const route = req.method === 'GET' || req.method === 'HEAD' ? routes.find(([p]) => pathMatches(p, path)) : undefined;
    if (!route) {
      sendJson(req, res, 404, { error: 'not found', path });
      return;
    }
    await route[1](req, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      opts.logger.error({ err: (err as Error).message }, 'request failed');
      if (!res.headersSent) sendJson(req, res, 500, { error: 'internal error' });
      // Part of a body is out: only cutting the connection tells the client it is incomplete.
      else res.destroy();
    });
  });
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

/** Calls `load` once, on first use; a failed load is tried again next time. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load().catch((err: unknown) => {
      p = undefined;
      throw err;
    });
    return p;
  };
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
