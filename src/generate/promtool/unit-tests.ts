import type { BurnTier } from '../../core/slo/burn-windows.js';
import type { Seconds } from '../../core/units.js';
import { sloMetrics } from '../../metrics/defs/slo.js';
import type { SloModel } from '../model/slo-model.js';
import { promDuration } from '../model/promql.js';
import type { GenerateOptions } from '../options.js';
import { namingFor } from '../rules/slo-groups.js';
import { burnAlert, BURN_ALERT } from '../rules/burn-alerts.js';
import { humanize, humanizePercentage } from './humanize.js';
import { coverageAlert, sliAbsentAlert, COVERAGE_ALERT, SLI_ABSENT_ALERT } from '../rules/sli-health.js';

/** A promtool rule unit test file (https://prometheus.io/docs/prometheus/latest/configuration/unit_testing_rules/). */
export interface PromtoolTestFile {
  rule_files: string[];
  evaluation_interval: string;
  tests: PromtoolTest[];
}

interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

interface PromtoolTest {
  name: string;
  interval: string;
  input_series: { series: string; values: string }[];
  alert_rule_test: { eval_time: string; alertname: string; exp_alerts: ExpAlert[] }[];
  promql_expr_test?: { expr: string; eval_time: string; exp_samples: { labels: string; value: number }[] }[];
}

/** Series a test writes for an SLO: total and good counters, given per-step increments. */
interface SeriesNames {
  total: string;
  good: string;
}

/** Input series of an SLO, when they can be synthesised (not for free-form PromQL ratios). */
export function seriesFor(slo: SloModel): SeriesNames | undefined {
  const sli = slo.sliConfig;
  if (slo.measured) {
    const sel = `{slo=${JSON.stringify(slo.name)}}`;
    return { total: `${sloMetrics.total.name}${sel}`, good: `${sloMetrics.good.name}${sel}` };
  }
  if (sli.kind === 'latency') {
    const sel = sli.selector.trim();
    // Only plain equality matchers can be turned into series labels.
    if (sel && !/^\s*[a-zA-Z_]\w*\s*=\s*"[^"]*"\s*(,\s*[a-zA-Z_]\w*\s*=\s*"[^"]*"\s*)*,?$/.test(sel)) return undefined;
    const labels = sel.replace(/,\s*$/, '');
    return {
      total: `${sli.histogram}_count${labels ? `{${labels}}` : ''}`,
      good: `${sli.histogram}_bucket{${labels ? `${labels}, ` : ''}le=${JSON.stringify(String(sli.threshold))}}`,
    };
  }
  return undefined;
}

/** Error ratio just above / just under a threshold, kept inside (0, 1]. */
const above = (x: number) => (x * 1.1 <= 1 ? x * 1.1 : (x + 1) / 2);
const under = (x: number) => x * 0.9;

/** promtool values notation: `start+stepxN`, with several segments for resets. */
const ramp = (step: number, n: number) => `0+${fmt(step)}x${n}`;
const fmt = (n: number) => String(Number(n.toPrecision(12)));

/**
 * promtool unit tests for the burn alerts of the SLOs whose input series can be synthesised:
 * for each enabled tier a burn just above its threshold (it fires, with the tiers below it) and
 * just under (it stays quiet), no traffic, a counter reset, and low traffic under the guard.
 * The expected firing set is computed from the same tier model the rules come from.
 */
export function promtoolTests(
  slos: readonly SloModel[],
  opts: GenerateOptions,
  ruleFile: string,
): { files: { slo: string; file: PromtoolTestFile }[]; skipped: string[] } {
  const files: { slo: string; file: PromtoolTestFile }[] = [];
  const skipped: string[] = [];
  for (const slo of slos) {
    const series = seriesFor(slo);
    const enabled = slo.tiers.filter((t) => t.enabled);
    if (!series || enabled.length === 0) {
      skipped.push(slo.name);
      continue;
    }
    // One file per SLO: each gets the evaluation interval its windows need.
    const r = sloTests(slo, enabled, series, opts, slos);
    files.push({ slo: slo.name, file: { rule_files: [ruleFile], evaluation_interval: promDuration(r.evalEvery), tests: r.tests } });
  }
  return { files, skipped };
}

function sloTests(
  slo: SloModel,
  tiers: readonly BurnTier[],
  series: SeriesNames,
  opts: GenerateOptions,
  all: readonly SloModel[],
): { tests: PromtoolTest[]; evalEvery: Seconds } {
  // Samples at most every minute and at least four per shortest short window.
  const minShort = Math.min(...tiers.map((t) => t.shortWindow));
  const sliceLen = slo.budgeting.method === 'timeslices' ? slo.budgeting.slice : Number.POSITIVE_INFINITY;
  const step: Seconds = Math.max(1, Math.min(60, Math.floor(minShort / 4), Math.floor(sliceLen / 4)));
  const perStep = Math.max(60, slo.minEvents);
  // Rules are evaluated every 5 samples (at most 5m): far cheaper for promtool, and `for` only
  // needs a margin of a few evaluations (activation, rule-group order) in the expected firing set.
  const evalEvery: Seconds = Math.min(300, step * 5);
  const margin: Seconds = 4 * evalEvery + 2 * step;
  const timeslices = slo.budgeting.method === 'timeslices' ? slo.budgeting : undefined;
  const sliceThreshold = timeslices ? 1 - timeslices.sliceObjective / 100 : 0;
  /** Error ratio each window's recording will show for a constant raw error ratio e. */
  const windowRatio = (e: number) => (timeslices ? (e > sliceThreshold ? 1 : 0) : e);

  const evalTimeFor = (e: number, minFor: Seconds) => {
    let t = minFor + margin;
    for (;;) {
      const amb = tiers.some((k) => fires(k, e) && k.for > t - margin && k.for <= t);
      if (!amb) return t;
      t += evalEvery;
    }
  };
  const fires = (k: BurnTier, e: number) => {
    const r = windowRatio(e);
    return slo.budget === 0 ? r > 0 : r / slo.budget > k.factor;
  };
  const expected = (e: number, t: Seconds): ExpAlert[] => {
    const r = windowRatio(e);
    const burn = slo.budget === 0 ? Number.POSITIVE_INFINITY : r / slo.budget;
    // Ours clamps a 100% objective's budget to 0/1; Sloth's 1 - burn goes to -Inf.
    const spentZeroBudget = opts.format === 'sloth' ? Number.NEGATIVE_INFINITY : 0;
    const remaining = slo.budget === 0 ? (r > 0 ? spentZeroBudget : 1) : 1 - r / slo.budget;
    return tiers
      .filter((k) => fires(k, e) && k.for <= t - margin)
      .map((k) => {
        const rule = burnAlert(slo, k, namingFor(opts.format), opts);
        const exprLabels: Record<string, string> =
          opts.format === 'sloth'
            ? { sloth_id: `${slo.service}-${slo.name}`, sloth_service: slo.service, sloth_slo: slo.name, slo: slo.name, owner: slo.owner }
            : { slo: slo.name };
        return {
          exp_labels: { ...exprLabels, ...rule.labels },
          exp_annotations: Object.fromEntries(
            Object.entries(rule.annotations).map(([key, v]) => [
              key,
              v
                .replaceAll('{{ $value | humanize }}', humanize(burn))
                .replace(
                  /\{\{ with query `[^`]*` \}\}\{\{ \. \| first \| value \| humanizePercentage \}\}\{\{ else \}\}unknown\{\{ end \}\}/,
                  humanizePercentage(remaining),
                )
                // The SLI's gauge (staleness) is not among the test's input series.
                .replace(/\{\{ with query `[^`]*` \}\}\{\{ \. \| first \| value \| humanizeDuration \}\}\{\{ else \}\}unknown\{\{ end \}\}/, 'unknown'),
            ]),
          ),
        };
      });
  };
  const scenario = (name: string, e: number, t: Seconds, perStepTotal = perStep): PromtoolTest => {
    const n = Math.ceil(t / step) + 1;
    return {
      name: `${slo.name}: ${name}`,
      interval: promDuration(step),
      input_series: [
        { series: series.total, values: ramp(perStepTotal, n) },
        { series: series.good, values: ramp(perStepTotal * (1 - e), n) },
      ],
      alert_rule_test: [{ eval_time: promDuration(t), alertname: BURN_ALERT, exp_alerts: expected(e, t) }],
    };
  };

  const out: PromtoolTest[] = [];
  if (timeslices) {
    const bad = Math.min(1, sliceThreshold * 1.5 || 0.5);
    const t = evalTimeFor(bad, Math.max(...tiers.map((k) => k.for)));
    out.push(scenario('every slice bad, all tiers fire', bad, t));
    out.push(scenario('errors under the slice objective, quiet', sliceThreshold * 0.5, t));
  } else if (slo.budget === 0) {
    const t = evalTimeFor(0.01, Math.max(...tiers.map((k) => k.for)));
    out.push(scenario('any error burns a 100% objective', 0.01, t));
  } else {
    for (const k of tiers) {
      const threshold = k.factor * slo.budget;
      const t = evalTimeFor(above(threshold), k.for);
      out.push(scenario(`${k.id} burn just above ${fmt(k.factor)}x fires`, above(threshold), t));
      out.push(scenario(`${k.id} burn just under ${fmt(k.factor)}x stays quiet`, under(threshold), t));
    }
  }
  const tMax = evalTimeFor(0, Math.max(...tiers.map((k) => k.for)));
  out.push({
    name: `${slo.name}: no traffic, no alert`,
    interval: promDuration(step),
    input_series: [
      { series: series.total, values: `5x${Math.ceil(tMax / step) + 1}` },
      { series: series.good, values: `5x${Math.ceil(tMax / step) + 1}` },
    ],
    alert_rule_test: [{ eval_time: promDuration(tMax), alertname: BURN_ALERT, exp_alerts: [] }],
  });
  const half = Math.ceil(tMax / step / 2);
  out.push({
    name: `${slo.name}: counter reset without errors, no alert`,
    interval: promDuration(step),
    input_series: [
      { series: series.total, values: `${1000 + perStep}+${perStep}x${half} ${ramp(perStep, half)}` },
      { series: series.good, values: `${1000 + perStep}+${perStep}x${half} ${ramp(perStep, half)}` },
    ],
    alert_rule_test: [{ eval_time: promDuration(tMax), alertname: BURN_ALERT, exp_alerts: [] }],
  });
  out.push(...trustTests(slo, opts, step, margin, all));
  if (slo.minEvents > 0) {
    const t = evalTimeFor(1, Math.max(...tiers.map((k) => k.for)));
    const trickle = slo.minEvents / 2 / Math.ceil(t / step);
    const low = scenario(`fewer than ${slo.minEvents} events, even all bad, no alert`, 1, t, trickle);
    low.alert_rule_test[0]!.exp_alerts = [];
    out.push(low);
  }
  return { tests: out, evalEvery };
}

/** Labels an alert carries: those of its expression's result, overridden by the rule's. */
function alertOf(
  rule: { labels: Record<string, string>; annotations: Record<string, string> },
  exprLabels: Record<string, string>,
  value: (text: string) => string,
): ExpAlert {
  return {
    exp_labels: { ...exprLabels, ...rule.labels },
    exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, value(v)])),
  };
}

/**
 * Trust scenarios: without any data no burn alert fires, the budget remaining is absent (not
 * 100%) and CqrsSloSliAbsent fires after its `for`; for the SLOs the service measures, ticks
 * counted as unknown lower the coverage under its objective and CqrsSloCoverageLow fires.
 */
function trustTests(slo: SloModel, opts: GenerateOptions, step: Seconds, margin: Seconds, all: readonly SloModel[]): PromtoolTest[] {
  const naming = namingFor(opts.format);
  const out: PromtoolTest[] = [];
  const tAbsent = opts.thresholds.sliAbsentFor + margin;
  // The rule file holds every SLO of the config: without any data, all of them are absent.
  const absent = all.map((m) => {
    const labels: Record<string, string> =
      m.measured || naming.mode === 'native' ? { slo: m.name } : { sloth_id: `${m.service}-${m.name}`, sloth_service: m.service, sloth_slo: m.name };
    return alertOf(sliAbsentAlert(m, naming, opts), labels, (v) => v);
  });
  const budget =
    naming.mode === 'sloth'
      ? `${naming.record('period_error_budget_remaining:ratio')}${naming.selector(slo)}`
      : `${naming.record('error_budget_remaining:ratio')}${naming.selector(slo)}`;
  out.push({
    name: `${slo.name}: no data at all: no burn alert, no budget remaining, SLI absent fires`,
    interval: promDuration(step),
    input_series: [],
    alert_rule_test: [
      { eval_time: promDuration(tAbsent), alertname: BURN_ALERT, exp_alerts: [] },
      { eval_time: promDuration(tAbsent), alertname: SLI_ABSENT_ALERT, exp_alerts: absent },
    ],
    promql_expr_test: [{ expr: budget, eval_time: promDuration(tAbsent), exp_samples: [] }],
  });
  const [cov] = coverageAlert(slo, opts);
  if (cov) {
    // One unknown tick per k measured: coverage 1 / (1 + k), under the objective.
    const min = opts.thresholds.minCoverage / 100;
    const k = min > 0.5 ? 1 : Math.ceil(2 / min);
    const coverage = 1 / (1 + k);
    const n = Math.ceil(margin / step) + 1;
    const sel = `{slo=${JSON.stringify(slo.name)}}`;
    out.push({
      name: `${slo.name}: ${fmt(coverage * 100)}% of the ticks measured, coverage alert to the monitor`,
      interval: promDuration(step),
      input_series: [
        { series: `${sloMetrics.total.name}${sel}`, values: ramp(60, n) },
        { series: `${sloMetrics.good.name}${sel}`, values: ramp(60, n) },
        { series: `${sloMetrics.unknown.name}{slo=${JSON.stringify(slo.name)}, reason="unreadable"}`, values: ramp(60 * k, n) },
      ],
      alert_rule_test: [
        {
          eval_time: promDuration(margin),
          alertname: COVERAGE_ALERT,
          exp_alerts: [alertOf(cov, { slo: slo.name }, (v) => v.replaceAll('{{ $value | humanizePercentage }}', humanizePercentage(coverage)))],
        },
        { eval_time: promDuration(margin), alertname: BURN_ALERT, exp_alerts: [] },
      ],
    });
  }
  return out;
}
