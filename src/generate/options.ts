import type { Seconds } from '../core/units.js';
import type { AlertingConfig } from '../config/schema/alerting.js';

/** Output flavour of the rule files. */
export type RuleFormat = 'prometheus' | 'k8s' | 'sloth';
export const RULE_FORMATS: readonly RuleFormat[] = ['prometheus', 'k8s', 'sloth'];

/** Options of the generators. Every field has a default (see `resolveGenerateOptions`). */
export interface GenerateOptions {
  /** prometheus: plain rule files; k8s: a PrometheusRule resource; sloth: Sloth's `slo:*` names and labels. */
  format: RuleFormat;
  /** Also write promtool unit tests for the SLOs (alerts/tests/). */
  withTests: boolean;
  /**
   * Absolute base of runbook_url annotations: `<base>/<AlertName>.md`. Required to generate
   * rules (a relative link cannot be opened from a pager): `GenerateError` when missing.
   */
  runbookBaseUrl?: string;
  /**
   * Absolute Grafana URL: dashboard_url = `<base>/d/cqrs-slo-oncall/?var-slo=<slo>` unless the
   * SLO sets dashboardUrl. Required when an SLO has no dashboardUrl.
   */
  grafanaBaseUrl?: string;
  /** Prometheus' scrape interval: no burn window is shorter than 4 of them (burn-windows.ts). */
  scrapeInterval: Seconds;
  /** `interval` of the rule groups; Prometheus' global evaluation_interval when undefined. */
  evaluationInterval?: Seconds;
  /** team label of the operational alerts. */
  platformTeam: string;
  /** Operational alert thresholds; each documented in docs/alerting.md. */
  thresholds: OperationalThresholds;
  /** Receivers of alertmanager.yml. */
  pagerUrl: string;
  ticketUrl: string;
  /** Receiver of the monitor's own alerts (source down, SLI absent, coverage): its owners, not the SLO teams' pager. */
  monitorUrl: string;
  /**
   * k8s format: namespace, name prefix (`<name>-slos`, `<name>-operational`) and labels of the
   * PrometheusRule resources. The labels must match the Prometheus' ruleSelector
   * (kube-prometheus-stack selects `release: <its release name>`); CLI: --k8s-namespace,
   * --k8s-name, --k8s-label key=value (replaces the default labels).
   */
  k8s: { namespace: string; name: string; labels: Record<string, string> };
}

export interface OperationalThresholds {
  /** How long the monitor may be absent before paging. */
  monitorAbsentFor: Seconds;
  /** How long a source may fail before a ticket. */
  sourceDownFor: Seconds;
  /** How long a consumer group or projection must be STALLED/STOPPED before alerting. */
  stalledFor: Seconds;
  /** Window in which any gap counts. */
  gapWindow: Seconds;
  /** Oldest unresolved dead letter older than this alerts. */
  dlqMaxAge: Seconds;
  /** Oldest message of a RabbitMQ queue older than this alerts (CqrsQueueMessageTooOld). */
  queueMaxAge: Seconds;
  /** How long an SLO's SLI series may be absent before CqrsSloSliAbsent fires. */
  sliAbsentFor: Seconds;
  /** Percent of an SLO's ticks over 1h that must be measured (not unknown); CqrsSloCoverageLow below. */
  minCoverage: number;
  /** Rebuild objective of projections in stores the config does not list (stores[].rebuildObjective otherwise). */
  rebuildObjective: Seconds;
}

export const DEFAULT_OPTIONS: GenerateOptions = {
  format: 'prometheus',
  withTests: false,
  scrapeInterval: 60,
  platformTeam: 'platform',
  thresholds: {
    // Two missed scrapes at a 1m interval plus margin; the usual absent() idiom in kube-prometheus.
    monitorAbsentFor: 300,
    sourceDownFor: 300,
    // Matches the 5m default window of Burrow-style status evaluation plus one cycle.
    stalledFor: 300,
    gapWindow: 600,
    // A dead letter nobody handled for a day is an incident in most teams' DLQ policy.
    dlqMaxAge: 86_400,
    // A work queue whose head waits an hour is far behind any interactive read model; queues
    // with a freshness SLO page through their burn alerts long before.
    queueMaxAge: 3_600,
    // Two collection outages of the default 5m source-down delay: long enough that a restart of
    // the monitor does not ticket, short against an SLO period.
    sliAbsentFor: 600,
    minCoverage: 90,
    // Seed objective: core projections rebuild in under 30 minutes.
    rebuildObjective: 1_800,
  },
  pagerUrl: 'http://127.0.0.1:9095/page',
  ticketUrl: 'http://127.0.0.1:9095/ticket',
  monitorUrl: 'http://127.0.0.1:9095/monitor',
  k8s: { namespace: 'monitoring', name: 'cqrs-slo', labels: { prometheus: 'k8s', role: 'alert-rules' } },
};

/** Fills in defaults. */
export function resolveGenerateOptions(partial: Partial<GenerateOptions> = {}): GenerateOptions {
  return {
    ...DEFAULT_OPTIONS,
    ...partial,
    thresholds: { ...DEFAULT_OPTIONS.thresholds, ...partial.thresholds },
    k8s: { ...DEFAULT_OPTIONS.k8s, ...partial.k8s },
  };
}

/** Options given by the config's `alerting` section; flags (the partial) take precedence. */
export function optionsFromConfig(alerting: AlertingConfig | undefined, partial: Partial<GenerateOptions> = {}): Partial<GenerateOptions> {
  if (!alerting) return partial;
  return {
    scrapeInterval: alerting.scrapeInterval,
    ...(alerting.runbookBaseUrl !== undefined ? { runbookBaseUrl: alerting.runbookBaseUrl } : {}),
    ...(alerting.grafanaBaseUrl !== undefined ? { grafanaBaseUrl: alerting.grafanaBaseUrl } : {}),
    ...partial,
    thresholds: { ...DEFAULT_OPTIONS.thresholds, sliAbsentFor: alerting.sliAbsentFor, minCoverage: alerting.minCoverage, ...partial.thresholds },
  };
}
