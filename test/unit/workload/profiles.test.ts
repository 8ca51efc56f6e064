import { describe, expect, test } from 'vitest';
import { isDuplicatedDelivery, isPoison, isStalled, WORKLOAD_PROJECTORS, writeRateAt } from '../../../src/workload/profiles.js';
import { toBusEvent } from '../../../src/workload/relay.js';

const [orderView, customerStats] = WORKLOAD_PROJECTORS;

describe('workload profiles', () => {
  test('write rate: base for 240 s, four times base for the last 60 s of every 5 minutes', () => {
    expect(writeRateAt(20, 0)).toBe(20);
    expect(writeRateAt(20, 239_999)).toBe(20);
    expect(writeRateAt(20, 240_000)).toBe(80);
    expect(writeRateAt(20, 299_999)).toBe(80);
    expect(writeRateAt(20, 300_000)).toBe(20);
  });

  test('customer-stats stalls during the last 60 s of each 300 s cycle; order-view never', () => {
    expect(isStalled(customerStats!, 239_000)).toBe(false);
    expect(isStalled(customerStats!, 240_000)).toBe(true);
    expect(isStalled(customerStats!, 299_999)).toBe(true);
    expect(isStalled(customerStats!, 300_000)).toBe(false);
    expect(isStalled(orderView!, 299_000)).toBe(false);
  });

  test("1 event in 25 is delivered twice; amounts 37 and 74 of the writer's 10..99 are poison", () => {
    const dupes = Array.from({ length: 1000 }, (_, i) => i + 1).filter((p) => isDuplicatedDelivery(p));
    expect(dupes).toHaveLength(40);
    const poison = Array.from({ length: 90 }, (_, i) => 10 + i).filter(isPoison);
    expect(poison).toEqual([37, 74]);
  });

  test('dead letters go one projector to the topic, the other to the table', () => {
    expect(WORKLOAD_PROJECTORS.map((p) => p.deadLetterTo).sort()).toEqual(['table', 'topic']);
  });

  test('bus event of an event-store row: envelope with id, aggregate, version and occurred-at', () => {
    const e = toBusEvent({
      global_position: '42',
      stream_id: 'order-x-3',
      stream_position: '1',
      message_type: 'OrderPaid',
      message_id: 'order-x-3-OrderPaid',
      message_data: { orderId: 'order-x-3', amount: 55 },
      created: new Date('2026-01-02T03:04:05.678Z'),
    });
    expect(e).toEqual({
      id: 'order-x-3-OrderPaid',
      orderId: 'order-x-3',
      version: 1,
      occurredAt: '2026-01-02T03:04:05.678Z',
      type: 'OrderPaid',
      globalPosition: 42,
      amount: 55,
    });
    expect(Object.keys(e).slice(0, 4)).toEqual(['id', 'orderId', 'version', 'occurredAt']);
  });
});
