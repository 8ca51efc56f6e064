import type { Config } from '../config/schema/index.js';
import type { Source } from '../sources/source.js';
import type { SourceDeps } from '../sources/deps.js';
import { BoardDrain } from './drain.js';
import { SloEvaluator } from './evaluator.js';
import { sliTarget } from './target.js';

export { SloEvaluator } from './evaluator.js';
export { BoardDrain } from './drain.js';
export { sliTarget } from './target.js';

/** Seconds a freshness SLO waits for the first reading of its target before unread ticks count as unknown (or bad). */
export const STARTUP_GRACE_SECONDS = 60;

/**
 * One evaluator per SLO the service measures itself (freshness, apply_latency, duplicates,
 * completeness, delivery, read_after_write). Each tick turns the SLI board into `cqrs_slo_good_total` /
 * `cqrs_slo_total` (freshness also `cqrs_slo_unknown_total`); `ratio` and `latency` SLOs live only in the generated rules.
 */
export function createSloSources(config: Config, deps: SourceDeps): Source[] {
  const drain = new BoardDrain(deps.board);
  const out: Source[] = [];
  for (const slo of config.slos) {
    const target = sliTarget(slo.sli);
    if (target === undefined) continue;
    out.push(new SloEvaluator(deps, { slo, target, drain, startupGrace: Math.max(STARTUP_GRACE_SECONDS, 2 * slo.evaluationInterval) }));
  }
  return out;
}
