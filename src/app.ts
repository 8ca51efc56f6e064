import { MetricsRegistry } from './metrics/metrics-registry.js';
import type { Logger } from 'pino';
import type { Config } from './config/schema/index.js';
import { createMetrics, type Metrics } from './metrics/create-metrics.js';
import { SliBoard } from './core/sli-board.js';
import { systemClock, type Clock } from './core/units.js';
import { buildSources } from './build-sources.js';
import type { Source } from './sources/source.js';
import { Scheduler } from './scheduler/scheduler.js';
import { startServer } from './server/server.js';
import { sloReportSource } from './sources/slo-report/report-source.js';
import { sloReportFrom } from './report/slo-report.js';
import { watchedInventory } from './server/watched.js';
import { startTracing } from './telemetry/tracing.js';
import { applyHeapGrowth } from './runtime/heap-growth.js';
import { createLogger } from './telemetry/logger.js';
import { VERSION } from './version.js';
import { sourceKeys } from './config/source-keys.js';
import { fingerprint } from './config/fingerprint.js';
import type { PgliteLike } from './sources/sql/index.js';
import { DEMO_PGLITE_DIR } from './demo/demo-db.js';
import type { Demo } from './demo/index.js';

export interface App {
  readonly url: string;
  readonly registry: MetricsRegistry;
  readonly metrics: Metrics;
  readonly board: SliBoard;
  readonly scheduler: Scheduler;
  /** The sources now scheduled (they change on reload). */
  readonly sources: readonly Source[];
  /** The configuration in force. */
  readonly config: Config;
  /** The embedded demo, when `demo.enabled`. */
  readonly demo?: Demo | undefined;
  /**
   * Applies a configuration already validated (SIGHUP): sources whose configuration is
   * unchanged are kept as they are, the others are retired or built; the SLO page reads the new
   * SLOs and server.shutdownTimeout apply at once. Sections read only at start-up (the rest of
   * server, telemetry, runtime, demo) keep their values until a restart; their names are
   * returned in `restartNeeded`.
   */
  reload(config: Config): Promise<ReloadSummary>;
  /** Records a reload that was refused (invalid configuration): the current one stays. */
  reloadFailed(): void;
  /**
   * Stops within server.shutdownTimeout: running cycles get the time but a reserve for closing,
   * then are aborted (sockets and pending connects cut); then the server and telemetry stop.
   */
  stop(): Promise<void>;
}

export interface ReloadSummary {
  readonly added: string[];
  readonly removed: string[];
  readonly kept: string[];
  /** Changed sections that take effect only after a restart. */
  readonly restartNeeded: string[];
}

/** Seconds of server.shutdownTimeout kept for closing sources and the server: min(2 s, half). */
export function shutdownReserve(shutdownTimeout: number): number {
  return Math.min(2, shutdownTimeout / 2);
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
  const extra = opts.extraSources?.(deps) ?? [];
  let sources: readonly Source[] = [...(await buildSources(config, deps, { sql })), ...extra];
  let current = config;
  const startedAt = clock();
  let report = sloReportFrom(current.slos, sloReportSource(current, metrics, startedAt, clock));
  const scheduler = new Scheduler({ sources, metrics, logger, tracer: tracing.tracer, clock });
  metrics.monitor.configLastReloadSuccessful.set(1);
  metrics.monitor.configLastReloadSuccessTime.set(startedAt / 1000);
  const server = await startServer({
    registry,
    logger,
    port: config.server.port,
    address: config.server.address,
    bearerToken: config.server.bearerToken,
    states: () => scheduler.states(),
    startedAt,
    sloReport: () => report(),
    watched: () => watchedInventory(current),
  });
  scheduler.start();
  // Scheduled SLO reports (docs/reports.md): read at start-up, like server and telemetry.
  // Loaded only when configured: the report writers and node-cron are not needed otherwise.
  const reports = config.reports ? (await import('./report/schedule.js')).startReportSchedule(config, { metrics, logger }) : undefined;
  logger.info({ url: server.url, sources: sources.map((s) => s.name), tracing: tracing.enabled }, 'cqrs-slo started');
  if (sources.length === 0) {
    logger.warn(
      'no sources configured: add clusters, stores, streams or dlqs to the config (see config/example.yaml), or enable the demo (demo: {enabled: true})',
    );
  }
  let stopped: Promise<void> | undefined;
  return {
    url: server.url,
    registry,
    metrics,
    board,
    scheduler,
    get sources() {
      return sources;
    },
    get config() {
      return current;
    },
    demo,
    async reload(next: Config): Promise<ReloadSummary> {
      const before = sourceKeys(current);
      const after = sourceKeys(next);
      const unchanged = (name: string) => after.has(name) && before.get(name) === after.get(name);
      const built = await buildSources(next, deps, { sql, only: (name) => !unchanged(name) });
      const kept = sources.filter((s) => extra.includes(s) || unchanged(s.name));
      const summary = await scheduler.replace([...kept, ...built]);
      sources = [...kept, ...built];
      const restartNeeded = (['server', 'telemetry', 'runtime', 'demo', 'reports'] as const).filter((k) =>
        k === 'server'
          ? fingerprint({ ...current.server, shutdownTimeout: 0 }) !== fingerprint({ ...next.server, shutdownTimeout: 0 })
          : fingerprint(current[k]) !== fingerprint(next[k]),
      );
      current = next;
      report = sloReportFrom(current.slos, sloReportSource(current, metrics, startedAt, clock));
      metrics.monitor.configLastReloadSuccessful.set(1);
      metrics.monitor.configLastReloadSuccessTime.set(clock() / 1000);
      metrics.monitor.configReloads.inc({ result: 'success' });
      return { ...summary, restartNeeded };
    },
    reloadFailed() {
      metrics.monitor.configLastReloadSuccessful.set(0);
      metrics.monitor.configReloads.inc({ result: 'failure' });
    },
    stop: () =>
      (stopped ??= (async () => {
        const limit = current.server.shutdownTimeout;
        await reports?.stop();
        await scheduler.stop(limit - shutdownReserve(limit));
        await demo?.stop();
        await server.close();
        await tracing.shutdown();
        logger.info('cqrs-slo stopped');
      })()),
  };
}
