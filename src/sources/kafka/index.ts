import type { Config } from '../../config/schema/index.js';
import type { ClusterConfig } from '../../config/schema/kafka.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';
import type { KafkaClient } from './client.js';
import { KafkaClusterSource } from './cluster-source.js';
import { KafkajsClient } from './kafkajs-client.js';
import { kafkajsConnection } from './kafkajs-options.js';
import type { GroupShard } from './shard/group-shard.js';
import { ShardMember } from './shard/member.js';
import { shardSettings } from './shard/settings.js';

export type { KafkaClient } from './client.js';
export { KafkaClusterSource } from './cluster-source.js';
export { KafkajsClient } from './kafkajs-client.js';
export { kafkajsConnection } from './kafkajs-options.js';
export type { GroupShard, ShardSelection } from './shard/group-shard.js';

/** Builds the client of a cluster; swap it to use another Kafka library. */
export type KafkaClientFactory = (cluster: ClusterConfig, deps: SourceDeps) => KafkaClient;

/** The default client: kafkajs (docs/kafka-clients.md says why and what it cannot do). */
export const kafkajsClientFactory: KafkaClientFactory = (cluster, deps) =>
  new KafkajsClient({
    connection: kafkajsConnection(cluster),
    logger: deps.logger.child({ source: `kafka:${cluster.name}` }),
    concurrency: cluster.concurrency,
    topicsPerRequest: cluster.topicsPerRequest,
  });

/** Joins the cluster's shard coordination group (clusters with `sharding` enabled). */
export type GroupShardFactory = (cluster: ClusterConfig, deps: SourceDeps) => GroupShard | undefined;

export const kafkaShardFactory: GroupShardFactory = (cluster, deps) =>
  cluster.sharding?.enabled
    ? new ShardMember({
        cluster: cluster.name,
        connection: kafkajsConnection(cluster),
        settings: shardSettings(cluster, cluster.sharding),
        metrics: deps.metrics.kafka,
        logger: deps.logger.child({ source: `kafka:${cluster.name}`, part: 'shard' }),
        clock: deps.clock,
      })
    : undefined;

/** Builds the kafka sources of the configuration: one per cluster, each on its own schedule. */
export function createKafkaSources(
  config: Config,
  deps: SourceDeps,
  clientFactory: KafkaClientFactory = kafkajsClientFactory,
  shardFactory: GroupShardFactory = kafkaShardFactory,
): Source[] {
  return config.clusters.map((c) => new KafkaClusterSource(c, deps, clientFactory(c, deps), shardFactory(c, deps)));
}
