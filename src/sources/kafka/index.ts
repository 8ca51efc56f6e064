import type { Config } from '../../config/schema/index.js';
import type { Source } from '../source.js';
import type { SourceDeps } from '../deps.js';

/** Builds the kafka sources of the configuration. */
export function createKafkaSources(_config: Config, _deps: SourceDeps): Source[] {
  return [];
}
