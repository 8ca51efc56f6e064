import { expect, test } from 'vitest';
import { sliTarget } from '../../../src/slo/target.js';

test('SLO targets on the SLI board', () => {
  expect(sliTarget({ kind: 'delivery', dlq: 'orders-dlt' })).toBe('dlq:orders-dlt');
  expect(sliTarget({ kind: 'delivery', dlq: 'orders-dlt', source: 'orders.events' })).toBe('dlq:orders-dlt/orders.events');
  expect(sliTarget({ kind: 'delivery', broker: 'r', queue: 'pay' })).toBe('queue:r///pay');
  expect(sliTarget({ kind: 'delivery', broker: 'r', vhost: 'shop', queue: 'pay' })).toBe('queue:r/shop/pay');
  expect(sliTarget({ kind: 'duplicates', stream: 'orders' })).toBe('stream:orders');
  expect(sliTarget({ kind: 'freshness', store: 's', projection: 'p', threshold: 30 })).toBe('projection:s/p');
  expect(sliTarget({ kind: 'freshness', cluster: 'c', group: 'g', threshold: 30 })).toBe('group:c/g');
});
