import type { Config } from './schema/index.js';
import { fingerprint } from './fingerprint.js';

/**
 * Pure: for each source the configuration yields (by source name), a fingerprint of every part
 * of the configuration that source reads. On reload a source whose fingerprint is unchanged is
 * kept as it is (state, connections, history); any other is rebuilt.
 * - `kafka:<cluster>` reads its cluster;
 * - `store:<store>` its store and the `dlqs` entries of kind sql naming it (they name its series);
 * - `stream:<stream>` its stream and that stream's cluster (Kafka) or store (SQL);
 * - `rabbitmq:<broker>` its broker entry;
 * - `dlq:<dlq>` its dlq and, for Kafka, its cluster;
 * - `probe:<probe>` its probe and the store its sql steps run on;
 * - `slo:<name>`: every SLO evaluator shares one drain of the SLI board, so they are kept or
 *   rebuilt together: all share the fingerprint of the whole `slos` list.
 */
export function sourceKeys(config: Config): Map<string, string> {
  const keys = new Map<string, string>();
  const cluster = (name: string) => config.clusters.find((c) => c.name === name);
  for (const c of config.clusters) keys.set(`kafka:${c.name}`, fingerprint(c));
  for (const s of config.stores) keys.set(`store:${s.name}`, fingerprint([s, config.dlqs.filter((d) => d.kind === 'sql' && d.store === s.name)]));
  const store = (name: string) => config.stores.find((s) => s.name === name);
  for (const s of config.streams) keys.set(`stream:${s.name}`, fingerprint([s, s.kind === 'sql' ? store(s.store) : cluster(s.cluster)]));
  for (const b of config.rabbitmq) keys.set(`rabbitmq:${b.name}`, fingerprint(b));
  for (const d of config.dlqs) keys.set(`dlq:${d.name}`, fingerprint([d, d.kind === 'kafka' ? cluster(d.cluster) : undefined]));
  for (const p of config.probes) keys.set(`probe:${p.name}`, fingerprint([p, p.store !== undefined ? store(p.store) : undefined]));
  const slos = fingerprint(config.slos);
  for (const s of config.slos) keys.set(`slo:${s.name}`, slos);
  return keys;
}
