import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { testDeps } from '../../helpers/deps.js';
import { Scheduler } from '../../../src/scheduler/scheduler.js';
import { createSloSources } from '../../../src/slo/index.js';
import { declareDeadLettered, rabbitConfig, rabbitSource, series, skipRabbit, until, useRabbit, value } from './helpers.js';

// Its own broker: this test stops and restarts it.
describe.skipIf(skipRabbit)('RabbitMQ broker restarted mid-run (real rabbitmq-server 3.10)', () => {
  const rabbit = useRabbit();

  it('source down (unreachable, gauges and DLQ depth removed, freshness ticks unknown), then recovers with the same depth', async () => {
    const ch = await rabbit.conn.createConfirmChannel();
    await declareDeadLettered(ch, { dlx: 'dlx', dlq: 'orders.dlq', queue: 'orders' });
    const ts = Math.floor(Date.now() / 1000) - 30;
    for (let i = 0; i < 3; i++) ch.sendToQueue('orders', Buffer.from(`o${i}`), { timestamp: ts + i, persistent: true });
    ch.sendToQueue('orders.dlq', Buffer.from('dead'), { timestamp: ts, persistent: true });
    await ch.waitForConfirms();
    await ch.close();

    const deps = testDeps();
    const config = rabbitConfig(
      rabbit.rmq,
      `slos:\n  - { name: orders-fresh, objective: 99, evaluationInterval: 1s, sli: { kind: freshness, broker: test, queue: orders, threshold: 5m } }\n`,
    );
    const src = rabbitSource(config, deps);
    const [slo] = createSloSources(config, deps);
    const scheduler = new Scheduler({ sources: [src, slo!], metrics: deps.metrics, logger: deps.logger, tracer: trace.getTracer('test'), clock: deps.clock });
    const L = { broker: 'test', vhost: '/', queue: 'orders' };
    const up = () => value(deps.registry, 'cqrs_source_up', { source: 'rabbitmq:test' });
    const ready = () => value(deps.registry, 'cqrs_rabbitmq_queue_messages_ready', L);
    const sloCount = async (name: string, labels: Record<string, string> = {}) => (await value(deps.registry, name, { slo: 'orders-fresh', ...labels })) ?? NaN;
    try {
      await until('first reading', async () => (await scheduler.runOnce(src.name)).up && (await ready()) === 3);
      expect(await up()).toBe(1);
      expect(await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'orders.dlq' })).toBe(1);
      await scheduler.runOnce(slo!.name);
      expect(await sloCount('cqrs_slo_good_total')).toBe(1);
      expect(await sloCount('cqrs_slo_total')).toBe(1);

      await rabbit.rmq.halt();
      const down = await scheduler.runOnce(src.name);
      expect(down.up).toBe(false);
      expect(down.lastError?.reason).toBe('unreachable');
      expect(await up()).toBe(0);
      for (const name of [
        'cqrs_rabbitmq_queue_messages_ready',
        'cqrs_rabbitmq_queue_messages_unacknowledged',
        'cqrs_rabbitmq_queue_oldest_message_age_seconds',
        'cqrs_rabbitmq_queue_status',
        'cqrs_rabbitmq_queue_consumers',
        'cqrs_dlq_messages',
        'cqrs_dlq_oldest_message_age_seconds',
        'cqrs_rabbitmq_queues',
      ]) {
        expect(await series(deps.registry, name), name).toEqual([]);
      }
      // The freshness tick while the broker is unreadable is unknown, neither good nor bad.
      await scheduler.runOnce(slo!.name);
      expect(await sloCount('cqrs_slo_total')).toBe(1);
      expect(await sloCount('cqrs_slo_unknown_total', { reason: 'unreadable' })).toBe(1);

      await rabbit.rmq.start();
      await until('recovered', async () => (await scheduler.runOnce(src.name)).up && (await ready()) === 3, 60_000);
      expect(await up()).toBe(1);
      expect(await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'orders.dlq' })).toBe(1);
      const age = (await value(deps.registry, 'cqrs_rabbitmq_queue_oldest_message_age_seconds', L))!;
      expect(Math.abs(age - (Date.now() / 1000 - ts))).toBeLessThan(2);
      // The broker's counters restarted from 0: the exported counter never goes down.
      expect(await value(deps.registry, 'cqrs_rabbitmq_queue_published_messages_total', L)).toBe(3);
      await scheduler.runOnce(slo!.name);
      expect(await sloCount('cqrs_slo_good_total')).toBe(2);
    } finally {
      await scheduler.stop(1);
    }
  });
});
