import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard, targetKey } from '../../../src/core/sli-board.js';
import { createSloSources } from '../../../src/slo/index.js';
import type { CycleContext, Source } from '../../../src/sources/source.js';

const CONFIG = `
slos:
  - { name: fresh, owner: o, tier: critical, objective: 99, period: 28d, evaluationInterval: 1s, sli: { kind: freshness, store: s, projection: p, threshold: 10s } }
  - { name: fresh-strict, objective: 99, evaluationInterval: 1s, unknown: bad, duringRebuild: count, sli: { kind: freshness, store: s, projection: p, threshold: 10s } }
  - { name: latency, objective: 99, sli: { kind: apply_latency, store: s, projection: p, threshold: 2s } }
  - { name: latency-strict, objective: 99, sli: { kind: apply_latency, store: s, projection: p, threshold: 1s } }
  - { name: dupes, objective: 99.9, period: month, sli: { kind: duplicates, stream: orders } }
  - { name: custom, objective: 99, sli: { kind: ratio, bad: x_total, total: y_total } }
`;

function setup(config = CONFIG) {
  const registry = new Registry();
  const metrics = createMetrics(registry, { processMetrics: false });
  const board = new SliBoard();
  let now = 1_000_000;
  const deps = { metrics, logger: pino({ level: 'silent' }), clock: () => now, board };
  const sources = createSloSources(parseConfig(config, 'slo.yaml'), deps);
  const ctx = (): CycleContext => ({ signal: new AbortController().signal, clock: () => now, startedAt: now, logger: deps.logger, span: (_n, fn) => fn() });
  const tick = async (name: string) => (sources.find((s) => s.name === `slo:${name}`) as Source).collect(ctx());
  const value = async (metric: string, slo: string, reason?: string) => {
    const m = (await registry.getMetricsAsJSON()).find((x) => x.name === metric);
    return (m?.values as { labels: Record<string, string>; value: number }[] | undefined)?.find(
      (v) => v.labels.slo === slo && (reason === undefined || v.labels.reason === reason),
    )?.value;
  };
  return { registry, board, sources, tick, value, advance: (ms: number) => (now += ms) };
}

describe('SLO evaluator', () => {
  it('creates one source per measured SLO and none for PromQL kinds', () => {
    const { sources } = setup();
    expect(sources.map((s) => [s.name, s.interval])).toEqual([
      ['slo:fresh', 1],
      ['slo:fresh-strict', 1],
      ['slo:latency', 15],
      ['slo:latency-strict', 15],
      ['slo:dupes', 15],
    ]);
  });

  it('exports cqrs_slo_info and zeroed counters from the start', async () => {
    const { registry, value } = setup();
    expect(await registry.metrics()).toContain('cqrs_slo_info{slo="fresh",objective="99",window="28d",owner="o",tier="critical",kind="freshness"} 1');
    expect(await registry.metrics()).toContain('cqrs_slo_info{slo="dupes",objective="99.9",window="month"');
    expect(await value('cqrs_slo_total', 'fresh')).toBe(0);
    expect(await value('cqrs_slo_good_total', 'fresh')).toBe(0);
    for (const slo of ['fresh', 'latency', 'dupes']) {
      expect(await value('cqrs_slo_unknown_total', slo, 'unreadable')).toBe(0);
      expect(await value('cqrs_slo_unknown_total', slo, 'rebuilding')).toBe(0);
    }
    expect(await value('cqrs_slo_unknown_total', 'custom', 'unreadable')).toBeUndefined();
  });

  it('freshness: good under the threshold, bad above; while the source is down unknown (default) or bad (unknown: bad)', async () => {
    const { board, tick, value } = setup();
    const t = targetKey.projection('s', 'p');
    const both = async () => [await tick('fresh'), await tick('fresh-strict')];
    board.setStaleness(t, 3, 'OK');
    await both();
    board.setStaleness(t, 11, 'OK');
    await both();
    board.setStaleness(t, undefined); // the store source failed
    expect(await both()).toEqual([
      { good: 0, total: 0, unknown: 1 },
      { good: 0, total: 1 },
    ]);
    await both();
    expect([
      await value('cqrs_slo_good_total', 'fresh'),
      await value('cqrs_slo_total', 'fresh'),
      await value('cqrs_slo_unknown_total', 'fresh', 'unreadable'),
    ]).toEqual([1, 2, 2]);
    expect([
      await value('cqrs_slo_good_total', 'fresh-strict'),
      await value('cqrs_slo_total', 'fresh-strict'),
      await value('cqrs_slo_unknown_total', 'fresh-strict', 'unreadable'),
    ]).toEqual([1, 4, 0]);
  });

  it('freshness: ticks while the projection is REBUILDING are unknown (rebuilding) unless duringRebuild: count', async () => {
    const { board, tick, value } = setup();
    const t = targetKey.projection('s', 'p');
    board.setStaleness(t, 7200, 'REBUILDING');
    await tick('fresh');
    await tick('fresh');
    await tick('fresh-strict');
    board.setStaleness(t, 7200, 'STALLED'); // a rebuild that stopped moving burns
    await tick('fresh');
    expect([
      await value('cqrs_slo_good_total', 'fresh'),
      await value('cqrs_slo_total', 'fresh'),
      await value('cqrs_slo_unknown_total', 'fresh', 'rebuilding'),
    ]).toEqual([0, 1, 2]);
    expect([await value('cqrs_slo_total', 'fresh-strict'), await value('cqrs_slo_unknown_total', 'fresh-strict', 'rebuilding')]).toEqual([1, 0]);
  });

  it('freshness: skips ticks before the first reading during the startup grace, then counts them as unknown (or bad)', async () => {
    const { tick, value, advance } = setup();
    expect(await tick('fresh')).toEqual({ skipped: 1 });
    expect(await tick('fresh-strict')).toEqual({ skipped: 1 });
    advance(61_000);
    await tick('fresh');
    await tick('fresh-strict');
    expect([await value('cqrs_slo_total', 'fresh'), await value('cqrs_slo_unknown_total', 'fresh', 'unreadable')]).toEqual([0, 1]);
    expect([await value('cqrs_slo_good_total', 'fresh-strict'), await value('cqrs_slo_total', 'fresh-strict')]).toEqual([0, 1]);
  });

  it('apply_latency: every SLO on the same target sees every event once', async () => {
    const { board, tick, value } = setup();
    board.addLatencies(targetKey.projection('s', 'p'), [0.5, 1.5, 3]);
    await tick('latency');
    await tick('latency-strict');
    expect([await value('cqrs_slo_good_total', 'latency'), await value('cqrs_slo_total', 'latency')]).toEqual([2, 3]);
    expect([await value('cqrs_slo_good_total', 'latency-strict'), await value('cqrs_slo_total', 'latency-strict')]).toEqual([1, 3]);
    await tick('latency');
    expect(await value('cqrs_slo_total', 'latency')).toBe(3);
  });

  it('event kinds: good = total - bad', async () => {
    const { board, tick, value } = setup();
    board.addEvents('duplicates', targetKey.stream('orders'), 1000, 2);
    await tick('dupes');
    expect([await value('cqrs_slo_good_total', 'dupes'), await value('cqrs_slo_total', 'dupes')]).toEqual([998, 1000]);
  });
});

describe('delivery SLO on a RabbitMQ source queue', () => {
  const RMQ = `
rabbitmq: [{ name: shop, url: "http://rabbit:15672", amqpUrl: "amqp://rabbit:5672", user: u, password: "env:HOME", deadLetters: { inflow: true } }]
slos:
  - { name: pay, objective: 99, sli: { kind: delivery, broker: shop, queue: pay.orders } }
`;
  it('acks are good, dead letters from the queue are bad: 16 acked + 4 dead-lettered = good 16 of 20; other queues do not count', async () => {
    const { board, tick, value } = setup(RMQ);
    const target = targetKey.queue('shop', '/', 'pay.orders');
    // What the RabbitMQ source writes: ack deltas as good events, x-death inflow as bad ones.
    board.addEvents('delivery', target, 10, 0);
    board.addEvents('delivery', target, 3, 3);
    board.addEvents('delivery', targetKey.queue('shop', '/', 'other'), 7, 7);
    expect(await tick('pay')).toEqual({ good: 10, total: 13 });
    board.addEvents('delivery', target, 6, 0);
    board.addEvents('delivery', target, 1, 1);
    expect(await tick('pay')).toEqual({ good: 6, total: 7 });
    expect(await value('cqrs_slo_good_total', 'pay')).toBe(16);
    expect(await value('cqrs_slo_total', 'pay')).toBe(20);
    // No cycle of the source (broker unreadable): nothing is counted, neither good nor bad.
    expect(await tick('pay')).toEqual({ good: 0, total: 0 });
    expect(await value('cqrs_slo_total', 'pay')).toBe(20);
  });
});
