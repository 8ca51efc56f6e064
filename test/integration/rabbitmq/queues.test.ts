import { describe, expect, it } from 'vitest';
import type amqp from 'amqplib';
import { skippingClock } from '../../helpers/clock.js';
import { testDeps } from '../../helpers/deps.js';
import { cycle, declareDeadLettered, rabbitConfig, rabbitSource, series, skipRabbit, statusOf, until, useRabbit, value } from './helpers.js';

// One broker for this file.
describe.skipIf(skipRabbit)('RabbitMQ queues through the management API (real rabbitmq-server 3.10)', () => {
  const rabbit = useRabbit();

  /** Publishes `n` persistent messages with AMQP timestamps `ts + i` (seconds) and waits for the confirms. */
  async function publish(queue: string, n: number, ts: number, opts: amqp.Options.AssertQueue = {}): Promise<void> {
    const ch = await rabbit.conn.createConfirmChannel();
    await ch.assertQueue(queue, opts);
    for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(`m${i}`), { timestamp: ts + i, persistent: true });
    await ch.waitForConfirms();
    await ch.close();
  }

  it('no consumer: exact depth, STOPPED, oldest age within a second of the truth; an acking consumer drains it to OK', async () => {
    const deps = testDeps();
    const src = rabbitSource(rabbitConfig(rabbit.rmq, '    queues: { include: ["^orders$"] }\n'), deps);
    const ts = Math.floor(Date.now() / 1000) - 120;
    await publish('orders', 5, ts);
    const L = { broker: 'test', vhost: '/', queue: 'orders' };
    // The broker reports a new queue's stats within a stats interval (1 s here).
    await until('stats of orders', async () => {
      await src.collect(cycle(deps));
      return (await value(deps.registry, 'cqrs_rabbitmq_queue_messages_ready', L)) === 5;
    });
    const readAt = Date.now();
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_messages_unacknowledged', L)).toBe(0);
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_consumers', L)).toBe(0);
    expect(await statusOf(deps.registry, 'orders')).toBe('STOPPED');
    const age = (await value(deps.registry, 'cqrs_rabbitmq_queue_oldest_message_age_seconds', L))!;
    expect(Math.abs(age - (readAt / 1000 - ts))).toBeLessThan(1);
    expect(deps.board.staleness('queue:test///orders')).toBeCloseTo(age, 6);
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_published_messages_total', L)).toBe(5);
    expect(await value(deps.registry, 'cqrs_source_up', {})).toBeUndefined(); // set by the scheduler, not the source
    // Only the filtered queue.
    expect((await series(deps.registry, 'cqrs_rabbitmq_queue_messages_ready')).map((s) => s.labels.queue)).toEqual(['orders']);

    const ch = await rabbit.conn.createChannel();
    let consumed = 0;
    await ch.consume('orders', (m) => {
      if (!m) return;
      consumed++;
      ch.ack(m);
    });
    await until('drained and counted', async () => {
      await src.collect(cycle(deps));
      return consumed === 5 && (await value(deps.registry, 'cqrs_rabbitmq_queue_acked_messages_total', L)) === 5;
    });
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_messages_ready', L)).toBe(0);
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_consumers', L)).toBe(1);
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_delivered_messages_total', L)).toBe(5);
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_oldest_message_age_seconds', L)).toBe(0);
    expect(await statusOf(deps.registry, 'orders')).toBe('OK');
    await ch.close();
  });

  it('a consumer that prefetches and never acks is STALLED; the head timestamp covers its unacked messages', async () => {
    const clock = skippingClock();
    const deps = testDeps(clock.now);
    const src = rabbitSource(rabbitConfig(rabbit.rmq, '    queues: { include: ["^stuck$"] }\n'), deps);
    const ts = Math.floor(Date.now() / 1000) - 300;
    await publish('stuck', 5, ts);
    const ch = await rabbit.conn.createChannel();
    await ch.prefetch(2);
    await ch.consume('stuck', () => undefined); // takes 2, never acks
    const L = { broker: 'test', vhost: '/', queue: 'stuck' };
    await until('2 unacked reported', async () => {
      await src.collect(cycle(deps));
      return (
        (await value(deps.registry, 'cqrs_rabbitmq_queue_messages_unacknowledged', L)) === 2 &&
        (await value(deps.registry, 'cqrs_rabbitmq_queue_delivered_messages_total', L)) === 2
      );
    });
    const statuses: string[] = [];
    // Three more samples, an interval (1 s) apart on the source's clock: nothing moves on the broker.
    for (let i = 0; i < 3; i++) {
      clock.skip(1000);
      await src.collect(cycle(deps));
      statuses.push((await statusOf(deps.registry, 'stuck'))!);
    }
    // The first sample already had the 2 deliveries, so the third unmoved sample is STALLED.
    expect(statuses.at(-1)).toBe('STALLED');
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_messages_ready', L)).toBe(3);
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_acked_messages_total', L)).toBe(0);
    // m0 is delivered but not acked: the head is still m0 (the age counts unacked messages).
    const age = (await value(deps.registry, 'cqrs_rabbitmq_queue_oldest_message_age_seconds', L))!;
    expect(Math.abs(age - (clock.now() / 1000 - ts))).toBeLessThan(2);
    await ch.close();
  });

  it('messages without an AMQP timestamp: the age is absent (never 0) and counted as unavailable', async () => {
    const deps = testDeps();
    const src = rabbitSource(rabbitConfig(rabbit.rmq, '    queues: { include: ["^untimed$"] }\n'), deps);
    const ch = await rabbit.conn.createConfirmChannel();
    await ch.assertQueue('untimed');
    ch.sendToQueue('untimed', Buffer.from('x'));
    await ch.waitForConfirms();
    await ch.close();
    const L = { broker: 'test', vhost: '/', queue: 'untimed' };
    await until('stats of untimed', async () => {
      await src.collect(cycle(deps));
      return (await value(deps.registry, 'cqrs_rabbitmq_queue_messages_ready', L)) === 1;
    });
    expect(await value(deps.registry, 'cqrs_rabbitmq_queue_oldest_message_age_seconds', L)).toBeUndefined();
    expect(deps.board.hasTarget('queue:test///untimed')).toBe(true);
    expect(deps.board.staleness('queue:test///untimed')).toBeUndefined();
    expect(await value(deps.registry, 'cqrs_rabbitmq_oldest_age_unavailable_total', { broker: 'test' })).toBeGreaterThanOrEqual(1);
  });

  it('quorum and lazy queues (3.10): exact depth, but no head_message_timestamp even with timestamps set: age absent', async () => {
    const deps = testDeps();
    const src = rabbitSource(rabbitConfig(rabbit.rmq, '    queues: { include: ["^(quorum|lazy)-orders$"] }\n'), deps);
    const ts = Math.floor(Date.now() / 1000) - 60;
    await publish('quorum-orders', 3, ts, { arguments: { 'x-queue-type': 'quorum' } });
    await publish('lazy-orders', 3, ts, { arguments: { 'x-queue-mode': 'lazy' } });
    const ready = (queue: string) => value(deps.registry, 'cqrs_rabbitmq_queue_messages_ready', { broker: 'test', vhost: '/', queue });
    await until('stats of both', async () => {
      await src.collect(cycle(deps));
      return (await ready('quorum-orders')) === 3 && (await ready('lazy-orders')) === 3;
    });
    expect(await series(deps.registry, 'cqrs_rabbitmq_queue_oldest_message_age_seconds')).toEqual([]);
    expect(await statusOf(deps.registry, 'quorum-orders')).toBe('STOPPED');
  });

  it('dead letters by reject (requeue false), TTL expiry and a policy DLX, plus an _error queue by pattern: exact DLQ depths and oldest age in cqrs_dlq_*', async () => {
    const deps = testDeps();
    const src = rabbitSource(
      rabbitConfig(rabbit.rmq, '    queues: { include: ["^billing"] }\n    deadLetters: { queues: ["_error$"], names: { "billing.dlq": billing-dlq } }\n'),
      deps,
    );
    // A dead-letter exchange set by policy (the way RabbitMQ recommends), and a MassTransit-style
    // _error queue that the application fills itself (found by name pattern).
    const put = await rabbit.api('/api/policies/%2F/billing-dl', 'PUT', {
      pattern: '^billing\\.policy$',
      definition: { 'dead-letter-exchange': 'billing.dlx' },
      'apply-to': 'queues',
    });
    expect(put.status).toBe(201);
    const ch = await rabbit.conn.createConfirmChannel();
    const dlx = await declareDeadLettered(ch, { dlx: 'billing.dlx', dlq: 'billing.dlq', queue: 'billing' });
    await ch.assertQueue('billing.delay', { arguments: { ...dlx, 'x-message-ttl': 200 } });
    const ts = Math.floor(Date.now() / 1000) - 60;
    for (let i = 0; i < 4; i++) ch.sendToQueue('billing', Buffer.from(`b${i}`), { timestamp: ts + i });
    await ch.waitForConfirms();
    // A consumer rejects 3 of the 4 without requeue, acks the 4th: b0 is the DLQ's head.
    const c = await rabbit.conn.createChannel();
    let seen = 0;
    await c.consume('billing', (m) => {
      if (!m) return;
      if (seen++ < 3) c.reject(m, false);
      else c.ack(m);
    });
    await until('billing consumed', () => seen === 4);
    // Then 2 expire, and 1 is nacked on the policy queue.
    for (let i = 0; i < 2; i++) ch.sendToQueue('billing.delay', Buffer.from(`d${i}`), { timestamp: ts + 10 + i });
    await ch.assertQueue('billing.policy');
    ch.sendToQueue('billing.policy', Buffer.from('p0'), { timestamp: ts + 20 });
    await ch.assertQueue('billing_error');
    for (let i = 0; i < 2; i++) ch.sendToQueue('billing_error', Buffer.from(`e${i}`), { timestamp: ts + 30 + i });
    await ch.waitForConfirms();
    const pc = await rabbit.conn.createChannel();
    await pc.consume('billing.policy', (m) => m && pc.nack(m, false, false));
    await until('6 dead letters and the _error queue', async () => {
      await src.collect(cycle(deps));
      return (
        (await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'billing-dlq' })) === 6 &&
        (await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'billing_error' })) === 2
      );
    });
    // Dead-lettering keeps the original timestamp property; the age is the DLQ head's (b0).
    const age = (await value(deps.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'billing-dlq' }))!;
    expect(Math.abs(age - (Date.now() / 1000 - ts))).toBeLessThan(2);
    // Only the DLQ goes to cqrs_dlq_*: not its sources.
    expect((await series(deps.registry, 'cqrs_dlq_messages')).map((s) => s.labels.dlq).sort()).toEqual(['billing-dlq', 'billing_error']);
    await pc.close();
    await c.close();
    await ch.close();

    // The DLQ is emptied (reprocessed): depth 0, age 0.
    const r = await rabbit.conn.createChannel();
    await r.purgeQueue('billing.dlq');
    await r.close();
    await until('DLQ emptied', async () => {
      await src.collect(cycle(deps));
      return (await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'billing-dlq' })) === 0;
    });
    expect(await value(deps.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'billing-dlq' })).toBe(0);
  });

  it('paged listing: 7 queues read in pages of 3 (3 requests), every queue once with its exact depth', async () => {
    const deps = testDeps();
    const src = rabbitSource(
      rabbitConfig(rabbit.rmq, '    vhosts: [/]\n    pageSize: 3\n    deadLetters: { detect: false }\n    queues: { include: ["^paged-"] }\n'),
      deps,
    );
    const ch = await rabbit.conn.createConfirmChannel();
    for (let i = 0; i < 7; i++) {
      await ch.assertQueue(`paged-${i}`);
      for (let j = 0; j <= i; j++) ch.sendToQueue(`paged-${i}`, Buffer.from('x'));
    }
    await ch.waitForConfirms();
    await ch.close();
    const ready = async () => (await series(deps.registry, 'cqrs_rabbitmq_queue_messages_ready')).filter((s) => s.labels.queue?.startsWith('paged-'));
    await until('stats of the 7 queues', async () => {
      await src.collect(cycle(deps));
      return (await ready()).length === 7;
    });
    // Every queue on the broker is listed (the filter applies after reading): count the pages.
    const all = (await (await rabbit.api('/api/queues/%2F?columns=name')).json()) as unknown[];
    const before = src.requests;
    await src.collect(cycle(deps));
    expect(src.requests - before).toBe(Math.ceil(all.length / 3));
    expect((await ready()).map((s) => [s.labels.queue, s.value]).sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => [`paged-${i}`, i + 1]));
  });

  it('a wrong password fails the cycle with reason auth and never prints the secret', async () => {
    const deps = testDeps();
    const secret = 'n0t-the-Passw0rd';
    const src = rabbitSource(rabbitConfig(rabbit.rmq, '', secret), deps);
    const err = await src.collect(cycle(deps)).then(
      () => undefined,
      (e: unknown) => e as Error & { reason?: string },
    );
    expect(err?.reason).toBe('auth');
    expect(err?.message).toMatch(/HTTP 401.*rejected user "guest"/);
    const text = `${err?.message} ${JSON.stringify(err)} ${String(err?.stack)}`;
    expect(text).not.toContain(secret);
    expect(text).not.toContain(Buffer.from(`guest:${secret}`).toString('base64'));
  });

  it('a vhost that does not exist fails the cycle with reason config', async () => {
    const deps = testDeps();
    const src = rabbitSource(rabbitConfig(rabbit.rmq, '    vhosts: [no-such-vhost]\n'), deps);
    const err = await src.collect(cycle(deps)).then(
      () => undefined,
      (e: unknown) => e as Error & { reason?: string },
    );
    expect(err?.reason).toBe('config');
    expect(err?.message).toMatch(/HTTP 404/);
  });
});
