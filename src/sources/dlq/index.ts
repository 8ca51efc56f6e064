import type { Config } from '../../config/schema/index.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';
import { createKafkaClient } from '../stream/kafka-client.js';
import { KafkaDlqSource } from './kafka-dlq-source.js';

export { KafkaDlqSource, dlqReaderGroupId, type KafkaDlqSourceOptions } from './kafka-dlq-source.js';
export { DlqReader, type DeadLetter } from './dlq-reader.js';
export { readDepths, type PartitionDepth } from './handled-marks.js';

/**
 * Builds the Kafka DLQ sources of the configuration. SQL dead-letter tables (`kind: sql`) are
 * built by the SQL sources.
 */
export function createDlqSources(config: Config, deps: SourceDeps): Source[] {
  const out: Source[] = [];
  for (const dlq of config.dlqs) {
    if (dlq.kind !== 'kafka') continue;
    const cluster = config.clusters.find((c) => c.name === dlq.cluster);
    // The schema's cross-reference check guarantees the cluster exists.
    if (!cluster) throw new Error(`dlq ${dlq.name}: no cluster named ${dlq.cluster}`);
    const kafka = createKafkaClient(cluster, { clientId: `${cluster.clientId}-dlq-${dlq.name}`, logger: deps.logger });
    out.push(new KafkaDlqSource({ dlq, cluster, kafka, deps }));
  }
  return out;
}
