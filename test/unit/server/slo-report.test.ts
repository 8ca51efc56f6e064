import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { sloReport } from '../../../src/report/slo-report.js';
import { renderSloPage } from '../../../src/server/slo-page.js';
import { escapeHtml } from '../../../src/report/html.js';

const config = parseConfig(
  `slos:
  - {name: a, objective: 99, sli: {kind: duplicates, stream: s}}
  - {name: b, objective: 99, period: 28d, sli: {kind: duplicates, stream: s}}
  - {name: c, objective: 99, period: month, sli: {kind: duplicates, stream: s}}
  - {name: d, objective: 99.9, sli: {kind: duplicates, stream: s}}`,
  'x.yaml',
);

describe('executive SLO report (pure)', () => {
  test('from the monitor counters: attainment and budget by hand', () => {
    const counters = new Map([
      ['a', { good: 995, total: 1000 }], // 0.5% errors of a 1% budget -> 50% left
      ['b', { good: 992, total: 1000 }], // 0.8% of 1% -> 20% left: at risk
      ['c', { good: 980, total: 1000 }], // 2% of 1% -> -100%: exhausted
    ]);
    const rows = sloReport(config.slos, undefined, counters);
    expect(rows[0]).toMatchObject({ attainment: 99.5, state: 'healthy', basis: 'monitor', period: '30d' });
    expect(rows[0]!.budgetRemaining).toBeCloseTo(0.5, 10);
    expect(rows[1]).toMatchObject({ state: 'at risk', period: '28d' });
    expect(rows[1]!.budgetRemaining).toBeCloseTo(0.2, 10);
    expect(rows[2]).toMatchObject({ state: 'exhausted', period: 'calendar month' });
    expect(rows[2]!.budgetRemaining).toBeCloseTo(-1, 10);
    expect(rows[3]).toMatchObject({ state: 'no data', basis: 'none' });
    expect(rows[3]!.attainment).toBeUndefined();
  });

  test('Prometheus values over the period win over the monitor counters', () => {
    const prom = new Map([['a', { errorRatio: 0.002, budgetRemaining: 0.8 }]]);
    const rows = sloReport(config.slos, prom, new Map([['a', { good: 1, total: 2 }]]));
    expect(rows[0]).toMatchObject({ basis: 'prometheus', budgetRemaining: 0.8, state: 'healthy' });
    expect(rows[0]!.attainment).toBeCloseTo(99.8, 10);
  });

  test('every name that reaches HTML is escaped', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\``)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;&#96;');
    const html = renderSloPage(
      [
        {
          name: 'x',
          description: '<script>alert(1)</script>',
          owner: '"><img src=x onerror=alert(1)>',
          tier: 't',
          kind: 'k',
          target: '<t>',
          measures: '<m>',
          objective: 99,
          period: '30d',
          periodSeconds: 2_592_000,
          state: 'healthy',
          basis: 'none',
          why: '<w>',
        },
      ],
      { generatedAt: new Date(0), note: '<b>note</b>' },
    );
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>note');
    expect(html).toContain('&#60;script&#62;');
  });

  // Regression: U+202E and NUL in an owner or a description reached the page as they were.
  test('control and bidirectional characters never reach the page; user text is isolated', () => {
    const html = renderSloPage(
      [
        {
          name: 'n',
          description: 'a\u0000b\u202Ec',
          owner: 'team\u2066x\u0085',
          tier: 't\u200F',
          kind: 'k',
          objective: 99,
          period: '30d',
          periodSeconds: 2_592_000,
          state: 'healthy',
          basis: 'none',
          target: 'projection p in store s',
          measures: 'm',
          why: 'w',
        },
      ],
      { generatedAt: new Date(0) },
    );
    expect(html).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(html).toContain('<bdi>a\uFFFDb\uFFFDc</bdi>');
    expect(html).toContain('<bdi>owner team\uFFFDx\uFFFD · tier t\uFFFD</bdi>');
    expect(escapeHtml('ok\ttab\nline')).toBe('ok\ttab\nline');
  });
});
