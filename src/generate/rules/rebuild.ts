import type { Seconds } from '../../core/units.js';
import { promDuration, quote } from '../model/promql.js';
import type { GenerateOptions } from '../options.js';
import { runbookUrl } from '../links.js';
import type { AlertingRule } from './types.js';

export const REBUILD_ALERT = 'CqrsProjectionRebuildTooLong';

/** Rebuild objectives of one configured store (stores[].rebuildObjective / rebuildObjectives). */
export interface StoreRebuildObjectives {
  readonly name: string;
  readonly rebuildObjective: Seconds;
  readonly rebuildObjectives: Readonly<Record<string, Seconds>>;
}

/** A label value as an exact RE2 alternative (names may hold `.`). */
const reEscape = (v: string) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const oneOf = (values: readonly string[]) => quote(values.map(reEscape).join('|'));

/** Progress (checkpoint / head) and ETA (lag / checkpoint speed over 10m) of the alerting projection, as Go templates. */
const SEL = 'store=%q, projection=%q';
const ARGS = '$labels.store $labels.projection';
const PROGRESS = `{{ with printf "cqrs_projection_checkpoint_position{${SEL}} / cqrs_projection_head_position{${SEL}}" ${ARGS} ${ARGS} | query }}{{ . | first | value | humanizePercentage }}{{ else }}unknown{{ end }}`;
const ETA = `{{ with printf "cqrs_projection_lag_events{${SEL}} / (deriv(cqrs_projection_checkpoint_position{${SEL}}[10m]) > 0)" ${ARGS} ${ARGS} | query }}{{ . | first | value | humanizeDuration }}{{ else }}unknown (the checkpoint is not advancing){{ end }}`;

/**
 * CqrsProjectionRebuildTooLong per rebuild objective: a projection REBUILDING for longer than the
 * objective of its store (or its own override). One rule per store (its projections without an
 * override), one per override, and one for stores the config does not list (the default
 * objective), so every projection has exactly one objective. The annotation gives progress
 * (checkpoint / head) and the ETA at the checkpoint's speed over the last 10 minutes.
 */
export function rebuildRules(opts: GenerateOptions, stores: readonly StoreRebuildObjectives[]): AlertingRule[] {
  // `objective_from` names the config field that sets the objective (and keeps the rules apart for promtool's lint).
  const rule = (matchers: string, objective: Seconds, what: string, from: string): AlertingRule => ({
    alert: REBUILD_ALERT,
    expr:
      `label_replace(\n  cqrs_projection_rebuild_duration_seconds${matchers ? `{${matchers}}` : ''} > ${objective}\n  and on(store, projection)\n  cqrs_projection_status{status="REBUILDING"} == 1,\n` +
      `  "source", "store:$1", "store", "(.*)"\n)`,
    labels: { severity: 'ticket', team: opts.platformTeam, objective_from: from },
    annotations: {
      summary: `Rebuild of {{ $labels.projection }} in {{ $labels.store }} runs over its ${promDuration(objective)} objective`,
      description:
        `Projection {{ $labels.projection }} in store {{ $labels.store }} has been rebuilding for {{ $value | humanizeDuration }}; ${what} is ${promDuration(objective)}. ` +
        `Progress: ${PROGRESS} of the head. ETA at the last 10m's speed: ${ETA}.`,
      runbook_url: runbookUrl(opts, REBUILD_ALERT),
    },
  });
  const rules: AlertingRule[] = [];
  for (const s of stores) {
    const overridden = Object.keys(s.rebuildObjectives);
    const rest = overridden.length > 0 ? `, projection!~${oneOf(overridden)}` : '';
    rules.push(rule(`store=${quote(s.name)}${rest}`, s.rebuildObjective, `the rebuild objective of store ${s.name}`, `stores[${s.name}].rebuildObjective`));
    for (const [projection, objective] of Object.entries(s.rebuildObjectives)) {
      rules.push(
        rule(
          `store=${quote(s.name)}, projection=${quote(projection)}`,
          objective,
          'its own rebuild objective',
          `stores[${s.name}].rebuildObjectives.${projection}`,
        ),
      );
    }
  }
  const others = stores.length > 0 ? `store!~${oneOf(stores.map((s) => s.name))}` : '';
  rules.push(rule(others, opts.thresholds.rebuildObjective, 'the default rebuild objective', 'default'));
  return rules;
}
