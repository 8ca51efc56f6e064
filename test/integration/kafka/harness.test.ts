import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEFAULT_KAFKA_VERSION, startKafka, type KafkaHandle } from '../../env/kafka.js';

const version = process.env.KAFKA_VERSION ?? DEFAULT_KAFKA_VERSION;
// Skipped (with the environment's reason) where the shared broker could not start or was not
// asked for: the same Java and Maven are needed here.
const skip = !!inject('kafka').unavailable;

// The broker-down tests rely on kill() and restart(): data and ports must survive a crash.
describe.skipIf(skip)(`Kafka ${version} harness: kill and restart`, () => {
  let k: KafkaHandle;
  beforeAll(async () => {
    k = await startKafka({ version });
  });
  afterAll(async () => {
    await k?.stop();
  });

  it('keeps topics and offsets across a SIGKILL and restart on the same port', async () => {
    const kafka = new Kafka({ clientId: 'harness', brokers: k.brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic: 'h', numPartitions: 1 }], waitForLeaders: true });
    await producer.send({ topic: 'h', messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    await admin.disconnect();

    await k.kill();
    const down = kafka.admin();
    await expect(down.connect().then(() => down.listTopics())).rejects.toThrow();
    await down.disconnect().catch(() => undefined);

    await k.restart();
    const again = kafka.admin();
    await again.connect();
    const offsets = await again.fetchTopicOffsets('h');
    await again.disconnect();
    expect(offsets.map((o) => o.high)).toEqual(['2']);
  });
});
