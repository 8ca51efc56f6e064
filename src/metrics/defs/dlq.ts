import type { MetricGroup } from '../metric-def.js';

/** Dead-letter queues (Kafka topics and SQL tables). */
export const dlqMetrics = {
  messages: { name: 'cqrs_dlq_messages', help: 'Dead-lettered messages not yet resolved.', type: 'gauge', labelNames: ['dlq'] },
  oldestAge: { name: 'cqrs_dlq_oldest_message_age_seconds', help: 'Age of the oldest unresolved dead-lettered message.', type: 'gauge', labelNames: ['dlq'] },
  inflow: { name: 'cqrs_dlq_messages_total', help: 'Messages dead-lettered, by source and bounded reason.', type: 'counter', labelNames: ['dlq', 'source', 'reason'] },
} as const satisfies MetricGroup;
