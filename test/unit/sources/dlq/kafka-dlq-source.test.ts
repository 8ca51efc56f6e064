import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../../../src/config/schema/kafka.js';
import { kafkaDlqSchema } from '../../../../src/config/schema/dlqs.js';
import { createKafkaClient } from '../../../../src/sources/stream/kafka-client.js';
import { KafkaDlqSource } from '../../../../src/sources/dlq/kafka-dlq-source.js';
import { seriesValue, testDeps } from '../../../helpers/deps.js';

describe('KafkaDlqSource.clear', () => {
  it('removes depth and age (current values) but keeps the inflow and produced counters (history)', async () => {
    const deps = testDeps();
    const cluster = clusterSchema.parse({ name: 'main', brokers: ['127.0.0.1:1'] });
    const dlq = kafkaDlqSchema.parse({ kind: 'kafka', name: 'orders-dlt', cluster: 'main', topics: ['orders.DLT'] });
    // No broker is contacted: the admin connects on the first cycle only.
    const src = new KafkaDlqSource({ dlq, cluster, kafka: createKafkaClient(cluster, { clientId: 't', logger: deps.logger }), deps });
    const m = deps.metrics.dlq;
    m.messages.set({ dlq: 'orders-dlt' }, 4);
    m.oldestAge.set({ dlq: 'orders-dlt' }, 30);
    m.inflow.inc({ dlq: 'orders-dlt', source: 'orders', reason: 'Timeout' }, 2);
    m.sourceProduced.inc({ dlq: 'orders-dlt', source: 'orders' }, 100);
    src.clear();
    expect(await seriesValue(deps.registry, 'cqrs_dlq_messages', { dlq: 'orders-dlt' })).toBeUndefined();
    expect(await seriesValue(deps.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlt' })).toBeUndefined();
    expect(await seriesValue(deps.registry, 'cqrs_dlq_messages_total', { dlq: 'orders-dlt', source: 'orders', reason: 'Timeout' })).toBe(2);
    expect(await seriesValue(deps.registry, 'cqrs_dlq_source_produced_messages_total', { dlq: 'orders-dlt', source: 'orders' })).toBe(100);
    await src.close();
  });
});
