import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { sloReport } from '../../../src/report/slo-report.js';
import { buildReport, parseReportDoc, REPORT_FORMAT } from '../../../src/report/report-model.js';
import { renderMarkdown, mdText } from '../../../src/report/render-markdown.js';
import { renderHtml } from '../../../src/report/render-html.js';
import { renderSlack } from '../../../src/report/render-slack.js';
import { incidentRange } from '../../../src/report/report-text.js';
import { reportBaseName } from '../../../src/report/history.js';
import { incidentStep } from '../../../src/report/gather.js';
import { parseAt } from '../../../src/report/command.js';

const config = parseConfig(
  `slos:
  - {name: a, description: "x <script> | *y*", objective: 99, period: 7d, sli: {kind: duplicates, stream: s}}
  - {name: b, objective: 99, period: 7d, sli: {kind: duplicates, stream: s}}
  - {name: c, objective: 99, period: 7d, sli: {kind: duplicates, stream: s}}`,
  'cfg.yaml',
);
// 2026-12-07 08:00 UTC
const at = Date.UTC(2026, 11, 7, 8) / 1000;
const rows = sloReport(
  config.slos,
  new Map([
    ['a', { errorRatio: 0.004, budgetRemaining: 0.6 }],
    ['b', { errorRatio: 0.032, budgetRemaining: -2.2 }],
  ]),
  new Map(),
);
const incident = { start: at - 3600, end: at - 1800, severity: 'page' as const, tiers: ['page_fast' as const], peakBurnRate: 30, ongoing: false };

describe('buildReport', () => {
  const previous = buildReport({
    at: at - 7 * 86_400,
    rows: sloReport(config.slos, new Map([['a', { errorRatio: 0.001, budgetRemaining: 0.9 }]]), new Map()),
    incidents: new Map(),
    maxIncidents: 5,
  });
  const doc = buildReport({
    at,
    rows,
    incidents: new Map([
      ['a', [incident, { ...incident, start: at - 7200, peakBurnRate: 10 }]],
      ['b', []],
    ]),
    maxIncidents: 1,
    previous,
  });

  test('numbers, worst incidents, counts, and the change against the previous report', () => {
    const [a, b, c] = doc.slos;
    expect(a).toMatchObject({ attainment: 99.6, budgetRemaining: 0.6, state: 'healthy', incidentCount: 2, incidents: [incident] });
    expect(a!.change!.previousAt).toBe(at - 7 * 86_400);
    expect(a!.change!.attainment).toBeCloseTo(-0.3, 10); // 99.6 - 99.9
    expect(a!.change!.budgetRemaining).toBeCloseTo(-0.3, 10); // 0.6 - 0.9
    expect(b).toMatchObject({ state: 'exhausted', incidentCount: 0, incidents: [], change: { previousState: 'no data', attainment: undefined } });
    expect(b!.budgetSpent).toBeCloseTo(3.2, 10);
    // no recordings: no data, incidents unknown (never "none")
    expect(c).toMatchObject({ state: 'no data', attainment: undefined, incidents: undefined, incidentCount: undefined });
    expect(doc.previousAt).toBe(at - 7 * 86_400);
  });

  test('the JSON kept in the history reads back; a foreign file does not', () => {
    expect(parseReportDoc(JSON.parse(JSON.stringify(doc)))?.slos).toHaveLength(3);
    expect(parseReportDoc({ format: 'other', at, slos: [] })).toBeUndefined();
    expect(parseReportDoc({ format: REPORT_FORMAT, at: 'x', slos: [] })).toBeUndefined();
    expect(parseReportDoc(null)).toBeUndefined();
  });

  test('Markdown: names inert, budget spent as a multiple, change and incidents', () => {
    const md = renderMarkdown(doc);
    expect(md).toContain('# SLO report, 2026-12-07 08:00 UTC');
    expect(md).toContain('| a | 99% over 7d | 99\\.600% | 60\\.0% left, 40\\.0% spent | healthy | 2 |');
    expect(md).toContain('| b | 99% over 7d | 96\\.800% | budget spent 3\\.2× | exhausted | 0 |');
    expect(md).toContain('| c | 99% over 7d | no data | no data | no data | no data |');
    expect(md).toContain('x \\<script\\> \\| \\*y\\*');
    expect(md).toContain('Change: attainment −0\\.300 pp, budget left −30\\.0 points since 2026\\-11\\-30 08:00 UTC \\(was healthy\\)');
    expect(md).toContain('2 burn incidents, the 1 worst:');
    expect(md).toContain('  - 2026\\-12\\-07 07:00 – 07:30 UTC \\(30\u00a0min\\): page, burn rate up to 30\\.0× \\(page\\_fast\\)');
    expect(md).toContain('incidents: no data');
    expect(mdText('[x](javascript:y)')).toBe('\\[x\\]\\(javascript:y\\)');
  });

  test('HTML: every name escaped', () => {
    const html = renderHtml(doc);
    expect(html).toContain('<bdi>x &#60;script&#62; | *y*</bdi>');
    expect(html).not.toContain('<script>');
    expect(html).toContain("default-src 'none'");
  });

  test('Slack: text, a header and one section per SLO; & < > escaped', () => {
    const msg = renderSlack(doc);
    expect(msg.text).toBe('SLO report, 2026-12-07 08:00 UTC: 1 healthy, 1 exhausted, 1 no data');
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'section']);
    expect(JSON.stringify(msg.blocks[1])).toContain('*a*: healthy');
    const noted = renderSlack({ ...doc, note: 'Prometheus unreachable (<!channel> & co)' });
    expect(JSON.stringify(noted.blocks[1])).toContain('Prometheus unreachable (&lt;!channel&gt; &amp; co)');
    const many = buildReport({ at, rows: Array.from({ length: 60 }, () => rows[2]!), incidents: new Map(), maxIncidents: 1 });
    const big = renderSlack(many);
    expect(big.blocks).toHaveLength(50);
    expect(JSON.stringify(big.blocks.at(-1))).toContain('12 more SLOs');
  });
});

describe('report helpers', () => {
  test('incident range across midnight repeats the date; ongoing says so', () => {
    expect(incidentRange({ ...incident, start: at - 9 * 3600, end: at - 7 * 3600 - 60, ongoing: true })).toBe(
      '2026-12-06 23:00 – 2026-12-07 00:59 UTC (2\u00a0h, ongoing)',
    );
  });
  test('file names sort by time, in UTC', () => {
    expect(reportBaseName(at)).toBe('slo-report-20261207T080000Z');
  });
  test('incident step: round, at most 11 000 points, never under the scrape interval', () => {
    expect(incidentStep(7 * 86_400, 60)).toBe(60); // 604800 / 11000 = 55 -> 60
    expect(incidentStep(30 * 86_400, 60)).toBe(300); // 235.6 -> 300
    expect(incidentStep(3600, 60)).toBe(60);
    expect(incidentStep(3600, 1)).toBe(1);
  });
  test('--at: ISO 8601 or Unix seconds', () => {
    expect(parseAt('2026-12-07T08:00:00Z')).toBe(at);
    expect(parseAt(String(at))).toBe(at);
    expect(() => parseAt('monday')).toThrow(/ISO 8601/);
  });
});
