import type { Seconds } from '../units.js';
import { errorBudget } from './ratio.js';
import { UnreachableBurnTierError, InvalidBurnTierError, WindowTooShortError } from './errors.js';
import { durationText } from './duration-text.js';
import type { BurnTierId } from './burn-tier-id.js';

export { BURN_TIER_IDS, type BurnTierId } from './burn-tier-id.js';

/** Severity a burn tier notifies with; Alertmanager routes on it. */
export type Severity = 'page' | 'ticket';

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
  /** Why a tier is off by default (its scaled windows are too short for the scrape interval). */
  readonly disabledReason?: string;
}

/**
 * Scrapes a rate() window must span at least. rate() needs two samples inside its range; four
 * scrape intervals leave room for one missed scrape and for the window's alignment. Grafana's
 * `$__rate_interval` uses the same floor (max(interval + scrape, 4 × scrape)); Prometheus'
 * docs ("rate") ask for a range of at least four times the scrape interval.
 */
export const MIN_SCRAPES_PER_WINDOW = 4;

/** The shortest window a tier may use at a given scrape interval. */
export const minWindow = (scrapeInterval: Seconds): Seconds => MIN_SCRAPES_PER_WINDOW * scrapeInterval;

/** Options of `resolveBurnTiers` that depend on the Prometheus that evaluates the rules. */
export interface BurnTierContext {
  /** Prometheus' scrape interval of the SLI series; windows under 4 of them are refused or raised. */
  readonly scrapeInterval?: Seconds;
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
 *
 * With a scrape interval, no window is shorter than `minWindow(scrapeInterval)`: a scaled
 * (default) short window under it is raised to it (the short window only confirms the burn is
 * still going on; the factor comes from the long window and is unchanged); a default tier whose
 * long window is not longer than that floor is disabled, with `disabledReason` (e.g. the 5s / 1s
 * windows of the fast page of a 1h SLO). A window the user wrote that is under the floor, or a
 * tier the user enabled explicitly that cannot fit, throws `WindowTooShortError`.
 */
export function resolveBurnTiers(
  period: Seconds,
  objectivePercent: number,
  overrides: Partial<Record<BurnTierId, BurnTierOverride>> = {},
  specs: readonly BurnTierSpec[] = WORKBOOK_TIERS,
  context: BurnTierContext = {},
): BurnTier[] {
  const budget = errorBudget(objectivePercent);
  const scale = period / REFERENCE_PERIOD;
  const scrape = context.scrapeInterval;
  const floor = scrape === undefined ? 0 : minWindow(scrape);
  return specs.map((spec) => {
    const o = overrides[spec.id] ?? {};
    const longWindow = o.longWindow ?? roundWindow(spec.longWindow * scale);
    let shortWindow = o.shortWindow ?? (o.longWindow !== undefined ? roundWindow(o.longWindow / 12) : roundWindow(spec.shortWindow * scale));
    const budgetPercent = o.budgetPercent ?? spec.budgetPercent;
    let disabledReason: string | undefined;
    if (scrape !== undefined) {
      if (o.longWindow !== undefined && o.longWindow < floor) throw new WindowTooShortError(spec.id, 'longWindow', o.longWindow, scrape);
      if (o.shortWindow !== undefined && o.shortWindow < floor) throw new WindowTooShortError(spec.id, 'shortWindow', o.shortWindow, scrape);
      if (shortWindow < floor) shortWindow = floor;
      if (shortWindow >= longWindow) {
        if (o.longWindow !== undefined || o.enabled === true) throw new WindowTooShortError(spec.id, 'longWindow', longWindow, scrape);
        disabledReason =
          `its ${durationText(longWindow)} long window (${durationText(spec.longWindow)} scaled to the ${durationText(period)} period) is not longer than ` +
          `${MIN_SCRAPES_PER_WINDOW} scrape intervals (${durationText(floor)}); set alerting.tiers.${spec.id}.longWindow above ${durationText(floor)} to enable it`;
      }
    }
    const enabled = disabledReason === undefined && (o.enabled ?? true);
    if (!(budgetPercent > 0 && budgetPercent <= 100)) throw new InvalidBurnTierError(spec.id, 'budgetPercent', `must be in (0, 100], got ${budgetPercent}`);
    if (disabledReason === undefined && shortWindow >= longWindow)
      throw new InvalidBurnTierError(spec.id, 'shortWindow', `must be shorter than the long window (${longWindow}s), got ${shortWindow}s`);
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
      ...(disabledReason !== undefined ? { disabledReason } : {}),
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
