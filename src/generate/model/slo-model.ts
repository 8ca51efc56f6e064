import type { SloConfig } from '../../config/schema/slos.js';
import { MEASURED_KINDS } from '../../config/schema/slos.js';
import { errorBudget } from '../../core/slo/ratio.js';
import { recordingWindows, resolveBurnTiers, type BurnTier, type BurnTierId, type BurnTierOverride } from '../../core/slo/burn-windows.js';
import type { DlqConfig } from '../../config/schema/dlqs.js';
import { sliOrigin, type SliOrigin } from './sli-source.js';
import type { Seconds } from '../../core/units.js';
import { sliQuery, type SliQuery } from './sli-query.js';

/** Everything the rule generators need about one SLO, resolved and validated. */
export interface SloModel {
  readonly name: string;
  readonly description: string;
  readonly owner: string;
  readonly team: string;
  readonly service: string;
  readonly tier: string;
  readonly kind: SloConfig['sli']['kind'];
  /** True for kinds the service measures (cqrs_slo_good_total / cqrs_slo_total). */
  readonly measured: boolean;
  readonly objective: number;
  /** Allowed error ratio, 1 - objective/100. */
  readonly budget: number;
  readonly period: Seconds;
  readonly calendarMonth: boolean;
  readonly budgeting: SloConfig['budgeting'];
  readonly tiers: readonly BurnTier[];
  /** Windows with an error-ratio recording rule, ascending; the period is the last. */
  readonly windows: readonly Seconds[];
  readonly minEvents: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Extra annotations of every burn alert (alerting.annotations). */
  readonly annotations: Readonly<Record<string, string>>;
  /** Extra labels and annotations of one tier's alert (alerting.tiers.<id>.labels/annotations). */
  readonly tierExtras: Readonly<Partial<Record<BurnTierId, { labels: Record<string, string>; annotations: Record<string, string> }>>>;
  readonly runbookUrl?: string;
  readonly dashboardUrl?: string;
  readonly sli: SliQuery;
  /** The SLI config, for generators that synthesise inputs (promtool tests). */
  readonly sliConfig: SloConfig['sli'];
  /** The source the SLI is read from and what it measures (annotations, inhibition). */
  readonly origin: SliOrigin;
}

/** What the model needs besides the SLO: the scrape interval of the rules, the DLQs (for sources). */
export interface SloModelContext {
  readonly scrapeInterval?: Seconds;
  readonly dlqs?: readonly DlqConfig[];
}

/** Turns one validated SLO config into the generator model. Throws the core's tier errors. */
export function buildSloModel(slo: SloConfig, context: SloModelContext = {}): SloModel {
  const tiers = resolveBurnTiers(slo.period, slo.objective, slo.alerting.tiers as Partial<Record<BurnTierId, BurnTierOverride>>, undefined, {
    ...(context.scrapeInterval !== undefined ? { scrapeInterval: context.scrapeInterval } : {}),
  });
  // Every standard window, even beyond a short period: dashboards query them for every SLO.
  const windows = recordingWindows(slo.period, tiers);
  return {
    name: slo.name,
    description: slo.description,
    owner: slo.owner,
    team: slo.team,
    service: slo.service ?? slo.team,
    tier: slo.tier,
    kind: slo.sli.kind,
    measured: (MEASURED_KINDS as readonly string[]).includes(slo.sli.kind),
    objective: slo.objective,
    budget: errorBudget(slo.objective),
    period: slo.period,
    calendarMonth: slo.calendarMonth,
    budgeting: slo.budgeting,
    tiers,
    windows,
    minEvents: slo.alerting.minEvents,
    labels: slo.alerting.labels,
    annotations: slo.alerting.annotations,
    tierExtras: Object.fromEntries(
      Object.entries(slo.alerting.tiers)
        .filter(([, t]) => t?.labels !== undefined || t?.annotations !== undefined)
        .map(([id, t]) => [id, { labels: t?.labels ?? {}, annotations: t?.annotations ?? {} }]),
    ),
    runbookUrl: slo.runbookUrl,
    dashboardUrl: slo.dashboardUrl,
    sli: sliQuery(slo.name, slo.sli),
    sliConfig: slo.sli,
    origin: sliOrigin(slo.sli, context.dlqs),
  };
}
