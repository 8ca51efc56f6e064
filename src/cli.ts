import { Command, CommanderError } from 'commander';
import { loadConfig } from './config/load.js';
import { ConfigError } from './config/config-error.js';
import { checkReferences } from './config/references.js';
import type { Config } from './config/schema/index.js';
import { registerGenerateCommand } from './generate/command.js';
import { checkAlerting, parseScrapeInterval } from './generate/check.js';
import { GenerateError } from './generate/errors.js';
import { VERSION } from './version.js';

const DEFAULT_CONFIG = 'config/default.yaml';

/** Exit codes: 0 ok, 1 runtime failure, 2 bad configuration or usage. */
export const EXIT = { ok: 0, failure: 1, config: 2 } as const;

/** Loads a config for the service: the schema, then the references between sections. */
function load(file: string): Config {
  try {
    const config = loadConfig(file);
    checkReferences(config, file);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`invalid configuration:\n${err.message}\n`);
      process.exit(EXIT.config);
    }
    throw err;
  }
}

export function buildCli(): Command {
  const program = new Command('cqrs-slo')
    .description('Observability and SLO monitoring for CQRS pipelines')
    .version(VERSION)
    .exitOverride();

  program
    .command('run')
    .description('Run the monitor: collect, serve /metrics, /healthz, /readyz, /api/status')
    .option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('-p, --port <port>', 'override server.port', (v) => Number.parseInt(v, 10))
    .action(async (opts: { config: string; port?: number }) => {
      const config = load(opts.config);
      if (opts.port !== undefined) config.server.port = opts.port;
      const { runService } = await import('./run.js');
      await runService(config);
    });

  program
    .command('validate')
    .description('Check a configuration file without starting anything (exit 2 when invalid)')
    .option('-c, --config <file>', 'configuration file', DEFAULT_CONFIG)
    .option('--scrape-interval <duration>', "Prometheus' scrape interval the rules will run at (overrides alerting.scrapeInterval)")
    .action((opts: { config: string; scrapeInterval?: string }) => {
      const c = load(opts.config);
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
