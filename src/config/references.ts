import type { Config } from './schema/index.js';
import { ConfigError, type ConfigIssue } from './config-error.js';

/**
 * Checks that every SLO measured by the service points at a configured source. The generator
 * needs only the SLOs, so this runs for `run` and `validate`, not inside the schema: an SLO on a
 * store that is not configured would otherwise never be measured, silently (every tick unknown).
 */
export function referenceIssues(config: Config): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const names = (items: readonly { name: string }[]) => new Set(items.map((i) => i.name));
  const sections = {
    store: names(config.stores),
    cluster: names(config.clusters),
    stream: names(config.streams),
    dlq: names(config.dlqs),
    probe: names(config.probes),
  };
  const plural = { store: 'stores', cluster: 'clusters', stream: 'streams', dlq: 'dlqs', probe: 'probes' } as const;
  config.slos.forEach((slo, i) => {
    const sli = slo.sli as Record<string, unknown>;
    for (const key of ['store', 'cluster', 'stream', 'dlq', 'probe'] as const) {
      const ref = sli[key];
      if (typeof ref === 'string' && !sections[key].has(ref)) {
        issues.push({ path: `slos[${i}].sli.${key}`, message: `no ${key} named ${JSON.stringify(ref)} in ${plural[key]}` });
      }
    }
  });
  return issues;
}

/** Throws ConfigError when a reference does not resolve. */
export function checkReferences(config: Config, file: string): void {
  const issues = referenceIssues(config);
  if (issues.length > 0) throw new ConfigError(file, issues);
}

/**
 * Throws ConfigError when the configuration watches nothing: no clusters, stores, streams,
 * dlqs, RabbitMQ brokers or probes, and no embedded demo. `run` would start, report ready and export nothing.
 */
export function checkWatchesSomething(config: Config, file: string): void {
  const sources = config.clusters.length + config.stores.length + config.streams.length + config.dlqs.length + config.rabbitmq.length + config.probes.length;
  if (sources === 0 && !config.demo?.enabled) {
    throw new ConfigError(file, [
      {
        path: '',
        message:
          'nothing to watch: configure clusters, stores, streams, dlqs, rabbitmq or probes (see config/example.yaml), or enable the embedded demo (demo: {enabled: true})',
      },
    ]);
  }
}
