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

export function timeseries(
  title: string,
  gridPos: GridPos,
  targets: Omit<Target, 'refId'>[],
  opts: { unit?: string; description?: string; thresholds?: { value: number; color: string }[]; min?: number; max?: number } = {},
): Panel {
  return {
    type: 'timeseries',
    title,
    ...(opts.description ? { description: opts.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets: withRefIds(targets),
    fieldConfig: {
      defaults: {
        unit: opts.unit ?? 'short',
        ...(opts.min !== undefined ? { min: opts.min } : {}),
        ...(opts.max !== undefined ? { max: opts.max } : {}),
        ...(opts.thresholds ? { thresholds: { mode: 'absolute', steps: [{ value: null, color: 'green' }, ...opts.thresholds] } } : {}),
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

export function stat(
  title: string,
  gridPos: GridPos,
  targets: Omit<Target, 'refId'>[],
  opts: { unit?: string; description?: string; thresholds?: { value: number; color: string }[]; decimals?: number; baseColor?: string } = {},
): Panel {
  return {
    type: 'stat',
    title,
    ...(opts.description ? { description: opts.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets: withRefIds(targets),
    fieldConfig: {
      defaults: {
        unit: opts.unit ?? 'short',
        ...(opts.decimals !== undefined ? { decimals: opts.decimals } : {}),
        thresholds: { mode: 'absolute', steps: [{ value: null, color: opts.baseColor ?? 'green' }, ...(opts.thresholds ?? [])] },
      },
      overrides: [],
    },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'none', textMode: 'value_and_name' },
  };
}

export function table(title: string, gridPos: GridPos, targets: Omit<Target, 'refId'>[], opts: { description?: string } = {}): Panel {
  return {
    type: 'table',
    title,
    ...(opts.description ? { description: opts.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets: withRefIds(targets.map((t) => ({ ...t, instant: true }))).map((t) => ({ ...t, format: 'table' }) as Target),
    fieldConfig: { defaults: {}, overrides: [] },
    options: { showHeader: true },
  };
}

export function stateTimeline(title: string, gridPos: GridPos, targets: Omit<Target, 'refId'>[], opts: { description?: string } = {}): Panel {
  return {
    type: 'state-timeline',
    title,
    ...(opts.description ? { description: opts.description } : {}),
    gridPos,
    datasource: DATASOURCE,
    targets: withRefIds(targets),
    fieldConfig: { defaults: { custom: { fillOpacity: 80 } }, overrides: [] },
    options: { showValue: 'never', mergeValues: true },
  };
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
