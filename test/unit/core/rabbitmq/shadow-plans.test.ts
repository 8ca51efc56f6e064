import { describe, expect, it } from 'vitest';
import { SHADOW_PREFIX, shadowPlans, type TopologyBinding } from '../../../../src/core/rabbitmq/dead-letter-topology.js';

const bind = (source: string, destination: string, routing_key = '', args?: Record<string, unknown>): TopologyBinding => ({
  vhost: '/',
  source,
  destination,
  destination_type: 'queue',
  routing_key,
  arguments: args,
});

describe('shadowPlans', () => {
  it('copies the DLQ bindings of each dead-letter exchange and maps each source queue to its DLQ', () => {
    const plans = shadowPlans(
      [
        { vhost: '/', name: 'orders', arguments: { 'x-dead-letter-exchange': 'dlx' } },
        { vhost: '/', name: 'billing', policy: { 'dead-letter-exchange': 'dlx' } },
        { vhost: '/', name: 'orders.dlq' },
        { vhost: '/', name: 'billing.dlq' },
        // By name through the default exchange: cannot be shadowed.
        { vhost: '/', name: 'mail', arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'mail.dlq' } },
        { vhost: '/', name: 'mail.dlq' },
        { vhost: '/', name: `${SHADOW_PREFIX}test.dlx` },
      ],
      [
        bind('dlx', 'orders.dlq', 'orders'),
        bind('dlx', 'billing.dlq', 'billing'),
        bind('dlx', 'billing.dlq', 'billing'),
        bind('dlx', `${SHADOW_PREFIX}test.dlx`, 'orders'),
        bind('other', 'x', 'k'),
      ],
    );
    expect(plans).toHaveLength(1);
    const p = plans[0]!;
    expect([p.vhost, p.exchange]).toEqual(['/', 'dlx']);
    // Both queues use the same DLX without a dead-letter routing key: both DLQs are theirs; the
    // first by name is the dlq label; the shadow's own binding is not copied; duplicates merged.
    expect(p.bindings.map((b) => b.routing_key).sort()).toEqual(['billing', 'orders']);
    expect([...p.dlqBySource.entries()].sort()).toEqual([
      ['billing', 'billing.dlq'],
      ['orders', 'billing.dlq'],
    ]);
  });

  it('with a dead-letter routing key matching one binding, the source maps to that DLQ only; headers arguments are copied', () => {
    const plans = shadowPlans(
      [
        { vhost: '/', name: 'orders', arguments: { 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'orders' } },
        { vhost: '/', name: 'orders.dlq' },
        { vhost: '/', name: 'audit' },
      ],
      [bind('dlx', 'orders.dlq', 'orders', { 'x-match': 'all', team: 'a' }), bind('dlx', 'audit', 'audit')],
    );
    expect(plans).toHaveLength(1);
    expect([...plans[0]!.dlqBySource.entries()]).toEqual([['orders', 'orders.dlq']]);
    expect(plans[0]!.bindings).toEqual([{ routing_key: 'orders', arguments: { 'x-match': 'all', team: 'a' } }]);
  });

  it('a DLX without bound queues, or no DLX at all: nothing to shadow', () => {
    expect(
      shadowPlans(
        [
          { vhost: '/', name: 'q', arguments: { 'x-dead-letter-exchange': 'nowhere' } },
          { vhost: '/', name: 'r' },
        ],
        [],
      ),
    ).toEqual([]);
  });
});
