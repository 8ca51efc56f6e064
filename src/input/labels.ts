import type { Warn } from './types.js';

/** Labels our burn alerts set themselves; Alertmanager routing and the dashboards rely on them. */
const RESERVED = ['slo', 'team', 'burn_tier'] as const;

/**
 * Labels from an imported spec onto our alerts. A `severity` label is kept as
 * `original_severity`: ours is `page` or `ticket` (the generated Alertmanager routes on it), and
 * the spec's value stays available for the user's own routes. Labels we set ourselves are
 * dropped with a warning, never silently.
 */
export function carryLabels(labels: Record<string, string>, where: string, warn: Warn): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (k === 'severity') out.original_severity = v;
    else if ((RESERVED as readonly string[]).includes(k))
      warn(`${where}: label ${k}=${JSON.stringify(v)} is not carried: cqrs-slo sets ${k} on its alerts itself`);
    else out[k] = v;
  }
  return out;
}
