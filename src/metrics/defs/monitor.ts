import type { MetricGroup } from '../metric-def.js';
import { SECONDS_BUCKETS } from '../metric-def.js';

/** The monitor's own health: exists from the first scrape. */
export const monitorMetrics = {
  sourceUp: {
    name: 'cqrs_source_up',
    help: '1 when the last collection cycle of the source succeeded, 0 when it failed or timed out.',
    type: 'gauge',
    labelNames: ['source'],
  },
  collectDuration: {
    name: 'cqrs_collect_duration_seconds',
    help: 'Duration of collection cycles per source.',
    type: 'histogram',
    labelNames: ['source'],
    buckets: SECONDS_BUCKETS,
  },
  collectErrors: {
    name: 'cqrs_collect_errors_total',
    help: 'Failed collection cycles per source and bounded reason.',
    type: 'counter',
    labelNames: ['source', 'reason'],
  },
  collectSkipped: {
    name: 'cqrs_collect_skipped_total',
    help: 'Scheduler ticks skipped because the previous cycle of the source was still running.',
    type: 'counter',
    labelNames: ['source'],
  },
  lastSuccess: {
    name: 'cqrs_source_last_success_timestamp_seconds',
    help: 'Unix time of the last successful collection cycle per source.',
    type: 'gauge',
    labelNames: ['source'],
  },
  clockSkew: {
    name: 'cqrs_clock_skew_detected_total',
    help: 'Timestamps from a source that were ahead of the monitor clock; their ages were clamped to 0.',
    type: 'counter',
    labelNames: ['source'],
  },
  seriesDropped: {
    name: 'cqrs_series_dropped_total',
    help: 'Series not exported because a per-source cardinality cap was reached.',
    type: 'counter',
    labelNames: ['source'],
  },
  configLastReloadSuccessful: {
    name: 'cqrs_config_last_reload_successful',
    help: "1 when the last configuration load (start-up or SIGHUP) succeeded, 0 when the last reload was refused and the previous configuration kept (Prometheus' own name).",
    type: 'gauge',
    labelNames: [],
  },
  configLastReloadSuccessTime: {
    name: 'cqrs_config_last_reload_success_timestamp_seconds',
    help: "Unix time of the last successful configuration load, start-up included (Prometheus' own name).",
    type: 'gauge',
    labelNames: [],
  },
  configReloads: {
    name: 'cqrs_config_reloads_total',
    help: 'Configuration reloads on SIGHUP by result (success, failure: invalid, the previous configuration stays).',
    type: 'counter',
    labelNames: ['result'],
  },
  buildInfo: {
    name: 'cqrs_build_info',
    help: 'Always 1; labels carry the monitor version and Node.js version.',
    type: 'gauge',
    labelNames: ['version', 'node'],
  },
} as const satisfies MetricGroup;
