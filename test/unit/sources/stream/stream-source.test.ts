import { describe, expect, it } from 'vitest';
import { clusterSchema } from '../../../../src/config/schema/kafka.js';
import { streamSchema } from '../../../../src/config/schema/streams.js';
import { UNPARSEABLE_REASONS } from '../../../../src/core/events/unparseable.js';
import { createKafkaClient } from '../../../../src/sources/stream/kafka-client.js';
import { StreamSource } from '../../../../src/sources/stream/stream-source.js';
import { seriesValue, testDeps } from '../../../helpers/deps.js';

// No broker is contacted: the tail consumer connects on the first cycle only.
function source() {
  const deps = testDeps();
  const cluster = clusterSchema.parse({ name: 'main', brokers: ['127.0.0.1:1'] });
  const stream = streamSchema.parse({ name: 'orders', cluster: 'main', topics: ['orders'], eventId: { header: 'id' } });
  const src = new StreamSource({ stream, cluster, kafka: createKafkaClient(cluster, { clientId: 't', logger: deps.logger }), deps });
  return { deps, src };
}

const COUNTERS = [
  'cqrs_events_observed_total',
  'cqrs_events_duplicate_total',
  'cqrs_events_gap_total',
  'cqrs_events_out_of_order_total',
  'cqrs_events_tail_redelivered_total',
  'cqrs_events_aggregate_evictions_total',
];

describe('StreamSource counters', () => {
  it('exist at 0 for the stream (unparseable: every reason) before the first event', async () => {
    const { deps } = source();
    for (const name of COUNTERS) expect(await seriesValue(deps.registry, name, { stream: 'orders' }), name).toBe(0);
    for (const reason of UNPARSEABLE_REASONS) expect(await seriesValue(deps.registry, 'cqrs_events_unparseable_total', { stream: 'orders', reason })).toBe(0);
  });

  it('stay when the source fails (clear removes gauges only: counters are history)', async () => {
    const { deps, src } = source();
    deps.metrics.events.observed.inc({ stream: 'orders' }, 7);
    deps.metrics.events.dedupeIds.set({ stream: 'orders' }, 3);
    src.clear();
    expect(await seriesValue(deps.registry, 'cqrs_events_observed_total', { stream: 'orders' })).toBe(7);
    expect(await seriesValue(deps.registry, 'cqrs_events_unparseable_total', { stream: 'orders', reason: 'tombstone' })).toBe(0);
    expect(await seriesValue(deps.registry, 'cqrs_events_dedupe_window_ids', { stream: 'orders' })).toBeUndefined();
  });
});
