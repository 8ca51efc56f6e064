import type { MetricGroup } from '../metric-def.js';

const Q = ['broker', 'vhost', 'queue'] as const;

/**
 * RabbitMQ queues from the management API (docs/rabbitmq.md). Gauges are removed when the
 * broker cannot be read; the counters carry the broker's cumulative `message_stats`.
 */
export const rabbitmqMetrics = {
  ready: { name: 'cqrs_rabbitmq_queue_messages_ready', help: 'Messages ready for delivery.', type: 'gauge', labelNames: Q, table: true },
  unacked: {
    name: 'cqrs_rabbitmq_queue_messages_unacknowledged',
    help: 'Messages delivered to consumers and not yet acknowledged.',
    type: 'gauge',
    labelNames: Q,
    table: true,
  },
  consumers: { name: 'cqrs_rabbitmq_queue_consumers', help: 'Consumers attached to the queue.', type: 'gauge', labelNames: Q, table: true },
  utilisation: {
    name: 'cqrs_rabbitmq_queue_consumer_utilisation_ratio',
    help: 'Fraction of time the queue could deliver to its consumers at once (consumer_utilisation, 0..1).',
    type: 'gauge',
    labelNames: Q,
    table: true,
  },
  oldestAge: {
    name: 'cqrs_rabbitmq_queue_oldest_message_age_seconds',
    help: 'Now minus the AMQP timestamp of the head message (head_message_timestamp); 0 when empty; absent when the head has no timestamp.',
    type: 'gauge',
    labelNames: Q,
    table: true,
  },
  status: {
    name: 'cqrs_rabbitmq_queue_status',
    help: '1 for the current status of the queue (OK, LAGGING, STALLED, STOPPED, ERROR), 0 for the others.',
    type: 'gauge',
    labelNames: ['broker', 'vhost', 'queue', 'status'],
    table: true,
  },
  published: {
    name: 'cqrs_rabbitmq_queue_published_messages_total',
    help: 'Messages published to the queue (message_stats.publish).',
    type: 'counter',
    labelNames: Q,
  },
  delivered: {
    name: 'cqrs_rabbitmq_queue_delivered_messages_total',
    help: 'Messages delivered to consumers or fetched by basic.get (message_stats.deliver_get).',
    type: 'counter',
    labelNames: Q,
  },
  acked: { name: 'cqrs_rabbitmq_queue_acked_messages_total', help: 'Messages acknowledged by consumers (message_stats.ack).', type: 'counter', labelNames: Q },
  redelivered: {
    name: 'cqrs_rabbitmq_queue_redelivered_messages_total',
    help: 'Deliveries of messages delivered before (message_stats.redeliver).',
    type: 'counter',
    labelNames: Q,
  },
  queues: { name: 'cqrs_rabbitmq_queues', help: 'Queues watched on the broker (after filters and the maxQueues cap).', type: 'gauge', labelNames: ['broker'] },
  ageUnavailable: {
    name: 'cqrs_rabbitmq_oldest_age_unavailable_total',
    help: 'Queue readings with messages waiting whose head message carried no AMQP timestamp (age left absent).',
    type: 'counter',
    labelNames: ['broker'],
  },
} as const satisfies MetricGroup;
