import { describe, expect, it } from 'vitest';
import type { RabbitHandle } from '../../env/rabbitmq.js';
import { testDeps } from '../../helpers/deps.js';
import { createSloSources } from '../../../src/slo/index.js';
import { cycle, declareDeadLettered, rabbitConfig, rabbitSource, skipRabbit, sleep, statusOf, until, useRabbit, value } from './helpers.js';

const EXTRA = (rmq: RabbitHandle) =>
  `    amqpUrl: ${rmq.amqpUrl.replace(/\/\/[^@]*@/, '//')}\n    queues: { include: ["^pay"] }\n    deadLetters: { inflow: true }\n` +
  `slos:\n  - { name: pay-delivery, objective: 99, evaluationInterval: 1s, sli: { kind: delivery, broker: test, queue: pay.orders } }\n`;

describe.skipIf(skipRabbit)('delivery SLI on a RabbitMQ source queue (real rabbitmq-server)', () => {
  const rabbit = useRabbit();

  it('20 messages delivered, 16 acked, 4 rejected to the DLX: good 16, total 20 exactly', async () => {
    const ch = await rabbit.conn.createConfirmChannel();
    await declareDeadLettered(ch, { dlx: 'pay.dlx', dlq: 'pay.dlq', queue: 'pay.orders' });

    const deps = testDeps();
    const config = rabbitConfig(rabbit.rmq, EXTRA(rabbit.rmq));
    const src = rabbitSource(config, deps);
    const [slo] = createSloSources(config, deps);
    const tick = async () => {
      await src.collect(cycle(deps));
      await slo!.collect(cycle(deps));
    };
    // The shadow queue is bound in the first cycle; the ack base is read once the broker reports
    // the queue's stats (within a stats interval): acks before that are not counted.
    await until('stats of pay.orders', async () => {
      await tick();
      return (await statusOf(deps.registry, 'pay.orders')) !== 'ERROR';
    });
    await tick();

    for (let i = 0; i < 20; i++) ch.sendToQueue('pay.orders', Buffer.from(`p${i}`));
    await ch.waitForConfirms();
    const worker = await rabbit.conn.createChannel();
    let n = 0;
    await worker.consume('pay.orders', (m) => {
      if (!m) return;
      // Every fifth message fails: rejected without requeue, so dead-lettered through pay.dlx.
      if (n++ % 5 === 4) worker.reject(m, false);
      else worker.ack(m);
    });

    const counts = async () => ({
      good: await value(deps.registry, 'cqrs_slo_good_total', { slo: 'pay-delivery' }),
      total: await value(deps.registry, 'cqrs_slo_total', { slo: 'pay-delivery' }),
    });
    await until('20 messages counted', async () => {
      await tick();
      return ((await counts()).total ?? 0) >= 20 && ((await counts()).good ?? 0) >= 16;
    });
    // The broker's stats and the shadow queue settle: nothing more is counted.
    for (let i = 0; i < 4; i++) {
      await sleep(1500);
      await tick();
    }
    expect(n).toBe(20);
    expect(await counts()).toEqual({ good: 16, total: 20 });
    expect(await value(deps.registry, 'cqrs_dlq_messages_total', { dlq: 'pay.dlq', source: 'pay.orders', reason: 'rejected' })).toBe(4);
    await src.close();
  }, 90_000);
});
