import { buildDashboard, query, stat, table, timeseries } from './builders.js';
import { Grid } from './layout.js';
import { probeOncallPanels } from './probes.js';
import { groupStatusPanels, monitorPanels, projectionStatusPanels, queueStatusPanels } from './sections.js';
import { sloQueries } from './slo-queries.js';
import type { DashboardSpec } from './spec.js';
import { match, TARGET, variables, type VarName } from './variables.js';

/** On-call: is anything burning, and where. One screen, worst first. */
export function oncallDashboard(spec: DashboardSpec): Record<string, unknown> {
  const q = sloQueries(spec.naming);
  const names: VarName[] = [];
  const grid = new Grid();
  if (spec.slos) {
    names.push('slo');
    grid.row('SLOs');
    grid.add(24, 7, (p) =>
      table(
        'SLOs: budget left and burn',
        p,
        [query(q.budgetRemaining, 'budget remaining'), query(q.burnRate(3_600), 'burn 1h'), query(q.burnRate(21_600), 'burn 6h')],
        {
          description: 'Burn rate 1 spends the whole budget in exactly one SLO period; for a 30-day SLO pages fire at 14.4 (1h) and 6 (6h).',
        },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries('Burn rate (1h and 6h windows)', p, [query(q.burnRate(3_600), '{{slo}} 1h'), query(q.burnRate(21_600), '{{slo}} 6h')], {
        thresholds: [
          { value: 6, color: 'orange' },
          { value: 14.4, color: 'red' },
        ],
        min: 0,
        description: 'Lines at 6 and 14.4: the page thresholds of a 30-day SLO (other periods scale the windows, not the factors).',
      }),
    );
    grid.add(12, 8, (p) => timeseries('Error budget remaining', p, [query(q.budgetRemaining, '{{slo}}')], { unit: 'percentunit', max: 1 }));
  }
  names.push(...TARGET);
  if (spec.kafka) {
    const vars: VarName[] = [...TARGET, 'cluster', 'group'];
    const m = match(...vars);
    names.push('cluster', 'group');
    grid.row('Consumer groups');
    grid.add(12, 8, (p) =>
      timeseries(
        'Staleness per group (oldest unconsumed message)',
        p,
        [query(`max by (cluster, group) (cqrs_kafka_group_max_lag_seconds{${m}})`, '{{cluster}}/{{group}}')],
        { unit: 's', min: 0 },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries('Lag per group (messages)', p, [query(`max by (cluster, group) (cqrs_kafka_group_total_lag_messages{${m}})`, '{{cluster}}/{{group}}')], {
        min: 0,
      }),
    );
    groupStatusPanels(grid, vars);
  }
  if (spec.stores) {
    const vars: VarName[] = [...TARGET, 'store', 'projection'];
    names.push('store', 'projection');
    grid.row('Projections');
    grid.add(24, 8, (p) =>
      timeseries(
        'Staleness of projections',
        p,
        [query(`max by (store, projection) (cqrs_projection_lag_seconds{${match(...vars)}})`, '{{store}}/{{projection}}')],
        { unit: 's', min: 0 },
      ),
    );
    projectionStatusPanels(grid, vars);
  }
  if (spec.rabbitmq) {
    const vars: VarName[] = [...TARGET, 'broker', 'queue'];
    const m = match(...vars);
    names.push('broker', 'queue');
    grid.row('RabbitMQ queues');
    grid.add(12, 8, (p) =>
      timeseries(
        'Oldest message age per queue',
        p,
        [query(`max by (broker, vhost, queue) (cqrs_rabbitmq_queue_oldest_message_age_seconds{${m}})`, '{{broker}} {{vhost}} {{queue}}')],
        {
          unit: 's',
          min: 0,
          description:
            'From the AMQP timestamp the producer set on the head message; absent where the broker does not report it (quorum and lazy queues, no timestamp): docs/rabbitmq.md.',
        },
      ),
    );
    grid.add(12, 8, (p) =>
      timeseries(
        'Messages waiting per queue (ready + unacknowledged)',
        p,
        [
          query(
            `max by (broker, vhost, queue) (cqrs_rabbitmq_queue_messages_ready{${m}} + cqrs_rabbitmq_queue_messages_unacknowledged{${m}})`,
            '{{broker}} {{vhost}} {{queue}}',
          ),
        ],
        { min: 0 },
      ),
    );
    queueStatusPanels(grid, vars);
  }
  if (spec.dlqs) {
    const m = match(...TARGET, 'dlq');
    names.push('dlq');
    grid.row('Dead letters');
    grid.add(12, 6, (p) =>
      stat('Dead-lettered, unresolved', p, [query(`max by (dlq) (cqrs_dlq_messages{${m}})`, '{{dlq}}')], {
        thresholds: [
          { value: 1, color: 'orange' },
          { value: 100, color: 'red' },
        ],
      }),
    );
    grid.add(12, 6, (p) =>
      stat('Oldest dead letter', p, [query(`max by (dlq) (cqrs_dlq_oldest_message_age_seconds{${m}})`, '{{dlq}}')], {
        unit: 's',
        thresholds: [
          { value: 3600, color: 'orange' },
          { value: 86400, color: 'red' },
        ],
      }),
    );
  }
  if (spec.probes) {
    names.push('probe');
    grid.row('Read-after-write probes');
    probeOncallPanels(grid);
  }
  grid.row('The monitor');
  monitorPanels(grid, false);
  const v = variables(q.variableMetric);
  return buildDashboard({
    uid: 'cqrs-slo-oncall',
    title: 'CQRS SLO / On-call',
    description: 'Error budget burn, stale read models, stalled consumers and dead letters. Generated by cqrs-slo; do not edit.',
    tags: ['cqrs-slo', 'oncall'],
    variables: names.map((n) => v[n]),
    panels: grid.panels(),
  });
}
