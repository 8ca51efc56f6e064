import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { coverageText, sloReport } from '../../../src/report/slo-report.js';
import { humanDuration, sloTarget, sloWhy } from '../../../src/report/slo-explain.js';
import { budgetText, renderSloPage } from '../../../src/server/slo-page.js';
import { budgetSparkline } from '../../../src/server/sparkline.js';

const config = parseConfig(
  `slos:
  - {name: fresh, objective: 99, period: 28d, evaluationInterval: 5s, sli: {kind: freshness, store: demo, projection: p, threshold: 30s}}
  - {name: lat, owner: team-a, tier: critical, objective: 95, sli: {kind: apply_latency, cluster: c, group: g, threshold: 1m}}
  - {name: dlq, objective: 99, sli: {kind: delivery, dlq: d}}
  - {name: dup, objective: 99.9, sli: {kind: duplicates, stream: s}}`,
  'x.yaml',
);
const [fresh, lat, dlq, dup] = config.slos;

/** Texts with the no-break spaces of humanDuration read as plain spaces. */
const sp = (s: string | undefined) => s?.replace(/\u00a0/g, ' ');

describe('what an SLO measures, and why it is in its state (pure)', () => {
  test('targets in words', () => {
    expect(sloTarget(fresh!.sli)).toBe('projection p in store demo');
    expect(sloTarget(lat!.sli)).toBe('consumer group g on cluster c');
    expect(sloTarget(dlq!.sli)).toBe('dead-letter queue d');
    expect(sloTarget(dup!.sli)).toBe('event stream s');
  });

  test('human durations round to one unit', () => {
    expect([5, 89, 90, 720, 5399, 5400, 172_799, 172_800, 2_419_200].map((n) => sp(humanDuration(n)))).toEqual([
      '5 s',
      '89 s',
      '2 min',
      '12 min',
      '90 min',
      '2 h',
      '48 h',
      '2 d',
      '28 d',
    ]);
  });

  test('coverage: "measured for 12 min of 28 d" until the period is covered', () => {
    expect(sp(coverageText(720, 2_419_200))).toBe('measured for 12 min of 28 d');
    expect(coverageText(2_419_200, 2_419_200)).toBeUndefined();
    expect(coverageText(undefined, 2_419_200)).toBeUndefined();
  });

  test('why: bad share against the share the objective allows', () => {
    // 16 bad of 400 checks = 4 %, objective 99 allows 1 %.
    expect(sp(sloWhy(fresh!, { badShare: 16 / 400, total: 400, coverage: '12 min of 28 d' }))).toBe(
      '4 % of 400 checks were bad (read model more than 30 s behind) in the 12 min of 28 d measured: more than the 1 % the objective allows.',
    );
    expect(sp(sloWhy(lat!, { badShare: 0.01, total: 100 }))).toBe('1 % of 100 events were bad (applied later than 60 s): within the 5 % the objective allows.');
    expect(sloWhy(dup!, {})).toMatch(/^Nothing measured yet/);
  });

  test('report rows: budget spent as a multiple, coverage from the monitor start, unset owner and tier absent', () => {
    // fresh: 16 bad of 400 -> error 4 % of a 1 % budget -> 1 - 4 = -3 left, spent 4x.
    // lat: 1 bad of 100 -> 1 % of 5 % -> 0.8 left.
    const rows = sloReport(
      config.slos,
      undefined,
      new Map([
        ['fresh', { good: 384, total: 400 }],
        ['lat', { good: 99, total: 100 }],
      ]),
      720,
    );
    expect(sp(rows[0]!.coverage)).toBe('measured for 12 min of 28 d');
    expect(rows[0]).toMatchObject({ state: 'exhausted', coverageSeconds: 720, owner: undefined, tier: undefined, target: 'projection p in store demo' });
    expect(rows[0]!.budgetSpent).toBeCloseTo(4, 10);
    expect(budgetText(rows[0]!)).toBe('budget spent 4.0× so far');
    expect(rows[1]).toMatchObject({ state: 'healthy', owner: 'team-a', tier: 'critical' });
    expect(sp(rows[1]!.coverage)).toBe('measured for 12 min of 30 d');
    expect(budgetText(rows[1]!)).toBe('80.0% left so far');
    expect(rows[2]).toMatchObject({ state: 'no data', basis: 'none' });
    expect(budgetText(rows[2]!)).toBe('—');
    const html = renderSloPage(rows, { generatedAt: new Date(0) });
    expect(html).not.toContain('Tier');
    expect(html).not.toContain('unowned');
    expect(html).toContain('tier critical');
    expect(html).toContain('so far');
    expect(html).toContain('exhausted</span> the budget is spent'); // the legend
  });

  test('Prometheus coverage over the whole period reads as a plain verdict', () => {
    const rows = sloReport(config.slos, new Map([['fresh', { errorRatio: 0.005, budgetRemaining: 0.5, coverageSeconds: 3_000_000 }]]), new Map());
    expect(rows[0]).toMatchObject({ basis: 'prometheus', coverage: undefined, coverageSeconds: 2_419_200 });
    expect(budgetText(rows[0]!)).toBe('50.0% left');
  });

  test('sparkline: one polyline point per sample, the zero line at the bottom for a budget in [0, 1]', () => {
    expect(budgetSparkline([[0, 1]])).toBe('');
    const svg = budgetSparkline(
      [
        [0, 1],
        [50, 0.5],
        [100, 0],
      ],
      { width: 100, height: 20 },
    );
    expect(svg).toContain('points="0.0,0.0 50.0,10.0 100.0,20.0"');
    expect(svg).toContain('y1="20.0"');
    // A budget below 0 widens the band: zero sits at 1/2 for [-1, 1].
    expect(
      budgetSparkline(
        [
          [0, 1],
          [1, -1],
        ],
        { width: 10, height: 20 },
      ),
    ).toContain('y1="10.0"');
  });
});
