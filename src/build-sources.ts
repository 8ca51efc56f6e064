import type { Config } from './config/schema/index.js';
import type { Source } from './sources/source.js';
import type { SourceDeps } from './sources/deps.js';
import type { SqlSourceOptions } from './sources/sql/index.js';

/**
 * Every source the configuration asks for; with `only`, just those whose name (`kafka:main`,
 * `store:orders`, ...) it accepts (a reload builds only what changed). Each factory sees its
 * own section filtered and every other section whole, as lookups need. A kind's modules are
 * imported only when the filtered configuration has one of it: a process that watches only
 * Kafka does not load the SQL, RabbitMQ or probe code and their drivers (docs/performance.md,
 * "Small cluster").
 */
export async function buildSources(
  config: Config,
  deps: SourceDeps,
  opts: { sql?: SqlSourceOptions; only?: (name: string) => boolean } = {},
): Promise<Source[]> {
  const only = opts.only ?? (() => true);
  const clusters = config.clusters.filter((c) => only(`kafka:${c.name}`));
  const stores = config.stores.filter((s) => only(`store:${s.name}`));
  const streams = config.streams.filter((s) => only(`stream:${s.name}`));
  const dlqs = config.dlqs.filter((d) => only(`dlq:${d.name}`));
  const rabbitmq = config.rabbitmq.filter((b) => only(`rabbitmq:${b.name}`));
  const probes = config.probes.filter((p) => only(`probe:${p.name}`));
  const slos = config.slos.filter((s) => only(`slo:${s.name}`));
  // In the order of the sources' registration before the kinds were loaded on demand.
  return [
    ...(clusters.length ? (await import('./sources/kafka/index.js')).createKafkaSources({ ...config, clusters }, deps) : []),
    ...(stores.length ? (await import('./sources/sql/index.js')).createSqlSources({ ...config, stores }, deps, opts.sql) : []),
    ...(streams.some((s) => s.kind !== 'sql') ? (await import('./sources/stream/index.js')).createStreamSources({ ...config, streams }, deps) : []),
    ...(streams.some((s) => s.kind === 'sql')
      ? (await import('./sources/sql-stream/index.js')).createSqlStreamSources({ ...config, streams }, deps, opts.sql)
      : []),
    ...(dlqs.some((d) => d.kind === 'kafka') ? (await import('./sources/dlq/index.js')).createDlqSources({ ...config, dlqs }, deps) : []),
    ...(rabbitmq.length ? (await import('./sources/rabbitmq/index.js')).createRabbitmqSources({ ...config, rabbitmq }, deps) : []),
    ...(probes.length ? (await import('./sources/probe/index.js')).createProbeSources({ ...config, probes }, deps) : []),
    ...(slos.length ? (await import('./slo/index.js')).createSloSources({ ...config, slos }, deps) : []),
  ];
}
