import type { BurnTierId, Severity } from '../core/slo/index.js';

/** One sample of a recorded error-ratio series: epoch seconds, error ratio. */
export type RatioPoint = readonly [t: number, ratio: number];

/** What the incident finder needs of a burn tier (src/core/slo/burn-windows.ts resolves them). */
export interface IncidentTier {
  readonly id: BurnTierId;
  readonly severity: Severity;
  readonly longWindow: number;
  readonly shortWindow: number;
  /** Error ratio both windows must exceed (factor x error budget), as the alert rule reads it. */
  readonly threshold: number;
}

/** A time range in which at least one burn tier's alert condition held. */
export interface BurnIncident {
  /** First step (epoch seconds) at which a tier's condition held. */
  readonly start: number;
  /** The step after the last burning one (clipped to the range end): the burn ran in [start, end). */
  readonly end: number;
  /** `page` when a page tier burned at any step of the range, else `ticket`. */
  readonly severity: Severity;
  /** Tiers whose condition held at some step, in tier order. */
  readonly tiers: readonly BurnTierId[];
  /** Highest long-window burn rate (error ratio / error budget) of a burning tier within the range. */
  readonly peakBurnRate: number;
  /** Still burning at the last step of the range. */
  readonly ongoing: boolean;
}

export interface IncidentInput {
  readonly tiers: readonly IncidentTier[];
  /** Error-ratio samples per window (seconds), from range queries on one step grid. */
  readonly series: ReadonlyMap<number, readonly RatioPoint[]>;
  /** Allowed error ratio, 1 - objective: burn rate = error ratio / budget. */
  readonly budget: number;
  /** Step of the range queries, seconds. */
  readonly step: number;
  /** End of the queried range, epoch seconds. */
  readonly end: number;
}

/**
 * Pure: the ranges of a period in which the burn rate exceeded a page or ticket threshold.
 * A step burns when, for some tier, both its long- and short-window error ratios exceed the
 * tier's threshold: the condition of the generated multiwindow alert (without its `for`).
 * Burning steps exactly one step apart merge into one incident; a missing sample (no data)
 * or a step below every threshold ends it. A ratio that is not a number (0/0 without traffic)
 * never burns.
 */
export function findIncidents(input: IncidentInput): BurnIncident[] {
  const { tiers, series, budget, step, end } = input;
  const lookup = new Map<number, Map<number, number>>();
  const times = new Set<number>();
  for (const [window, points] of series) {
    const m = new Map<number, number>();
    for (const [t, v] of points) {
      m.set(t, v);
      times.add(t);
    }
    lookup.set(window, m);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const last = sorted.at(-1);
  const out: BurnIncident[] = [];
  let open: { start: number; lastT: number; severity: Severity; tiers: Set<BurnTierId>; peak: number } | undefined;
  const close = () => {
    if (!open) return;
    out.push({
      start: open.start,
      end: Math.min(open.lastT + step, end),
      severity: open.severity,
      tiers: tiers.filter((t) => open!.tiers.has(t.id)).map((t) => t.id),
      peakBurnRate: open.peak,
      ongoing: open.lastT === last,
    });
    open = undefined;
  };
  for (const t of sorted) {
    const burning = tiers.filter((tier) => {
      const long = lookup.get(tier.longWindow)?.get(t);
      const short = lookup.get(tier.shortWindow)?.get(t);
      return long !== undefined && short !== undefined && long > tier.threshold && short > tier.threshold;
    });
    if (burning.length === 0) {
      close();
      continue;
    }
    if (open && t - open.lastT !== step) close();
    const peak = Math.max(...burning.map((tier) => lookup.get(tier.longWindow)!.get(t)! / budget));
    const severity: Severity = burning.some((b) => b.severity === 'page') ? 'page' : 'ticket';
    if (!open) open = { start: t, lastT: t, severity, tiers: new Set(), peak };
    open.lastT = t;
    open.peak = Math.max(open.peak, peak);
    if (severity === 'page') open.severity = 'page';
    for (const b of burning) open.tiers.add(b.id);
  }
  close();
  return out;
}

/**
 * Pure: the `limit` worst incidents: pages before tickets, then the higher peak burn rate, then
 * the longer one, then the earlier one.
 */
export function worstIncidents(incidents: readonly BurnIncident[], limit: number): BurnIncident[] {
  const rank = (s: Severity) => (s === 'page' ? 0 : 1);
  return [...incidents]
    .sort((a, b) => rank(a.severity) - rank(b.severity) || b.peakBurnRate - a.peakBurnRate || b.end - b.start - (a.end - a.start) || a.start - b.start)
    .slice(0, limit);
}
