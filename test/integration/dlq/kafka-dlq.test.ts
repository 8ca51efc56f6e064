import { describe, expect, inject, it } from 'vitest';
import type { IHeaders, Kafka } from 'kafkajs';
import { KafkaDlqSource } from '../../../src/sources/dlq/kafka-dlq-source.js';
import { SourceError } from '../../../src/sources/source-error.js';
import { createKafkaClient } from '../../../src/sources/stream/kafka-client.js';
import { cluster, cycle, kafkaDlq, testDeps, STREAM_CLIENT, uniq, until, value } from '../stream/helpers.js';
import { useKit } from '../kafka/helpers.js';

const env = inject('kafka');

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

/** Headers as Spring Kafka's DeadLetterPublishingRecoverer writes them (binary numbers). */
function springHeaders(topic: string, offset: number, fqcn: string, cause?: string): IHeaders {
  return {
    'kafka_dlt-original-topic': topic,
    'kafka_dlt-original-partition': int32(0),
    'kafka_dlt-original-offset': int64(offset),
    'kafka_dlt-original-timestamp': int64(Date.now() - 5000),
    'kafka_dlt-original-consumer-group': 'order-projector',
    'kafka_dlt-exception-fqcn': fqcn,
    ...(cause ? { 'kafka_dlt-exception-cause-fqcn': cause } : {}),
    'kafka_dlt-exception-message': 'Listener failed',
  };
}

/** Headers as Kafka Connect's DeadLetterQueueReporter writes them (text). */
function connectHeaders(topic: string, offset: number, cls: string): IHeaders {
  return {
    '__connect.errors.topic': topic,
    '__connect.errors.partition': '0',
    '__connect.errors.offset': String(offset),
    '__connect.errors.connector.name': 'payments-jdbc-sink',
    '__connect.errors.task.id': '0',
    '__connect.errors.stage': 'VALUE_CONVERTER',
    '__connect.errors.class.name': 'org.apache.kafka.connect.json.JsonConverter',
    '__connect.errors.exception.class.name': cls,
    '__connect.errors.exception.message': 'Converting byte[] to Kafka Connect data failed',
  };
}

describe.skipIf(!!env.unavailable)(`Kafka DLQ topics on Kafka ${env.version}`, () => {
  const kit = useKit(env.brokers, STREAM_CLIENT);

  it('Spring-style *.DLT: depth, oldest unhandled age, inflow by source and capped reason, produced on the source', async () => {
    const prefix = uniq('dlqs');
    const orders = `${prefix}-orders`;
    const dlt = `${orders}.DLT`;
    await kit.admin.createTopics({ topics: [{ topic: orders }, { topic: dlt }, { topic: `${prefix}-unrelated` }], waitForLeaders: true });
    const now = Date.now();
    // Backlog already in the DLQ when the monitor starts: depth and age, not inflow.
    await kit.producer.send({
      topic: dlt,
      messages: [0, 1, 2].map((i) => ({
        value: `old${i}`,
        timestamp: String(now - 600_000 + i),
        headers: springHeaders(orders, i, 'java.lang.IllegalStateException'),
      })),
    });
    const deps = testDeps();
    const c = cluster(env.brokers);
    const reprocessGroup = uniq('reprocessor');
    const src = new KafkaDlqSource({
      dlq: kafkaDlq({ name: 'orders-dlt', pattern: `${prefix}-*.DLT`, headers: 'spring', maxReasons: 2, reprocessGroup, readerGroup: `${prefix}-reader` }),
      cluster: c,
      kafka: createKafkaClient(c, { clientId: 'dlq-test', logger: deps.logger }),
      deps,
    });
    try {
      expect(await src.collect(cycle(deps))).toMatchObject({ topics: 1, depth: 3, inflow: 0 });
      await until('reader joined', () => src.reader?.joined === true);
      await kit.producer.send({ topic: orders, messages: Array.from({ length: 100 }, (_, i) => ({ value: `o${i}` })) });
      const LEFE = 'org.springframework.kafka.listener.ListenerExecutionFailedException';
      const fresh = [
        ...Array.from({ length: 4 }, (_, i) => springHeaders(orders, 10 + i, LEFE, 'java.lang.IllegalStateException')),
        ...Array.from({ length: 2 }, (_, i) => springHeaders(orders, 20 + i, LEFE, 'org.springframework.kafka.support.serializer.DeserializationException')),
        springHeaders(orders, 30, LEFE, 'com.example.PaymentDeclined'),
      ];
      await kit.producer.send({ topic: dlt, messages: fresh.map((headers, i) => ({ value: `new${i}`, timestamp: String(now - 30_000 + i), headers })) });
      const inflow = (reason: string) => value(deps.registry, 'cqrs_dlq_messages_total', { dlq: 'orders-dlt', source: orders, reason });
      await until(
        '7 dead letters counted',
        async () =>
          (await inflow('java.lang.IllegalStateException')) +
            (await inflow('org.springframework.kafka.support.serializer.DeserializationException')) +
            (await inflow('other')) >=
          7,
      );
      const report = await src.collect(cycle(deps));
      expect(report).toMatchObject({ topics: 1, depth: 10, inflow: 7, produced: 100, ageKnown: 1 });
      expect(await inflow('java.lang.IllegalStateException')).toBe(4);
      expect(await inflow('org.springframework.kafka.support.serializer.DeserializationException')).toBe(2);
      expect(await inflow('other')).toBe(1);
      expect(await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'orders-dlt' })).toBe(10);
      expect(await value(deps.registry, 'cqrs_dlq_source_produced_messages_total', { dlq: 'orders-dlt', source: orders })).toBe(100);
      const age = await value(deps.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlt' });
      expect(age).toBeGreaterThanOrEqual(600);
      expect(age).toBeLessThan(660);
      expect(deps.board.takeEvents('delivery', 'dlq:orders-dlt')).toEqual({ total: 100, bad: 7 });
      expect(deps.board.takeEvents('delivery', `dlq:orders-dlt/${orders}`)).toEqual({ total: 100, bad: 7 });

      // The re-processing group handles the backlog (commits offset 3): depth 7, age of offset 3.
      await kit.admin.setOffsets({ groupId: reprocessGroup, topic: dlt, partitions: [{ partition: 0, offset: '3' }] });
      expect(await src.collect(cycle(deps))).toMatchObject({ depth: 7, inflow: 0, produced: 0 });
      const age2 = await value(deps.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlt' });
      expect(age2).toBeGreaterThanOrEqual(30);
      expect(age2).toBeLessThan(90);
      // Everything handled: depth 0, age 0.
      await kit.admin.setOffsets({ groupId: reprocessGroup, topic: dlt, partitions: [{ partition: 0, offset: '10' }] });
      await src.collect(cycle(deps));
      expect(await value(deps.registry, 'cqrs_dlq_messages', { dlq: 'orders-dlt' })).toBe(0);
      expect(await value(deps.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlt' })).toBe(0);
    } finally {
      await src.close();
    }
  });

  it('Kafka Connect-style DLQ: inflow by source topic and exception class from text headers', async () => {
    const payments = uniq('payments');
    const dlq = `${payments}-dlq`;
    await kit.admin.createTopics({ topics: [{ topic: payments }, { topic: dlq }], waitForLeaders: true });
    const deps = testDeps();
    const c = cluster(env.brokers);
    const src = new KafkaDlqSource({
      dlq: kafkaDlq({ name: 'payments-dlq', topics: [dlq], headers: 'auto', readerGroup: `${payments}-reader` }),
      cluster: c,
      kafka: createKafkaClient(c, { clientId: 'dlq-test-connect', logger: deps.logger }),
      deps,
    });
    try {
      await src.collect(cycle(deps));
      await until('reader joined', () => src.reader?.joined === true);
      await kit.producer.send({ topic: payments, messages: Array.from({ length: 40 }, (_, i) => ({ value: `p${i}` })) });
      await kit.producer.send({
        topic: dlq,
        messages: [
          ...[1, 2, 3].map((o) => ({ value: 'x', headers: connectHeaders(payments, o, 'org.apache.kafka.connect.errors.DataException') })),
          { value: 'y', headers: connectHeaders(payments, 9, 'org.apache.kafka.common.errors.SerializationException') },
          { value: 'no headers at all' },
        ],
      });
      const v = (source: string, reason: string) => value(deps.registry, 'cqrs_dlq_messages_total', { dlq: 'payments-dlq', source, reason });
      await until(
        '5 dead letters',
        async () =>
          (await v(payments, 'org.apache.kafka.connect.errors.DataException')) +
            (await v(payments, 'org.apache.kafka.common.errors.SerializationException')) +
            (await v(payments, 'unknown')) >=
          5,
      );
      expect(await v(payments, 'org.apache.kafka.connect.errors.DataException')).toBe(3);
      expect(await v(payments, 'org.apache.kafka.common.errors.SerializationException')).toBe(1);
      // No headers: the source comes from the `-dlq` naming convention, the reason is unknown.
      expect(await v(payments, 'unknown')).toBe(1);
      expect(await src.collect(cycle(deps))).toMatchObject({ depth: 5, inflow: 5, produced: 40 });
      expect(deps.board.takeEvents('delivery', 'dlq:payments-dlq')).toEqual({ total: 40, bad: 5 });
    } finally {
      await src.close();
    }
  });

  it('a reader group shared with another configuration (other topics) fails the source with a clear error, and recovers when the other leaves', async () => {
    const prefix = uniq('dlqshared');
    const mine = `${prefix}-orders.DLT`;
    const theirs = `${prefix}-payments.DLT`;
    await kit.admin.createTopics({ topics: [{ topic: mine }, { topic: theirs }], waitForLeaders: true });
    const group = `${prefix}-reader`;
    const c = cluster(env.brokers);
    const make = (name: string, topic: string, deps: ReturnType<typeof testDeps>) =>
      new KafkaDlqSource({
        dlq: kafkaDlq({ name, topics: [topic], headers: 'spring', readerGroup: group }),
        cluster: c,
        kafka: createKafkaClient(c, { clientId: `dlq-${name}`, logger: deps.logger }),
        deps,
      });
    const depsA = testDeps();
    const depsB = testDeps();
    const a = make('orders-dlt', mine, depsA);
    const b = make('payments-dlt', theirs, depsB);
    try {
      await a.collect(cycle(depsA));
      await until('a joined', () => a.reader?.joined === true);
      // B joins the same group: a rebalance; whoever leads assigns its own topic to both, so the
      // other's topic is read by nobody. Both must say so, none may count nothing in silence.
      await b.collect(cycle(depsB)).catch(() => undefined);
      await until('both see the conflict', () => a.reader?.conflict !== undefined && b.reader?.conflict !== undefined);
      const err = await a.collect(cycle(depsA)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(SourceError);
      expect((err as SourceError).reason).toBe('config');
      expect((err as SourceError).message).toContain(`consumer group ${group} is shared with a member subscribed to other topics (dlq-payments-dlt@`);
      expect((err as SourceError).message).toContain(`reading ${theirs}`);
      expect((err as SourceError).message).toContain('(readerGroup)');
      // B leaves: A's next join finds itself alone, the source reads again and counts inflow.
      await b.close();
      await until('conflict cleared', () => a.reader?.conflict === undefined);
      await kit.producer.send({ topic: mine, messages: [{ value: 'x', headers: springHeaders(`${prefix}-orders`, 1, 'java.lang.IllegalStateException') }] });
      await until(
        'inflow counted',
        async () =>
          (await value(depsA.registry, 'cqrs_dlq_messages_total', {
            dlq: 'orders-dlt',
            source: `${prefix}-orders`,
            reason: 'java.lang.IllegalStateException',
          })) === 1,
      );
      expect(await a.collect(cycle(depsA))).toMatchObject({ topics: 1, depth: 1, inflow: 1 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a reader that fails to start is started again on the next cycle, counting from where inflow began', async () => {
    const prefix = uniq('dlqretry');
    const source = `${prefix}-orders`;
    const dlt = `${source}.DLT`;
    await kit.admin.createTopics({ topics: [{ topic: dlt }], waitForLeaders: true });
    const deps = testDeps();
    const c = cluster(env.brokers);
    const real = createKafkaClient(c, { clientId: 'dlq-retry', logger: deps.logger });
    // The first reader's consumer cannot connect (as when the broker drops the connection during
    // start-up); the broker and every other call are real.
    let failures = 1;
    const kafka = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop !== 'consumer') return Reflect.get(target, prop, receiver);
        return (...args: Parameters<Kafka['consumer']>) => {
          const consumer = target.consumer(...args);
          if (failures-- > 0)
            consumer.connect = () => Promise.reject(Object.assign(new Error('Connection error: injected'), { name: 'KafkaJSConnectionError' }));
          return consumer;
        };
      },
    });
    const src = new KafkaDlqSource({
      dlq: kafkaDlq({ name: 'retry-dlt', topics: [dlt], headers: 'spring', readerGroup: `${prefix}-reader` }),
      cluster: c,
      kafka,
      deps,
    });
    try {
      const err = await src.collect(cycle(deps)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect((err as Error).message).toBe('could not start the reader of DLQ retry-dlt: Connection error: injected');
      expect((err as SourceError).reason).toBe('unreachable');
      // Dead-lettered while no reader ran: after the first start's high watermark, so inflow.
      await kit.producer.send({ topic: dlt, messages: [{ value: 'a', headers: springHeaders(source, 1, 'java.lang.IllegalStateException') }] });
      const second = await src.collect(cycle(deps));
      expect(second).toMatchObject({ topics: 1, depth: 1 });
      await until('reader joined', () => src.reader?.joined === true);
      await kit.producer.send({ topic: dlt, messages: [{ value: 'b', headers: springHeaders(source, 2, 'java.lang.IllegalStateException') }] });
      const inflow = () => value(deps.registry, 'cqrs_dlq_messages_total', { dlq: 'retry-dlt', source, reason: 'java.lang.IllegalStateException' });
      await until('both dead letters counted', async () => (await inflow()) === 2);
      // (The second cycle may already have counted the first: the reader starts within it.)
      const third = await src.collect(cycle(deps));
      expect(third).toMatchObject({ depth: 2 });
      expect(Number(second.inflow) + Number(third.inflow)).toBe(2);
      expect(await inflow()).toBe(2);
    } finally {
      await src.close();
    }
  });

  it('two replicas of one configuration share the reader group: inflow sums to the total, and the oldest age is the maximum over them', async () => {
    const prefix = uniq('dlqreplicas');
    const source = `${prefix}-orders`;
    const dlt = `${source}.DLT`;
    await kit.admin.createTopics({ topics: [{ topic: dlt, numPartitions: 2 }], waitForLeaders: true });
    const now = Date.now();
    // Unhandled backlog: partition 0's oldest record is 600 s old, partition 1's 120 s.
    await kit.producer.send({
      topic: dlt,
      messages: [
        { partition: 0, value: 'p0', timestamp: String(now - 600_000), headers: springHeaders(source, 1, 'java.lang.IllegalStateException') },
        { partition: 1, value: 'p1', timestamp: String(now - 120_000), headers: springHeaders(source, 2, 'java.lang.IllegalStateException') },
      ],
    });
    const c = cluster(env.brokers);
    const deps = [testDeps(), testDeps()];
    const dlq = kafkaDlq({ name: 'orders-dlt', topics: [dlt], headers: 'spring', readerGroup: `${prefix}-reader` });
    const src = deps.map(
      (d, i) => new KafkaDlqSource({ dlq, cluster: c, kafka: createKafkaClient(c, { clientId: `replica-${i}`, logger: d.logger }), deps: d }),
    );
    const age = (i: number) => value(deps[i]!.registry, 'cqrs_dlq_oldest_message_age_seconds', { dlq: 'orders-dlt' });
    try {
      await src[0]!.collect(cycle(deps[0]!));
      await src[1]!.collect(cycle(deps[1]!));
      await until('one partition each', () => src[0]!.reader?.assigned?.size === 1 && src[1]!.reader?.assigned?.size === 1, 60_000);
      // Each replica publishes the age of its own partition once it has read its unhandled range.
      await until('both ages known', async () => {
        const reports = [await src[0]!.collect(cycle(deps[0]!)), await src[1]!.collect(cycle(deps[1]!))];
        return reports.every((r) => r.ageKnown === 1);
      });
      const ages = [await age(0), await age(1)].sort((a, b) => a - b);
      expect(ages[0]).toBeGreaterThanOrEqual(120);
      expect(ages[0]).toBeLessThan(180);
      expect(ages[1]).toBeGreaterThanOrEqual(600);
      expect(ages[1]).toBeLessThan(660);
      for (const d of deps) expect(await value(d.registry, 'cqrs_dlq_messages', { dlq: 'orders-dlt' })).toBe(2);
      // New dead letters on both partitions: each counted once, by the replica that reads it.
      await kit.producer.send({
        topic: dlt,
        messages: [0, 1, 0, 1, 0].map((partition, i) => ({
          partition,
          value: `n${i}`,
          headers: springHeaders(source, 10 + i, 'java.lang.IllegalStateException'),
        })),
      });
      const inflow = async () => {
        let sum = 0;
        for (const d of deps)
          sum += await value(d.registry, 'cqrs_dlq_messages_total', { dlq: 'orders-dlt', source, reason: 'java.lang.IllegalStateException' });
        return sum;
      };
      await until('5 dead letters counted', async () => (await inflow()) >= 5);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await inflow()).toBe(5);
    } finally {
      for (const s of src) await s.close();
    }
  });
});
