import type { ClusterConfig, ShardingConfig } from '../../../config/schema/kafka.js';

/** Sharding settings of one cluster with the defaults filled in. */
export interface ShardSettings {
  readonly group: string;
  readonly topic: string;
  /** Partitions to create the topic with when it is missing. */
  readonly partitions: number;
  readonly sessionTimeoutMs: number;
  /** A third of the session timeout, Kafka's usual ratio (at least 100 ms). */
  readonly heartbeatIntervalMs: number;
  /** Wait between a join and the first claim: EXPOSITION_CACHE_MS plus half a heartbeat interval. */
  readonly claimDelayMs: number;
}

/**
 * How long /metrics may serve a rendering made before a change (METRICS_CACHE_MS in
 * src/server/server.ts; a unit test keeps the two equal). A replica whose lease ran out notices
 * it within half a heartbeat interval (member.ts checks that often).
 */
export const EXPOSITION_CACHE_MS = 1000;

/**
 * Defaults: group `cqrs-slo.<cluster>`, topic `__cqrs_slo_shards.<cluster>` (characters a topic
 * name cannot hold, such as `:`, become `_`).
 */
export function shardSettings(cluster: Pick<ClusterConfig, 'name'>, s: ShardingConfig): ShardSettings {
  const sessionTimeoutMs = Math.round(s.sessionTimeout * 1000);
  const heartbeatIntervalMs = Math.max(100, Math.floor(sessionTimeoutMs / 3));
  return {
    group: s.coordinationGroup ?? `cqrs-slo.${cluster.name}`,
    topic: s.coordinationTopic ?? `__cqrs_slo_shards.${cluster.name.replace(/[^A-Za-z0-9._-]/g, '_')}`,
    partitions: s.partitions,
    sessionTimeoutMs,
    heartbeatIntervalMs,
    claimDelayMs: EXPOSITION_CACHE_MS + Math.ceil(heartbeatIntervalMs / 2),
  };
}
