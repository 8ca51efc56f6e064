import { describe, expect, it } from 'vitest';
import { deathReason, latestDeath } from '../../../../src/core/rabbitmq/x-death.js';

describe('x-death', () => {
  it('maps the four broker reasons to themselves and anything else to other', () => {
    expect(['rejected', 'expired', 'maxlen', 'delivery_limit'].map(deathReason)).toEqual(['rejected', 'expired', 'maxlen', 'delivery_limit']);
    expect(deathReason('Rejected')).toBe('other');
    expect(deathReason(undefined)).toBe('other');
    expect(deathReason(42)).toBe('other');
  });

  it('takes the newest entry (the first) of x-death, as RabbitMQ 3.10 writes it', () => {
    // Headers as amqplib decodes them (measured on 3.10.8): a message expired in `retry`
    // after being rejected from `orders`.
    const headers = {
      'x-death': [
        { count: 1, reason: 'expired', queue: 'retry', time: { '!': 'timestamp', value: 1 }, exchange: 'retry.dlx', 'routing-keys': ['orders'] },
        { count: 2, reason: 'rejected', queue: 'orders', time: { '!': 'timestamp', value: 0 }, exchange: '', 'routing-keys': ['orders'] },
      ],
      'x-first-death-queue': 'orders',
      'x-first-death-reason': 'rejected',
    };
    expect(latestDeath(headers)).toEqual({ queue: 'retry', reason: 'expired' });
  });

  it('falls back to x-first-death-*; a message without any is no dead letter', () => {
    expect(latestDeath({ 'x-first-death-queue': 'q', 'x-first-death-reason': 'maxlen' })).toEqual({ queue: 'q', reason: 'maxlen' });
    expect(latestDeath({ 'x-death': [], 'x-first-death-reason': 'odd' })).toEqual({ queue: undefined, reason: 'other' });
    expect(latestDeath({ 'x-death': [{ reason: 'rejected' }] })).toEqual({ queue: undefined, reason: 'rejected' });
    expect(latestDeath({})).toBeUndefined();
    expect(latestDeath(undefined)).toBeUndefined();
  });
});
