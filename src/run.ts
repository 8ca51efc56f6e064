import type { Config } from './config/schema/index.js';
import { ConfigError } from './config/config-error.js';
import { startApp } from './app.js';
import { createLogger } from './telemetry/logger.js';

export interface RunOptions {
  /** The configuration file, re-read on SIGHUP. */
  readonly configFile?: string;
  /** Loads and checks a configuration (throws ConfigError); the CLI's loader. */
  readonly load?: (file: string) => Config;
}

/**
 * Runs the service until SIGTERM/SIGINT, then exits 0 within server.shutdownTimeout: running
 * cycles get the time but a reserve, are then aborted, and whatever still hangs when the time
 * is up is abandoned by exiting (0: the stop was asked for and is complete from the outside).
 * SIGHUP re-reads the configuration file as Prometheus does: an invalid file is logged and
 * counted and the running configuration stays; a valid one is applied (App.reload).
 */
export async function runService(config: Config, opts: RunOptions = {}): Promise<void> {
  const logger = createLogger(config.telemetry.logLevel);
  process.on('unhandledRejection', (reason) => {
    // A bug in a source must not take the monitor down; it is logged and the cycle counted.
    logger.error({ err: reason instanceof Error ? reason.message : String(reason) }, 'unhandled rejection');
  });
  // Registered before start-up: SIGHUP's default action would kill the process.
  let started = false;
  process.on('SIGHUP', () => {
    if (!started) logger.warn('SIGHUP during start-up ignored');
    else onHangup();
  });
  const app = await startApp(config, { logger });
  started = true;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const limit = app.config.server.shutdownTimeout;
    logger.info({ signal, shutdownTimeout: limit }, 'shutting down');
    setTimeout(() => {
      logger.warn({ shutdownTimeout: limit }, 'shutdown timeout reached: exiting with work still open');
      process.exit(0);
    }, limit * 1000).unref();
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

  // One reload at a time; a SIGHUP during a reload runs one more after it.
  let reloading: Promise<void> | undefined;
  let again = false;
  const reload = async (): Promise<void> => {
    const file = opts.configFile;
    if (!file || !opts.load) {
      logger.warn('SIGHUP: no configuration file to reload');
      return;
    }
    let next: Config;
    try {
      next = opts.load(file);
    } catch (err) {
      app.reloadFailed();
      const issues = err instanceof ConfigError ? err.issues.map((i) => `${i.path ? `${i.path}: ` : ''}${i.message}`) : [(err as Error).message];
      logger.error({ file, issues }, 'configuration reload failed: keeping the running configuration');
      return;
    }
    try {
      const r = await app.reload(next);
      logger.info({ file, added: r.added, removed: r.removed, kept: r.kept.length }, 'configuration reloaded');
      if (r.restartNeeded.length > 0) logger.warn({ sections: r.restartNeeded }, 'changed sections take effect after a restart');
    } catch (err) {
      app.reloadFailed();
      logger.error({ file, err: (err as Error).message }, 'configuration reload failed while applying it');
    }
  };
  const onHangup = (): void => {
    if (stopping) return;
    if (reloading) {
      again = true;
      return;
    }
    reloading = (async () => {
      do {
        again = false;
        await reload();
      } while (again && !stopping);
      reloading = undefined;
    })();
  };
}
