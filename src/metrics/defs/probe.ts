import type { MetricGroup } from '../metric-def.js';

/**
 * Buckets of `cqrs_probe_visibility_seconds`: 50 ms to 10 min, dense from 1 to 10 s where
 * read-after-write thresholds usually sit.
 */
export const PROBE_VISIBILITY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 60, 120, 300, 600] as const;

/** Read-after-write probes (docs/probes.md): a command, then a query polled until the change shows. */
export const probeMetrics = {
  visibility: {
    name: 'cqrs_probe_visibility_seconds',
    help: 'Seconds from the acceptance of a probe command to the answer of the first query that showed its change (an upper bound; error at most one poll interval plus one query).',
    type: 'histogram',
    labelNames: ['probe'],
    buckets: PROBE_VISIBILITY_BUCKETS,
  },
  runs: {
    name: 'cqrs_probe_runs_total',
    help: 'Finished probe runs by result: visible, timeout (not visible within the probe timeout), command_failed and query_failed (no verdict: unknown for SLOs).',
    type: 'counter',
    labelNames: ['probe', 'result'],
  },
  skipped: {
    name: 'cqrs_probe_runs_skipped_total',
    help: 'Probe runs not started because maxConcurrency runs were still in flight.',
    type: 'counter',
    labelNames: ['probe'],
  },
  cleanupFailed: {
    name: 'cqrs_probe_cleanup_failed_total',
    help: 'Probe runs whose cleanup request or statement failed (the entity is left, tagged with the probe id prefix).',
    type: 'counter',
    labelNames: ['probe'],
  },
} as const satisfies MetricGroup;
