import { GROUP_STATUSES } from '../../core/kafka/status.js';
import { PROJECTION_STATUSES } from '../../core/projection/types.js';
import { query, stat, stateTimeline, table, timeseries, type ValueMapping } from './builders.js';
import type { Grid } from './layout.js';
import { groupStatusCode, projectionStatusCode, queueStatusCode, statesOf } from './status.js';
import { QUEUE_STATUSES } from '../../core/rabbitmq/status.js';
import { match, TARGET, type VarName } from './variables.js';

/** Panels both the on-call and the debugging dashboard show. */

const UP_STATES: readonly ValueMapping[] = [
  { value: 0, text: 'DOWN', color: 'red' },
  { value: 1, text: 'UP', color: 'green' },
];

/** Consumer group status over time and the groups not OK now. */
export function groupStatusPanels(grid: Grid, vars: readonly VarName[]): void {
  const m = match(...vars);
  const states = statesOf(GROUP_STATUSES);
  grid.add(12, 8, (p) =>
    stateTimeline('Consumer group status', p, [query(groupStatusCode(m), '{{cluster}}/{{group}}')], {
      mappings: states,
      description: 'Status rules: docs/kafka.md. OK green, LAGGING yellow, STALLED orange, STOPPED red, REWOUND purple, ERROR red.',
    }),
  );
  grid.add(12, 8, (p) =>
    table('Consumer groups not OK now', p, [query(`${groupStatusCode(m)} > 0`, 'status')], {
      mapped: { column: 'status', mappings: states },
      description: 'Empty when every selected group is OK.',
    }),
  );
}

/** Projection status over time and the projections not OK now. */
export function projectionStatusPanels(grid: Grid, vars: readonly VarName[]): void {
  const m = match(...vars);
  const states = statesOf(PROJECTION_STATUSES);
  grid.add(12, 8, (p) =>
    stateTimeline('Projection status', p, [query(projectionStatusCode(m), '{{store}}/{{projection}}')], {
      mappings: states,
      description: 'Status rules: docs/stores.md. OK green, LAGGING yellow, REBUILDING blue, STALLED orange, ERROR red.',
    }),
  );
  grid.add(12, 8, (p) =>
    table('Projections not OK now', p, [query(`${projectionStatusCode(m)} > 0`, 'status')], {
      mapped: { column: 'status', mappings: states },
      description: 'Empty when every selected projection is OK.',
    }),
  );
}

/** RabbitMQ queue status over time and the queues not OK now. */
export function queueStatusPanels(grid: Grid, vars: readonly VarName[]): void {
  const m = match(...vars);
  const states = statesOf(QUEUE_STATUSES);
  grid.add(12, 8, (p) =>
    stateTimeline('Queue status', p, [query(queueStatusCode(m), '{{broker}} {{vhost}} {{queue}}')], {
      mappings: states,
      description: 'Status rules: docs/rabbitmq.md. OK green, LAGGING yellow, STALLED orange, STOPPED red (no consumer while messages wait), ERROR red.',
    }),
  );
  grid.add(12, 8, (p) =>
    table('Queues not OK now', p, [query(`${queueStatusCode(m)} > 0`, 'status')], {
      mapped: { column: 'status', mappings: states },
      description: 'Empty when every selected queue is OK.',
    }),
  );
}

/** The monitor's own health: sources up, cycle durations and errors. */
export function monitorPanels(grid: Grid, detail: boolean): void {
  const m = match(...TARGET);
  grid.add(detail ? 8 : 24, 6, (p) =>
    stat('Sources up', p, [query(`min by (source) (cqrs_source_up{${m}})`, '{{source}}')], {
      mappings: UP_STATES,
      baseColor: 'red',
      thresholds: [{ value: 1, color: 'green' }],
      description: 'A source that cannot be read is DOWN and its series are removed (never reported as 0 lag).',
    }),
  );
  if (!detail) return;
  grid.add(8, 6, (p) =>
    timeseries(
      'Collection cycle p95 and errors',
      p,
      [
        query(`histogram_quantile(0.95, sum by (le, source) (rate(cqrs_collect_duration_seconds_bucket{${m}}[5m])))`, 'p95 {{source}}'),
        query(`sum by (source, reason) (rate(cqrs_collect_errors_total{${m}}[5m]))`, 'errors/s {{source}} {{reason}}'),
      ],
      { unit: 's' },
    ),
  );
  grid.add(8, 6, (p) =>
    timeseries('Skipped cycles, dropped series, clock skew (15m)', p, [
      query(`sum by (source) (increase(cqrs_collect_skipped_total{${m}}[15m]))`, 'skipped {{source}}'),
      query(`sum by (source) (increase(cqrs_series_dropped_total{${m}}[15m]))`, 'dropped series {{source}}'),
      query(`sum by (source) (increase(cqrs_clock_skew_detected_total{${m}}[15m]))`, 'clock skew {{source}}'),
    ]),
  );
}
