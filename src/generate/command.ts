import type { Command } from 'commander';
import { GENERATE_TARGETS } from './targets.js';
import { RULE_FORMATS } from './options.js';
import type { CliOptions } from './run-command.js';

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
    // The generators are imported only when the command runs: `run` does not load them.
    .action(async (what: string, o: CliOptions) => (await import('./run-command.js')).runGenerateCommand(what, o));
}
