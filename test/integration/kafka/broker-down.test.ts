import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaHandle } from '../../env/kafka.js';
import { SourceError } from '../../../src/sources/source-error.js';
import { clusterConfig, cycle, kit, makeDeps, makeSource, produce, series, sleep, value } from './helpers.js';

const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
const skip = process.env.CQRS_TEST_ENV !== undefined && !process.env.CQRS_TEST_ENV.split(',').includes('kafka');

// Its own broker: this test kills it.
describe.skipIf(skip)(`Kafka ${version}: broker down mid-run`, () => {
  let broker: KafkaHandle;
  beforeAll(async () => {
    broker = await startKafka({ version });
  });
  afterAll(async () => {
    await broker?.stop();
  });

  it('fails the cycle, removes every lag series (never 0), and recovers within two intervals of the restart', async () => {
    const k = await kit(broker.brokers);
    await k.admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }], waitForLeaders: true });
    await produce(k, 'orders', 0, 10);
    await produce(k, 'orders', 1, 10);
    await k.setOffsets({ groupId: 'billing', topic: 'orders', partitions: [{ partition: 0, offset: '4' }, { partition: 1, offset: '10' }] });
    await k.close();

    const deps = makeDeps();
    const cfg = clusterConfig(broker.brokers, { interval: '2s', timeout: '10s' });
    const source = makeSource(cfg, deps);
    const lag = (p: string) => value(deps.registry, 'cqrs_kafka_group_lag_messages', { cluster: 'test', group: 'billing', topic: 'orders', partition: p });
    try {
      expect(await cycle(source, deps)).not.toBeInstanceOf(Error);
      expect(await lag('0')).toBe(6);
      expect(await lag('1')).toBe(0);

      await broker.kill();
      const t0 = Date.now();
      const failed = await cycle(source, deps);
      expect(failed).toBeInstanceOf(SourceError);
      expect((failed as SourceError).reason).toMatch(/unreachable|timeout/);
      // Bounded by the client's timeouts, well inside the cycle timeout.
      expect(Date.now() - t0).toBeLessThan(10_000);
      for (const name of ['cqrs_kafka_group_lag_messages', 'cqrs_kafka_group_lag_seconds', 'cqrs_kafka_group_total_lag_messages', 'cqrs_kafka_group_status', 'cqrs_kafka_partition_high_watermark']) {
        expect(await series(deps.registry, name), name).toEqual([]);
      }
      expect(deps.board.staleness('group:test/billing')).toBeUndefined();

      await broker.restart();
      const restarted = Date.now();
      // The scheduler would run a cycle every interval: recovery must come within two.
      let ok = false;
      while (!ok && Date.now() - restarted < 2 * cfg.interval * 1000 + 10_000) {
        ok = !((await cycle(source, deps)) instanceof Error);
        if (!ok) await sleep(cfg.interval * 1000);
      }
      expect(ok).toBe(true);
      expect(await lag('0')).toBe(6);
      expect(await lag('1')).toBe(0);
    } finally {
      await source.close();
    }
  });
});
