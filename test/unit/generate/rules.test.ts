import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { generate, generateAlerts, GenerateError } from '../../../src/generate/index.js';
import { humanize, humanizePercentage, goG4 } from '../../../src/generate/promtool/humanize.js';
import { parseSloInputs, InputError } from '../../../src/input/index.js';
import type { RuleFile, AlertingRule, RecordingRule } from '../../../src/generate/rules/types.js';

const one = (sloYaml: string) => parseConfig(`slos:\n${sloYaml}`, 'test.yaml').slos;
/** Absolute link bases: generation refuses relative links. */
const LINKS = { runbookBaseUrl: 'https://runbooks.example.com/x', grafanaBaseUrl: 'https://grafana.example.com' };
const rulesOf = (text: string) => (parse(text) as RuleFile).groups.flatMap((g) => g.rules);

describe('SLO rules', () => {
  const slos = one(`  - { name: s, owner: o, objective: 99.9, sli: { kind: freshness, store: a, projection: p, threshold: 10s } }`);
  const rules = rulesOf(generateAlerts(slos, LINKS)[0]!.text);
  const records = rules.filter((r): r is RecordingRule => 'record' in r);
  const alerts = rules.filter((r): r is AlertingRule => 'alert' in r);

  it('records the error ratio over 5m, 30m, 1h, 2h, 6h, 1d, 3d and the period', () => {
    expect(
      records.filter((r) => r.record.startsWith('cqrs_slo:sli_error:ratio_rate')).map((r) => r.record.replace('cqrs_slo:sli_error:ratio_rate', '')),
    ).toEqual(['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d']);
    expect(records.find((r) => r.record === 'cqrs_slo:sli_error:ratio_rate5m')!.expr).toBe(
      '1 - (sum(rate(cqrs_slo_good_total{slo="s"}[5m])) / sum(rate(cqrs_slo_total{slo="s"}[5m])))',
    );
    expect(records.find((r) => r.record === 'cqrs_slo:error_budget_remaining:ratio')!.expr).toContain(
      '1 - (cqrs_slo:sli_error:ratio_rate30d{slo="s"} / 0.001)',
    );
  });

  it('pages at 14.4x over 1h and 5m, 6x over 6h and 30m; tickets at 3x over 1d and 2h, 1x over 3d and 6h', () => {
    expect(alerts.filter((a) => a.alert === 'CqrsSloErrorBudgetBurn').map((a) => [a.labels.burn_tier, a.labels.severity, a.for])).toEqual([
      ['page_fast', 'page', '2m'],
      ['page_slow', 'page', '12m'],
      ['ticket_fast', 'ticket', '48m'],
      ['ticket_slow', 'ticket', '2h24m'],
    ]);
    expect(alerts[0]!.expr).toBe(
      '(\n  cqrs_slo:sli_error:ratio_rate1h{slo="s"} / 0.001 > 14.4\nand\n  cqrs_slo:sli_error:ratio_rate5m{slo="s"} / 0.001 > 14.4\n)',
    );
    expect(alerts[3]!.expr).toContain('cqrs_slo:sli_error:ratio_rate3d{slo="s"} / 0.001 > 1\n');
    expect(alerts[0]!.labels).toEqual({ severity: 'page', slo: 's', team: 'o', burn_tier: 'page_fast', source: 'store:a' });
    expect(Object.keys(alerts[0]!.annotations)).toEqual(['summary', 'description', 'runbook_url', 'dashboard_url']);
  });

  it('adds the low-traffic guard on the long window', () => {
    const [f] = generateAlerts(one(`  - { name: g, objective: 99, alerting: { minEvents: 500 }, sli: { kind: duplicates, stream: x } }`), LINKS);
    const a = rulesOf(f!.text).find((r): r is AlertingRule => 'alert' in r)!;
    expect(a.expr).toContain('and on()\n  sum(rate(cqrs_slo_total{slo="g"}[1h])) * 3600 >= 500');
  });

  it('honours per-tier switches', () => {
    const [f] = generateAlerts(
      one(
        `  - { name: t, objective: 99, alerting: { tiers: { page_fast: { enabled: false }, ticket_slow: { severity: page, for: 1h } } }, sli: { kind: duplicates, stream: x } }`,
      ),
      LINKS,
    );
    const a = rulesOf(f!.text).filter((r): r is AlertingRule => 'alert' in r && r.alert === 'CqrsSloErrorBudgetBurn');
    expect(a.map((x) => [x.labels.burn_tier, x.labels.severity, x.for])).toEqual([
      ['page_slow', 'page', '12m'],
      ['ticket_fast', 'ticket', '48m'],
      ['ticket_slow', 'page', '1h'],
    ]);
  });

  it('wraps a bare counter selector and substitutes {{.window}}', () => {
    const [f] = generateAlerts(
      one(`  - { name: r, objective: 99, sli: { kind: ratio, good: 'x_total{ok="1"}', total: 'sum(rate(x_total[{{.window}}]))' } }`),
      LINKS,
    );
    const r = rulesOf(f!.text).find((x): x is RecordingRule => 'record' in x && x.record === 'cqrs_slo:sli_error:ratio_rate5m')!;
    expect(r.expr).toBe('1 - ((sum(rate(x_total{ok="1"}[5m]))) / (sum(rate(x_total[5m]))))');
  });
});

describe('rejections', () => {
  it('rejects an unreachable tier at config load with the field path', () => {
    expect(() => one(`  - { name: u, objective: 90, sli: { kind: duplicates, stream: x } }`)).toThrow(ConfigError);
    try {
      one(`  - { name: u, objective: 90, sli: { kind: duplicates, stream: x } }`);
    } catch (err) {
      expect((err as ConfigError).issues[0]).toEqual({
        path: 'slos[0].alerting.tiers.page_fast',
        message:
          'burn tier page_fast can never fire: it needs an error ratio above 1.44 (14.4x the 10% error budget of a 90% objective), and an error ratio cannot exceed 1; disable the tier (alerting.tiers.page_fast.enabled: false), lengthen its longWindow or lower its budgetPercent',
      });
    }
  });
  it('requires a target for freshness', () => {
    expect(() => one(`  - { name: f, objective: 99, sli: { kind: freshness, store: a, threshold: 1s } }`)).toThrow(
      /slos\[0\]\.sli: needs either store and projection, or cluster and group/,
    );
  });
  it('refuses tests for the k8s format', () => {
    expect(() =>
      generate({ slos: one(`  - { name: k, objective: 99, sli: { kind: duplicates, stream: x } }`) }, 'alerts', { ...LINKS, format: 'k8s', withTests: true }),
    ).toThrow(GenerateError);
  });
});

describe('Prometheus template functions (for exact promtool expectations)', () => {
  it('humanize like Go', () => {
    expect(humanize(15.84)).toBe('15.84');
    expect(humanize(1484)).toBe('1.484k');
    expect(humanize(0.0144)).toBe('14.4m');
    expect(humanizePercentage(-14.84)).toBe('-1484%');
    expect(goG4(-9900)).toBe('-9900');
    expect(goG4(12346)).toBe('1.235e+04');
    expect(goG4(1e-5)).toBe('1e-05');
  });
});

describe('inputs', () => {
  it('imports a Sloth prometheus/v1 spec', () => {
    const [s] = parseSloInputs(
      `version: prometheus/v1
service: myservice
labels: { owner: myteam }
slos:
  - name: requests-availability
    objective: 99.9
    description: Common SLO based on availability for HTTP request responses.
    sli:
      events:
        error_query: sum(rate(http_request_duration_seconds_count{job="myservice",code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))
    alerting:
      name: MyServiceHighErrorRate
      labels: { category: availability }
      ticket_alert: { disable: true }
`,
      'sloth.yaml',
    );
    expect(s).toMatchObject({
      name: 'requests-availability',
      owner: 'myteam',
      service: 'myservice',
      objective: 99.9,
      alerting: { labels: { category: 'availability' } },
    });
    expect(s!.alerting.tiers.ticket_fast).toEqual({ enabled: false });
    expect(s!.sli).toMatchObject({ kind: 'ratio', bad: expect.stringContaining('code=~"(5..|429)"') });
  });

  it('imports an OpenSLO v1 SLO with a ratio metric, timeslices and a calendar month', () => {
    const [s] = parseSloInputs(
      `apiVersion: openslo/v1
kind: SLO
metadata: { name: web-availability, labels: { team: web } }
spec:
  service: web
  budgetingMethod: Timeslices
  timeWindow: [{ duration: 1M, isRolling: false, calendar: { startTime: "2022-01-01 00:00:00", timeZone: UTC } }]
  indicator:
    metadata: { name: web-successful-requests-ratio }
    spec:
      ratioMetric:
        counter: true
        good: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{handler="/",code!~"5.."}' } } }
        total: { metricSource: { type: Prometheus, spec: { query: 'http_requests_total{handler="/"}' } } }
  objectives:
    - displayName: good
      target: 0.995
      timeSliceTarget: 0.95
      timeSliceWindow: 1m
`,
      'openslo.yaml',
    );
    expect(s).toMatchObject({
      name: 'web-availability',
      owner: 'web',
      service: 'web',
      calendarMonth: true,
      period: 2_592_000,
      budgeting: { method: 'timeslices', slice: 60, sliceObjective: 95 },
    });
    expect(s!.objective).toBeCloseTo(99.5, 10);
  });

  it('names what is not supported', () => {
    expect(() =>
      parseSloInputs('apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { indicatorRef: foo, objectives: [{ target: 0.99 }] }\n', 'o.yaml'),
    ).toThrow(new InputError('o.yaml', 'document 1 (SLO x).spec.indicatorRef', 'no kind: SLI named "foo" in the inputs (none given)'));
  });
});
