import type { SloConfig } from '../config/schema/slos.js';
import { attainmentPercent, budgetRemaining } from '../core/slo/index.js';
import { formatDuration } from '../config/duration.js';
import { humanDuration, sloMeasure, sloTarget, sloWhy } from './slo-explain.js';

/** One point of the budget history: epoch seconds, share of the budget left. */
export type BudgetPoint = readonly [t: number, budget: number];

/** Period-long values from the recording rules, per SLO name. */
export interface PrometheusSloValues {
  readonly errorRatio?: number | undefined;
  readonly budgetRemaining?: number | undefined;
  /** Seconds since the SLO's first sample within the period. */
  readonly coverageSeconds?: number | undefined;
  readonly history?: readonly BudgetPoint[] | undefined;
}

/** The numbers of one SLO report, as read (sources/slo-report); `sloReportFrom` turns them into rows. */
export interface SloReportInput {
  /** Values from Prometheus; absent when it is not configured or not reachable. */
  readonly prometheus?: ReadonlyMap<string, PrometheusSloValues> | undefined;
  /** The monitor's own good/total counters per SLO. */
  readonly counters: ReadonlyMap<string, { good: number; total: number }>;
  /** Seconds since the monitor started: how much of the period the counters cover (without Prometheus). */
  readonly monitorSeconds?: number | undefined;
  /** Why numbers are partial (Prometheus not configured or unreachable). */
  readonly note?: string | undefined;
}

/** Where a row's numbers come from. */
export type ReportBasis = 'prometheus' | 'monitor' | 'none';

/** One SLO as the executive page shows it. Fields left unset in the config are absent. */
export interface SloReportRow {
  readonly name: string;
  readonly description: string;
  readonly owner?: string | undefined;
  readonly tier?: string | undefined;
  readonly kind: string;
  /** What is watched: `projection order_summary in store demo`. */
  readonly target: string;
  /** What counts as good: `events applied within 30s of being written`. */
  readonly measures: string;
  /** Objective in percent. */
  readonly objective: number;
  /** `30d`, `28d`, `calendar month`. */
  readonly period: string;
  readonly periodSeconds: number;
  /** Seconds of the period that have data (less than the period: attainment is "so far"). */
  readonly coverageSeconds?: number | undefined;
  /** `measured for 12 min of 28 d`; absent when the whole period is covered or unknown. */
  readonly coverage?: string | undefined;
  /** Attainment in percent over the covered time. */
  readonly attainment?: number | undefined;
  /** Share of the error budget left, 1 = untouched, <= 0 = exhausted. */
  readonly budgetRemaining?: number | undefined;
  /** Share of the error budget spent (1 - budgetRemaining): 3.2 reads "budget spent 3.2x". */
  readonly budgetSpent?: number | undefined;
  readonly state: 'healthy' | 'at risk' | 'exhausted' | 'no data';
  readonly basis: ReportBasis;
  /** Why the SLO is in its state, one sentence. */
  readonly why: string;
  /** Budget left over the period (Prometheus only), oldest first. */
  readonly history?: readonly BudgetPoint[] | undefined;
}

/** Below this share of budget left an SLO is "at risk" (a quarter of the budget, as Pyrra shades it). */
export const AT_RISK_BUDGET = 0.25;

/** Config defaults that mean "not set": the page shows nothing for them. */
const UNSET_OWNER = 'unowned';
const UNSET_TIER = 'default';

/** Periods read in days (`28d`, not `4w`), as SLO documents write them. */
function periodLabel(seconds: number): string {
  return seconds % 86_400 === 0 ? `${seconds / 86_400}d` : formatDuration(seconds);
}

function state(budget: number | undefined): SloReportRow['state'] {
  if (budget === undefined || !Number.isFinite(budget)) return 'no data';
  if (budget <= 0) return 'exhausted';
  return budget < AT_RISK_BUDGET ? 'at risk' : 'healthy';
}

/** Pure: `measured for 12 min of 28 d`, or undefined once the whole period is covered. */
export function coverageText(coverageSeconds: number | undefined, periodSeconds: number): string | undefined {
  if (coverageSeconds === undefined || !Number.isFinite(coverageSeconds) || coverageSeconds >= periodSeconds) return undefined;
  return `measured for ${humanDuration(coverageSeconds)} of ${humanDuration(periodSeconds)}`;
}

/**
 * Pure: the executive report from the config and whatever numbers exist. Prometheus values
 * (the whole period) win over the monitor's own counters (only since it started, which is
 * `monitorSeconds` ago).
 */
export function sloReport(
  slos: readonly SloConfig[],
  prom: ReadonlyMap<string, PrometheusSloValues> | undefined,
  counters: ReadonlyMap<string, { good: number; total: number }>,
  monitorSeconds?: number,
): SloReportRow[] {
  return slos.map((slo) => {
    const base = {
      name: slo.name,
      description: slo.description,
      owner: slo.owner === UNSET_OWNER ? undefined : slo.owner,
      tier: slo.tier === UNSET_TIER ? undefined : slo.tier,
      kind: slo.sli.kind,
      target: sloTarget(slo.sli),
      measures: sloMeasure(slo).good,
      objective: slo.objective,
      period: slo.calendarMonth ? 'calendar month' : periodLabel(slo.period),
      periodSeconds: slo.period,
    };
    const withBudget = (budget: number | undefined, coverageSeconds: number | undefined) => {
      const covered = coverageSeconds === undefined ? undefined : Math.min(coverageSeconds, slo.period);
      const coverage = coverageText(covered, slo.period);
      return {
        coverageSeconds: covered,
        coverage,
        budgetRemaining: budget,
        budgetSpent: budget === undefined || !Number.isFinite(budget) ? undefined : 1 - budget,
        state: state(budget),
        coverageWords: coverage?.replace(/^measured for /, ''),
      };
    };
    const p = prom?.get(slo.name);
    if (p && (p.errorRatio !== undefined || p.budgetRemaining !== undefined)) {
      const attainment = p.errorRatio === undefined || !Number.isFinite(p.errorRatio) ? undefined : 100 * (1 - p.errorRatio);
      const { coverageWords, ...b } = withBudget(p.budgetRemaining, p.coverageSeconds);
      return {
        ...base,
        attainment,
        ...b,
        basis: 'prometheus' as const,
        why: sloWhy(slo, { badShare: p.errorRatio, coverage: coverageWords }),
        history: p.history,
      };
    }
    const c = counters.get(slo.name);
    if (c && c.total > 0) {
      const { coverageWords, ...b } = withBudget(budgetRemaining(c.good, c.total, slo.objective), monitorSeconds);
      return {
        ...base,
        attainment: attainmentPercent(c.good, c.total),
        ...b,
        basis: 'monitor' as const,
        why: sloWhy(slo, { badShare: 1 - c.good / c.total, total: c.total, coverage: coverageWords }),
      };
    }
    return { ...base, state: 'no data' as const, basis: 'none' as const, why: sloWhy(slo, {}) };
  });
}

/** The report the server shows: rows, and why their numbers are partial. */
export interface SloReportResult {
  readonly rows: SloReportRow[];
  /** Why numbers are partial (Prometheus not configured or unreachable). */
  readonly note?: string | undefined;
}

/** The report of `slos` from the numbers `read` returns at each call (sources/slo-report). */
export function sloReportFrom(slos: readonly SloConfig[], read: () => Promise<SloReportInput>): () => Promise<SloReportResult> {
  return async () => {
    const input = await read();
    const rows = sloReport(slos, input.prometheus, input.counters, input.monitorSeconds);
    return input.note === undefined ? { rows } : { rows, note: input.note };
  };
}

/**
 * Pure: "62.0% left", or "budget spent 3.2×" once more than the whole budget is gone; "so far"
 * while less than the period is measured.
 */
export function budgetText(r: Pick<SloReportRow, 'budgetRemaining' | 'budgetSpent' | 'coverage'>): string {
  if (r.budgetRemaining === undefined || !Number.isFinite(r.budgetRemaining)) return '—';
  const soFar = r.coverage ? ' so far' : '';
  if (r.budgetRemaining >= 0) return `${(100 * r.budgetRemaining).toFixed(1)}% left${soFar}`;
  return `budget spent ${(r.budgetSpent ?? 1 - r.budgetRemaining).toFixed(1)}×${soFar}`;
}
