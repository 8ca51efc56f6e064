import type { SloInput } from './types.js';
import { InputError } from './errors.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** The PromQL of an OpenSLO metric source, when it is a Prometheus one. */
function prometheusQuery(metric: unknown, file: string, at: string): string {
  const source = obj(obj(metric)?.metricSource);
  const type = String(source?.type ?? '');
  const query = obj(source?.spec)?.query;
  if (type.toLowerCase() !== 'prometheus' || typeof query !== 'string') {
    throw new InputError(file, at, `only metricSource.type Prometheus with spec.query is supported, got ${JSON.stringify(type)}`);
  }
  return query;
}

/**
 * OpenSLO v1 `kind: SLO` (https://github.com/OpenSLO/OpenSLO#slo) -> our SLO input.
 * Supported: metadata.name/labels (owner, team), spec.description/service, an inline
 * spec.indicator with ratioMetric (good or bad, and total; Prometheus queries: a counter
 * selector or PromQL with {{.window}}), one objective (target or targetPercent,
 * timeSliceTarget/timeSliceWindow for Timeslices), timeWindow rolling (e.g. 28d) or calendar
 * 1M. Not supported (rejected): indicatorRef, thresholdMetric, several objectives,
 * RatioTimeslices, alertPolicies (our burn tiers apply).
 */
export function fromOpenSlo(doc: Obj, file: string, index: number): SloInput {
  const where = `document ${index + 1}`;
  const meta = obj(doc.metadata) ?? {};
  const labels = obj(meta.labels) ?? {};
  const spec = obj(doc.spec) ?? {};
  const indicator = obj(spec.indicator);
  if (!indicator) throw new InputError(file, `${where}.spec`, 'needs an inline indicator (indicatorRef is not supported)');
  const ratio = obj(obj(indicator.spec)?.ratioMetric);
  if (!ratio) throw new InputError(file, `${where}.spec.indicator.spec`, 'only ratioMetric is supported');
  const objectives = Array.isArray(spec.objectives) ? spec.objectives.map(obj) : [];
  if (objectives.length !== 1 || !objectives[0]) throw new InputError(file, `${where}.spec.objectives`, `exactly one objective is supported, got ${objectives.length}`);
  const o = objectives[0];
  const objective = typeof o.targetPercent === 'number' ? o.targetPercent : typeof o.target === 'number' ? o.target * 100 : undefined;
  const windows = Array.isArray(spec.timeWindow) ? spec.timeWindow.map(obj) : [];
  const tw = windows[0] ?? {};
  let period: string | undefined;
  if (tw.isRolling === false || obj(tw.calendar)) {
    if (tw.duration !== '1M') throw new InputError(file, `${where}.spec.timeWindow`, `calendar windows other than 1M are not supported, got ${JSON.stringify(tw.duration)}`);
    period = 'month';
  } else if (typeof tw.duration === 'string') period = tw.duration;
  const method = String(spec.budgetingMethod ?? 'Occurrences');
  let budgeting: Obj = { method: 'occurrences' };
  if (method === 'Timeslices') {
    if (typeof o.timeSliceTarget !== 'number') throw new InputError(file, `${where}.spec.objectives[0]`, 'timeSliceTarget is required with Timeslices');
    budgeting = { method: 'timeslices', sliceObjective: o.timeSliceTarget * 100, ...(typeof o.timeSliceWindow === 'string' ? { slice: o.timeSliceWindow } : {}) };
  } else if (method !== 'Occurrences') {
    throw new InputError(file, `${where}.spec.budgetingMethod`, `must be Occurrences or Timeslices, got ${JSON.stringify(method)}`);
  }
  const at = `${where}.spec.indicator.spec.ratioMetric`;
  const sli: Obj = { kind: 'ratio', total: prometheusQuery(ratio.total, file, `${at}.total`) };
  if (ratio.good !== undefined) sli.good = prometheusQuery(ratio.good, file, `${at}.good`);
  if (ratio.bad !== undefined) sli.bad = prometheusQuery(ratio.bad, file, `${at}.bad`);
  const owner = String(labels.owner ?? labels.team ?? 'unowned');
  return {
    name: String(meta.name ?? ''),
    description: typeof spec.description === 'string' ? spec.description : '',
    owner,
    ...(typeof spec.service === 'string' ? { service: spec.service } : {}),
    objective,
    ...(period ? { period } : {}),
    budgeting,
    sli,
  } as SloInput;
}
