import type { MetricDef } from './metric-def.js';
import { monitorMetrics } from './defs/monitor.js';
import { kafkaMetrics } from './defs/kafka.js';
import { projectionMetrics } from './defs/projection.js';
import { eventMetrics } from './defs/events.js';
import { dlqMetrics } from './defs/dlq.js';
import { sloMetrics } from './defs/slo.js';
import { rabbitmqMetrics } from './defs/rabbitmq.js';
import { probeMetrics } from './defs/probe.js';
import { reportMetrics } from './defs/report.js';

/**
 * The one place that defines every metric the service exports. docs/metrics.md is generated
 * from it, and tests check that alert rules and dashboards only name metrics listed here.
 */
export const catalog = {
  monitor: monitorMetrics,
  kafka: kafkaMetrics,
  projection: projectionMetrics,
  events: eventMetrics,
  rabbitmq: rabbitmqMetrics,
  dlq: dlqMetrics,
  probe: probeMetrics,
  slo: sloMetrics,
  report: reportMetrics,
} as const;

export type Catalog = typeof catalog;

/** Every definition, in catalog order. */
export function allMetricDefs(): MetricDef[] {
  return Object.values(catalog).flatMap((group) => Object.values(group) as MetricDef[]);
}

/**
 * Names of every series family a scrape can contain, including histogram `_bucket/_sum/_count`
 * suffixes and prom-client's default process metrics prefix.
 */
export function exportedSeriesNames(): Set<string> {
  const names = new Set<string>();
  for (const def of allMetricDefs()) {
    names.add(def.name);
    if (def.type === 'histogram') {
      for (const s of ['_bucket', '_sum', '_count']) names.add(def.name + s);
    }
  }
  return names;
}
