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
export const SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600] as const;

/**
 * Buckets of `cqrs_projection_apply_latency_seconds`: 1 s steps from 1 to 10 s, where
 * projection SLO thresholds usually sit (a 5 s objective is read exactly, and p95 between 5 and
 * 10 s is interpolated within 1 s instead of 5 s), 0.1-0.5 s below, and coarse steps up to 1 h
 * above (beyond that staleness and status tell the story). 22 bounds: with `_sum` and `_count`
 * 25 series per projection, 12 500 at the default `maxProjections` of 500.
 */
export const APPLY_LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 30, 60, 120, 300, 600, 1800, 3600] as const;
