import { catalog } from './catalog.js';
import type { MetricDef, MetricGroup } from './metric-def.js';

const AREA_TITLES: Record<keyof typeof catalog, string> = {
  monitor: 'The monitor itself',
  kafka: 'Kafka consumer groups',
  rabbitmq: 'RabbitMQ queues',
  projection: 'Projections (SQL stores)',
  events: 'Event streams',
  dlq: 'Dead-letter queues',
  probe: 'Read-after-write probes',
  slo: 'SLOs',
  report: 'Scheduled SLO reports',
};

function row(d: MetricDef): string {
  const labels = d.labelNames.length ? d.labelNames.map((l) => `\`${l}\``).join(', ') : '-';
  return `| \`${d.name}\` | ${d.type} | ${labels} | ${d.help.replace(/\|/g, '\\|')} |`;
}

/** docs/metrics.md, generated from the metric catalog. */
export function renderMetricsDoc(): string {
  const out: string[] = [
    '<!-- Generated from src/metrics/defs by `npm run generate`; do not edit. -->',
    '# Metrics',
    '',
    'Every metric the service exports. Base units are seconds and messages; counters end in',
    '`_total`; label values are bounded. Node.js process metrics (`process_*`, `nodejs_*`) are',
    'exported as well.',
    '',
    'Counters exist at 0 as soon as their label set is known, so that `rate()` and',
    '`increase(...) > 0` have a sample before the first event: per source from start',
    '(`cqrs_collect_errors_total` for every `reason`, `cqrs_collect_skipped_total`,',
    '`cqrs_clock_skew_detected_total`, `cqrs_series_dropped_total`), per stream from start (the',
    '`cqrs_events_*_total` counters, `cqrs_events_unparseable_total` for every `reason`), per',
    'measured SLO from start (`cqrs_slo_good_total`, `cqrs_slo_total`, `cqrs_slo_unknown_total` for',
    'every `reason`). Counters whose label values come from the data (e.g. the `source` and',
    '`reason` of `cqrs_dlq_messages_total`) appear with their first event.',
    '',
  ];
  for (const [area, group] of Object.entries(catalog) as [keyof typeof catalog, MetricGroup][]) {
    out.push(`## ${AREA_TITLES[area] ?? area}`, '', '| name | type | labels | meaning |', '| --- | --- | --- | --- |');
    for (const d of Object.values(group)) out.push(row(d));
    out.push('');
  }
  return out.join('\n');
}
