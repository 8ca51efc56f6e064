import { describe, expect, it } from 'vitest';
import { buildSloModel } from '../../../src/generate/model/slo-model.js';
import { parseSloInputs } from '../../../src/input/index.js';
import { latencyFromBucket, parseSelector } from '../../../src/input/selector.js';

const openslo = (window: string, conditions: string) => `apiVersion: openslo/v1
kind: SLO
metadata: { name: s }
spec:
  timeWindow: [{ duration: ${window}, isRolling: true }]
  objectives: [{ target: 0.999 }]
  indicator:
    spec:
      ratioMetric:
        bad: { metricSource: { type: Prometheus, spec: { query: bad_total } } }
        total: { metricSource: { type: Prometheus, spec: { query: all_total } } }
  alertPolicies:
    - kind: AlertPolicy
      metadata: { name: p, labels: { severity: ticket } }
      spec:
        conditions:
${conditions}
`;
const cond = (c: string, severity?: string) =>
  `          - kind: AlertCondition\n            metadata: { name: c }\n            spec: { ${severity ? `severity: ${severity}, ` : ''}condition: { kind: burnrate, ${c} } }`;

describe('OpenSLO burn-rate conditions -> burn tiers', () => {
  it('14.4 over 1h on 30 days is the workbook fast page: 2% of the budget, 5m short window, alertAfter as for', () => {
    const [slo] = parseSloInputs(openslo('30d', cond('op: gte, threshold: 14.4, lookbackWindow: 1h, alertAfter: 2m', 'page')), 'o.yaml');
    const tiers = buildSloModel(slo!).tiers;
    const fast = tiers.find((t) => t.id === 'page_fast')!;
    expect(fast.budgetPercent).toBe(2);
    expect(fast.factor).toBeCloseTo(14.4, 10);
    expect([fast.longWindow, fast.shortWindow, fast.for, fast.severity]).toEqual([3600, 300, 120, 'page']);
    expect(tiers.filter((t) => t.enabled).map((t) => t.id)).toEqual(['page_fast']);
  });

  it("on 28 days the factor stays the condition's threshold: 6 over 6h is 6 × 6h / 28d = 5.357% of the budget", () => {
    const [slo] = parseSloInputs(
      openslo('28d', `${cond('op: gt, threshold: 6, lookbackWindow: 6h')}\n${cond('op: gt, threshold: 1, lookbackWindow: 3d')}`),
      'o.yaml',
    );
    const tiers = buildSloModel(slo!).tiers.filter((t) => t.enabled);
    // Severity from the policy's label; the shorter lookback fills ticket_fast.
    expect(tiers.map((t) => [t.id, t.severity, t.longWindow, t.shortWindow])).toEqual([
      ['ticket_fast', 'ticket', 21_600, 1_800],
      ['ticket_slow', 'ticket', 259_200, 21_600],
    ]);
    expect(tiers[0]!.budgetPercent).toBeCloseTo((6 * 21_600 * 100) / (28 * 86_400), 9);
    expect(tiers[0]!.factor).toBeCloseTo(6, 9);
    expect(tiers[1]!.factor).toBeCloseTo(1, 9);
    // Threshold = factor × budget (0.1%).
    expect(tiers[0]!.threshold).toBeCloseTo(0.006, 12);
  });
});

describe('histogram selectors', () => {
  it('splits matchers, keeping commas inside quotes', () => {
    expect(parseSelector('h_bucket{a="x,y", b=~"z"}')!.matchers.map((m) => m.text)).toEqual(['a="x,y"', 'b=~"z"']);
    expect(parseSelector('sum(rate(h[5m]))')).toBeUndefined();
  });

  it('turns bucket + count of one histogram into a latency SLI, only when the bound round-trips', () => {
    expect(latencyFromBucket('h_bucket{job="a",le="0.25"}', 'h_count{job="a"}')).toEqual({ histogram: 'h', selector: 'job="a"', threshold: '0.25s' });
    expect(latencyFromBucket('h_bucket{job="a",le="1.0"}', 'h_count{job="a"}')).toBeUndefined();
    expect(latencyFromBucket('h_bucket{job="a",le="1"}', 'h_count{job="b"}')).toBeUndefined();
    expect(latencyFromBucket('h_bucket{job="a",le="1"}', 'g_count{job="a"}')).toBeUndefined();
  });

  it('a Pyrra latency whose bound does not round-trip stays a good/total ratio of the same series', () => {
    const [slo] = parseSloInputs(
      'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: { name: p }\nspec:\n  target: "99"\n  indicator: { latency: { success: { metric: \'h_bucket{le="1.0"}\' }, total: { metric: h_count } } }\n',
      'p.yaml',
    );
    expect(slo!.sli).toEqual({ kind: 'ratio', good: 'h_bucket{le="1.0"}', total: 'h_count' });
  });
});
