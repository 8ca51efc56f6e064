import type { Variable } from './builders.js';

/** Dashboard variables; each filters the label of the same name (partition_topic: `topic`). */
export type VarName =
  | 'job'
  | 'instance'
  | 'cluster'
  | 'group'
  | 'topic'
  | 'partition_topic'
  | 'store'
  | 'projection'
  | 'stream'
  | 'broker'
  | 'queue'
  | 'dlq'
  | 'probe'
  | 'slo';

const LABEL: Record<VarName, string> = {
  job: 'job',
  instance: 'instance',
  cluster: 'cluster',
  group: 'group',
  topic: 'topic',
  partition_topic: 'topic',
  store: 'store',
  projection: 'projection',
  stream: 'stream',
  broker: 'broker',
  queue: 'queue',
  dlq: 'dlq',
  probe: 'probe',
  slo: 'slo',
};

/**
 * Matchers for the given variables: `job=~"$job", cluster=~"$cluster"`. Always `=~`: Grafana
 * writes a multi-value or All selection as a regex (`(a|b)`, `.*`) and regex-escapes single values.
 */
export function match(...names: readonly VarName[]): string {
  return names.map((n) => `${LABEL[n]}=~"$${n}"`).join(', ');
}

/** The scrape target: every series the service exports carries job and instance. */
export const TARGET: readonly VarName[] = ['job', 'instance'];

/** `metric{matchers}` where metric's series carry the labels the variables filter. */
const values = (metric: string, by: readonly VarName[], label: string) => `label_values(${metric}${by.length ? `{${match(...by)}}` : ''}, ${label})`;

/**
 * Definitions, chained where natural: instance depends on job, group on cluster, topic on
 * cluster and group, projection on store. `sloMetric` is a recording every SLO has in the
 * chosen naming (SLOs over the application's own metrics exist only as recordings).
 */
export function variables(sloMetric: string): Record<VarName, Variable> {
  return {
    job: { name: 'job', label: 'Job', query: values('cqrs_build_info', [], 'job'), description: 'Prometheus job scraping cqrs-slo' },
    instance: { name: 'instance', label: 'Instance', query: values('cqrs_build_info', ['job'], 'instance'), description: 'cqrs-slo replica' },
    cluster: { name: 'cluster', label: 'Cluster', query: values('cqrs_kafka_group_total_lag_messages', [...TARGET], 'cluster') },
    group: { name: 'group', label: 'Consumer group', query: values('cqrs_kafka_group_total_lag_messages', [...TARGET, 'cluster'], 'group') },
    topic: { name: 'topic', label: 'Topic', query: values('cqrs_kafka_group_topic_lag_messages', [...TARGET, 'cluster', 'group'], 'topic') },
    partition_topic: {
      name: 'partition_topic',
      label: 'Drill-down topic',
      query: values('cqrs_kafka_group_topic_lag_messages', [...TARGET, 'cluster', 'group', 'topic'], 'topic'),
      description: 'The one topic whose partitions the collapsed drill-down row shows',
      single: true,
    },
    store: { name: 'store', label: 'Store', query: values('cqrs_projection_lag_events', [...TARGET], 'store') },
    projection: { name: 'projection', label: 'Projection', query: values('cqrs_projection_lag_events', [...TARGET, 'store'], 'projection') },
    stream: { name: 'stream', label: 'Stream', query: values('cqrs_events_observed_total', [...TARGET], 'stream') },
    broker: { name: 'broker', label: 'RabbitMQ broker', query: values('cqrs_rabbitmq_queue_messages_ready', [...TARGET], 'broker') },
    queue: { name: 'queue', label: 'Queue', query: values('cqrs_rabbitmq_queue_messages_ready', [...TARGET, 'broker'], 'queue') },
    dlq: { name: 'dlq', label: 'DLQ', query: values('cqrs_dlq_messages', [...TARGET], 'dlq') },
    probe: { name: 'probe', label: 'Probe', query: values('cqrs_probe_runs_total', [...TARGET], 'probe'), description: 'Read-after-write probe' },
    slo: { name: 'slo', label: 'SLO', query: values(sloMetric, [], 'slo') },
  };
}
