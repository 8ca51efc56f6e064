import { query, timeseries } from './builders.js';
import type { Grid } from './layout.js';
import { match, TARGET } from './variables.js';

/**
 * Read-after-write probes (docs/probes.md). Replicas run their own probes, so histograms and
 * counters are summed over them. The quantiles come from the runs of the last 15 minutes: a
 * probe writes once per interval (30 s by default), so a 5-minute window would hold ten runs.
 */
const WINDOW = '15m';

const visibility = (q: number, m: string) => `histogram_quantile(${q}, sum by (le, probe) (rate(cqrs_probe_visibility_seconds_bucket{${m}}[${WINDOW}])))`;

/** On-call: how long a write takes to be readable, and the runs that did not see it. */
export function probeOncallPanels(grid: Grid): void {
  const m = match(...TARGET, 'probe');
  grid.add(12, 8, (p) =>
    timeseries('Read-after-write: time until a write is readable (p99)', p, [query(visibility(0.99, m), '{{probe}}')], {
      unit: 's',
      min: 0,
      description: `From the command's acceptance to the first query that showed the change, over the runs of the last ${WINDOW} (an upper bound by one poll interval).`,
    }),
  );
  grid.add(12, 8, (p) =>
    timeseries(
      'Read-after-write: runs that did not see their write (per minute)',
      p,
      [query(`sum by (probe, result) (rate(cqrs_probe_runs_total{${m}, result!="visible"}[${WINDOW}])) * 60`, '{{probe}} {{result}}')],
      {
        min: 0,
        description:
          'timeout: not visible within the probe timeout (bad for read_after_write SLOs). command_failed, query_failed: no verdict (unknown for SLOs; the probe source is down).',
      },
    ),
  );
}

/** Debugging: latency quantiles, every result, skipped runs and failed cleanups. */
export function probeDebugPanels(grid: Grid): void {
  const m = match(...TARGET, 'probe');
  grid.add(12, 8, (p) =>
    timeseries('Time until a write is readable (p50, p99)', p, [query(visibility(0.5, m), 'p50 {{probe}}'), query(visibility(0.99, m), 'p99 {{probe}}')], {
      unit: 's',
      min: 0,
      description: `Visible runs of the last ${WINDOW}; an upper bound by one poll interval plus one query.`,
    }),
  );
  grid.add(12, 8, (p) =>
    timeseries(
      'Runs by result, skipped runs, failed cleanups (per minute)',
      p,
      [
        query(`sum by (probe, result) (rate(cqrs_probe_runs_total{${m}}[${WINDOW}])) * 60`, '{{probe}} {{result}}'),
        query(`sum by (probe) (rate(cqrs_probe_runs_skipped_total{${m}}[${WINDOW}])) * 60`, 'skipped {{probe}}'),
        query(`sum by (probe) (rate(cqrs_probe_cleanup_failed_total{${m}}[${WINDOW}])) * 60`, 'cleanup failed {{probe}}'),
      ],
      {
        min: 0,
        description:
          'Skipped: a run was due while maxConcurrency runs were in flight. Cleanup failed: the entity is left behind, tagged with the probe id prefix.',
      },
    ),
  );
}
