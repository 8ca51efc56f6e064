import { describe, expect, it } from 'vitest';
import { counterDelta, oldestAge } from '../../../../src/core/rabbitmq/queue-sample.js';
import { deadLetterQueues } from '../../../../src/core/rabbitmq/dead-letter-topology.js';

describe('oldestAge', () => {
  const now = 1_700_000_100_500;
  it('now minus the head timestamp (seconds)', () => {
    expect(oldestAge(3, 1_700_000_000, now)).toEqual({ seconds: 100.5, clamped: false });
  });
  it('0 for an empty queue, unknown (not 0) when the head has no timestamp', () => {
    expect(oldestAge(0, null, now)).toEqual({ seconds: 0, clamped: false });
    expect(oldestAge(2, null, now)).toEqual({ seconds: undefined, reason: 'no_timestamp' });
    expect(oldestAge(2, undefined, now)).toEqual({ seconds: undefined, reason: 'no_timestamp' });
  });
  it('a head timestamp ahead of the clock is 0, flagged', () => {
    expect(oldestAge(1, 1_700_000_200, now)).toEqual({ seconds: 0, clamped: true });
  });
});

describe('counterDelta', () => {
  it('difference, whole value at first sight and after a broker restart', () => {
    expect(counterDelta(undefined, 7)).toBe(7);
    expect(counterDelta(7, 12)).toBe(5);
    expect(counterDelta(12, 3)).toBe(3);
    expect(counterDelta(3, 3)).toBe(0);
  });
});

describe('deadLetterQueues', () => {
  const b = (source: string, destination: string, routing_key = '') => ({ vhost: '/', source, destination, destination_type: 'queue', routing_key });
  it('argument DLX to a fanout: every bound queue; the argument wins over the policy', () => {
    const got = deadLetterQueues(
      [
        { vhost: '/', name: 'orders', arguments: { 'x-dead-letter-exchange': 'dlx' }, policy: { 'dead-letter-exchange': 'other' } },
        { vhost: '/', name: 'billing', policy: { 'dead-letter-exchange': 'dlx' } },
        { vhost: '/', name: 'plain', arguments: {} },
      ],
      [b('', 'orders', 'orders'), b('dlx', 'all.dlq'), b('other', 'other.dlq')],
    );
    expect(got).toEqual([{ vhost: '/', queue: 'all.dlq', sources: ['billing', 'orders'] }]);
  });
  it('a routing key selects the exactly bound queue of a shared direct DLX; default exchange goes by name', () => {
    const got = deadLetterQueues(
      [
        { vhost: 'v', name: 'orders', arguments: { 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'orders.dead' } },
        { vhost: 'v', name: 'pay', arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'pay.dlq' } },
        { vhost: 'v', name: 'nokey', arguments: { 'x-dead-letter-exchange': '' } },
      ],
      [
        { vhost: 'v', source: 'dlx', destination: 'orders.dlq', destination_type: 'queue', routing_key: 'orders.dead' },
        { vhost: 'v', source: 'dlx', destination: 'other.dlq', destination_type: 'queue', routing_key: 'other.dead' },
        { vhost: 'other', source: 'dlx', destination: 'wrong-vhost', destination_type: 'queue', routing_key: 'orders.dead' },
      ],
    );
    expect(got).toEqual([
      { vhost: 'v', queue: 'orders.dlq', sources: ['orders'] },
      { vhost: 'v', queue: 'pay.dlq', sources: ['pay'] },
    ]);
  });
});
