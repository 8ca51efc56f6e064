import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import { TableGauge } from './table-gauge.js';
import { SeriesHistogram } from './series-histogram.js';
import type { MetricDef, MetricGroup } from './metric-def.js';
import { catalog, type Catalog } from './catalog.js';

type Instrument<D extends MetricDef> = D extends { table: true }
  ? TableGauge
  : D['type'] extends 'counter'
    ? Counter<string>
    : D['type'] extends 'gauge'
      ? Gauge<string>
      : D extends { perEvent: true }
        ? SeriesHistogram<string>
        : Histogram<string>;

type Instruments<G extends MetricGroup> = { readonly [K in keyof G]: Instrument<G[K]> };

/** Live prom-client instruments for the whole catalog, grouped as in the catalog. */
export type Metrics = { readonly [A in keyof Catalog]: Instruments<Catalog[A]> };

function instrument(def: MetricDef, registry: Registry): Counter<string> | Gauge<string> | Histogram<string> | TableGauge | SeriesHistogram<string> {
  if (def.table) {
    const g = new TableGauge({ name: def.name, help: def.help, labelNames: def.labelNames });
    registry.registerMetric(g as unknown as Gauge<string>);
    return g;
  }
  const base = { name: def.name, help: def.help, labelNames: [...def.labelNames], registers: [registry] };
  switch (def.type) {
    case 'counter':
      return new Counter(base);
    case 'gauge':
      return new Gauge(base);
    case 'histogram':
      if (def.perEvent) return new SeriesHistogram({ ...base, buckets: [...(def.buckets ?? [])] });
      return new Histogram({ ...base, buckets: [...(def.buckets ?? [])] });
  }
}

/**
 * Registers every catalog metric on `registry` (your own registry, never the global one)
 * plus Node process metrics. Any prom-client Registry works; MetricsRegistry renders the
 * TableGauges directly.
 */
export function createMetrics(registry: Registry, opts: { processMetrics?: boolean } = {}): Metrics {
  if (opts.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const out: Record<string, Record<string, unknown>> = {};
  for (const [area, group] of Object.entries(catalog)) {
    const inst: Record<string, unknown> = {};
    for (const [key, def] of Object.entries(group as MetricGroup)) inst[key] = instrument(def, registry);
    out[area] = inst;
  }
  return out as unknown as Metrics;
}
