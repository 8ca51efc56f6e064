import { parseDuration } from '../../config/duration.js';
import { CALENDAR_MONTH_BURN_PERIOD } from '../../core/slo/calendar.js';
import { InputError } from '../errors.js';
import { list, obj, stringMap, text } from '../obj.js';
import { carryLabels } from '../labels.js';
import type { InputDoc, Obj, SloInput, Warn } from '../types.js';
import { tiersFromAlertPolicies } from './alert-policy.js';
import type { OpenSloCatalog } from './catalog.js';
import { sliFromIndicator } from './indicator.js';

const DEFAULT_PERIOD = 30 * 86_400;

/**
 * OpenSLO v1 `kind: SLO` (https://github.com/OpenSLO/OpenSLO#slo) -> our SLO input.
 * The indicator is inline (`spec.indicator`) or `spec.indicatorRef` to a `kind: SLI` of any
 * input file; `spec.service` names a `kind: Service`, whose labels owner/team and description
 * fill what the SLO leaves out; `spec.alertPolicies` become our burn tiers
 * (alert-policy.ts). One objective; `timeWindow` rolling or calendar 1M.
 */
export function fromOpenSlo(doc: InputDoc, catalog: OpenSloCatalog, warn: Warn): SloInput {
  const fail = (field: string, detail: string): never => {
    throw new InputError(doc.file, `${doc.where}.${field}`, detail);
  };
  const meta = obj(doc.raw.metadata) ?? {};
  const spec = obj(doc.raw.spec) ?? {};
  const service = text(spec.service);
  const serviceDoc = service !== undefined ? catalog.find('Service', service) : undefined;
  const serviceLabels = stringMap(obj(serviceDoc?.raw.metadata)?.labels);
  const labels = { ...serviceLabels, ...stringMap(meta.labels) };

  const objectives = list(spec.objectives).map(obj);
  if (objectives.length !== 1 || !objectives[0]) fail('spec.objectives', `exactly one objective is supported, got ${objectives.length}`);
  const o = objectives[0]!;
  const objective =
    typeof o.targetPercent === 'number'
      ? o.targetPercent
      : typeof o.target === 'number'
        ? o.target * 100
        : fail('spec.objectives[0]', 'needs target (0..1) or targetPercent');

  const windows = list(spec.timeWindow).map(obj);
  if (windows.length > 1) fail('spec.timeWindow', `exactly one time window is supported, got ${windows.length}`);
  const tw = windows[0] ?? {};
  let period: string | undefined;
  let periodSeconds = DEFAULT_PERIOD;
  if (tw.isRolling === false || obj(tw.calendar)) {
    if (tw.duration !== '1M')
      fail('spec.timeWindow[0].duration', `calendar windows other than 1M are not supported, got ${JSON.stringify(tw.duration ?? null)}`);
    period = 'month';
    periodSeconds = CALENDAR_MONTH_BURN_PERIOD;
  } else if (tw.duration !== undefined) {
    period = text(tw.duration);
    const s = parseDuration(period ?? '');
    if (s === undefined) fail('spec.timeWindow[0].duration', `must be a duration like 28d, got ${JSON.stringify(tw.duration)}`);
    periodSeconds = s!;
  }

  const method = text(spec.budgetingMethod) ?? 'Occurrences';
  let budgeting: Obj = { method: 'occurrences' };
  if (method === 'Timeslices') {
    if (typeof o.timeSliceTarget !== 'number') fail('spec.objectives[0].timeSliceTarget', 'is required with budgetingMethod Timeslices');
    budgeting = {
      method: 'timeslices',
      sliceObjective: (o.timeSliceTarget as number) * 100,
      ...(typeof o.timeSliceWindow === 'string' ? { slice: o.timeSliceWindow } : {}),
    };
  } else if (method !== 'Occurrences') {
    fail('spec.budgetingMethod', `must be Occurrences or Timeslices, got ${JSON.stringify(method)} (RatioTimeslices is not supported)`);
  }

  let indicator: Obj;
  let indicatorAt: string;
  let sliDoc: InputDoc | undefined;
  const ref = text(spec.indicatorRef);
  if (ref !== undefined) {
    if (spec.indicator !== undefined) fail('spec', 'give either indicator or indicatorRef, not both');
    sliDoc = catalog.resolve('SLI', ref, doc, 'spec.indicatorRef');
    indicator = obj(sliDoc.raw.spec) ?? {};
    indicatorAt = 'spec';
  } else {
    indicator = obj(obj(spec.indicator)?.spec) ?? fail('spec', 'needs indicator or indicatorRef');
    indicatorAt = 'spec.indicator.spec';
  }
  const sli = sliFromIndicator(indicator, { doc: sliDoc ?? doc, field: indicatorAt }, { op: text(o.op), value: o.value }, catalog);

  const tiers = tiersFromAlertPolicies(spec, doc, periodSeconds, catalog, warn);
  const owner = labels.owner ?? labels.team ?? 'unowned';
  const extra = Object.fromEntries(Object.entries(labels).filter(([k]) => k !== 'owner' && k !== 'team'));
  const description = text(spec.description) ?? text(obj(sliDoc?.raw.spec)?.description) ?? text(obj(serviceDoc?.raw.spec)?.description) ?? '';
  return {
    name: text(meta.name) ?? '',
    description,
    owner,
    ...(labels.team ? { team: labels.team } : {}),
    ...(service ? { service } : {}),
    objective,
    ...(period ? { period } : {}),
    budgeting,
    alerting: { ...(tiers ? { tiers } : {}), labels: carryLabels(extra, `${doc.file}: ${doc.where}.metadata.labels`, warn) },
    sli,
  } as SloInput;
}
