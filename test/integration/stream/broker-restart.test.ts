import { describe, expect, inject, it } from 'vitest';
import { startKafka, DEFAULT_KAFKA_VERSION } from '../../env/kafka.js';
import { StreamSource } from '../../../src/sources/stream/stream-source.js';
import { createKafkaClient } from '../../../src/sources/stream/kafka-client.js';
import { cluster, cycle, event, stream, testDeps, testKafka, uniq, until, value } from './helpers.js';

const env = inject('kafka');

// A broker of its own: it is killed (SIGKILL) and restarted while the tail reads and a
// producer writes. The truth is the log itself: every record in it must be counted exactly once.
describe.skipIf(!!env.unavailable)('stream tail across a broker crash and restart', () => {
  it('loses no counts and counts none twice', async () => {
    const k = await startKafka({ version: process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION });
    const kafka = testKafka(k.brokers);
    const admin = kafka.admin();
    const producer = kafka.producer({ retry: { retries: 20, initialRetryTime: 300 } });
    const deps = testDeps();
    const topic = uniq('tail-crash');
    const c = cluster(k.brokers);
    const src = new StreamSource({
      stream: stream({ name: 'crash', topics: [topic], eventId: { jsonPath: '$.id' }, aggregateId: { key: true }, version: { jsonPath: '$.version' } }),
      cluster: c,
      kafka: createKafkaClient(c, { clientId: 'crash-tail', logger: deps.logger }),
      deps,
    });
    try {
      await admin.connect();
      await producer.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
      await src.collect(cycle(deps));
      await until('assigned', () => src.tail.assigned === 3);

      let sent = 0;
      let stop = false;
      const writer = (async () => {
        while (!stop) {
          const batch = Array.from({ length: 50 }, (_, i) => event(`e${sent + i}`, `agg${(sent + i) % 20}`, 1 + Math.floor((sent + i) / 20)));
          try {
            await producer.send({ topic, acks: -1, messages: batch });
            sent += 50;
          } catch {
            await new Promise((r) => setTimeout(r, 200)); // broker down: the batch may or may not be in the log
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      await until('some events read', () => src.tail.delivered >= 500);
      await k.kill();
      await new Promise((r) => setTimeout(r, 3000));
      await k.restart();
      const atRestart = src.tail.delivered;
      // The scheduler runs collect() every interval: it restarts a consumer that gave up.
      let errors = 0;
      await until(
        'reading again after the restart',
        async () => {
          await src.collect(cycle(deps)).catch(() => errors++);
          return src.tail.delivered >= atRestart + 500;
        },
        120_000,
      );
      stop = true;
      await writer;

      const offsets = await admin.fetchTopicOffsets(topic);
      const inLog = offsets.reduce((n, p) => n + Number(p.high), 0);
      await until(
        'all records in the log counted',
        async () => (await value(deps.registry, 'cqrs_events_observed_total', { stream: 'crash' })) >= inLog,
        120_000,
      );
      await new Promise((r) => setTimeout(r, 2000));
      const observed = await value(deps.registry, 'cqrs_events_observed_total', { stream: 'crash' });
      expect(observed).toBe(inLog);
      // Records re-delivered after the crash were skipped, not counted again.
      await src.collect(cycle(deps));
      const redelivered = await value(deps.registry, 'cqrs_events_tail_redelivered_total', { stream: 'crash' });
      console.log(`[broker restart] in log ${inLog}, counted ${observed}, re-delivered and skipped ${redelivered}, failed cycles ${errors}`);
      // A producer retry after a lost ack can write a batch twice: those are real duplicates in the log.
      const dups = await value(deps.registry, 'cqrs_events_duplicate_total', { stream: 'crash' });
      expect(inLog - dups).toBeLessThanOrEqual(sent + 50);
    } finally {
      await src.close().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await k.stop();
    }
  }, 300_000);
});
