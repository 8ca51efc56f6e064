import type { Config } from './config/schema/index.js';
import type { Source } from './sources/source.js';
import type { SourceDeps } from './sources/deps.js';
import { createKafkaSources } from './sources/kafka/index.js';
import { createSqlSources, type SqlSourceOptions } from './sources/sql/index.js';
import { createStreamSources } from './sources/stream/index.js';
import { createSqlStreamSources } from './sources/sql-stream/index.js';
import { createDlqSources } from './sources/dlq/index.js';
import { createRabbitmqSources } from './sources/rabbitmq/index.js';
import { createProbeSources } from './sources/probe/index.js';
import { createSloSources } from './slo/index.js';

/**
 * Every source the configuration asks for; with `only`, just those whose name (`kafka:main`,
 * `store:orders`, ...) it accepts (a reload builds only what changed). Each factory sees its
 * own section filtered and every other section whole, as lookups need.
 */
export function buildSources(config: Config, deps: SourceDeps, opts: { sql?: SqlSourceOptions; only?: (name: string) => boolean } = {}): Source[] {
  const only = opts.only ?? (() => true);
  return [
    ...createKafkaSources({ ...config, clusters: config.clusters.filter((c) => only(`kafka:${c.name}`)) }, deps),
    ...createSqlSources({ ...config, stores: config.stores.filter((s) => only(`store:${s.name}`)) }, deps, opts.sql),
    ...createStreamSources({ ...config, streams: config.streams.filter((s) => only(`stream:${s.name}`)) }, deps),
    ...createSqlStreamSources({ ...config, streams: config.streams.filter((s) => only(`stream:${s.name}`)) }, deps, opts.sql),
    ...createDlqSources({ ...config, dlqs: config.dlqs.filter((d) => only(`dlq:${d.name}`)) }, deps),
    ...createRabbitmqSources({ ...config, rabbitmq: config.rabbitmq.filter((b) => only(`rabbitmq:${b.name}`)) }, deps),
    ...createProbeSources({ ...config, probes: config.probes.filter((p) => only(`probe:${p.name}`)) }, deps),
    ...createSloSources({ ...config, slos: config.slos.filter((s) => only(`slo:${s.name}`)) }, deps),
  ];
}
