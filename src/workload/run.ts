import type { Config } from '../config/schema/index.js';
import { createLogger } from '../telemetry/logger.js';
import { startWorkload } from './index.js';

/** Runs the workload until SIGTERM/SIGINT. Start-up failures (broker or database not up yet) are retried. */
export async function runWorkload(config: Config, file: string, opts: { rate: number; alertPort?: number }): Promise<void> {
  const logger = createLogger(config.telemetry.logLevel).child({ component: 'workload' });
  let stopping = false;
  let stop: (() => Promise<void>) | undefined;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 15_000).unref();
    void (stop?.() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  for (let attempt = 1; !stopping; attempt++) {
    try {
      const w = await startWorkload(config, file, { logger, rate: opts.rate, ...(opts.alertPort !== undefined ? { alertPort: opts.alertPort } : {}) });
      stop = () => w.stop();
      return;
    } catch (err) {
      if ((err as Error).name === 'ConfigError') throw err;
      logger.warn({ err: (err as Error).message, attempt }, 'workload could not start, retrying in 5 s');
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
}
