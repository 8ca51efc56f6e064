import { catalog } from './catalog.js';
import type { MetricDef, MetricGroup } from './metric-def.js';

const AREA_TITLES: Record<keyof typeof catalog, string> = {
  monitor: 'The monitor itself',
  kafka: 'Kafka consumer groups',
  projection: 'Projections (SQL stores)',
  events: 'Event streams',
  dlq: 'Dead-letter queues',
  slo: 'SLOs',
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
  ];
  for (const [area, group] of Object.entries(catalog) as [keyof typeof catalog, MetricGroup][]) {
    out.push(`## ${AREA_TITLES[area] ?? area}`, '', '| name | type | labels | meaning |', '| --- | --- | --- | --- |');
    for (const d of Object.values(group)) out.push(row(d));
    out.push('');
  }
  return out.join('\n');
}
