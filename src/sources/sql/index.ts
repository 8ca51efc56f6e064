import type { Config } from '../../config/schema/index.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';

/** Builds the sql sources of the configuration. */
export function createSqlSources(_config: Config, _deps: SourceDeps): Source[] {
  return [];
}
