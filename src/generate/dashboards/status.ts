import { GROUP_STATUSES } from '../../core/kafka/status.js';
import { PROJECTION_STATUSES } from '../../core/projection/types.js';
import { QUEUE_STATUSES } from '../../core/rabbitmq/status.js';
import type { ValueMapping } from './builders.js';

/**
 * The statuses of consumer groups and projections as numbers a panel can map back to named,
 * coloured states. Codes rise with severity, so `max` over replicas that disagree shows the worse.
 */
export const STATUS_STATES: readonly ValueMapping[] = [
  { value: 0, text: 'OK', color: 'green' },
  { value: 1, text: 'LAGGING', color: 'yellow' },
  { value: 2, text: 'REBUILDING', color: 'blue' },
  { value: 3, text: 'STALLED', color: 'orange' },
  { value: 4, text: 'STOPPED', color: 'red' },
  { value: 5, text: 'REWOUND', color: 'purple' },
  { value: 6, text: 'ERROR', color: 'red' },
];

const code = (status: string): number => {
  const s = STATUS_STATES.find((m) => m.text === status);
  if (!s) throw new Error(`no dashboard state for status ${status}`);
  return s.value;
};

/**
 * `cqrs_*_status{status}` is one-hot (1 for the current status, 0 for the others, docs/metrics.md):
 * keep the 1, turn its status label into the state code, one series per entity.
 */
function statusCode(metric: string, statuses: readonly string[], matchers: string, by: string): string {
  const parts = statuses.map((s) => `(${metric}{status="${s}"${matchers ? `, ${matchers}` : ''}} == 1) * ${code(s)}`);
  return `max by (${by}) (\n  ${parts.join('\n  or ')}\n)`;
}

/** State code per consumer group. */
export const groupStatusCode = (matchers: string): string => statusCode('cqrs_kafka_group_status', GROUP_STATUSES, matchers, 'cluster, group');

/** State code per projection. */
export const projectionStatusCode = (matchers: string): string => statusCode('cqrs_projection_status', PROJECTION_STATUSES, matchers, 'store, projection');

/** State code per RabbitMQ queue. */
export const queueStatusCode = (matchers: string): string => statusCode('cqrs_rabbitmq_queue_status', QUEUE_STATUSES, matchers, 'broker, vhost, queue');

/** The value mappings of the statuses a metric exports. */
export const statesOf = (statuses: readonly string[]): ValueMapping[] => STATUS_STATES.filter((m) => statuses.includes(m.text));
