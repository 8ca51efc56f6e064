import type { MetricGroup } from '../metric-def.js';

const P = ['cluster', 'topic', 'partition'] as const;
const G = ['cluster', 'group', 'topic', 'partition'] as const;

/**
 * Kafka consumer-offset collector (docs/kafka.md). Per-partition families are exported at
 * `granularity: partition` only; per-topic families at `partition` and `topic`; per-group
 * families always.
 */
export const kafkaMetrics = {
  highWatermark: { name: 'cqrs_kafka_partition_high_watermark', help: 'Log end offset of the partition.', type: 'gauge', labelNames: P, table: true },
  lowWatermark: { name: 'cqrs_kafka_partition_low_watermark', help: 'Log start offset of the partition.', type: 'gauge', labelNames: P, table: true },
  committedOffset: {
    name: 'cqrs_kafka_group_committed_offset',
    help: 'Committed offset of the group on the partition.',
    type: 'gauge',
    labelNames: G,
    table: true,
  },
  lagMessages: { name: 'cqrs_kafka_group_lag_messages', help: 'max(0, high watermark - committed offset).', type: 'gauge', labelNames: G, table: true },
  lagSeconds: {
    name: 'cqrs_kafka_group_lag_seconds',
    help: 'Age of the oldest message the group has not consumed; 0 when caught up.',
    type: 'gauge',
    labelNames: G,
    table: true,
  },
  members: { name: 'cqrs_kafka_group_members', help: 'Members of the consumer group.', type: 'gauge', labelNames: ['cluster', 'group'], table: true },
  status: {
    name: 'cqrs_kafka_group_status',
    help: '1 for the current status of the group (OK, LAGGING, STALLED, STOPPED, REWOUND, ERROR), 0 for the others.',
    type: 'gauge',
    labelNames: ['cluster', 'group', 'status'],
    table: true,
  },
  redelivered: {
    name: 'cqrs_kafka_group_redelivered_messages_total',
    help: 'Messages re-delivered because the committed offset moved backwards.',
    type: 'counter',
    labelNames: ['cluster', 'group', 'topic'],
  },
  produced: {
    name: 'cqrs_kafka_topic_produced_messages_total',
    help: 'Messages produced to the topic, from high-watermark deltas.',
    type: 'counter',
    labelNames: ['cluster', 'topic'],
  },
  topicLagMessages: {
    name: 'cqrs_kafka_group_topic_lag_messages',
    help: 'Sum of offset lag over the partitions of the topic.',
    type: 'gauge',
    labelNames: ['cluster', 'group', 'topic'],
    table: true,
  },
  topicMaxLagMessages: {
    name: 'cqrs_kafka_group_topic_max_lag_messages',
    help: 'Largest partition offset lag of the topic.',
    type: 'gauge',
    labelNames: ['cluster', 'group', 'topic'],
    table: true,
  },
  topicLagSeconds: {
    name: 'cqrs_kafka_group_topic_lag_seconds',
    help: 'Age of the oldest unconsumed message of the topic (max over its partitions); absent when unknown.',
    type: 'gauge',
    labelNames: ['cluster', 'group', 'topic'],
    table: true,
  },
  groupLagMessages: {
    name: 'cqrs_kafka_group_total_lag_messages',
    help: 'Sum of offset lag over every partition of the group.',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  groupMaxLagMessages: {
    name: 'cqrs_kafka_group_max_lag_messages',
    help: 'Largest partition offset lag of the group.',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  groupLagSeconds: {
    name: 'cqrs_kafka_group_max_lag_seconds',
    help: 'Staleness of the group: age of its oldest unconsumed message; absent when unknown.',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  uncommitted: {
    name: 'cqrs_kafka_group_uncommitted_partitions',
    help: 'Partitions of the consumed topics without a committed offset (their lag counts what arrived since the monitor first saw them so).',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  commitAge: {
    name: 'cqrs_kafka_group_commit_age_seconds',
    help: 'Seconds since the monitor last saw a committed offset of the group move (since its first sample when none moved yet). Informational: quiet topics make it grow.',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  consumeRate: {
    name: 'cqrs_kafka_group_consumed_messages_per_second',
    help: 'Recent consumption rate of the group (committed-offset deltas over the status window).',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  produceRate: {
    name: 'cqrs_kafka_group_produced_messages_per_second',
    help: 'Recent production rate into the partitions the group consumes (high-watermark deltas over the status window).',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  drainSeconds: {
    name: 'cqrs_kafka_group_drain_seconds',
    help: 'Seconds until the group catches up at its recent rates; 0 when caught up; absent when the lag is not shrinking or the group is STOPPED, STALLED, ERROR or has no member.',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  breachSeconds: {
    name: 'cqrs_kafka_group_breach_seconds',
    help: 'Seconds until the staleness of the group crosses the forecast threshold at its recent rates; absent when not growing.',
    type: 'gauge',
    labelNames: ['cluster', 'group'],
    table: true,
  },
  groupInfo: {
    name: 'cqrs_kafka_group_info',
    help: 'Always 1; labels carry the group protocol (classic, consumer) and broker-reported state.',
    type: 'gauge',
    labelNames: ['cluster', 'group', 'protocol', 'state'],
    table: true,
  },
  timeLagUnavailable: {
    name: 'cqrs_kafka_time_lag_unavailable_total',
    help: 'Partition time lags not reported in a cycle, by reason (no_history, no_timestamp).',
    type: 'counter',
    labelNames: ['cluster', 'reason'],
  },
  timestampReads: {
    name: 'cqrs_kafka_timestamp_reads_total',
    help: 'Records read to get the exact timestamp at a committed offset.',
    type: 'counter',
    labelNames: ['cluster'],
  },
  requests: { name: 'cqrs_kafka_requests_total', help: 'Kafka protocol requests sent by the collector.', type: 'counter', labelNames: ['cluster'] },
  partialErrors: {
    name: 'cqrs_kafka_partial_errors_total',
    help: 'Failed requests that left a cycle incomplete without failing it (per group or topic), by request.',
    type: 'counter',
    labelNames: ['cluster', 'request'],
  },
  shardOwnedGroups: {
    name: 'cqrs_kafka_shard_owned_groups',
    help: 'Consumer groups this replica owned at its last cycle (clusters with sharding; docs/kafka.md).',
    type: 'gauge',
    labelNames: ['cluster'],
  },
  shardAssignedPartitions: {
    name: 'cqrs_kafka_shard_assigned_partitions',
    help: 'Coordination-topic partitions assigned to this replica now; 0 while joining or rebalancing.',
    type: 'gauge',
    labelNames: ['cluster'],
  },
  series: { name: 'cqrs_kafka_series', help: 'Lag series exported for the cluster after the maxSeries cap.', type: 'gauge', labelNames: ['cluster'] },
} as const satisfies MetricGroup;
