import { buildDashboard, query, timeseries } from './builders.js';
import { Grid } from './layout.js';
import { probeDebugPanels } from './probes.js';
import { groupStatusPanels, monitorPanels, projectionStatusPanels, queueStatusPanels } from './sections.js';
import { sloQueries } from './slo-queries.js';
import type { DashboardSpec } from './spec.js';
import { match, TARGET, variables, type VarName } from './variables.js';

/**
 * Partitions in the drill-down panels: bounded whatever the topic's size. A choice, not a
 * measurement: the worst partitions of one topic, few enough to read as lines of one panel.
 */
export const DRILL_DOWN_TOPK = 20;

/**
 * Debugging: lag per topic (per partition in a collapsed drill-down), projection checkpoints,
 * apply latency, event anomalies, dead letters, read-after-write probes and the monitor itself. Admin-side gauges take
 * `max` over replicas (each replica reads the whole cluster); stream counters take `sum` (the
 * replicas share the stream's partitions).
 */
export function debugDashboard(spec: DashboardSpec): Record<string, unknown> {
  const names: VarName[] = [...TARGET];
  const grid = new Grid();
  let drillDown: (() => void) | undefined;
  if (spec.kafka) {
    const { topicLevel, partitionLevel } = spec.kafka;
    names.push('cluster', 'group', ...(topicLevel ? (['topic'] as const) : []), ...(partitionLevel ? (['partition_topic'] as const) : []));
    const g = match(...TARGET, 'cluster', 'group');
    const t = topicLevel ? match(...TARGET, 'cluster', 'group', 'topic') : g;
    grid.row('Kafka consumer groups');
    if (topicLevel) {
      grid.add(12, 8, (p) =>
        timeseries(
          'Lag per topic (messages)',
          p,
          [query(`max by (cluster, group, topic) (cqrs_kafka_group_topic_lag_messages{${t}})`, '{{group}} {{topic}}')],
          { min: 0 },
        ),
      );
      grid.add(12, 8, (p) =>
        timeseries('Lag per topic (seconds)', p, [query(`max by (cluster, group, topic) (cqrs_kafka_group_topic_lag_seconds{${t}})`, '{{group}} {{topic}}')], {
          unit: 's',
          min: 0,
          description: 'Age of the oldest unconsumed message of the topic (max over its partitions).',
        }),
      );
    } else {
      grid.add(12, 8, (p) =>
        timeseries('Lag per group (messages)', p, [query(`max by (cluster, group) (cqrs_kafka_group_total_lag_messages{${g}})`, '{{cluster}}/{{group}}')], {
          min: 0,
        }),
      );
      grid.add(12, 8, (p) =>
        timeseries('Lag per group (seconds)', p, [query(`max by (cluster, group) (cqrs_kafka_group_max_lag_seconds{${g}})`, '{{cluster}}/{{group}}')], {
          unit: 's',
          min: 0,
        }),
      );
    }
    grid.add(12, 8, (p) =>
      timeseries(
        'Consumption vs production (messages/s)',
        p,
        [
          query(`max by (cluster, group) (cqrs_kafka_group_consumed_messages_per_second{${g}})`, 'consumed {{group}}'),
          query(`max by (cluster, group) (cqrs_kafka_group_produced_messages_per_second{${g}})`, 'produced into {{group}}'),
        ],
        { description: 'Production above consumption means the lag grows: scale the consumers before the SLO burns.' },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries(
        'Forecasts: time to drain, time to breach',
        p,
        [
          query(`max by (cluster, group) (cqrs_kafka_group_drain_seconds{${g}})`, 'drains in {{group}}'),
          query(`max by (cluster, group) (cqrs_kafka_group_breach_seconds{${g}})`, 'breaches in {{group}}'),
        ],
        {
          unit: 's',
          description:
            'Drain: seconds until caught up at the recent rates (absent when not draining). Breach: seconds until staleness crosses clusters[].forecastThreshold (absent when not growing or not configured).',
        },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries('Members, uncommitted partitions, redeliveries (15m)', p, [
        query(`max by (cluster, group) (cqrs_kafka_group_members{${g}})`, 'members {{group}}'),
        query(`max by (cluster, group) (cqrs_kafka_group_uncommitted_partitions{${g}})`, 'uncommitted {{group}}'),
        query(`max by (cluster, group, topic) (increase(cqrs_kafka_group_redelivered_messages_total{${t}}[15m]))`, 'redelivered {{group}} {{topic}}'),
      ]),
    );
    grid.add(12, 8, (p) =>
      timeseries('Commit age', p, [query(`max by (cluster, group) (cqrs_kafka_group_commit_age_seconds{${g}})`, '{{group}}')], {
        unit: 's',
        description: 'Seconds since a committed offset of the group last moved. Informational: a quiet topic makes it grow.',
      }),
    );
    groupStatusPanels(grid, [...TARGET, 'cluster', 'group']);
    if (partitionLevel) {
      // Per-partition series (8 families x partitions x groups) are only queried for one topic,
      // in a row Grafana does not query until it is opened.
      const pm = match(...TARGET, 'cluster', 'group', 'partition_topic');
      const top = (metric: string) => `topk(${DRILL_DOWN_TOPK}, max by (cluster, group, topic, partition) (${metric}{${pm}}))`;
      drillDown = () => {
        grid.row('Partitions of $partition_topic (drill-down)', { collapsed: true });
        const d = `Top ${DRILL_DOWN_TOPK} partitions of the one topic chosen in "Drill-down topic".`;
        grid.add(12, 8, (p) =>
          timeseries('Lag per partition (messages)', p, [query(top('cqrs_kafka_group_lag_messages'), '{{group}} {{topic}}/{{partition}}')], {
            min: 0,
            description: d,
          }),
        );
        grid.add(12, 8, (p) =>
          timeseries('Lag per partition (seconds)', p, [query(top('cqrs_kafka_group_lag_seconds'), '{{group}} {{topic}}/{{partition}}')], {
            unit: 's',
            min: 0,
            description: d,
          }),
        );
      };
    }
  }
  if (spec.stores) {
    names.push('store', 'projection');
    const m = match(...TARGET, 'store', 'projection');
    const by = 'max by (store, projection)';
    grid.row('Projections');
    grid.add(12, 8, (p) =>
      timeseries('Head vs checkpoint', p, [
        query(`${by} (cqrs_projection_head_position{${m}})`, 'head {{store}}/{{projection}}'),
        query(`${by} (cqrs_projection_checkpoint_position{${m}})`, 'checkpoint {{store}}/{{projection}}'),
      ]),
    );
    grid.add(12, 8, (p) =>
      timeseries(
        'Apply latency p95',
        p,
        [
          query(
            `histogram_quantile(0.95, sum by (le, store, projection) (rate(cqrs_projection_apply_latency_seconds_bucket{${m}}[5m])))`,
            '{{store}}/{{projection}}',
          ),
        ],
        { unit: 's' },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries('Lag (events) and checkpoint age', p, [
        query(`${by} (cqrs_projection_lag_events{${m}})`, 'lag {{store}}/{{projection}}'),
        query(`${by} (cqrs_projection_checkpoint_age_seconds{${m}})`, 'checkpoint age (s) {{store}}/{{projection}}'),
      ]),
    );
    grid.add(12, 8, (p) =>
      timeseries('Rebuild duration', p, [query(`${by} (cqrs_projection_rebuild_duration_seconds{${m}})`, '{{store}}/{{projection}}')], {
        unit: 's',
        description: 'Running or last rebuild; absent until a rebuild was seen.',
      }),
    );
    projectionStatusPanels(grid, [...TARGET, 'store', 'projection']);
  }
  if (spec.rabbitmq) {
    names.push('broker', 'queue');
    const vars: VarName[] = [...TARGET, 'broker', 'queue'];
    const m = match(...vars);
    const by = 'max by (broker, vhost, queue)';
    grid.row('RabbitMQ queues');
    grid.add(12, 8, (p) =>
      timeseries(
        'Ready and unacknowledged',
        p,
        [
          query(`${by} (cqrs_rabbitmq_queue_messages_ready{${m}})`, 'ready {{vhost}} {{queue}}'),
          query(`${by} (cqrs_rabbitmq_queue_messages_unacknowledged{${m}})`, 'unacked {{vhost}} {{queue}}'),
        ],
        { min: 0 },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries(
        'Published, delivered, acked, redelivered (per second)',
        p,
        [
          query(`${by} (rate(cqrs_rabbitmq_queue_published_messages_total{${m}}[5m]))`, 'published {{queue}}'),
          query(`${by} (rate(cqrs_rabbitmq_queue_delivered_messages_total{${m}}[5m]))`, 'delivered {{queue}}'),
          query(`${by} (rate(cqrs_rabbitmq_queue_acked_messages_total{${m}}[5m]))`, 'acked {{queue}}'),
          query(`${by} (rate(cqrs_rabbitmq_queue_redelivered_messages_total{${m}}[5m]))`, 'redelivered {{queue}}'),
        ],
        { min: 0 },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries(
        'Oldest message age, consumers and utilisation',
        p,
        [
          query(`${by} (cqrs_rabbitmq_queue_oldest_message_age_seconds{${m}})`, 'oldest age (s) {{queue}}'),
          query(`${by} (cqrs_rabbitmq_queue_consumers{${m}})`, 'consumers {{queue}}'),
          query(`${by} (cqrs_rabbitmq_queue_consumer_utilisation_ratio{${m}})`, 'utilisation {{queue}}'),
        ],
        { description: 'Age absent where the head carries no AMQP timestamp (docs/rabbitmq.md); see cqrs_rabbitmq_oldest_age_unavailable_total.' },
      ),
    );
    queueStatusPanels(grid, vars);
  }
  if (spec.streams) {
    names.push('stream');
    const m = match(...TARGET, 'stream');
    const rate = (metric: string, by = 'stream') => `sum by (${by}) (rate(${metric}{${m}}[5m]))`;
    grid.row('Event streams');
    grid.add(12, 8, (p) =>
      timeseries('Events, duplicates, gaps, out of order (per second)', p, [
        query(rate('cqrs_events_observed_total'), 'observed {{stream}}'),
        query(rate('cqrs_events_duplicate_total'), 'duplicate {{stream}}'),
        query(rate('cqrs_events_gap_total'), 'missing {{stream}}'),
        query(rate('cqrs_events_out_of_order_total'), 'out of order {{stream}}'),
      ]),
    );
    grid.add(12, 8, (p) =>
      timeseries('Unparseable events (per second) and publish delay p95', p, [
        query(rate('cqrs_events_unparseable_total', 'stream, reason'), '{{stream}} {{reason}}'),
        query(`histogram_quantile(0.95, sum by (le, stream) (rate(cqrs_event_publish_delay_seconds_bucket{${m}}[5m])))`, 'publish delay p95 (s) {{stream}}'),
      ]),
    );
    grid.add(24, 6, (p) =>
      timeseries(
        'Tail: dedupe window fill, partitions assigned',
        p,
        [
          query(`max by (stream) (cqrs_events_dedupe_window_fill_ratio{${m}})`, 'dedupe fill {{stream}}'),
          query(`sum by (stream) (cqrs_events_tail_partitions{${m}})`, 'partitions {{stream}}'),
        ],
        { description: 'Fill 1: the count limit (streams[].dedupe.maxIds) binds before the time window.' },
      ),
    );
  }
  if (spec.dlqs) {
    names.push('dlq');
    const m = match(...TARGET, 'dlq');
    grid.row('Dead letters');
    grid.add(12, 8, (p) =>
      timeseries('Dead-letter inflow by source and reason (per second)', p, [
        query(`max by (dlq, source, reason) (rate(cqrs_dlq_messages_total{${m}}[5m]))`, '{{dlq}} {{source}} {{reason}}'),
      ]),
    );
    grid.add(12, 8, (p) =>
      timeseries('Unresolved dead letters and the oldest', p, [
        query(`max by (dlq) (cqrs_dlq_messages{${m}})`, 'unresolved {{dlq}}'),
        query(`max by (dlq) (cqrs_dlq_oldest_message_age_seconds{${m}})`, 'oldest age (s) {{dlq}}'),
      ]),
    );
  }
  if (spec.probes) {
    names.push('probe');
    grid.row('Read-after-write probes');
    probeDebugPanels(grid);
  }
  grid.row('The monitor');
  monitorPanels(grid, true);
  drillDown?.();
  const v = variables(sloQueries(spec.naming).variableMetric);
  return buildDashboard({
    uid: 'cqrs-slo-debug',
    title: 'CQRS SLO / Debugging',
    description:
      'Lag per topic with a per-partition drill-down, projection checkpoints, apply latency, event anomalies, dead letters and the monitor itself. Generated by cqrs-slo; do not edit.',
    tags: ['cqrs-slo', 'debug'],
    variables: names.map((n) => v[n]),
    panels: grid.panels(),
  });
}
