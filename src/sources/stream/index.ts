import type { Config } from '../../config/schema/index.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';
import { createKafkaClient } from './kafka-client.js';
import { StreamSource } from './stream-source.js';

export { StreamSource, tailGroupId, type StreamSourceOptions } from './stream-source.js';
export { TailConsumer, type TailConsumerOptions, type RecordsHandler } from './tail-consumer.js';
export { createKafkaClient } from './kafka-client.js';

/** Builds the Kafka stream sources of the configuration: one tail consumer per stream. */
export function createStreamSources(config: Config, deps: SourceDeps): Source[] {
  return config.streams.flatMap((stream) => {
    if (stream.kind === 'sql') return []; // sources/sql-stream
    const cluster = config.clusters.find((c) => c.name === stream.cluster);
    // The schema's cross-reference check guarantees the cluster exists.
    if (!cluster) throw new Error(`stream ${stream.name}: no cluster named ${stream.cluster}`);
    const kafka = createKafkaClient(cluster, { clientId: `${cluster.clientId}-tail-${stream.name}`, logger: deps.logger });
    return [new StreamSource({ stream, cluster, kafka, deps })];
  });
}
