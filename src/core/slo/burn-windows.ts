import type { Seconds } from '../units.js';
import { errorBudget } from './ratio.js';
import { UnreachableBurnTierError, InvalidBurnTierError } from './errors.js';

/** Severity a burn tier notifies with; Alertmanager routes on it. */
export type Severity = 'page' | 'ticket';

/** Stable ids of the four multiwindow burn tiers; used as the `burn_tier` label. */
export const BURN_TIER_IDS = ['page_fast', 'page_slow', 'ticket_fast', 'ticket_slow'] as const;
export type BurnTierId = (typeof BURN_TIER_IDS)[number];

/** A burn tier as data: how much of the budget may burn within the long window before we notify. */
export interface BurnTierSpec {
  readonly id: BurnTierId;
  readonly severity: Severity;
  /** Share of the period's error budget, in percent, spent within `longWindow` that triggers. */
  readonly budgetPercent: number;
  /** Long window in seconds, for the reference period. */
  readonly longWindow: Seconds;
  /** Short window in seconds (checks that the burn is still going on; resets the alert fast). */
  readonly shortWindow: Seconds;
}

/** The period the reference windows below are written for: 30 days. */
export const REFERENCE_PERIOD: Seconds = 30 * 86_400;

/**
 * Multiwindow, multi-burn-rate tiers for a 30-day SLO.
 * Source: Google SRE workbook, "Alerting on SLOs", table 5-8 and section 6
 * (https://sre.google/workbook/alerting-on-slos/): 2% of the budget in 1h (short window 5m)
 * and 5% in 6h (30m) page; 10% in 3d (6h) files a ticket. The 10%-in-1d (2h) ticket tier is
 * the one Sloth ships in its default window file (slok/sloth, internal/alert/windows/google-30d.yaml).
 * Short windows are 1/12 of the long window, as the workbook recommends.
 * The burn-rate factor is never written down: it is derived by `burnFactor`.
 */
export const WORKBOOK_TIERS: readonly BurnTierSpec[] = [
  { id: 'page_fast', severity: 'page', budgetPercent: 2, longWindow: 3_600, shortWindow: 300 },
  { id: 'page_slow', severity: 'page', budgetPercent: 5, longWindow: 21_600, shortWindow: 1_800 },
  { id: 'ticket_fast', severity: 'ticket', budgetPercent: 10, longWindow: 86_400, shortWindow: 7_200 },
  { id: 'ticket_slow', severity: 'ticket', budgetPercent: 10, longWindow: 259_200, shortWindow: 21_600 },
];

/**
 * Burn-rate factor of a tier: the burn rate that spends `budgetPercent` of the budget of
 * `period` within `window`: `budget% × period / 100 / window`
 * (SRE workbook; Sloth computes it the same way). 2% × 30d / 1h = 14.4.
 */
export function burnFactor(budgetPercent: number, period: Seconds, window: Seconds): number {
  if (!(window > 0)) throw new RangeError(`window must be positive, got ${window}`);
  return (budgetPercent * period) / 100 / window;
}

/** Per-tier settings a user may override. */
export interface BurnTierOverride {
  readonly enabled?: boolean;
  readonly severity?: Severity;
  /** Seconds the condition must hold before the alert fires. */
  readonly for?: Seconds;
  readonly budgetPercent?: number;
  readonly longWindow?: Seconds;
  readonly shortWindow?: Seconds;
}

/** A tier resolved for one SLO: windows scaled to its period, factor derived, threshold computed. */
export interface BurnTier {
  readonly id: BurnTierId;
  readonly enabled: boolean;
  readonly severity: Severity;
  readonly budgetPercent: number;
  readonly longWindow: Seconds;
  readonly shortWindow: Seconds;
  readonly for: Seconds;
  /** Burn-rate factor (14.4 for the fast page tier of a 30-day SLO). */
  readonly factor: number;
  /** Error ratio both windows must exceed: factor × error budget. */
  readonly threshold: number;
}

/** Rounds a scaled window: whole minutes from 10 minutes up, whole seconds below. */
function roundWindow(seconds: Seconds): Seconds {
  if (seconds >= 600) return Math.round(seconds / 60) * 60;
  return Math.max(1, Math.round(seconds));
}

/**
 * Default `for` of a tier: 40% of its short window (5m -> 2m, 30m -> 12m, 2h -> 48m, 6h -> 2h24m).
 * The short window already stops flapping; waiting a fraction of it filters single bad scrapes
 * without delaying a real page much (the same idea as Pyrra's per-window `for`).
 */
export function defaultFor(shortWindow: Seconds): Seconds {
  return roundWindow(shortWindow * 0.4);
}

/**
 * Resolves the burn tiers of an SLO. The reference windows are scaled by `period / 30d`, so the
 * budget share each tier may consume stays the same (and so does the factor); overrides replace
 * any field. Throws `InvalidBurnTierError` for inconsistent windows and
 * `UnreachableBurnTierError` for an enabled tier that can never fire (threshold >= 1: even 100%
 * errors would not exceed it, e.g. 14.4 × 10% on a 90% SLO).
 */
export function resolveBurnTiers(
  period: Seconds,
  objectivePercent: number,
  overrides: Partial<Record<BurnTierId, BurnTierOverride>> = {},
  specs: readonly BurnTierSpec[] = WORKBOOK_TIERS,
): BurnTier[] {
  const budget = errorBudget(objectivePercent);
  const scale = period / REFERENCE_PERIOD;
  return specs.map((spec) => {
    const o = overrides[spec.id] ?? {};
    const longWindow = o.longWindow ?? roundWindow(spec.longWindow * scale);
    const shortWindow = o.shortWindow ?? (o.longWindow !== undefined ? roundWindow(o.longWindow / 12) : roundWindow(spec.shortWindow * scale));
    const budgetPercent = o.budgetPercent ?? spec.budgetPercent;
    const enabled = o.enabled ?? true;
    if (!(budgetPercent > 0 && budgetPercent <= 100)) throw new InvalidBurnTierError(spec.id, 'budgetPercent', `must be in (0, 100], got ${budgetPercent}`);
    if (shortWindow >= longWindow) throw new InvalidBurnTierError(spec.id, 'shortWindow', `must be shorter than the long window (${longWindow}s), got ${shortWindow}s`);
    if (longWindow > period) throw new InvalidBurnTierError(spec.id, 'longWindow', `must not exceed the SLO period (${period}s), got ${longWindow}s`);
    const factor = burnFactor(budgetPercent, period, longWindow);
    const threshold = factor * budget;
    if (enabled && threshold >= 1) throw new UnreachableBurnTierError(spec.id, factor, objectivePercent, threshold);
    return {
      id: spec.id,
      enabled,
      severity: o.severity ?? spec.severity,
      budgetPercent,
      longWindow,
      shortWindow,
      for: o.for ?? defaultFor(shortWindow),
      factor,
      threshold,
    };
  });
}

/** Windows every SLO gets a recording rule for (DESIGN.md §4), in seconds. */
export const STANDARD_WINDOWS: readonly Seconds[] = [300, 1_800, 3_600, 7_200, 21_600, 86_400, 259_200];

/** Every window an SLO needs an error-ratio recording rule for: standard ones, its tiers' and its period. */
export function recordingWindows(period: Seconds, tiers: readonly BurnTier[]): Seconds[] {
  const set = new Set<Seconds>(STANDARD_WINDOWS);
  for (const t of tiers) {
    if (!t.enabled) continue;
    set.add(t.longWindow);
    set.add(t.shortWindow);
  }
  set.add(period);
  return [...set].sort((a, b) => a - b);
}
