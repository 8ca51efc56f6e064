import type { Config } from '../config/schema/index.js';
import type { Source } from '../sources/source.js';
import type { SourceDeps } from '../sources/deps.js';

/**
 * The SLO evaluator runs like a source: each tick it turns the SLI board into
 * `cqrs_slo_good_total` / `cqrs_slo_total`.
 */
export function createSloSources(_config: Config, _deps: SourceDeps): Source[] {
  return [];
}
