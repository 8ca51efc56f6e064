import { InputError } from '../errors.js';
import { obj, text } from '../obj.js';
import { latencyFromBucket, parseSelector } from '../selector.js';
import type { InputDoc, Obj } from '../types.js';
import type { OpenSloCatalog } from './catalog.js';

/** Where an indicator spec was found: the SLO document and the field path of the spec in it. */
interface At {
  readonly doc: InputDoc;
  readonly field: string;
}

const fail = (at: At, field: string, detail: string): never => {
  throw new InputError(at.doc.file, `${at.doc.where}.${at.field}${field ? `.${field}` : ''}`, detail);
};

/**
 * The PromQL of an OpenSLO metric source: `metricSource.type` Prometheus (inline, or through
 * `metricSourceRef` to a `kind: DataSource` of type Prometheus) with `spec.query`.
 */
function prometheusQuery(metric: unknown, at: At, field: string, catalog: OpenSloCatalog): string {
  const source = obj(obj(metric)?.metricSource);
  if (!source) return fail(at, field, 'needs metricSource');
  let type = text(source.type);
  const ref = text(source.metricSourceRef);
  if (ref !== undefined) {
    const ds = catalog.resolve('DataSource', ref, at.doc, `${at.field}.${field}.metricSource.metricSourceRef`);
    type ??= text(obj(ds.raw.spec)?.type);
  }
  const query = text(obj(source.spec)?.query);
  if ((type ?? '').toLowerCase() !== 'prometheus')
    return fail(at, `${field}.metricSource.type`, `only Prometheus metric sources are supported, got ${JSON.stringify(type ?? null)}`);
  if (!query) return fail(at, `${field}.metricSource.spec.query`, 'is required (PromQL)');
  return query;
}

/** The objective's threshold fields, needed by a thresholdMetric. */
export interface ThresholdObjective {
  readonly op?: string;
  readonly value?: unknown;
}

/**
 * Our SLI from an OpenSLO indicator spec (`kind: SLI` spec or inline `spec.indicator.spec`):
 * - ratioMetric good|bad + total -> `ratio`; ratioMetric raw + rawType failure|success, with
 *   {{.window}} in the query -> `error_ratio`;
 * - thresholdMetric on a histogram bucket selector (`X_bucket{...}`) with `op: lte` and
 *   `value` (seconds, a bucket bound) -> `latency`.
 * Anything else is refused, naming the field.
 */
export function sliFromIndicator(spec: Obj, at: At, objective: ThresholdObjective, catalog: OpenSloCatalog): Obj {
  const ratio = obj(spec.ratioMetric);
  const threshold = obj(spec.thresholdMetric);
  if (ratio) {
    if (ratio.raw !== undefined) {
      const raw = prometheusQuery(ratio.raw, at, 'ratioMetric.raw', catalog);
      if (!/\{\{\s*\.window\s*\}\}/.test(raw))
        fail(at, 'ratioMetric.raw', 'a raw ratio query must contain {{.window}} (the rule generator evaluates it over several windows)');
      if (ratio.rawType === 'failure') return { kind: 'error_ratio', query: raw };
      if (ratio.rawType === 'success') return { kind: 'error_ratio', query: `1 - (${raw})` };
      return fail(at, 'ratioMetric.rawType', `must be success or failure, got ${JSON.stringify(ratio.rawType ?? null)}`);
    }
    if (ratio.total === undefined) fail(at, 'ratioMetric.total', 'is required');
    const sli: Obj = { kind: 'ratio', total: prometheusQuery(ratio.total, at, 'ratioMetric.total', catalog) };
    if (ratio.good !== undefined) sli.good = prometheusQuery(ratio.good, at, 'ratioMetric.good', catalog);
    if (ratio.bad !== undefined) sli.bad = prometheusQuery(ratio.bad, at, 'ratioMetric.bad', catalog);
    return sli;
  }
  if (threshold) {
    const query = prometheusQuery(threshold, at, 'thresholdMetric', catalog);
    if (objective.op !== 'lte') {
      return fail(
        at,
        'thresholdMetric',
        `is supported on a histogram with objectives[0].op lte (buckets count values <= le), got op ${JSON.stringify(objective.op ?? null)}`,
      );
    }
    const value = typeof objective.value === 'number' ? objective.value : Number.NaN;
    const sel = parseSelector(query);
    const latency =
      sel && !sel.matchers.some((m) => m.name === 'le')
        ? latencyFromBucket(`${sel.metric}{${[...sel.matchers.map((m) => m.text), `le="${value}"`].join(',')}}`)
        : undefined;
    if (!latency) {
      return fail(
        at,
        'thresholdMetric.metricSource.spec.query',
        `is supported as a histogram bucket selector without le, e.g. http_request_duration_seconds_bucket{job="api"}, with objectives[0].value a bucket bound in seconds; got ${JSON.stringify(query)} and value ${JSON.stringify(objective.value ?? null)}`,
      );
    }
    return { kind: 'latency', ...latency };
  }
  return fail(at, '', `needs ratioMetric or thresholdMetric, got ${Object.keys(spec).join(', ') || 'nothing'}`);
}
