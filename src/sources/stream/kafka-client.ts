import type { Kafka, KafkaConfig, SASLOptions, logLevel as LogLevel } from 'kafkajs';
import type { Logger } from 'pino';
import type { ClusterConfig } from '../../config/schema/kafka.js';
import { kafkajsConnection } from '../kafka/kafkajs-options.js';
import { lazyModule } from '../lazy-module.js';

const loadKafkajs = lazyModule<{ Kafka: typeof Kafka; logLevel: typeof LogLevel }>('kafkajs');

/**
 * A kafkajs client for a configured cluster, for the tail and DLQ readers. kafkajs' own log
 * goes to pino at warn and above (it logs every rebalance and retry at info, which would drown
 * the service log). Secrets are revealed here, at the point of use only.
 */
export function createKafkaClient(cluster: ClusterConfig, opts: { clientId: string; logger: Logger }): Kafka {
  const { Kafka, logLevel } = loadKafkajs();
  const log = opts.logger.child({ component: 'kafkajs', cluster: cluster.name });
  const config: KafkaConfig = {
    clientId: opts.clientId,
    brokers: cluster.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry) => {
      const { message, ...extra } = entry.log;
      if (entry.level <= logLevel.ERROR) log.error({ ...extra, namespace: entry.namespace }, message);
      else log.warn({ ...extra, namespace: entry.namespace }, message);
    },
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10_000 },
  };
  // The same TLS / SASL mapping as the offsets source: one place to get it right.
  const { ssl, sasl } = kafkajsConnection(cluster);
  if (ssl !== undefined) config.ssl = ssl;
  if (sasl) config.sasl = sasl as SASLOptions;
  return new Kafka(config);
}
