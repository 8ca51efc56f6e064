import type { Config } from './config/schema/index.js';
import { startApp } from './app.js';
import { createLogger } from './telemetry/logger.js';

/**
 * Runs the service until SIGTERM/SIGINT, then stops within server.shutdownTimeout (+5 s hard
 * bound) and exits 0.
 */
export async function runService(config: Config): Promise<void> {
  const logger = createLogger(config.telemetry.logLevel);
  process.on('unhandledRejection', (reason) => {
    // A bug in a source must not take the monitor down; it is logged and the cycle counted.
    logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection');
  });
  const app = await startApp(config, { logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long, exiting');
      process.exit(1);
    }, (config.server.shutdownTimeout + 5) * 1000).unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
