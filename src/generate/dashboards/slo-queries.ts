import type { Naming } from '../rules/naming.js';
import { errorRatioRecord } from '../rules/slo-recordings.js';
import { match } from './variables.js';

/**
 * PromQL of the SLO panels over the recordings of one naming, so the dashboards read the names
 * the rule files were generated with (`cqrs_slo:*` natively, `slo:*` in Sloth format). Every
 * query keeps one series per SLO (`max by (slo)`) so table columns join on the slo label.
 */
export interface SloQueries {
  /** A recording every SLO has, for the `slo` variable. */
  readonly variableMetric: string;
  readonly objective: string;
  /** 1 - the error ratio over the SLO period. */
  readonly attainment: string;
  /** Share of the period's error budget left (below 0: objective missed). */
  readonly budgetRemaining: string;
  /** Burn rate over a window (seconds): error ratio / error budget; 1 spends the budget in one period. */
  burnRate(window: number): string;
}

const sel = `{${match('slo')}}`;
const bySlo = (expr: string) => `max by (slo) (${expr})`;

export function sloQueries(naming: Naming): SloQueries {
  const r = (base: string) => naming.record(base);
  if (naming.mode === 'sloth') {
    // Sloth's series carry sloth_id/sloth_service/sloth_slo (and sloth_window on windowed ones);
    // the slo label is added by our Sloth mode too, so the variable works the same.
    const on = 'on (sloth_id, sloth_service, sloth_slo) group_left ()';
    return {
      variableMetric: r('objective:ratio'),
      objective: bySlo(`${r('objective:ratio')}${sel}`),
      attainment: bySlo(`1 - ${r('period_burn_rate:ratio')}${sel} * ${on} ${r('error_budget:ratio')}${sel}`),
      budgetRemaining: bySlo(`${r('period_error_budget_remaining:ratio')}${sel}`),
      burnRate: (w) => bySlo(`${errorRatioRecord(naming, w)}${sel} / ${on} ${r('error_budget:ratio')}${sel}`),
    };
  }
  const on = 'on (slo) group_left ()';
  return {
    variableMetric: r('objective:ratio'),
    objective: bySlo(`${r('objective:ratio')}${sel}`),
    attainment: bySlo(`1 - ${r('sli_error:ratio_period')}${sel}`),
    budgetRemaining: bySlo(`${r('error_budget_remaining:ratio')}${sel}`),
    burnRate: (w) => bySlo(`${errorRatioRecord(naming, w)}${sel} / ${on} ${r('error_budget:ratio')}${sel}`),
  };
}
