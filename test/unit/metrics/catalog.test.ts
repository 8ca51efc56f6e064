import { describe, expect, it, test } from 'vitest';
import { Registry } from 'prom-client';
import { allMetricDefs } from '../../../src/metrics/catalog.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';

test('metric names follow the naming contract', () => {
  const names = new Set<string>();
  for (const d of allMetricDefs()) {
    expect(d.name, d.name).toMatch(/^cqrs_[a-z0-9_]+$/);
    expect(names.has(d.name), `duplicate ${d.name}`).toBe(false);
    names.add(d.name);
    if (d.type === 'counter') expect(d.name, d.name).toMatch(/_total$/);
    else expect(d.name, d.name).not.toMatch(/_total$/);
    if (d.type === 'histogram') expect(d.buckets?.length, d.name).toBeGreaterThan(0);
    expect(d.help.length, d.name).toBeGreaterThan(10);
    for (const l of d.labelNames) expect(l).toMatch(/^[a-z_]+$/);
  }
});

test('every catalog metric registers on a private registry', async () => {
  const registry = new Registry();
  createMetrics(registry, { processMetrics: false });
  const text = await registry.metrics();
  for (const d of allMetricDefs()) expect(text).toContain(`# TYPE ${d.name} ${d.type}`);
});

describe('Kafka gauges that share a label text per row (publish.ts)', () => {
  it('have the same label names', async () => {
    const { kafkaMetrics: k } = await import('../../../src/metrics/defs/kafka.js');
    const same = (names: (keyof typeof k)[]) => expect(new Set(names.map((n) => k[n].labelNames.join(','))).size).toBe(1);
    same([
      'members',
      'commitAge',
      'groupLagMessages',
      'groupMaxLagMessages',
      'groupLagSeconds',
      'uncommitted',
      'consumeRate',
      'produceRate',
      'drainSeconds',
      'breachSeconds',
    ]);
    same(['topicLagMessages', 'topicMaxLagMessages', 'topicLagSeconds']);
    same(['lagMessages', 'committedOffset', 'lagSeconds']);
    same(['highWatermark', 'lowWatermark']);
  });
});
