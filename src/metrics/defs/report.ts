import type { MetricGroup } from '../metric-def.js';

/** Scheduled SLO reports (docs/reports.md). */
export const reportMetrics = {
  runs: {
    name: 'cqrs_report_runs_total',
    help: 'SLO report runs by result: success (Prometheus read, files written, webhook accepted), no_data (Prometheus unreadable: files say "no data"), error (files or webhook failed).',
    type: 'counter',
    labelNames: ['result'],
  },
  lastSuccess: {
    name: 'cqrs_report_last_success_timestamp_seconds',
    help: 'When the last successful SLO report run ended (Unix time).',
    type: 'gauge',
    labelNames: [],
  },
} as const satisfies MetricGroup;
