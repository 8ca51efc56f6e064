import type { MetricGroup } from '../metric-def.js';

const P = ['cluster', 'topic', 'partition'] as const;
const G = ['cluster', 'group', 'topic', 'partition'] as const;

/** Kafka consumer-offset collector. Partition granularity can be switched off (then partition="")...*/
export const kafkaMetrics = {
  highWatermark: { name: 'cqrs_kafka_partition_high_watermark', help: 'Log end offset of the partition.', type: 'gauge', labelNames: P },
  lowWatermark: { name: 'cqrs_kafka_partition_low_watermark', help: 'Log start offset of the partition.', type: 'gauge', labelNames: P },
  committedOffset: { name: 'cqrs_kafka_group_committed_offset', help: 'Committed offset of the group on the partition.', type: 'gauge', labelNames: G },
  lagMessages: { name: 'cqrs_kafka_group_lag_messages', help: 'max(0, high watermark - committed offset).', type: 'gauge', labelNames: G },
  lagSeconds: { name: 'cqrs_kafka_group_lag_seconds', help: 'Age of the oldest message the group has not consumed; 0 when caught up.', type: 'gauge', labelNames: G },
  members: { name: 'cqrs_kafka_group_members', help: 'Members of the consumer group.', type: 'gauge', labelNames: ['cluster', 'group'] },
  status: { name: 'cqrs_kafka_group_status', help: '1 for the current status of the group (OK, LAGGING, STALLED, STOPPED, REWOUND, ERROR), 0 for the others.', type: 'gauge', labelNames: ['cluster', 'group', 'status'] },
  redelivered: { name: 'cqrs_kafka_group_redelivered_messages_total', help: 'Messages re-delivered because the committed offset moved backwards.', type: 'counter', labelNames: ['cluster', 'group', 'topic'] },
  produced: { name: 'cqrs_kafka_topic_produced_messages_total', help: 'Messages produced to the topic, from high-watermark deltas.', type: 'counter', labelNames: ['cluster', 'topic'] },
} as const satisfies MetricGroup;
