import type { Command } from 'commander';
import { loadConfigForGenerate } from '../config/load.js';
import { ConfigError } from '../config/config-error.js';
import { parseDuration } from '../config/duration.js';
import { DASHBOARDS_DIR, generate, GENERATE_TARGETS, type GenerateTarget } from './generate.js';
import { DEFAULT_OPTIONS, RULE_FORMATS, type GenerateOptions, type RuleFormat } from './options.js';
import { writeFilesMoving } from './writer.js';
import { GenerateError } from './errors.js';
import { InputError, readSloInputs } from '../input/index.js';
import { checkAlerting, parseScrapeInterval } from './check.js';

interface CliOptions {
  config: string;
  out?: string;
  dashboardsOut?: string;
  withTests?: boolean;
  format: string;
  runbookBaseUrl?: string;
  grafanaBaseUrl?: string;
  scrapeInterval?: string;
  evaluationInterval?: string;
  pagerUrl?: string;
  ticketUrl?: string;
  monitorUrl?: string;
  input?: string[];
  k8sNamespace?: string;
  k8sName?: string;
  k8sLabel?: string[];
}

/** `key=value` pairs of --k8s-label; Kubernetes label keys and values. */
function parseLabels(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const m = /^((?:[a-z0-9.-]+\/)?[A-Za-z0-9][A-Za-z0-9_.-]{0,62})=([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/.exec(p);
    if (!m) throw new GenerateError(`--k8s-label must be key=value with a Kubernetes label key and value, got ${JSON.stringify(p)}`);
    out[m[1]!] = m[2] ?? '';
  }
  return out;
}

/** Adds `cqrs-slo generate alerts|alertmanager|dashboards|all` to the CLI. Exit status 2 for a bad config. */
export function registerGenerateCommand(program: Command): void {
  program
    .command('generate')
    .description(
      'Generate Prometheus rules (SLO recordings, burn-rate and operational alerts), the Alertmanager config and the Grafana dashboards from the config',
    )
    .argument('<what>', `one of ${GENERATE_TARGETS.join(' | ')}`)
    .option('-c, --config <file>', 'configuration file', 'config/default.yaml')
    .option('-o, --out <dir>', 'output directory (default: alerts; dashboards for `generate dashboards`)')
    .option('--dashboards-out <dir>', 'where `generate all` writes the dashboards (default: <out>/dashboards)')
    .option('--with-tests', 'also write promtool unit tests for the SLO alerts (alerts/tests/)')
    .option('--format <format>', `rule file format (dashboards read its recording names): ${RULE_FORMATS.join(' | ')}`, 'prometheus')
    .option(
      '--input <file...>',
      'extra SLOs from OpenSLO v1, Sloth (prometheus/v1 or PrometheusServiceLevel) or Pyrra ServiceLevelObjective YAML files, read together',
    )
    .option('--runbook-base-url <url>', 'absolute URL where docs/runbooks/ is served (overrides alerting.runbookBaseUrl)')
    .option('--grafana-base-url <url>', 'absolute Grafana URL for dashboard_url (overrides alerting.grafanaBaseUrl)')
    .option('--scrape-interval <duration>', "Prometheus' scrape interval: no burn window under 4 of them (overrides alerting.scrapeInterval, default 1m)")
    .option('--evaluation-interval <duration>', 'interval of the generated rule groups (default: Prometheus global)')
    .option('--pager-url <url>', 'webhook URL of the pager receiver in alertmanager.yml')
    .option('--ticket-url <url>', 'webhook URL of the ticket receiver in alertmanager.yml')
    .option('--monitor-url <url>', "webhook URL of the monitor receiver (the monitor's own alerts) in alertmanager.yml")
    .option('--k8s-namespace <ns>', 'namespace of the PrometheusRule resources (--format k8s; default monitoring)')
    .option('--k8s-name <name>', 'name prefix of the PrometheusRule resources (--format k8s; default cqrs-slo)')
    .option(
      '--k8s-label <key=value...>',
      'labels of the PrometheusRule resources, replacing prometheus=k8s role=alert-rules (e.g. release=kube-prometheus-stack)',
    )
    .action((what: string, o: CliOptions) => {
      try {
        if (!(GENERATE_TARGETS as readonly string[]).includes(what))
          throw new GenerateError(`unknown target ${JSON.stringify(what)}: expected ${GENERATE_TARGETS.join(', ')}`);
        if (!(RULE_FORMATS as readonly string[]).includes(o.format))
          throw new GenerateError(`--format must be one of ${RULE_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}`);
        const config = loadConfigForGenerate(o.config);
        const input = { ...config, slos: [...config.slos, ...(o.input ? readSloInputs(o.input, (w) => process.stderr.write(`warning: ${w}\n`)) : [])] };
        const opts: Partial<GenerateOptions> = { format: o.format as RuleFormat, withTests: o.withTests ?? false };
        if (o.runbookBaseUrl) opts.runbookBaseUrl = o.runbookBaseUrl;
        if (o.grafanaBaseUrl) opts.grafanaBaseUrl = o.grafanaBaseUrl;
        if (o.pagerUrl) opts.pagerUrl = o.pagerUrl;
        if (o.ticketUrl) opts.ticketUrl = o.ticketUrl;
        if (o.monitorUrl) opts.monitorUrl = o.monitorUrl;
        const scrape = parseScrapeInterval(o.scrapeInterval);
        if (scrape !== undefined) opts.scrapeInterval = scrape;
        for (const [flag, v] of [
          ['--k8s-namespace', o.k8sNamespace],
          ['--k8s-name', o.k8sName],
        ] as const) {
          if (v !== undefined && !/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(v))
            throw new GenerateError(`${flag} must be a DNS-1123 label (lower-case letters, digits, -), got ${JSON.stringify(v)}`);
        }
        opts.k8s = {
          namespace: o.k8sNamespace ?? DEFAULT_OPTIONS.k8s.namespace,
          name: o.k8sName ?? DEFAULT_OPTIONS.k8s.name,
          labels: o.k8sLabel ? parseLabels(o.k8sLabel) : DEFAULT_OPTIONS.k8s.labels,
        };
        if (o.evaluationInterval) {
          const s = parseDuration(o.evaluationInterval);
          if (s === undefined) throw new GenerateError(`--evaluation-interval must be a duration like 30s, got ${JSON.stringify(o.evaluationInterval)}`);
          opts.evaluationInterval = s;
        }
        const files = generate(input, what as GenerateTarget, opts);
        if (what !== 'alertmanager' && what !== 'dashboards') for (const note of checkAlerting(input, scrape)) process.stderr.write(`note: ${note}\n`);
        const out = o.out ?? (what === 'dashboards' ? 'dashboards' : 'alerts');
        const written = writeFilesMoving(out, files, DASHBOARDS_DIR, what === 'all' ? o.dashboardsOut : undefined);
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
