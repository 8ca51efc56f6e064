import { describe, expect, it } from 'vitest';
import type { RabbitHandle } from '../../env/rabbitmq.js';
import { testDeps } from '../../helpers/deps.js';
import type { SourceError } from '../../../src/sources/source-error.js';
import { cycle, declareDeadLettered, rabbitConfig, rabbitSource, series, skipRabbit, until, useRabbit, value } from './helpers.js';

const INFLOW = (rmq: RabbitHandle) =>
  `    amqpUrl: ${rmq.amqpUrl.replace(/\/\/[^@]*@/, '//')}\n    queues: { include: ["^shop"] }\n    deadLetters: { inflow: true, names: { "shop.dlq": shop-dlq } }\n`;

describe.skipIf(skipRabbit)('RabbitMQ dead-letter inflow by source and x-death reason through a shadow queue (real rabbitmq-server 3.10)', () => {
  const rabbit = useRabbit();
  const api = rabbit.api;

  const inflow = async (registry: Parameters<typeof series>[0]) =>
    Object.fromEntries(
      (await series(registry, 'cqrs_dlq_messages_total'))
        .filter((s) => s.value > 0)
        .map((s) => [`${s.labels.dlq}|${s.labels.source}|${s.labels.reason}`, s.value]),
    );

  it('5 rejected, 3 expired, 2 maxlen, 1 delivery_limit, 1 published to the DLX by hand: exact counts; the DLQ itself is never read', async () => {
    const ch = await rabbit.conn.createConfirmChannel();
    const dlx = await declareDeadLettered(ch, { dlx: 'shop.dlx', dlq: 'shop.dlq', queue: 'shop.orders' });
    await ch.assertQueue('shop.delay', { arguments: { ...dlx, 'x-message-ttl': 100 } });
    await ch.assertQueue('shop.capped', { arguments: { ...dlx, 'x-max-length': 1 } });
    await ch.assertQueue('shop.quorum', { durable: true, arguments: { ...dlx, 'x-queue-type': 'quorum', 'x-delivery-limit': 1 } });

    const deps = testDeps();
    const src = rabbitSource(rabbitConfig(rabbit.rmq, INFLOW(rabbit.rmq)), deps);
    // The first cycle declares and binds the shadow queue: dead letters from then on are counted.
    const report = await src.collect(cycle(deps));
    expect(report.dead_letters).toBe(0);
    const shadows = ((await (await api('/api/queues/%2F?columns=name,arguments')).json()) as { name: string; arguments: Record<string, unknown> }[]).filter(
      (q) => q.name.startsWith('cqrs-slo.'),
    );
    expect(shadows).toEqual([{ name: 'cqrs-slo.dl-shadow.test.shop.dlx', arguments: { 'x-expires': 60_000, 'x-max-length': 100_000 } }]);

    for (let i = 0; i < 5; i++) ch.sendToQueue('shop.orders', Buffer.from(`o${i}`));
    for (let i = 0; i < 3; i++) ch.sendToQueue('shop.delay', Buffer.from(`d${i}`));
    for (let i = 0; i < 3; i++) ch.sendToQueue('shop.capped', Buffer.from(`c${i}`)); // 2 pushed out at the head
    ch.sendToQueue('shop.quorum', Buffer.from('q0'));
    ch.publish('shop.dlx', '', Buffer.from('by-hand'));
    await ch.waitForConfirms();
    const rej = await rabbit.conn.createChannel();
    await rej.consume('shop.orders', (m) => m && rej.reject(m, false));
    const nack = await rabbit.conn.createChannel();
    await nack.consume('shop.quorum', (m) => m && nack.nack(m, false, true)); // requeued until the delivery limit
    const want = {
      'shop-dlq|shop.orders|rejected': 5,
      'shop-dlq|shop.delay|expired': 3,
      'shop-dlq|shop.capped|maxlen': 2,
      'shop-dlq|shop.quorum|delivery_limit': 1,
      'shop-dlq|other|other': 1,
    };
    await until('12 dead letters counted', async () => {
      await src.collect(cycle(deps));
      return (
        JSON.stringify(await inflow(deps.registry)) === JSON.stringify(want) || Object.values(await inflow(deps.registry)).reduce((a, b) => a + b, 0) >= 12
      );
    });
    expect(await inflow(deps.registry)).toEqual(want);
    await rej.close();
    await nack.close();

    // The DLQ holds all 12, and nobody took one from it: no delivery, no get, no redelivery.
    await until('DLQ depth 12', async () => {
      await src.collect(cycle(deps));
      return (await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'shop-dlq' })) === 12;
    });
    const dlq = (await (await api('/api/queues/%2F/shop.dlq')).json()) as { messages: number; message_stats?: { deliver_get?: number; redeliver?: number } };
    expect(dlq.messages).toBe(12);
    expect(dlq.message_stats?.deliver_get ?? 0).toBe(0);
    expect(dlq.message_stats?.redeliver ?? 0).toBe(0);
    // The shadow queue is neither watched nor a DLQ.
    expect((await series(deps.registry, 'cqrs_rabbitmq_queue_messages_ready')).some((s) => s.labels.queue!.startsWith('cqrs-slo.'))).toBe(false);
    expect((await series(deps.registry, 'cqrs_dlq_messages')).map((s) => s.labels.dlq)).toEqual(['shop-dlq']);

    // The monitor stops; 2 more are rejected while it is away; a new monitor counts them from the
    // durable shadow queue.
    await src.close();
    for (let i = 0; i < 2; i++) ch.sendToQueue('shop.orders', Buffer.from(`late${i}`));
    await ch.waitForConfirms();
    const rej2 = await rabbit.conn.createChannel();
    let n = 0;
    await rej2.consume('shop.orders', (m) => {
      if (!m) return;
      n++;
      rej2.reject(m, false);
    });
    await until('2 rejected', () => n === 2);
    await rej2.close();
    const deps2 = testDeps();
    const src2 = rabbitSource(rabbitConfig(rabbit.rmq, INFLOW(rabbit.rmq)), deps2);
    await until('the 2 counted by the next monitor', async () => {
      await src2.collect(cycle(deps2));
      return (await value(deps2.registry, 'cqrs_dlq_messages_total', { dlq: 'shop-dlq', source: 'shop.orders', reason: 'rejected' })) === 2;
    });
    expect(await inflow(deps2.registry)).toEqual({ 'shop-dlq|shop.orders|rejected': 2 });
    await src2.close();
    await ch.close();
  });

  it('a user without configure permission on the shadow queues: the cycle fails with reason auth and says which permission', async () => {
    expect((await api('/api/users/limited', 'PUT', { password: 'limited-pw', tags: 'monitoring' })).status).toBe(201);
    expect((await api('/api/permissions/%2F/limited', 'PUT', { configure: '^$', write: '^$', read: '.*' })).status).toBe(201);
    const deps = testDeps();
    const cfg = rabbitConfig(rabbit.rmq, INFLOW(rabbit.rmq), 'limited-pw');
    const src = rabbitSource({ ...cfg, rabbitmq: [{ ...cfg.rabbitmq[0]!, user: 'limited' }] }, deps);
    const err = await src.collect(cycle(deps)).then(
      () => undefined,
      (e: unknown) => e as SourceError,
    );
    expect(err?.reason).toBe('auth');
    expect(err?.message).toMatch(/dead-letter inflow: declare shadow queue cqrs-slo\.dl-shadow\.test\.shop\.dlx in vhost "\/": .*ACCESS_REFUSED.*configure/);
    expect(err?.message).not.toContain('limited-pw');
    await src.close();
  });
});
