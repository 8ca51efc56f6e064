import type { StreamConfig } from '../config/schema/streams.js';
import type { Config } from '../config/schema/index.js';
import type { ClusterConfig } from '../config/schema/kafka.js';
import type { StoreConfig } from '../config/schema/stores.js';
import { ConfigError, type ConfigIssue } from '../config/config-error.js';

/** Where the workload writes: read from the same config the monitor watches, so both agree. */
export interface WorkloadTargets {
  readonly cluster: ClusterConfig;
  /** Topic the relay publishes events to (the first topic of the first stream). */
  readonly eventTopic: string;
  /** Dead-letter topic (the first topic of the first Kafka DLQ on that cluster). */
  readonly deadLetterTopic: string;
  /** The Emmett store holding the events, the checkpoints and the dead-letter table. */
  readonly store: StoreConfig;
  readonly deadLetterTable: string;
}

/**
 * Picks the workload's targets from a service config. Throws ConfigError naming the section
 * that lacks what the workload needs.
 */
export function workloadTargets(config: Config, file: string): WorkloadTargets {
  const issues: ConfigIssue[] = [];
  const stream = config.streams.find((s) => s.kind !== 'sql') as StreamConfig | undefined;
  if (!stream) issues.push({ path: 'streams', message: 'the workload needs a Kafka stream: it publishes to its first topic' });
  const cluster = stream ? config.clusters.find((c) => c.name === stream.cluster) : undefined;
  const dlqIndex = config.dlqs.findIndex((d) => d.kind === 'kafka' && d.cluster === stream?.cluster && d.topics.length > 0);
  const dlq = config.dlqs[dlqIndex];
  if (dlq?.kind !== 'kafka')
    issues.push({ path: 'dlqs', message: `the workload needs a kafka DLQ with topics on cluster ${JSON.stringify(stream?.cluster ?? '')}` });
  const storeIndex = config.stores.findIndex((s) => s.preset === 'emmett' && s.deadLetters?.table !== undefined && s.connection.pglite === undefined);
  const store = config.stores[storeIndex];
  if (!store) issues.push({ path: 'stores', message: 'the workload needs an emmett store on PostgreSQL (host or connectionString) with deadLetters.table' });
  const table = store?.deadLetters?.table;
  if (store && table && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) {
    issues.push({
      path: `stores[${storeIndex}].deadLetters.table`,
      message: `the workload creates this table: it must be a plain [schema.]table name, got ${JSON.stringify(table)}`,
    });
  }
  if (issues.length > 0 || !stream || !cluster || !dlq || dlq.kind !== 'kafka' || !store) throw new ConfigError(file, issues);
  return { cluster, eventTopic: stream.topics[0]!, deadLetterTopic: dlq.topics[0]!, store, deadLetterTable: store.deadLetters!.table! };
}
