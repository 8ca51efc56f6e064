import type { MetricGroup } from '../metric-def.js';

/** Dead-letter queues (Kafka topics and SQL tables). */
export const dlqMetrics = {
  messages: { name: 'cqrs_dlq_messages', help: 'Dead-lettered messages not yet resolved.', type: 'gauge', labelNames: ['dlq'] },
  oldestAge: { name: 'cqrs_dlq_oldest_message_age_seconds', help: 'Age of the oldest unresolved dead-lettered message.', type: 'gauge', labelNames: ['dlq'] },
  inflow: {
    name: 'cqrs_dlq_messages_total',
    help: 'Messages dead-lettered, by source and bounded reason.',
    type: 'counter',
    labelNames: ['dlq', 'source', 'reason'],
  },
  sourceProduced: {
    name: 'cqrs_dlq_source_produced_messages_total',
    help: 'Messages produced on the source topics of a Kafka DLQ (high-watermark deltas): the denominator of the DLQ ratio.',
    type: 'counter',
    labelNames: ['dlq', 'source'],
  },
} as const satisfies MetricGroup;
