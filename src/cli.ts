import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from './config/load.js';
import { ConfigError } from './config/config-error.js';
import { checkReferences, checkWatchesSomething } from './config/references.js';
import type { Config } from './config/schema/index.js';
import { registerGenerateCommand } from './generate/command.js';
import { registerReportCommand } from './report/command.js';
import { registerVerifyCommand } from './verify/command.js';
import { VERSION } from './version.js';

const DEFAULT_CONFIG = 'config/default.yaml';

/** Exit codes: 0 ok, 1 runtime failure, 2 bad configuration or usage. */
export const EXIT = { ok: 0, failure: 1, config: 2 } as const;

/** `-p` must be a whole port number; commander turns the error into exit 2 with this message. */
function parsePort(value: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('must be a port number 0-65535.');
  return Number(value);
}

/**
 * Loads a config for the service: the schema, the references between sections, and that there
 * is something to watch (a monitor of nothing would report ready and stay silent).
 */
export function loadForRun(file: string): Config {
  const config = loadConfig(file);
  checkReferences(config, file);
  checkWatchesSomething(config, file);
  return config;
}

/** loadForRun, exiting 2 with the issues when the configuration is invalid. */
function load(file: string): Config {
  try {
    return loadForRun(file);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`invalid configuration:\n${err.message}\n`);
      process.exit(EXIT.config);
    }
    throw err;
  }
}

export function buildCli(): Command {
  const program = new Command('cqrs-slo').description('Observability and SLO monitoring for CQRS pipelines').version(VERSION).exitOverride();

  program
    .command('run')
    .description('Run the monitor: collect, serve /metrics, /healthz, /readyz, /api/status')
    .option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('-p, --port <port>', 'override server.port', parsePort)
    .action(async (opts: { config: string; port?: number }) => {
      // Command-line overrides apply to every load, so that a reload does not see them as changes.
      const withOverrides = (config: Config): Config => {
        if (opts.port !== undefined) config.server.port = opts.port;
        return config;
      };
      const config = withOverrides(load(opts.config));
      const { runService } = await import('./run.js');
      await runService(config, { configFile: opts.config, load: (file) => withOverrides(loadForRun(file)) });
    });

  program
    .command('validate')
    .description('Check a configuration file without starting anything (exit 2 when invalid)')
    .option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--scrape-interval <duration>', "Prometheus' scrape interval the rules will run at (overrides alerting.scrapeInterval)")
    .action(async (opts: { config: string; scrapeInterval?: string }) => {
      const c = load(opts.config);
      // The generators are imported only for the commands that use them: `run` does not load them.
      const { checkAlerting, parseScrapeInterval } = await import('./generate/check.js');
      const { GenerateError } = await import('./generate/errors.js');
      try {
        for (const note of checkAlerting(c, parseScrapeInterval(opts.scrapeInterval))) process.stderr.write(`note: ${note}\n`);
      } catch (err) {
        if (!(err instanceof GenerateError)) throw err;
        process.stderr.write(`invalid configuration:\n${opts.config}: ${err.message}\n`);
        process.exit(EXIT.config);
      }
      process.stdout.write(
        `${opts.config}: ok (${c.clusters.length} clusters, ${c.stores.length} stores, ${c.streams.length} streams, ${c.dlqs.length} dlqs, ${c.slos.length} slos)\n`,
      );
    });

  program
    .command('workload')
    .description('Run the live demo workload against the Kafka cluster and PostgreSQL store of a config (docker-compose.yml)')
    .option('-c, --config <file>', 'configuration file (its first stream, Kafka DLQ and emmett store are used)', DEFAULT_CONFIG)
    .option('--rate <n>', 'events appended per second outside bursts', (v) => Number.parseInt(v, 10), 20)
    .option('--alert-port <port>', 'port of the Alertmanager webhook receiver (/page, /ticket); -1 for none', (v) => Number.parseInt(v, 10), 9095)
    .action(async (opts: { config: string; rate: number; alertPort: number }) => {
      const config = load(opts.config);
      if (!(opts.rate > 0)) throw new ConfigError(opts.config, [{ path: '', message: `--rate must be a positive integer, got ${opts.rate}` }]);
      const { runWorkload } = await import('./workload/run.js');
      await runWorkload(config, opts.config, { rate: opts.rate, ...(opts.alertPort >= 0 ? { alertPort: opts.alertPort } : {}) });
    });

  registerGenerateCommand(program);
  registerReportCommand(program);
  registerVerifyCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.config);
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`invalid configuration:\n${err.message}\n`);
      process.exit(EXIT.config);
    }
    process.stderr.write(`cqrs-slo: ${(err as Error).message}\n`);
    process.exit(EXIT.failure);
  }
}
