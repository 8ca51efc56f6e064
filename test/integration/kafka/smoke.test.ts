import { describe, expect, inject, it } from 'vitest';
import { useKit } from './helpers.js';

const env = inject('kafka');

// Proves the broker of the test environment is real: a topic is created, records are
// produced and the watermarks come back through the admin API.
describe.skipIf(!!env.unavailable)(`Kafka ${env.version} test broker`, () => {
  const kit = useKit(env.brokers, { clientId: 'smoke' });

  it('creates a topic, takes records and reports its watermarks', async () => {
    const topic = `smoke-${Date.now()}`;
    await kit.admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
    await kit.producer.send({ topic, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `m${i}` })) });
    await kit.producer.send({ topic, messages: [{ partition: 1, value: 'x' }] });

    const offsets = (await kit.admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
    expect(offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high }))).toEqual([
      { partition: 0, low: '0', high: '3' },
      { partition: 1, low: '0', high: '1' },
    ]);
  });
});
