import { describe, expect, it } from 'vitest';
import { importSloInputs, InputError, parseSloInputs } from '../../../src/input/index.js';

const one =
  (text: string, file = 'in.yaml') =>
  () =>
    parseSloInputs(text, file);
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('did not throw');
};

const RATIO_SLI = `ratioMetric:
    good: { metricSource: { type: Prometheus, spec: { query: 'good_total' } } }
    total: { metricSource: { type: Prometheus, spec: { query: 'all_total' } } }`;

/** An OpenSLO SLO on an inline ratio with the given alert policies. */
const sloWith = (policies: string, window = '30d') => `apiVersion: openslo/v1
kind: SLO
metadata: { name: s }
spec:
  timeWindow: [{ duration: ${window}, isRolling: true }]
  objectives: [{ target: 0.999 }]
  indicator:
    spec:
      ${RATIO_SLI.replace(/\n/g, '\n    ')}
  alertPolicies:
${policies}
`;
const condition = (c: string, severity = 'page') => `    - kind: AlertPolicy
      metadata: { name: p }
      spec:
        conditions:
          - kind: AlertCondition
            metadata: { name: c }
            spec: { severity: ${severity}, condition: { ${c} } }`;

describe('OpenSLO refusals name the document and field', () => {
  it('an indicatorRef with no SLI of that name, listing the ones found', () => {
    const sli = `apiVersion: openslo/v1\nkind: SLI\nmetadata: { name: other }\nspec:\n  ${RATIO_SLI}\n---\n`;
    expect(message(one(`${sli}apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x }\nspec: { indicatorRef: foo, objectives: [{ target: 0.99 }] }\n`))).toBe(
      'in.yaml: document 2 (SLO x).spec.indicatorRef: no kind: SLI named "foo" in the inputs (found: other)',
    );
  });

  it('an unknown kind', () => {
    expect(message(one('apiVersion: openslo/v1\nkind: Budget\nmetadata: { name: b }\n'))).toBe(
      'in.yaml: document 1 (Budget b).kind: unknown OpenSLO v1 kind "Budget": expected SLO, SLI, Service, AlertPolicy, AlertCondition, DataSource or AlertNotificationTarget',
    );
  });

  it('a condition that is not a burn rate', () => {
    expect(message(one(sloWith(condition('kind: threshold, op: gte, threshold: 2, lookbackWindow: 1h'))))).toBe(
      'in.yaml: document 1 (SLO s).spec.alertPolicies[0].spec.conditions[0].spec.condition.kind: only burnrate conditions map onto burn-rate alerts, got "threshold"',
    );
  });

  it('a burn rate compared downwards', () => {
    expect(message(one(sloWith(condition('kind: burnrate, op: lt, threshold: 2, lookbackWindow: 1h'))))).toBe(
      'in.yaml: document 1 (SLO s).spec.alertPolicies[0].spec.conditions[0].spec.condition.op: must be gt or gte (a burn rate above the threshold alerts), got "lt"',
    );
  });

  it('a severity that says neither page nor ticket', () => {
    expect(message(one(sloWith(condition('kind: burnrate, op: gte, threshold: 2, lookbackWindow: 1h', 'high'))))).toBe(
      'in.yaml: document 1 (SLO s).spec.alertPolicies[0].spec.conditions[0]: spec.severity must say page or ticket (or the AlertPolicy\'s label severity), got "high"',
    );
  });

  it('a burn rate that would spend more than the whole budget', () => {
    expect(message(one(sloWith(condition('kind: burnrate, op: gte, threshold: 20, lookbackWindow: 2d'))))).toBe(
      "in.yaml: document 1 (SLO s).spec.alertPolicies[0].spec.conditions[0].spec.condition.threshold: a burn rate of 20 over 172800s spends 133.333% of the period's error budget: it must be at most 100%",
    );
  });

  it('three page conditions for two page tiers', () => {
    const c = (w: string) =>
      `          - kind: AlertCondition\n            metadata: { name: c${w} }\n            spec: { severity: page, condition: { kind: burnrate, op: gte, threshold: 2, lookbackWindow: ${w} } }`;
    const policy = `    - kind: AlertPolicy\n      metadata: { name: p }\n      spec:\n        conditions:\n${[c('1h'), c('2h'), c('3h')].join('\n')}`;
    expect(message(one(sloWith(policy)))).toBe(
      'in.yaml: document 1 (SLO s).spec.alertPolicies: at most two page burn-rate conditions map onto our tiers (page_fast, page_slow), got 3: ' +
        'document 1 (SLO s).spec.alertPolicies[0].spec.conditions[0], document 1 (SLO s).spec.alertPolicies[0].spec.conditions[1], document 1 (SLO s).spec.alertPolicies[0].spec.conditions[2]',
    );
  });

  it('a thresholdMetric that is not a histogram bucket selector', () => {
    const slo = `apiVersion: openslo/v1
kind: SLO
metadata: { name: t }
spec:
  objectives: [{ op: lte, value: 0.3, target: 0.99 }]
  indicator:
    spec:
      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: 'histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))' } } }
`;
    expect(message(one(slo))).toBe(
      'in.yaml: document 1 (SLO t).spec.indicator.spec.thresholdMetric.metricSource.spec.query: is supported as a histogram bucket selector without le, e.g. http_request_duration_seconds_bucket{job="api"}, with objectives[0].value a bucket bound in seconds; got "histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m])))" and value 0.3',
    );
    expect(message(one(slo.replace('op: lte', 'op: gte')))).toBe(
      'in.yaml: document 1 (SLO t).spec.indicator.spec.thresholdMetric: is supported on a histogram with objectives[0].op lte (buckets count values <= le), got op "gte"',
    );
  });

  it('a metric source that is not Prometheus', () => {
    const slo = sloWith('    []').replace("type: Prometheus, spec: { query: 'good_total' }", "type: Datadog, spec: { query: 'good' }");
    expect(message(one(slo))).toBe(
      'in.yaml: document 1 (SLO s).spec.indicator.spec.ratioMetric.good.metricSource.type: only Prometheus metric sources are supported, got "Datadog"',
    );
  });

  it('the same SLI name in two files', () => {
    const sli = `apiVersion: openslo/v1\nkind: SLI\nmetadata: { name: a }\nspec:\n  ${RATIO_SLI}\n`;
    expect(
      message(() =>
        importSloInputs([
          { file: 'a.yaml', text: sli },
          { file: 'b.yaml', text: sli },
        ]),
      ),
    ).toBe('b.yaml: document 1 (SLI a).metadata.name: SLI "a" is also defined in a.yaml document 1 (SLI a)');
  });
});

describe('Sloth and Pyrra refusals', () => {
  it('a Sloth plugin SLI', () => {
    expect(message(one('version: prometheus/v1\nservice: s\nslos:\n  - { name: x, objective: 99, sli: { plugin: { id: p } } }\n'))).toBe(
      "in.yaml: document 1 (sloth s).slos[0].sli.plugin: is not supported: SLI plugins are Go code that Sloth runs; write the plugin's queries as sli.events or sli.raw",
    );
  });

  it('a Sloth CRD of another kind', () => {
    expect(message(one('apiVersion: sloth.slok.dev/v1\nkind: ServiceLevel\nmetadata: { name: x }\n'))).toBe(
      'in.yaml: document 1 (ServiceLevel x).kind: must be PrometheusServiceLevel for apiVersion sloth.slok.dev/v1, got "ServiceLevel"',
    );
  });

  it('a Sloth raw error ratio without {{.window}}, through the schema', () => {
    expect(
      message(
        one(
          'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata: { name: k }\nspec:\n  service: s\n  slos:\n    - { name: x, objective: 99, sli: { raw: { errorRatioQuery: "errors:ratio5m" } } }\n',
        ),
      ),
    ).toBe('in.yaml: document 1 (PrometheusServiceLevel k).spec.slos[0]: SLO "x": sli.query: must contain the {{.window}} placeholder');
  });

  it('Pyrra grouping and bool_gauge', () => {
    const pyrra = (indicator: string) =>
      `apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: { name: p }\nspec:\n  target: "99"\n  window: 2w\n  indicator: ${indicator}\n`;
    expect(message(one(pyrra('{ ratio: { errors: { metric: e_total }, total: { metric: t_total }, grouping: [route] } }')))).toBe(
      'in.yaml: document 1 (ServiceLevelObjective p).spec.indicator.ratio.grouping: is not supported: cqrs-slo computes one error ratio per SLO; declare one SLO per group, or drop grouping',
    );
    expect(message(one(pyrra('{ bool_gauge: { metric: up } }')))).toBe(
      'in.yaml: document 1 (ServiceLevelObjective p).spec.indicator.bool_gauge: is not supported: a 0/1 gauge has no event counts to burn; expose good/total counters and use ratio',
    );
  });

  it('a Pyrra target out of range, through the schema', () => {
    expect(
      message(
        one(
          'apiVersion: pyrra.dev/v1alpha1\nkind: ServiceLevelObjective\nmetadata: { name: p }\nspec: { target: "150", indicator: { ratio: { errors: { metric: e }, total: { metric: t } } } }\n',
        ),
      ),
    ).toBe('in.yaml: document 1 (ServiceLevelObjective p): SLO "p": objective: must be between 0 and 100');
  });

  it('a document of no known format', () => {
    expect(message(one('apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: { name: r }\n'))).toBe(
      'in.yaml: document 1 (PrometheusRule r): is not OpenSLO (apiVersion: openslo/v1), Sloth (version: prometheus/v1, or apiVersion: sloth.slok.dev/v1 kind: PrometheusServiceLevel) or Pyrra (apiVersion: pyrra.dev/v1alpha1 kind: ServiceLevelObjective): found apiVersion "monitoring.coreos.com/v1"',
    );
  });

  it('the same SLO name twice', () => {
    const s = 'version: prometheus/v1\nservice: s\nslos:\n  - { name: x, objective: 99, sli: { events: { error_query: e, total_query: t } } }\n';
    expect(
      message(() =>
        importSloInputs([
          { file: 'a.yaml', text: s },
          { file: 'b.yaml', text: s },
        ]),
      ),
    ).toBe('b.yaml: document 1 (sloth s).slos[0]: SLO name "x" is also used by a.yaml document 1 (sloth s).slos[0]');
  });
});

describe('warnings instead of silence', () => {
  it('an SLI no SLO uses and a label cqrs-slo sets itself', () => {
    const r = importSloInputs([
      { file: 'o.yaml', text: `apiVersion: openslo/v1\nkind: SLI\nmetadata: { name: lonely }\nspec:\n  ${RATIO_SLI}\n` },
      {
        file: 's.yaml',
        text: 'version: prometheus/v1\nservice: s\nslos:\n  - { name: x, objective: 99, alerting: { labels: { slo: other } }, sli: { events: { error_query: e, total_query: t } } }\n',
      },
    ]);
    expect(r.warnings).toEqual([
      's.yaml: document 1 (sloth s).slos[0].labels: label slo="other" is not carried: cqrs-slo sets slo on its alerts itself',
      'o.yaml: document 1 (SLI lonely) is not used by any SLO',
    ]);
    expect(r.slos.map((s) => s.name)).toEqual(['x']);
  });
});
