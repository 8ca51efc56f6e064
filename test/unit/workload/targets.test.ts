import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/load.js';
import { passes } from '../../../src/config/schema/common.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { WORKLOAD_PROJECTORS, workloadTargets } from '../../../src/workload/index.js';
import { ROOT } from '../../helpers/compose.js';

// deploy/cqrs-slo.yaml with the compose secret replaced by an env reference (the file exists only in the container).
const text = readFileSync(join(ROOT, 'deploy/cqrs-slo.yaml'), 'utf8').replace('file:/run/secrets/pg_password', 'env:CQRS_TEST_PG_PASSWORD');
process.env.CQRS_TEST_PG_PASSWORD = 'x';
const config = parseConfig(text, 'deploy/cqrs-slo.yaml');

describe('workload targets', () => {
  test('come from the config the monitor watches', () => {
    const t = workloadTargets(config, 'deploy/cqrs-slo.yaml');
    expect(t.eventTopic).toBe('orders.events');
    expect(t.deadLetterTopic).toBe('orders.events.DLT');
    expect(t.store.name).toBe('orders');
    expect(t.deadLetterTable).toBe('projection_dead_letters');
    expect(t.cluster.brokers).toEqual(['kafka:9092']);
  });

  test('the config watches every workload projector, as a group and as a projection, and its SLOs name them', () => {
    const names = WORKLOAD_PROJECTORS.map((p) => p.name);
    for (const n of names) {
      expect(passes(config.clusters[0]!.groups, n), n).toBe(true);
      expect(config.stores[0]!.projectionList, n).toContain(n);
    }
    for (const s of config.slos) {
      const sli = s.sli as { projection?: string; group?: string };
      if (sli.projection) expect(names).toContain(sli.projection);
      if (sli.group) expect(names).toContain(sli.group);
    }
    // Every SLI kind the service measures itself is covered by one SLO.
    expect(new Set(config.slos.map((s) => s.sli.kind))).toEqual(new Set(['freshness', 'apply_latency', 'duplicates', 'completeness', 'delivery']));
  });

  test('a config without what the workload needs is refused, naming the sections', () => {
    const bare = parseConfig('clusters: [{name: c, brokers: ["h:1"]}]\n', 'x.yaml');
    expect(() => workloadTargets(bare, 'x.yaml')).toThrow(ConfigError);
    try {
      workloadTargets(bare, 'x.yaml');
    } catch (err) {
      expect((err as ConfigError).issues.map((i) => i.path)).toEqual(['streams', 'dlqs', 'stores']);
    }
  });

  test('a dead-letter table name that is not a plain identifier is refused', () => {
    const bad = parseConfig(text.replace('table: projection_dead_letters', 'table: "x; drop table y"'), 'y.yaml');
    expect(() => workloadTargets(bad, 'y.yaml')).toThrow(/stores\[0\]\.deadLetters\.table: the workload creates this table/);
  });
});
