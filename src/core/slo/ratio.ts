import type { Ratio } from '../units.js';

/**
 * Pure SLO arithmetic. An objective is given in percent (99.9), as in the config; the error
 * budget is the allowed error ratio `1 - objective/100`.
 *
 * Definitions follow the Google SRE workbook, chapter "Alerting on SLOs"
 * (https://sre.google/workbook/alerting-on-slos/): burn rate = observed error ratio / error budget;
 * a burn rate of 1 spends exactly the whole budget over the SLO period.
 */

/** Allowed error ratio for an objective in percent: 99.9 -> 0.001. Exact to 1e-12. */
export function errorBudget(objectivePercent: number): Ratio {
  if (!(objectivePercent > 0 && objectivePercent <= 100)) {
    throw new RangeError(`objective must be in (0, 100], got ${objectivePercent}`);
  }
  // Round away binary noise: 1 - 0.999 = 0.0010000000000000009.
  return Math.round((100 - objectivePercent) * 1e10) / 1e12;
}

/**
 * Error ratio of a window: bad / total. No traffic (total = 0) is `undefined`: nothing
 * happened, so nothing is burned and no alert may fire (PromQL gives NaN for 0/0 and NaN
 * compares false, which matches).
 */
export function errorRatio(good: number, total: number): Ratio | undefined {
  if (total < 0 || good < 0) throw new RangeError(`counts must not be negative (good=${good}, total=${total})`);
  if (good > total) throw new RangeError(`good (${good}) cannot exceed total (${total})`);
  if (total === 0) return undefined;
  return (total - good) / total;
}

/**
 * How fast the budget is being spent: error ratio / error budget. With a 100% objective the
 * budget is 0: any error is an infinite burn, no error is a burn of 0.
 */
export function burnRate(ratio: Ratio | undefined, objectivePercent: number): number | undefined {
  if (ratio === undefined) return undefined;
  const budget = errorBudget(objectivePercent);
  if (budget === 0) return ratio > 0 ? Number.POSITIVE_INFINITY : 0;
  return ratio / budget;
}

/**
 * Share of the error budget left after a window with `good` of `total` events:
 * `1 - errorRatio / budget`. 1 = untouched, 0 = spent, negative = overspent. No traffic leaves
 * the budget untouched (1). With a 100% objective: 1 without errors, 0 with any error (the
 * budget cannot be "more than spent" when it is zero).
 */
export function budgetRemaining(good: number, total: number, objectivePercent: number): Ratio {
  const ratio = errorRatio(good, total);
  if (ratio === undefined) return 1;
  const budget = errorBudget(objectivePercent);
  if (budget === 0) return ratio > 0 ? 0 : 1;
  return 1 - ratio / budget;
}

/** Attainment (good share) of a window in percent; undefined without traffic. */
export function attainmentPercent(good: number, total: number): number | undefined {
  const ratio = errorRatio(good, total);
  return ratio === undefined ? undefined : (1 - ratio) * 100;
}
