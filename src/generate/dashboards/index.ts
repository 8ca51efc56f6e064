import { resolveGenerateOptions, type GenerateOptions } from '../options.js';
import type { GeneratedFile } from '../writer.js';
import { debugDashboard } from './debug.js';
import { executiveDashboard } from './executive.js';
import { oncallDashboard } from './oncall.js';
import { dashboardSpec, type DashboardConfig, type DashboardSpec } from './spec.js';

export { dashboardSpec, type DashboardConfig, type DashboardSpec } from './spec.js';

/** Every dashboard of a spec, by file name. */
export function dashboards(spec: DashboardSpec): Record<string, Record<string, unknown>> {
  return {
    'cqrs-slo-oncall.json': oncallDashboard(spec),
    'cqrs-slo-debug.json': debugDashboard(spec),
    'cqrs-slo-executive.json': executiveDashboard(spec),
  };
}

export function renderDashboard(d: Record<string, unknown>): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}

/** The dashboard files for a config; the SLO panels read the recording names of `format`. */
export function generateDashboards(config: DashboardConfig, partial: Partial<GenerateOptions> = {}): GeneratedFile[] {
  const { format } = resolveGenerateOptions(partial);
  return Object.entries(dashboards(dashboardSpec(config, format))).map(([path, d]) => ({ path, text: renderDashboard(d) }));
}

interface PanelLike {
  targets?: { expr: string }[];
  panels?: PanelLike[];
}

/** Every panel, including those inside collapsed rows. */
export function dashboardPanels(d: Record<string, unknown>): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (ps: PanelLike[]) => {
    for (const p of ps) {
      out.push(p as Record<string, unknown>);
      if (p.panels) visit(p.panels);
    }
  };
  visit((d.panels ?? []) as PanelLike[]);
  return out;
}

/** Every PromQL expression of a dashboard (panels and variables), for metric-name checks. */
export function dashboardExpressions(d: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const p of dashboardPanels(d) as PanelLike[]) for (const t of p.targets ?? []) out.push(t.expr);
  const vars = (d.templating as { list?: { definition?: string }[] })?.list ?? [];
  for (const v of vars) if (v.definition) out.push(v.definition);
  return out;
}
