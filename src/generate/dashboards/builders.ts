/**
 * Small typed builders for Grafana dashboard JSON (after the Grafana foundation SDK: builders
 * return plain JSON-ready objects). Only what our dashboards use.
 */

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export interface Target {
  refId: string;
  expr: string;
  legendFormat: string;
  datasource: typeof DATASOURCE;
  instant?: boolean;
}

export interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Panel {
  id?: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: typeof DATASOURCE;
  targets?: Target[];
  fieldConfig?: Record<string, unknown>;
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: Panel[];
}

/** A PromQL query with its legend (`prometheusQuery(expr, legend)`). */
export function query(expr: string, legendFormat = '', opts: { instant?: boolean } = {}): Omit<Target, 'refId'> {
  return { expr, legendFormat, datasource: DATASOURCE, ...(opts.instant ? { instant: true } : {}) };
}

function withRefIds(targets: Omit<Target, 'refId'>[]): Target[] {
  return targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t }));
}

export function row(title: string, y: number): Panel {
  return { type: 'row', title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] };
}

type Query = Omit<Target, 'refId'>;
type Step = { value: number; color: string };

/** The fields every query panel shares; each panel kind adds its field config and options. */
function queryPanel(type: string, title: string, gridPos: GridPos, targets: Target[], description: string | undefined, defaults: Record<string, unknown>, options: Record<string, unknown>): Panel {
  return {
    type,
    title,
    ...(description ? { description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets,
    fieldConfig: { defaults, overrides: [] },
    options,
  };
}

const steps = (base: string, more: readonly Step[] = []) => ({ mode: 'absolute', steps: [{ value: null, color: base }, ...more] });

export function timeseries(
  title: string,
  gridPos: GridPos,
  targets: Query[],
  opts: { unit?: string; description?: string; thresholds?: Step[]; min?: number; max?: number } = {},
): Panel {
  const defaults = {
    unit: opts.unit ?? 'short',
    ...(opts.min !== undefined ? { min: opts.min } : {}),
    ...(opts.max !== undefined ? { max: opts.max } : {}),
    ...(opts.thresholds ? { thresholds: steps('green', opts.thresholds) } : {}),
    custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false },
  };
  return queryPanel('timeseries', title, gridPos, withRefIds(targets), opts.description, defaults, {
    legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] },
    tooltip: { mode: 'multi', sort: 'desc' },
  });
}

export function stat(
  title: string,
  gridPos: GridPos,
  targets: Query[],
  opts: { unit?: string; description?: string; thresholds?: Step[]; decimals?: number; baseColor?: string } = {},
): Panel {
  const defaults = {
    unit: opts.unit ?? 'short',
    ...(opts.decimals !== undefined ? { decimals: opts.decimals } : {}),
    thresholds: steps(opts.baseColor ?? 'green', opts.thresholds),
  };
  return queryPanel('stat', title, gridPos, withRefIds(targets), opts.description, defaults, {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'background',
    graphMode: 'none',
    textMode: 'value_and_name',
  });
}

/** Instant queries shown as a table, one column per query. */
export function table(title: string, gridPos: GridPos, targets: Query[], opts: { description?: string } = {}): Panel {
  const tableTargets = withRefIds(targets.map((t) => ({ ...t, instant: true }))).map((t) => ({ ...t, format: 'table' }) as Target);
  return queryPanel('table', title, gridPos, tableTargets, opts.description, {}, { showHeader: true });
}

export function stateTimeline(title: string, gridPos: GridPos, targets: Query[], opts: { description?: string } = {}): Panel {
  return queryPanel('state-timeline', title, gridPos, withRefIds(targets), opts.description, { custom: { fillOpacity: 80 } }, { showValue: 'never', mergeValues: true });
}

export interface Variable {
  name: string;
  label: string;
  query: string;
  multi?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: Panel[];
  variables: Variable[];
  refresh?: string;
  time?: { from: string; to: string };
}

/** The dashboard JSON Grafana imports (schemaVersion 39), with panel ids assigned in order. */
export function buildDashboard(d: Dashboard): Record<string, unknown> {
  let id = 1;
  const panels = d.panels.map((p) => ({ id: id++, ...p }));
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: d.tags,
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: d.refresh ?? '30s',
    time: d.time ?? { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0 },
        ...d.variables.map((v) => ({
          name: v.name,
          label: v.label,
          type: 'query',
          datasource: DATASOURCE,
          query: { query: v.query, refId: `${v.name}-var` },
          definition: v.query,
          refresh: 2,
          includeAll: true,
          multi: v.multi ?? true,
          allValue: '.*',
          current: {},
          sort: 1,
          hide: 0,
        })),
      ],
    },
    panels,
  };
}
