import type { SloConfig } from '../config/schema/slos.js';
import { attainmentPercent, budgetRemaining } from '../core/slo/index.js';
import { formatDuration } from '../config/duration.js';

/** Where a row's numbers come from. */
export type ReportBasis = 'prometheus' | 'monitor' | 'none';

/** One SLO as the executive page shows it. */
export interface SloReportRow {
  readonly name: string;
  readonly description: string;
  readonly owner: string;
  readonly tier: string;
  readonly kind: string;
  /** Objective in percent. */
  readonly objective: number;
  /** `30d`, `28d`, `calendar month`. */
  readonly period: string;
  /** Attainment in percent over the period (Prometheus) or since the monitor started. */
  readonly attainment?: number | undefined;
  /** Share of the error budget left, 1 = untouched, <= 0 = exhausted. */
  readonly budgetRemaining?: number | undefined;
  readonly state: 'healthy' | 'at risk' | 'exhausted' | 'no data';
  readonly basis: ReportBasis;
}

/** Period-long values from the recording rules, per SLO name. */
export interface PrometheusSloValues {
  readonly errorRatio?: number | undefined;
  readonly budgetRemaining?: number | undefined;
}

/** Below this share of budget left an SLO is "at risk" (a quarter of the budget, as Pyrra shades it). */
export const AT_RISK_BUDGET = 0.25;

/** Periods read in days (`28d`, not `4w`), as SLO documents write them. */
function periodLabel(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400}d` : formatDuration(seconds);
}

function state(budget: number | undefined): SloReportRow['state'] {
  if (budget === undefined || !Number.isFinite(budget)) return 'no data';
  if (budget <= 0) return 'exhausted';
  return budget < AT_RISK_BUDGET ? 'at risk' : 'healthy';
}

/**
 * Pure: the executive report from the config and whatever numbers exist. Prometheus values
 * (the whole period) win over the monitor's own counters (only since it started).
 */
export function sloReport(
  slos: readonly SloConfig[],
  prom: ReadonlyMap<string, PrometheusSloValues> | undefined,
  counters: ReadonlyMap<string, { good: number; total: number }>,
): SloReportRow[] {
  return slos.map((slo) => {
    const base = {
      name: slo.name,
      description: slo.description,
      owner: slo.owner,
      tier: slo.tier,
      kind: slo.sli.kind,
      objective: slo.objective,
      period: slo.calendarMonth ? 'calendar month' : periodLabel(slo.period),
    };
    const p = prom?.get(slo.name);
    if (p && (p.errorRatio !== undefined || p.budgetRemaining !== undefined)) {
      const attainment = p.errorRatio === undefined || !Number.isFinite(p.errorRatio) ? undefined : 100 * (1 - p.errorRatio);
      return { ...base, attainment, budgetRemaining: p.budgetRemaining, state: state(p.budgetRemaining), basis: 'prometheus' as const };
    }
    const c = counters.get(slo.name);
    if (c && c.total > 0) {
      const budget = budgetRemaining(c.good, c.total, slo.objective);
      return { ...base, attainment: attainmentPercent(c.good, c.total), budgetRemaining: budget, state: state(budget), basis: 'monitor' as const };
    }
    return { ...base, state: 'no data' as const, basis: 'none' as const };
  });
}
