import type { GenerateOptions } from '../options.js';
import { BURN_ALERT } from '../rules/burn-alerts.js';
import { LAG_ALERTS } from '../rules/operational.js';
import { COVERAGE_ALERT, SLI_ABSENT_ALERT } from '../rules/sli-health.js';

/**
 * The monitor's own alerts: they go to the monitor's owners, never to an SLO team's pager. The
 * monitor not being scraped at all (CqrsSloMonitorAbsent, severity page) is one of them: its
 * owners are paged through the monitor receiver.
 */
export const MONITOR_ALERTS = ['CqrsSloMonitorAbsent', 'CqrsSourceDown', SLI_ABSENT_ALERT, COVERAGE_ALERT] as const;

/** alertmanager.yml as a plain object (https://prometheus.io/docs/alerting/latest/configuration/). */
export interface AlertmanagerConfig {
  route: Record<string, unknown>;
  receivers: Record<string, unknown>[];
  inhibit_rules: Record<string, unknown>[];
}

export const RECEIVERS = { pager: 'pager', ticket: 'ticket', monitor: 'monitor', fallback: 'ticket' } as const;

/**
 * Routing for the generated alerts: the monitor's own alerts (source down, SLI absent, coverage)
 * -> monitor; `severity=page` -> pager, `severity=ticket` -> ticket, grouped by alert and SLO.
 * Inhibitions: a page mutes the tickets of the same SLO (the slow tiers always fire along with a
 * fast burn); a source that is down mutes the burn and SLI-absent alerts of the SLOs read from it
 * and the lag alerts of the same source (its series are gone: the monitor is blind there, the
 * pipeline is not known to be broken); an absent monitor mutes the SLI-absent alerts of the SLOs
 * it measures (their counters are gone with it).
 */
export function alertmanagerConfig(opts: GenerateOptions): AlertmanagerConfig {
  return {
    route: {
      receiver: RECEIVERS.fallback,
      group_by: ['alertname', 'slo'],
      // Defaults recommended in the Alertmanager docs for a paging setup.
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { receiver: RECEIVERS.monitor, matchers: [`alertname=~"${MONITOR_ALERTS.join('|')}"`], group_by: ['alertname', 'source', 'slo'] },
        { receiver: RECEIVERS.pager, matchers: ['severity="page"'], continue: false },
        { receiver: RECEIVERS.ticket, matchers: ['severity="ticket"'], repeat_interval: '24h' },
      ],
    },
    receivers: [
      { name: RECEIVERS.pager, webhook_configs: [{ url: opts.pagerUrl, send_resolved: true }] },
      { name: RECEIVERS.ticket, webhook_configs: [{ url: opts.ticketUrl, send_resolved: true }] },
      { name: RECEIVERS.monitor, webhook_configs: [{ url: opts.monitorUrl, send_resolved: true }] },
    ],
    inhibit_rules: [
      {
        source_matchers: [`alertname="${BURN_ALERT}"`, 'severity="page"'],
        target_matchers: [`alertname="${BURN_ALERT}"`, 'severity="ticket"'],
        equal: ['slo'],
      },
      {
        source_matchers: ['alertname="CqrsSourceDown"'],
        target_matchers: [`alertname=~"${[BURN_ALERT, SLI_ABSENT_ALERT, ...LAG_ALERTS].join('|')}"`],
        equal: ['source'],
      },
      {
        source_matchers: ['alertname="CqrsSloMonitorAbsent"'],
        target_matchers: [`alertname="${SLI_ABSENT_ALERT}"`, 'source=~".+"'],
      },
    ],
  };
}

/** Commented receiver blocks appended under the pager receiver: real integrations with keys from the environment. */
export const PAGER_INTEGRATIONS_COMMENT = `
# To page through PagerDuty or Opsgenie instead of (or besides) the webhook, add one of these
# blocks to the "pager" receiver above. Alertmanager does not expand environment variables, so
# keep keys out of this file: either mount the key as a file (the *_file fields), or render this
# file at deploy time with envsubst (\${PAGERDUTY_ROUTING_KEY}, \${OPSGENIE_API_KEY}).
#
#    pagerduty_configs:
#      - routing_key_file: /etc/alertmanager/secrets/pagerduty-routing-key   # or: routing_key: \${PAGERDUTY_ROUTING_KEY}
#        send_resolved: true
#        severity: critical
#        description: '{{ .CommonAnnotations.summary }}'
#        links:
#          - href: '{{ .CommonAnnotations.runbook_url }}'
#            text: runbook
#    opsgenie_configs:
#      - api_key_file: /etc/alertmanager/secrets/opsgenie-api-key           # or: api_key: \${OPSGENIE_API_KEY}
#        priority: P1
#        message: '{{ .CommonAnnotations.summary }}'
#        description: '{{ .CommonAnnotations.description }}'
`;
