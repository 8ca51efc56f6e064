import { z } from 'zod';
import { duration } from './common.js';

/** An absolute http(s) URL: links in alerts are opened from a pager, far from any checkout. */
const absoluteUrl = (what: string) =>
  z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, { message: 'must be an absolute http:// or https:// URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .meta({ description: what });

/**
 * How the generated rules are evaluated and where their links point (`cqrs-slo generate` and
 * `validate`; the service itself does not read it). docs/alerting.md explains every field.
 */
export const alertingConfigSchema = z
  .strictObject({
    scrapeInterval: duration({ min: 0.001 }).default(60).meta({
      description:
        "Prometheus' scrape interval of this service (and of ratio/latency SLI series); no burn window may be shorter than 4 of them (default 1m, Prometheus' own default)",
    }),
    runbookBaseUrl: absoluteUrl('Absolute URL where docs/runbooks/ is served; runbook_url = <base>/<Alert>.md (required by generate alerts)').optional(),
    grafanaBaseUrl: absoluteUrl(
      'Absolute URL of Grafana; dashboard_url = <base>/d/cqrs-slo-oncall/?var-slo=<slo> (required by generate alerts unless every SLO sets dashboardUrl)',
    ).optional(),
    sliAbsentFor: duration({ min: 60 }).default(600).meta({ description: 'How long an SLO’s SLI series may be absent before CqrsSloSliAbsent fires' }),
    minCoverage: z
      .number()
      .gt(0)
      .lte(100)
      .default(90)
      .meta({ description: 'Percent of evaluation ticks over 1h that must be measured (not unknown) before CqrsSloCoverageLow fires' }),
  })
  .default({ scrapeInterval: 60, sliAbsentFor: 600, minCoverage: 90 });

export type AlertingConfig = z.output<typeof alertingConfigSchema>;
