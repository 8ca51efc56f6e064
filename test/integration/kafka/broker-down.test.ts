import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaHandle } from '../../env/kafka.js';
import { trace } from '@opentelemetry/api';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { clusterConfig, kit, makeDeps, makeSource, produce, series, sleep, value } from './helpers.js';

const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
// Skipped (with the environment's reason) where the shared broker could not start or was not
// asked for: the same Java and Maven are needed here.
const skip = !!inject('kafka').unavailable;

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
    await k.setOffsets({
      groupId: 'billing',
      topic: 'orders',
      partitions: [
        { partition: 0, offset: '4' },
        { partition: 1, offset: '10' },
      ],
    });
    await k.close();

    const deps = makeDeps();
    const cfg = clusterConfig(broker.brokers, { interval: '2s', timeout: '10s' });
    const source = makeSource(cfg, deps);
    // The real scheduler, driven cycle by cycle: it sets cqrs_source_up, counts errors and clears.
    const scheduler = new Scheduler({ sources: [source], metrics: deps.metrics, logger: deps.logger, tracer: trace.getTracer('test'), clock: deps.clock });
    const up = () => value(deps.registry, 'cqrs_source_up', { source: 'kafka:test' });
    const lag = (p: string) => value(deps.registry, 'cqrs_kafka_group_lag_messages', { cluster: 'test', group: 'billing', topic: 'orders', partition: p });
    try {
      expect((await scheduler.runOnce('kafka:test')).up).toBe(true);
      expect(await up()).toBe(1);
      expect(await lag('0')).toBe(6);
      expect(await lag('1')).toBe(0);

      await broker.kill();
      const t0 = Date.now();
      const failed = await scheduler.runOnce('kafka:test');
      expect(failed.up).toBe(false);
      expect(failed.lastError?.reason).toMatch(/unreachable|timeout/);
      // Bounded by the client's timeouts, well inside the cycle timeout.
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(await up()).toBe(0);
      const errors = await series(deps.registry, 'cqrs_collect_errors_total');
      expect(errors.filter((e) => e.labels.source === 'kafka:test').reduce((n, e) => n + e.value, 0)).toBe(1);
      for (const name of [
        'cqrs_kafka_group_lag_messages',
        'cqrs_kafka_group_lag_seconds',
        'cqrs_kafka_group_total_lag_messages',
        'cqrs_kafka_group_status',
        'cqrs_kafka_partition_high_watermark',
      ]) {
        expect(await series(deps.registry, name), name).toEqual([]);
      }
      expect(deps.board.staleness('group:test/billing')).toBeUndefined();

      await broker.restart();
      const restarted = Date.now();
      // The scheduler runs a cycle every interval: recovery must come within two.
      let ok = false;
      let cycles = 0;
      while (!ok && cycles < 2) {
        if (cycles > 0) await sleep(cfg.interval * 1000 - ((Date.now() - restarted) % (cfg.interval * 1000)));
        ok = (await scheduler.runOnce('kafka:test')).up;
        cycles++;
      }
      expect(ok).toBe(true);
      expect(await up()).toBe(1);
      expect(await lag('0')).toBe(6);
      expect(await lag('1')).toBe(0);
    } finally {
      await source.close();
    }
  });
});
