import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { parse } from 'yaml';

// docker-compose.yml's Grafana and Prometheus are wired by files that no test here can run
// (no Docker engine, no Grafana binary): these checks tie the paths and names together.
const root = new URL('../../../', import.meta.url).pathname;
const yaml = <T>(p: string) => parse(readFileSync(`${root}${p}`, 'utf8')) as T;
const compose = yaml<{ services: Record<string, { volumes?: string[] }> }>('docker-compose.yml');
const mounts = (svc: string) => Object.fromEntries((compose.services[svc]!.volumes ?? []).map((v) => v.split(':').slice(0, 2) as [string, string]));

describe('docker-compose: Prometheus loads the generated rules, Grafana the generated dashboards', () => {
  test('the rule_files glob matches the generated rule files in alerts/', () => {
    const prom = yaml<{ rule_files: string[] }>('deploy/prometheus.yml');
    const rulesDir = mounts('prometheus')['./alerts']!;
    const [glob] = prom.rule_files;
    expect(glob!.startsWith(`${rulesDir}/`)).toBe(true);
    const re = new RegExp(`^${basename(glob!).replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);
    const ruleFiles = readdirSync(`${root}alerts`).filter((f) => f.endsWith('rules.yml'));
    expect(ruleFiles.sort()).toEqual(['operational-rules.yml', 'slo-rules.yml']);
    for (const f of ruleFiles) expect(f, glob).toMatch(re);
    expect('alertmanager.yml').not.toMatch(re);
  });

  test('Grafana provisions the Prometheus service and the mounted dashboards/ folder', () => {
    const m = mounts('grafana');
    expect(m['./deploy/grafana/provisioning']).toBe('/etc/grafana/provisioning');
    const provider = yaml<{ providers: { type: string; options: { path: string } }[] }>('deploy/grafana/provisioning/dashboards/cqrs-slo.yaml').providers[0]!;
    expect(provider.type).toBe('file');
    expect(provider.options.path).toBe(m['./dashboards']);
    const ds = yaml<{ datasources: { type: string; url: string; isDefault: boolean }[] }>('deploy/grafana/provisioning/datasources/prometheus.yaml').datasources[0]!;
    expect(ds).toMatchObject({ type: 'prometheus', isDefault: true });
    expect(new URL(ds.url).hostname in compose.services).toBe(true);
  });
});
