import { MetricsRegistry } from './metrics/metrics-registry.js';
import type { Logger } from 'pino';
import type { Config } from './config/schema/index.js';
import { createMetrics, type Metrics } from './metrics/create-metrics.js';
import { SliBoard } from './core/sli-board.js';
import { systemClock, type Clock } from './core/units.js';
import { buildSources } from './sources/build.js';
import type { Source } from './sources/source.js';
import { Scheduler } from './scheduler/scheduler.js';
import { startServer } from './server/server.js';
import { sloReportSource } from './server/slo-report-source.js';
import { watchedInventory } from './server/landing-page.js';
import { startTracing } from './telemetry/tracing.js';
import { applyHeapGrowth } from './runtime/heap-growth.js';
import { createLogger } from './telemetry/logger.js';
import { VERSION } from './version.js';
import type { PgliteLike } from './sources/sql/index.js';
import { DEMO_PGLITE_DIR } from './demo/demo-db.js';
import type { Demo } from './demo/index.js';

export interface App {
  readonly url: string;
  readonly registry: MetricsRegistry;
  readonly metrics: Metrics;
  readonly board: SliBoard;
  readonly scheduler: Scheduler;
  readonly sources: readonly Source[];
  /** The embedded demo, when `demo.enabled`. */
  readonly demo?: Demo | undefined;
  /** Stops the schedule (bounded by server.shutdownTimeout), the server and telemetry. */
  stop(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  clock?: Clock;
  /** Extra sources (tests, embedded demo). */
  extraSources?: (deps: { metrics: Metrics; logger: Logger; clock: Clock; board: SliBoard }) => Source[];
  /** Process metrics on /metrics (default true). */
  processMetrics?: boolean;
}

/** Wires config -> sources -> scheduler -> registry -> HTTP server, and starts them. */
export async function startApp(config: Config, opts: AppOptions = {}): Promise<App> {
  applyHeapGrowth(config.runtime.heapGrowthPercent);
  const logger = opts.logger ?? createLogger(config.telemetry.logLevel);
  const clock = opts.clock ?? systemClock;
  const registry = new MetricsRegistry();
  const metrics = createMetrics(registry, { processMetrics: opts.processMetrics ?? true });
  metrics.monitor.buildInfo.set({ version: VERSION, node: process.version }, 1);
  const board = new SliBoard();
  const tracing = await startTracing({ endpoint: config.telemetry.otlpEndpoint, serviceName: config.telemetry.serviceName, version: VERSION });
  const deps = { metrics, logger, clock, board };
  // The embedded demo shares its in-process PGlite with stores whose connection is `pglite: demo://`.
  const demo = config.demo?.enabled ? await (await import('./demo/index.js')).startDemo() : undefined;
  if (demo) logger.info({ store: DEMO_PGLITE_DIR, projectors: demo.projectors.map((p) => p.profile.name) }, 'embedded demo started');
  const sql = { pglite: (dir: string) => (dir === DEMO_PGLITE_DIR ? (demo?.db as unknown as PgliteLike | undefined) : undefined) };
  const sources = [...buildSources(config, deps, { sql }), ...(opts.extraSources?.(deps) ?? [])];
  const scheduler = new Scheduler({ sources, metrics, logger, tracer: tracing.tracer, clock });
  const startedAt = clock();
  const server = await startServer({
    registry,
    logger,
    port: config.server.port,
    address: config.server.address,
    bearerToken: config.server.bearerToken,
    states: () => scheduler.states(),
    startedAt,
    sloReport: sloReportSource(config, metrics, startedAt, clock),
    watched: watchedInventory(config),
  });
  scheduler.start();
  logger.info({ url: server.url, sources: sources.map((s) => s.name), tracing: tracing.enabled }, 'cqrs-slo started');
  if (sources.length === 0) {
    logger.warn('no sources configured: add clusters, stores, streams or dlqs to the config (see config/example.yaml), or enable the demo (demo: {enabled: true})');
  }
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    registry,
    metrics,
    board,
    scheduler,
    sources,
    demo,
    stop: () =>
      (stopped ??= (async () => {
        await scheduler.stop(config.server.shutdownTimeout);
        await demo?.stop();
        await server.close();
        await tracing.shutdown();
        logger.info('cqrs-slo stopped');
      })()),
  };
}
