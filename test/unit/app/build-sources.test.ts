import pino from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildSources } from '../../../src/build-sources.js';
import { loadConfig } from '../../../src/config/load.js';
import { SliBoard } from '../../../src/core/sli-board.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';

const deps = () => ({
  metrics: createMetrics(new Registry(), { processMetrics: false }),
  logger: pino({ level: 'silent' }),
  clock: () => 0,
  board: new SliBoard(),
});

describe('buildSources', () => {
  it('builds every kind of the example config, in the order of the kinds', async () => {
    const sources = await buildSources(loadConfig('config/example.yaml'), deps());
    try {
      expect(sources.map((s) => s.name)).toEqual([
        'kafka:main',
        'store:orders',
        'stream:orders',
        'dlq:orders-dlt',
        'slo:order-view-freshness',
        'slo:billing-consumer-freshness',
        'slo:order-view-apply-latency',
        'slo:orders-no-duplicates',
        'slo:orders-completeness',
        'slo:orders-delivery',
      ]);
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  });

  it('with only, builds just the accepted sources (a reload rebuilds what changed)', async () => {
    const wanted = new Set(['stream:orders', 'slo:orders-delivery']);
    const sources = await buildSources(loadConfig('config/example.yaml'), deps(), { only: (n) => wanted.has(n) });
    try {
      expect(sources.map((s) => s.name)).toEqual(['stream:orders', 'slo:orders-delivery']);
    } finally {
      await Promise.all(sources.map((s) => s.close()));
    }
  });

  it('builds nothing for sections that are empty once filtered', async () => {
    expect(await buildSources(loadConfig('config/example.yaml'), deps(), { only: () => false })).toEqual([]);
  });
});
