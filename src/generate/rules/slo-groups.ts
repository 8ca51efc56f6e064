import type { SloModel } from '../model/slo-model.js';
import { promDuration } from '../model/promql.js';
import type { GenerateOptions } from '../options.js';
import { nativeNaming, slothNaming, type Naming } from './naming.js';
import { metaRecordings, sliRecordings } from './slo-recordings.js';
import { burnAlerts } from './burn-alerts.js';
import { coverageAlert, coverageRecordings, sliAbsentAlert } from './sli-health.js';
import type { RuleGroup } from './types.js';

/** The naming a format uses. */
export const namingFor = (format: GenerateOptions['format']): Naming => (format === 'sloth' ? slothNaming : nativeNaming);

/** Three groups per SLO (recordings, meta with coverage, alerts with SLI absent and coverage), named like Sloth's. */
export function sloGroups(slo: SloModel, opts: GenerateOptions): RuleGroup[] {
  const naming = namingFor(opts.format);
  const prefix = naming.mode === 'sloth' ? 'sloth-slo' : 'cqrs-slo';
  const interval = opts.evaluationInterval ? { interval: promDuration(opts.evaluationInterval) } : {};
  const groups: RuleGroup[] = [
    { name: `${prefix}-sli-recordings-${slo.name}`, ...interval, rules: sliRecordings(slo, naming) },
    { name: `${prefix}-meta-recordings-${slo.name}`, ...interval, rules: [...metaRecordings(slo, naming), ...coverageRecordings(slo)] },
  ];
  const alerts = [...burnAlerts(slo, naming, opts), sliAbsentAlert(slo, naming, opts), ...coverageAlert(slo, opts)];
  groups.push({ name: `${prefix}-alerts-${slo.name}`, ...interval, rules: alerts });
  return groups;
}
