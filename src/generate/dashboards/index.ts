import { oncallDashboard } from './oncall.js';
import { debugDashboard } from './debug.js';
import { executiveDashboard } from './executive.js';

/** Every dashboard, by file name under dashboards/. */
export function dashboards(): Record<string, Record<string, unknown>> {
  return {
    'cqrs-slo-oncall.json': oncallDashboard(),
    'cqrs-slo-debug.json': debugDashboard(),
    'cqrs-slo-executive.json': executiveDashboard(),
  };
}

export function renderDashboard(d: Record<string, unknown>): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

/** Every PromQL expression of a dashboard (panels and variables), for metric-name checks. */
export function dashboardExpressions(d: Record<string, unknown>): string[] {
  const out: string[] = [];
  const panels = (d.panels ?? []) as { targets?: { expr: string }[] }[];
  for (const p of panels) for (const t of p.targets ?? []) out.push(t.expr);
  const vars = ((d.templating as { list?: { definition?: string }[] })?.list ?? []);
  for (const v of vars) if (v.definition) out.push(v.definition);
  return out;
}
