/** A metric's contract: everything docs/metrics.md and the rule/dashboard checks need. */
export interface MetricDef {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly labelNames: readonly string[];
  /** Histogram buckets in the metric's base unit. */
  readonly buckets?: readonly number[];
  /**
   * A gauge with many series rewritten once per cycle by a source: kept in a TableGauge
   * (typed arrays, label text rendered once per series) instead of a prom-client Gauge.
   */
  readonly table?: true;
  /**
   * A histogram observed once per event: created as a SeriesHistogram (the same /metrics
   * output as prom-client's Histogram; callers hold a series instead of naming labels per value).
   */
  readonly perEvent?: true;
}

export type MetricGroup = Readonly<Record<string, MetricDef>>;

/** Histogram buckets for ages and latencies in seconds: 50 ms .. 6 h. */
export const SECONDS_BUCKETS = [
  0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600,
] as const;
