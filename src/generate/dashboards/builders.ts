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
  range?: boolean;
  format?: 'table';
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
  transformations?: Record<string, unknown>[];
  collapsed?: boolean;
  panels?: Panel[];
}

/** A PromQL query with its legend (`prometheusQuery(expr, legend)`). */
export function query(expr: string, legendFormat = '', opts: { instant?: boolean } = {}): Query {
  return { expr, legendFormat, datasource: DATASOURCE, ...(opts.instant ? { instant: true, range: false } : {}) };
}

function withRefIds(targets: Query[]): Target[] {
  return targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), ...t }));
}

/** A row; a collapsed row carries its panels inside (Grafana queries them only when expanded). */
export function row(title: string, y: number, opts: { collapsed?: boolean; panels?: Panel[] } = {}): Panel {
  return { type: 'row', title, collapsed: opts.collapsed ?? false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: opts.panels ?? [] };
}

export type Query = Omit<Target, 'refId'>;
export type Step = { value: number; color: string };

/** A Grafana value mapping: a number shown as a named, coloured state. */
export interface ValueMapping {
  value: number;
  text: string;
  color: string;
}

/** Grafana's `mappings` field config for exact values. */
function mappingsOf(mappings: readonly ValueMapping[]): Record<string, unknown>[] {
  const options: Record<string, { text: string; color: string; index: number }> = {};
  for (const [index, m] of mappings.entries()) options[String(m.value)] = { text: m.text, color: m.color, index };
  return [{ type: 'value', options }];
}

/** The fields every query panel shares; each panel kind adds its field config and options. */
function queryPanel(
  type: string,
  title: string,
  gridPos: GridPos,
  targets: Target[],
  description: string | undefined,
  defaults: Record<string, unknown>,
  options: Record<string, unknown>,
): Panel {
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
    custom: {
      drawStyle: 'line',
      lineWidth: 1,
      fillOpacity: 10,
      showPoints: 'never',
      spanNulls: false,
      ...(opts.thresholds ? { thresholdsStyle: { mode: 'dashed' } } : {}),
    },
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
  opts: { unit?: string; description?: string; thresholds?: Step[]; decimals?: number; baseColor?: string; mappings?: readonly ValueMapping[] } = {},
): Panel {
  const defaults = {
    unit: opts.unit ?? 'short',
    ...(opts.decimals !== undefined ? { decimals: opts.decimals } : {}),
    ...(opts.mappings ? { mappings: mappingsOf(opts.mappings), color: { mode: 'thresholds' } } : {}),
    thresholds: steps(opts.baseColor ?? 'green', opts.thresholds),
  };
  return queryPanel('stat', title, gridPos, withRefIds(targets), opts.description, defaults, {
    reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
    colorMode: 'background',
    graphMode: 'none',
    textMode: 'value_and_name',
  });
}

/**
 * Instant queries shown as one table: each query's value becomes a column named after its
 * legend (Grafana's `merge` joins the rows on their labels; `organize` drops Time).
 */
export function table(
  title: string,
  gridPos: GridPos,
  targets: Query[],
  opts: { description?: string; unit?: string; mapped?: { column: string; mappings: readonly ValueMapping[] } } = {},
): Panel {
  const tableTargets = withRefIds(targets.map((t) => ({ ...t, instant: true, range: false, format: 'table' as const })));
  // Grafana names the value column `Value` for one query and `Value #<refId>` for several.
  const valueColumn = (refId: string) => (tableTargets.length === 1 ? 'Value' : `Value #${refId}`);
  const renames = Object.fromEntries(tableTargets.map((t) => [valueColumn(t.refId), t.legendFormat || t.refId]));
  const defaults = opts.unit ? { unit: opts.unit } : {};
  const panel = queryPanel('table', title, gridPos, tableTargets, opts.description, defaults, { showHeader: true });
  if (opts.mapped) {
    // Only the state column is mapped and coloured; label columns stay plain text.
    const properties = [
      { id: 'mappings', value: mappingsOf(opts.mapped.mappings) },
      { id: 'color', value: { mode: 'thresholds' } },
      { id: 'custom.cellOptions', value: { type: 'color-background' } },
    ];
    panel.fieldConfig = { defaults, overrides: [{ matcher: { id: 'byName', options: opts.mapped.column }, properties }] };
  }
  return {
    ...panel,
    transformations: [
      { id: 'merge', options: {} },
      { id: 'organize', options: { excludeByName: { Time: true }, renameByName: renames } },
    ],
  };
}

/** States over time; with mappings, each value is drawn as its named, coloured state. */
export function stateTimeline(
  title: string,
  gridPos: GridPos,
  targets: Query[],
  opts: { description?: string; mappings?: readonly ValueMapping[] } = {},
): Panel {
  const defaults = {
    custom: { fillOpacity: 80, lineWidth: 0 },
    ...(opts.mappings ? { mappings: mappingsOf(opts.mappings), color: { mode: 'thresholds' }, thresholds: steps('text') } : {}),
  };
  return queryPanel('state-timeline', title, gridPos, withRefIds(targets), opts.description, defaults, {
    showValue: 'auto',
    mergeValues: true,
    alignValue: 'left',
    rowHeight: 0.9,
    legend: { showLegend: false, displayMode: 'list', placement: 'bottom' },
  });
}

/** A query variable: `label_values(...)`, multi-value with All (`.*`) unless `single`. */
export interface Variable {
  name: string;
  label: string;
  query: string;
  description?: string;
  /** One value, no All: for panels that must look at exactly one (the partition drill-down). */
  single?: boolean;
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

/** The JSON of one templating variable (Grafana's query variable model). */
export function variableJson(v: Variable): Record<string, unknown> {
  return {
    name: v.name,
    label: v.label,
    ...(v.description ? { description: v.description } : {}),
    type: 'query',
    datasource: DATASOURCE,
    query: { query: v.query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: v.query,
    refresh: 2,
    regex: '',
    includeAll: !v.single,
    multi: !v.single,
    ...(v.single ? {} : { allValue: '.*' }),
    current: {},
    options: [],
    sort: 1,
    hide: 0,
  };
}

/** The dashboard JSON Grafana imports (schemaVersion 39), with panel ids assigned in order. */
export function buildDashboard(d: Dashboard): Record<string, unknown> {
  let id = 1;
  const number = (p: Panel): Panel => {
    const out: Panel = { id: id++, ...p };
    if (p.panels) out.panels = p.panels.map(number);
    return out;
  };
  const panels = d.panels.map(number);
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
    // The other cqrs-slo dashboards, keeping the time range and the variables they share.
    links: [{ title: 'cqrs-slo', type: 'dashboards', tags: ['cqrs-slo'], asDropdown: true, includeVars: true, keepTime: true }],
    templating: {
      list: [
        { name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, options: [], refresh: 1, regex: '', hide: 0 },
        ...d.variables.map(variableJson),
      ],
    },
    panels,
  };
}
