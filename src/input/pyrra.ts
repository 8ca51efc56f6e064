import { parseDuration } from '../config/duration.js';
import { InputError } from './errors.js';
import { list, obj, stringMap, text } from './obj.js';
import { latencyFromBucket, parseSelector } from './selector.js';
import type { InputDoc, Obj, SloInput } from './types.js';

/**
 * Pyrra `ServiceLevelObjective` (`apiVersion: pyrra.dev/v1alpha1`,
 * https://github.com/pyrra-dev/pyrra#kubernetes) -> our SLO input.
 * - metadata.name -> name; metadata.labels owner|team -> owner (the other labels are for the
 *   Prometheus Operator's rule selection and are not carried).
 * - spec.target (percent, a string) -> objective; spec.window -> period; spec.description.
 * - spec.indicator.ratio errors/total metric selectors -> `ratio` (bad/total).
 * - spec.indicator.latency success (`X_bucket{le="b"}`)/total (`X_count`) of one histogram ->
 *   `latency`; other success/total pairs -> `ratio` (good/total).
 * - spec.alerting.disabled -> every tier disabled; spec.alerting.name -> label pyrra_alert_name.
 * Refused: grouping (we compute one ratio per SLO, not one per group), bool_gauge, latencyNative.
 */
export function fromPyrra(doc: InputDoc): SloInput {
  const fail = (field: string, detail: string): never => {
    throw new InputError(doc.file, `${doc.where}.${field}`, detail);
  };
  const meta = obj(doc.raw.metadata) ?? {};
  const labels = stringMap(meta.labels);
  const spec = obj(doc.raw.spec) ?? fail('spec', 'is required');
  const target = Number(text(spec.target) ?? Number.NaN);
  if (!Number.isFinite(target)) fail('spec.target', `must be a percentage such as "99.5", got ${JSON.stringify(spec.target ?? null)}`);
  const window = text(spec.window);
  if (window !== undefined && parseDuration(window) === undefined) fail('spec.window', `must be a duration like 28d or 2w, got ${JSON.stringify(window)}`);
  const indicator = obj(spec.indicator) ?? fail('spec.indicator', 'is required');
  const metric = (o: unknown, field: string): string => text(obj(o)?.metric) ?? fail(field, 'needs metric (a PromQL selector)');
  const noGrouping = (o: Obj, field: string) => {
    if (list(o.grouping).length > 0)
      fail(`${field}.grouping`, 'is not supported: cqrs-slo computes one error ratio per SLO; declare one SLO per group, or drop grouping');
  };
  let sli: Obj;
  if (obj(indicator.ratio)) {
    const r = obj(indicator.ratio)!;
    noGrouping(r, 'spec.indicator.ratio');
    sli = { kind: 'ratio', bad: metric(r.errors, 'spec.indicator.ratio.errors'), total: metric(r.total, 'spec.indicator.ratio.total') };
  } else if (obj(indicator.latency)) {
    const l = obj(indicator.latency)!;
    noGrouping(l, 'spec.indicator.latency');
    const success = metric(l.success, 'spec.indicator.latency.success');
    const total = metric(l.total, 'spec.indicator.latency.total');
    if (!parseSelector(success)?.matchers.some((m) => m.name === 'le'))
      fail('spec.indicator.latency.success.metric', `must be a histogram bucket selector with le, got ${JSON.stringify(success)}`);
    const latency = latencyFromBucket(success, total);
    sli = latency ? { kind: 'latency', ...latency } : { kind: 'ratio', good: success, total };
  } else if (indicator.bool_gauge !== undefined) {
    return fail('spec.indicator.bool_gauge', 'is not supported: a 0/1 gauge has no event counts to burn; expose good/total counters and use ratio');
  } else {
    return fail('spec.indicator', `needs ratio or latency, got ${Object.keys(indicator).join(', ') || 'nothing'}`);
  }
  const alerting = obj(spec.alerting) ?? {};
  const alertLabels: Record<string, string> = {};
  const name = text(alerting.name);
  if (name !== undefined) alertLabels.pyrra_alert_name = name;
  const tiers =
    alerting.disabled === true ? Object.fromEntries(['page_fast', 'page_slow', 'ticket_fast', 'ticket_slow'].map((id) => [id, { enabled: false }])) : {};
  return {
    name: text(meta.name) ?? '',
    description: text(spec.description) ?? '',
    owner: labels.owner ?? labels.team ?? 'unowned',
    ...(labels.team ? { team: labels.team } : {}),
    objective: target,
    ...(window ? { period: window } : {}),
    alerting: { tiers, labels: alertLabels },
    sli,
  } as SloInput;
}
