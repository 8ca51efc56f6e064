import type { SloModel } from '../model/slo-model.js';
import { promDuration } from '../model/promql.js';
import type { Naming } from './naming.js';
import type { RecordingRule } from './types.js';
import { num } from './format-number.js';

/** Name of the error-ratio recording for a window: `cqrs_slo:sli_error:ratio_rate5m`. */
export const errorRatioRecord = (naming: Naming, window: number) => naming.record(`sli_error:ratio_rate${promDuration(window)}`);

/**
 * Error-ratio recordings of one SLO for every window it needs.
 * occurrences: bad / total over the window (counter resets are handled by rate()).
 * timeslices: each evaluation marks the current slice bad when its error ratio exceeds the
 * slice objective; the window's error ratio is the share of bad marks (avg_over_time).
 * The period recording of a Sloth-mode SLO averages the 5m ratio over the period, as Sloth does.
 */
export function sliRecordings(slo: SloModel, naming: Naming): RecordingRule[] {
  const rules: RecordingRule[] = [];
  const id = naming.idLabels(slo);
  const sel = naming.selector(slo);
  const rec = (window: number, expr: string): RecordingRule => ({
    record: errorRatioRecord(naming, window),
    expr,
    labels: { ...id, ...naming.windowLabels(promDuration(window)) },
  });
  if (slo.budgeting.method === 'timeslices') {
    const slice = promDuration(slo.budgeting.slice);
    const sliceRecord = naming.record(`sli_error:slice_ratio_rate${slice}`);
    const badRecord = naming.record('timeslice_bad:bool');
    rules.push({ record: sliceRecord, expr: slo.sli.errorRatio(slice), labels: { ...id } });
    rules.push({
      record: badRecord,
      expr: `${sliceRecord}${sel} > bool ${num(1 - slo.budgeting.sliceObjective / 100)}`,
      labels: { ...id },
    });
    for (const w of slo.windows) rules.push(rec(w, `avg_over_time(${badRecord}${sel}[${promDuration(w)}])`));
    return rules;
  }
  for (const w of slo.windows) {
    if (naming.mode === 'sloth' && w === slo.period && w !== 300) {
      const five = `${errorRatioRecord(naming, 300)}${sel}`;
      const p = promDuration(w);
      rules.push(rec(w, `sum_over_time(${five}[${p}])\n/ ignoring (sloth_window)\ncount_over_time(${five}[${p}])`));
      continue;
    }
    rules.push(rec(w, slo.sli.errorRatio(promDuration(w))));
  }
  return rules;
}

/** Objective, budget and budget-remaining recordings (Sloth's "meta" group). */
export function metaRecordings(slo: SloModel, naming: Naming): RecordingRule[] {
  const id = naming.idLabels(slo);
  const sel = naming.selector(slo);
  const period = `${errorRatioRecord(naming, slo.period)}${sel}`;
  if (naming.mode === 'sloth') {
    const budget = `${naming.record('error_budget:ratio')}${sel}`;
    const on = 'on(sloth_id, sloth_slo, sloth_service) group_left';
    return [
      { record: naming.record('objective:ratio'), expr: `vector(${num(slo.objective / 100)})`, labels: id },
      { record: naming.record('error_budget:ratio'), expr: `vector(${num(slo.budget)})`, labels: id },
      { record: naming.record('time_period:days'), expr: `vector(${num(slo.period / 86_400)})`, labels: id },
      { record: naming.record('current_burn_rate:ratio'), expr: `${errorRatioRecord(naming, 300)}${sel}\n/ ${on}\n${budget}`, labels: id },
      { record: naming.record('period_burn_rate:ratio'), expr: `${period}\n/ ${on}\n${budget}`, labels: id },
      { record: naming.record('period_error_budget_remaining:ratio'), expr: `1 - ${naming.record('period_burn_rate:ratio')}${sel}`, labels: id },
      {
        record: 'sloth_slo_info',
        expr: 'vector(1)',
        labels: { ...id, sloth_mode: 'cli-gen-prom', sloth_objective: num(slo.objective), sloth_spec: 'prometheus/v1', sloth_version: 'cqrs-slo' },
      },
    ];
  }
  // No data is not 100% left: without a period ratio (no series, or no traffic: NaN, dropped by
  // `R == R`) the budget remaining is absent, and CqrsSloSliAbsent says why.
  const remaining = slo.budget === 0 ? `1 - ceil(${period}) and ${period} == ${period}` : `1 - (${period} / ${num(slo.budget)}) and ${period} == ${period}`;
  return [
    { record: naming.record('objective:ratio'), expr: `vector(${num(slo.objective / 100)})`, labels: id },
    { record: naming.record('error_budget:ratio'), expr: `vector(${num(slo.budget)})`, labels: id },
    // The period's error ratio under one name whatever the period (dashboards use it).
    { record: naming.record('sli_error:ratio_period'), expr: period, labels: id },
    { record: naming.record('error_budget_remaining:ratio'), expr: remaining, labels: id },
  ];
}
