import type { ScheduledTask } from 'node-cron';
import { nodeCron } from '../runtime/node-cron.js';
import type { Logger } from 'pino';
import type { Config } from '../config/schema/index.js';
import type { Metrics } from '../metrics/create-metrics.js';
import { runReport, type ReportRun } from './run-report.js';

export interface ReportSchedule {
  /** Stops the schedule and waits for a running report to settle. */
  stop(): Promise<void>;
}

/**
 * Runs `runReport` on `reports.schedule` (node-cron, in `reports.timezone`), each report for the
 * periods ending at the minute it fired. A run still going when the next fires is skipped
 * (node-cron's noOverlap); a failed run is logged and counted, and the schedule keeps going.
 */
export function startReportSchedule(
  config: Config,
  deps: { metrics: Metrics; logger: Logger; clock?: () => number; onRun?: (run: ReportRun) => void },
): ReportSchedule | undefined {
  const r = config.reports;
  if (!r) return undefined;
  const clock = deps.clock ?? Date.now;
  let running: Promise<unknown> | undefined;
  const task: ScheduledTask = nodeCron().createTask(
    r.schedule,
    async (ctx) => {
      const run = (async () => {
        // The firing time, whole seconds: a report is for the periods ending when it was due.
        const at = Math.floor(ctx.date.getTime() / 1000);
        const result = await runReport(config, { at, metrics: deps.metrics, clock });
        if (result.result === 'success') deps.logger.info({ files: result.files }, 'SLO report written');
        else deps.logger.warn({ result: result.result, reason: result.reason, files: result.files }, 'SLO report run did not succeed');
        deps.onRun?.(result);
      })();
      running = run;
      await run.catch((err: unknown) => deps.logger.error({ err: (err as Error).message }, 'SLO report run failed'));
    },
    {
      timezone: r.timezone,
      noOverlap: true,
      name: 'slo-report',
      // node-cron's own notes (a missed or overlapping run) go to our JSON log, not the console.
      logger: {
        info: (m) => deps.logger.debug(m),
        warn: (m) => deps.logger.warn(m),
        error: (m) => deps.logger.error(String(m)),
        debug: (m) => deps.logger.debug(String(m)),
      },
    },
  );
  task.start();
  deps.logger.info({ schedule: r.schedule, timezone: r.timezone, next: task.getNextRun()?.toISOString() }, 'SLO reports scheduled');
  return {
    async stop() {
      await task.stop();
      await task.destroy();
      await running?.catch(() => undefined);
    },
  };
}
