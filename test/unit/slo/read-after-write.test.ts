import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../../src/config/load.js';
import { createMetrics } from '../../../src/metrics/create-metrics.js';
import { SliBoard, targetKey } from '../../../src/core/sli-board.js';
import { createSloSources } from '../../../src/slo/index.js';
import type { CycleContext } from '../../../src/sources/source.js';

// Two SLOs on one probe with different thresholds: each sees every run once.
const CONFIG = `
probes:
  - { name: orders, command: { http: { url: "http://127.0.0.1:1/orders" } }, query: { http: { url: "http://127.0.0.1:1/orders/{{probeId}}" } } }
slos:
  - { name: raw-2s, objective: 99, sli: { kind: read_after_write, probe: orders, threshold: 2s } }
  - { name: raw-500ms, objective: 99, sli: { kind: read_after_write, probe: orders, threshold: 500ms } }
`;

describe('read_after_write SLO evaluator', () => {
  it('counts probe runs from the board: good, total and unknown per SLO', async () => {
    const registry = new Registry();
    const metrics = createMetrics(registry, { processMetrics: false });
    const board = new SliBoard();
    const deps = { metrics, logger: pino({ level: 'silent' }), clock: () => 1_000_000, board };
    const [a, b] = createSloSources(parseConfig(CONFIG, 'raw.yaml'), deps);
    const ctx: CycleContext = {
      signal: new AbortController().signal,
      clock: () => 1_000_000,
      startedAt: 1_000_000,
      logger: deps.logger,
      span: (_n, fn) => fn(),
    };
    const t = targetKey.probe('orders');
    board.addProbeOutcomes(t, [{ result: 'visible', seconds: 0.3 }, { result: 'visible', seconds: 1.5 }, { result: 'timeout' }, { result: 'query_failed' }]);
    expect(await a!.collect(ctx)).toEqual({ good: 2, total: 3, unknown: 1 });
    expect(await b!.collect(ctx)).toEqual({ good: 1, total: 3, unknown: 1 });
    // Taken once: the next tick sees nothing new.
    expect(await a!.collect(ctx)).toEqual({ good: 0, total: 0 });
    const text = await registry.metrics();
    expect(text).toContain('cqrs_slo_good_total{slo="raw-500ms"} 1');
    expect(text).toContain('cqrs_slo_total{slo="raw-500ms"} 3');
    expect(text).toContain('cqrs_slo_unknown_total{slo="raw-2s",reason="unreadable"} 1');
    expect(text).toContain('kind="read_after_write"');
  });
});
