import type { Config } from '../config/schema/index.js';
import type { Source } from './source.js';
import type { SourceDeps } from './deps.js';
import { createKafkaSources } from './kafka/index.js';
import { createSqlSources, type SqlSourceOptions } from './sql/index.js';
import { createStreamSources } from './stream/index.js';
import { createDlqSources } from './dlq/index.js';
import { createRabbitmqSources } from './rabbitmq/index.js';
import { createSloSources } from '../slo/index.js';

/** Every source the configuration asks for. */
export function buildSources(config: Config, deps: SourceDeps, opts: { sql?: SqlSourceOptions } = {}): Source[] {
  return [
    ...createKafkaSources(config, deps),
    ...createSqlSources(config, deps, opts.sql),
    ...createStreamSources(config, deps),
    ...createDlqSources(config, deps),
    ...createRabbitmqSources(config, deps),
    ...createSloSources(config, deps),
  ];
}
