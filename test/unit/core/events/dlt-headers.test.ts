import { describe, expect, it } from 'vitest';
import { decodeDeadLetter, readBigEndian, sourceTopicFromName } from '../../../../src/core/events/dlt-headers.js';

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

describe('dead-letter headers', () => {
  it('decodes Spring Kafka binary big-endian headers and prefers the cause class', () => {
    const h = {
      'kafka_dlt-original-topic': Buffer.from('orders'),
      'kafka_dlt-original-partition': int32(2),
      'kafka_dlt-original-offset': int64(1234567890123),
      'kafka_dlt-original-timestamp': int64(1_714_557_600_000),
      'kafka_dlt-original-consumer-group': Buffer.from('billing'),
      'kafka_dlt-exception-fqcn': Buffer.from('org.springframework.kafka.listener.ListenerExecutionFailedException'),
      'kafka_dlt-exception-cause-fqcn': Buffer.from('java.lang.IllegalStateException'),
      'kafka_dlt-exception-message': Buffer.from('boom'),
    };
    expect(decodeDeadLetter(h)).toEqual({
      style: 'spring',
      topic: 'orders',
      partition: 2,
      offset: 1234567890123,
      timestamp: 1_714_557_600_000,
      consumer: 'billing',
      exception: 'java.lang.IllegalStateException',
      message: 'boom',
    });
  });

  it('decodes Kafka Connect text headers', () => {
    const h = {
      '__connect.errors.topic': Buffer.from('payments'),
      '__connect.errors.partition': Buffer.from('0'),
      '__connect.errors.offset': Buffer.from('42'),
      '__connect.errors.connector.name': Buffer.from('jdbc-sink'),
      '__connect.errors.exception.class.name': Buffer.from('org.apache.kafka.connect.errors.DataException'),
      '__connect.errors.exception.message': Buffer.from('bad schema'),
    };
    expect(decodeDeadLetter(h)).toEqual({
      style: 'connect',
      topic: 'payments',
      partition: 0,
      offset: 42,
      consumer: 'jdbc-sink',
      exception: 'org.apache.kafka.connect.errors.DataException',
      message: 'bad schema',
    });
    expect(decodeDeadLetter(h, 'spring')).toEqual({ style: 'none' });
  });

  it('tolerates text where binary is expected and rejects odd sizes', () => {
    expect(readBigEndian(Buffer.from('17'))).toBe(17);
    expect(readBigEndian(Buffer.from([1, 2]))).toBeUndefined();
    expect(readBigEndian(undefined)).toBeUndefined();
    expect(decodeDeadLetter({})).toEqual({ style: 'none' });
  });

  it('derives the source topic from DLQ naming conventions', () => {
    expect(sourceTopicFromName('orders.DLT')).toBe('orders');
    expect(sourceTopicFromName('orders-dlt')).toBe('orders');
    expect(sourceTopicFromName('shop.orders-dlq')).toBe('shop.orders');
    expect(sourceTopicFromName('orders')).toBeUndefined();
  });
});
