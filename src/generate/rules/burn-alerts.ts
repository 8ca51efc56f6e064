import type { BurnTier } from '../../core/slo/burn-windows.js';
import type { SloModel } from '../model/slo-model.js';
import { promDuration } from '../model/promql.js';
import type { GenerateOptions } from '../options.js';
import type { Naming } from './naming.js';
import type { AlertingRule } from './types.js';
import { errorRatioRecord } from './slo-recordings.js';
import { num } from './format-number.js';
import { runbookUrl, sloDashboardUrl } from '../links.js';

/** The one alert name of every SLO burn tier; `slo`, `severity` and `burn_tier` tell them apart. */
export const BURN_ALERT = 'CqrsSloErrorBudgetBurn';

const periodText = (slo: SloModel) => (slo.calendarMonth ? 'the calendar month' : promDuration(slo.period));

/**
 * Multiwindow, multi-burn-rate alert of one tier (SRE workbook, "Alerting on SLOs", approach 6):
 * the burn rate must exceed the tier's factor over both the long and the short window. The
 * expression's value is the burn rate over the long window. With a low-traffic guard, the long
 * window must also hold at least `minEvents` events.
 */
export function burnAlert(slo: SloModel, tier: BurnTier, naming: Naming, opts: GenerateOptions): AlertingRule {
  const sel = naming.selector(slo);
  const long = promDuration(tier.longWindow);
  const short = promDuration(tier.shortWindow);
  const burn = (w: number) => `${errorRatioRecord(naming, w)}${sel} / ${num(slo.budget)} > ${num(tier.factor)}`;
  let expr = `(\n  ${burn(tier.longWindow)}\nand\n  ${burn(tier.shortWindow)}\n)`;
  if (naming.mode === 'sloth') {
    expr = `(\n  max(${errorRatioRecord(naming, tier.longWindow)}${sel} / ${num(slo.budget)} > ${num(tier.factor)}) without (sloth_window)\nand\n  max(${errorRatioRecord(naming, tier.shortWindow)}${sel} / ${num(slo.budget)} > ${num(tier.factor)}) without (sloth_window)\n)`;
  }
  if (slo.minEvents > 0) {
    expr += `\nand on()\n  ${slo.sli.totalRate(long)} * ${tier.longWindow} >= ${slo.minEvents}`;
  }
  const budgetQuery =
    naming.mode === 'sloth' ? `${naming.record('period_error_budget_remaining:ratio')}${sel}` : `${naming.record('error_budget_remaining:ratio')}${sel}`;
  const extra = slo.tierExtras[tier.id];
  const labels: Record<string, string> = {
    ...slo.labels,
    ...extra?.labels,
    severity: tier.severity,
    slo: slo.name,
    team: slo.team,
    burn_tier: tier.id,
    // Alertmanager mutes the burn alerts of an SLO while the source it is read from is down.
    ...(slo.origin.source !== undefined ? { source: slo.origin.source } : {}),
  };
  if (naming.mode === 'sloth') {
    Object.assign(labels, { sloth_id: `${slo.service}-${slo.name}`, sloth_service: slo.service, sloth_slo: slo.name, sloth_severity: tier.severity });
  }
  const rule: AlertingRule = {
    alert: BURN_ALERT,
    expr,
    ...(tier.for > 0 ? { for: promDuration(tier.for) } : {}),
    labels,
    annotations: {
      summary: `SLO ${slo.name} is burning its error budget {{ $value | humanize }}x too fast (${tier.id})`,
      description:
        `${slo.name} (${num(slo.objective)}% over ${periodText(slo)}, team ${slo.team}) measures ${slo.origin.measures}. ` +
        `The burn rate is above ${num(tier.factor)} over both ${long} and ${short}; ` +
        `at this rate ${num(tier.budgetPercent)}% of the error budget is spent every ${long}. ` +
        `Burn rate over ${long}: {{ $value | humanize }}. ` +
        `Error budget left: {{ with query \`${budgetQuery}\` }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}.` +
        currentValue(slo),
      runbook_url: slo.runbookUrl ?? runbookUrl(opts, BURN_ALERT),
      dashboard_url: slo.dashboardUrl ?? sloDashboardUrl(opts, slo.name),
      ...slo.annotations,
      ...extra?.annotations,
    },
  };
  return rule;
}

/** ` Staleness now: 42s.` from the SLI's gauge, or nothing for SLIs without one. */
function currentValue(slo: SloModel): string {
  const c = slo.origin.current;
  if (!c) return '';
  return ` ${c.what}: {{ with query \`${c.query}\` }}{{ . | first | value | ${c.format} }}{{ else }}unknown{{ end }}.`;
}

/** Burn alerts of every enabled tier of an SLO. */
export function burnAlerts(slo: SloModel, naming: Naming, opts: GenerateOptions): AlertingRule[] {
  return slo.tiers.filter((t) => t.enabled).map((t) => burnAlert(slo, t, naming, opts));
}
