import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { ConfigError } from '../config/config-error.js';
import { parseDuration } from '../config/duration.js';
import { generate, GENERATE_TARGETS, type GenerateTarget } from './generate.js';
import { RULE_FORMATS, type GenerateOptions, type RuleFormat } from './options.js';
import { writeFiles } from './writer.js';
import { GenerateError } from './errors.js';
import { InputError, readSloInputs } from '../input/index.js';

interface CliOptions {
  config: string;
  out: string;
  withTests?: boolean;
  format: string;
  runbookBaseUrl?: string;
  dashboardBaseUrl?: string;
  evaluationInterval?: string;
  pagerUrl?: string;
  ticketUrl?: string;
  input?: string[];
}

/** Adds `cqrs-slo generate alerts|alertmanager|all` to the CLI. Exit status 2 for a bad config. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description('Generate Prometheus rules (SLO recordings, burn-rate and operational alerts) and the Alertmanager config from the config')
    .argument('<what>', `one of ${GENERATE_TARGETS.join(' | ')}`)
    .option('-c, --config <file>', 'configuration file', 'config/default.yaml')
    .option('-o, --out <dir>', 'output directory', 'alerts')
    .option('--with-tests', 'also write promtool unit tests for the SLO alerts (alerts/tests/)')
    .option('--format <format>', `rule file format: ${RULE_FORMATS.join(' | ')}`, 'prometheus')
    .option('--input <file...>', 'extra SLOs from OpenSLO v1, Sloth (prometheus/v1 or PrometheusServiceLevel) or Pyrra ServiceLevelObjective YAML files, read together')
    .option('--runbook-base-url <url>', 'base of runbook_url annotations')
    .option('--dashboard-base-url <url>', 'base of dashboard_url annotations')
    .option('--evaluation-interval <duration>', 'interval of the generated rule groups (default: Prometheus global)')
    .option('--pager-url <url>', 'webhook URL of the pager receiver in alertmanager.yml')
    .option('--ticket-url <url>', 'webhook URL of the ticket receiver in alertmanager.yml')
    .action((what: string, o: CliOptions) => {
      try {
        if (!(GENERATE_TARGETS as readonly string[]).includes(what)) throw new GenerateError(`unknown target ${JSON.stringify(what)}: expected ${GENERATE_TARGETS.join(', ')}`);
        if (!(RULE_FORMATS as readonly string[]).includes(o.format)) throw new GenerateError(`--format must be one of ${RULE_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}`);
        const config = loadConfig(o.config);
        const slos = [...config.slos, ...(o.input ? readSloInputs(o.input, (w) => process.stderr.write(`warning: ${w}\n`)) : [])];
        const opts: Partial<GenerateOptions> = { format: o.format as RuleFormat, withTests: o.withTests ?? false };
        if (o.runbookBaseUrl) opts.runbookBaseUrl = o.runbookBaseUrl;
        if (o.dashboardBaseUrl) opts.dashboardBaseUrl = o.dashboardBaseUrl;
        if (o.pagerUrl) opts.pagerUrl = o.pagerUrl;
        if (o.ticketUrl) opts.ticketUrl = o.ticketUrl;
        if (o.evaluationInterval) {
          const s = parseDuration(o.evaluationInterval);
          if (s === undefined) throw new GenerateError(`--evaluation-interval must be a duration like 30s, got ${JSON.stringify(o.evaluationInterval)}`);
          opts.evaluationInterval = s;
        }
        const written = writeFiles(o.out, generate({ slos }, what as GenerateTarget, opts));
        for (const p of written) process.stdout.write(`wrote ${p}\n`);
      } catch (err) {
        if (err instanceof ConfigError || err instanceof GenerateError || err instanceof InputError) {
          process.stderr.write(`${err.message}\n`);
          process.exitCode = 2;
          return;
        }
        throw err;
      }
    });
}
