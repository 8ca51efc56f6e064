import { beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT } from '../../helpers/compose.js';
import { goModuleDir, K8S_MODULE, PROMETHEUS_OPERATOR_MODULE, schemaLocation, writeSchemas } from '../../helpers/k8s-schemas.js';

/**
 * The Helm chart, with the real helm (v4) and kubeconform (both built from the Go module proxy by
 * scripts/ensure-test-deps.sh): lint, template, and every rendered object validated against
 * schemas built offline from the Kubernetes OpenAPI spec and the Prometheus Operator CRDs.
 */
const CHART = join(ROOT, 'deploy/helm/cqrs-slo');
const inCi = process.env.CI === 'true';

function bin(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), join(homedir(), '.cache/cqrs-slo/bin')]) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
const helm = bin('helm');
const kubeconform = bin('kubeconform');
if (inCi && (!helm || !kubeconform)) throw new Error('helm and kubeconform are required in CI: run scripts/ensure-test-deps.sh');
if (!helm || !kubeconform) console.warn('[helm tests] skipped: helm or kubeconform missing (scripts/ensure-test-deps.sh builds them with Go)');

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: the specs of many kinds of object, read by path
  spec?: Record<string, any>;
  data?: Record<string, string>;
}

function run(cmd: string, args: string[], input?: string) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, ...(input !== undefined ? { input } : {}) });
  return { status: r.status, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function template(args: string[] = []) {
  return run(helm!, ['template', 'cqrs', CHART, '--namespace', 'monitoring', ...args]);
}

function objects(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as K8sObject)
    .filter((o) => o?.kind);
}

const groupsOf = (file: string) => (parse(readFileSync(file, 'utf8')) as { groups: unknown[] }).groups;

describe.runIf(helm && kubeconform)('Helm chart deploy/helm/cqrs-slo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-helm-'));
  let schemas: string | undefined;

  beforeAll(() => {
    const k8s = goModuleDir(K8S_MODULE);
    const operator = goModuleDir(PROMETHEUS_OPERATOR_MODULE);
    if (!k8s || !operator) {
      if (inCi) throw new Error(`cannot download ${K8S_MODULE} / ${PROMETHEUS_OPERATOR_MODULE} from the Go module proxy`);
      console.warn('[helm tests] schema validation skipped: Go modules unavailable');
      return;
    }
    schemas = join(dir, 'schemas');
    writeSchemas(schemas, k8s, operator, [
      { group: 'apps', version: 'v1', kind: 'Deployment' },
      { group: '', version: 'v1', kind: 'Service' },
      { group: '', version: 'v1', kind: 'ConfigMap' },
    ]);
  });

  function validate(text: string): { status: number | null; out: string } {
    const f = join(dir, `rendered-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(f, text);
    const r = run(kubeconform!, ['-strict', '-summary', '-output', 'text', '-schema-location', schemaLocation(schemas!), f]);
    return { status: r.status, out: r.out + r.err };
  }

  test('helm lint passes', () => {
    const r = run(helm!, ['lint', CHART, '--strict']);
    expect(r.status, r.out + r.err).toBe(0);
    expect(r.out).toContain('1 chart(s) linted, 0 chart(s) failed');
  });

  test('default values: Deployment with probes and requests, Service, ServiceMonitor, PrometheusRules from the chart rules, dashboard ConfigMaps', () => {
    const r = template();
    expect(r.status, r.err).toBe(0);
    const objs = objects(r.out);
    const kinds = objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    expect(kinds).toEqual([
      'ConfigMap/cqrs-cqrs-slo',
      'ConfigMap/cqrs-cqrs-slo-debug-dashboard',
      'ConfigMap/cqrs-cqrs-slo-executive-dashboard',
      'ConfigMap/cqrs-cqrs-slo-oncall-dashboard',
      'Deployment/cqrs-cqrs-slo',
      'PrometheusRule/cqrs-cqrs-slo-operational',
      'PrometheusRule/cqrs-cqrs-slo-slos',
      'Service/cqrs-cqrs-slo',
      'ServiceMonitor/cqrs-cqrs-slo',
    ]);
    const dep = objs.find((o) => o.kind === 'Deployment')!;
    const c = dep.spec!.template.spec.containers[0];
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.resources.requests).toEqual({ cpu: '100m', memory: '128Mi' });
    expect(c.args).toEqual(['run', '--config', '/etc/cqrs-slo/config.yaml']);
    expect(c.ports[0]).toMatchObject({ name: 'http', containerPort: 9464 });
    const svc = objs.find((o) => o.kind === 'Service')!;
    expect(svc.spec!.ports[0]).toMatchObject({ name: 'http', port: 9464, targetPort: 'http' });
    expect(svc.spec!.selector).toEqual(dep.spec!.selector.matchLabels);
    const sm = objs.find((o) => o.kind === 'ServiceMonitor')!;
    expect(sm.spec!.endpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    expect(sm.spec!.selector.matchLabels).toEqual(dep.spec!.selector.matchLabels);
    // Rules: the chart's generated files, whole.
    const rules = objs.filter((o) => o.kind === 'PrometheusRule');
    expect(rules.find((o) => o.metadata.name.endsWith('-slos'))!.spec!.groups).toEqual(groupsOf(join(CHART, 'rules/slo-rules.yml')));
    expect(rules.find((o) => o.metadata.name.endsWith('-operational'))!.spec!.groups).toEqual(groupsOf(join(CHART, 'rules/operational-rules.yml')));
    // Dashboards: sidecar label, the committed JSON with its uid.
    for (const cm of objs.filter((o) => o.metadata.name.endsWith('-dashboard'))) {
      expect(cm.metadata.labels!.grafana_dashboard).toBe('1');
      const [file, json] = Object.entries(cm.data!)[0]!;
      expect(json).toBe(readFileSync(join(ROOT, 'dashboards', file), 'utf8').replace(/\n$/, ''));
      expect((JSON.parse(json) as { uid: string }).uid).toBe(file.replace(/\.json$/, ''));
    }
    // The config it mounts validates.
    const config = objs.find((o) => o.metadata.name === 'cqrs-cqrs-slo' && o.kind === 'ConfigMap')!.data!['config.yaml']!;
    const f = join(dir, 'chart-config.yaml');
    writeFileSync(f, config);
    const v = run(process.execPath, [join(ROOT, 'bin/cqrs-slo.js'), 'validate', '--config', f]);
    expect(v.status, v.err).toBe(0);
  });

  test('own SLOs: config and generated rules by --set-file, selector labels, existingSecret mounted', () => {
    const config = join(ROOT, 'deploy/cqrs-slo.yaml');
    const r = template([
      '--set-file',
      `config=${config}`,
      '--set-file',
      `rules.slo=${join(ROOT, 'deploy/rules/slo-rules.yml')}`,
      '--set-file',
      `rules.operational=${join(ROOT, 'deploy/rules/operational-rules.yml')}`,
      '--set',
      'existingSecret=cqrs-slo-secrets',
      '--set',
      'prometheusRule.labels.release=kps',
      '--set',
      'serviceMonitor.labels.release=kps',
    ]);
    expect(r.status, r.err).toBe(0);
    const objs = objects(r.out);
    const slos = objs.find((o) => o.kind === 'PrometheusRule' && o.metadata.name.endsWith('-slos'))!;
    expect(slos.metadata.labels!.release).toBe('kps');
    expect(slos.spec!.groups).toEqual(groupsOf(join(ROOT, 'deploy/rules/slo-rules.yml')));
    expect(objs.find((o) => o.kind === 'ServiceMonitor')!.metadata.labels!.release).toBe('kps');
    const pod = objs.find((o) => o.kind === 'Deployment')!.spec!.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'secrets', secret: { secretName: 'cqrs-slo-secrets' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'secrets', mountPath: '/etc/cqrs-slo/secrets', readOnly: true });
    expect(objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cqrs-cqrs-slo')!.data!['config.yaml']!.trimEnd()).toBe(
      readFileSync(config, 'utf8').trimEnd(),
    );
    if (schemas) {
      const v = validate(r.out);
      expect(v.status, v.out).toBe(0);
      expect(v.out).toContain(`Summary: ${objs.length} resources found in 1 file - Valid: ${objs.length}, Invalid: 0, Errors: 0, Skipped: 0`);
    }
  });

  test('a config whose SLOs the rules do not cover fails the install, saying how to regenerate', () => {
    const r = template(['--set-file', `config=${join(ROOT, 'deploy/cqrs-slo.yaml')}`]);
    expect(r.status).not.toBe(0);
    // The chart's default rules cover 3 of the 6 SLOs of deploy/cqrs-slo.yaml.
    expect(r.err).toContain(
      'rules.slo does not match the SLOs of config (no rules for: customer-stats-freshness, customer-stats-apply-latency, orders-completeness; rules of SLOs not in config: none)',
    );
    const stale = template(['--set-file', `config=${join(ROOT, 'deploy/cqrs-slo.yaml')}`, '--set-file', `rules.slo=${join(ROOT, 'alerts/slo-rules.yml')}`]);
    expect(stale.status).not.toBe(0);
    expect(stale.err).toMatch(/rules of SLOs not in config: [a-z-]+/);
    expect(r.err).toContain('npx cqrs-slo generate alerts --config');
    expect(template(['--set-file', `config=${join(ROOT, 'deploy/cqrs-slo.yaml')}`, '--set', 'rules.checkSlos=false']).status).toBe(0);
  });

  test('every rendered object is valid against the Kubernetes and Prometheus Operator schemas (strict)', () => {
    if (!schemas) return;
    const r = template();
    const n = objects(r.out).length;
    const v = validate(r.out);
    expect(v.status, v.out).toBe(0);
    expect(v.out).toContain(`Summary: ${n} resources found in 1 file - Valid: ${n}, Invalid: 0, Errors: 0, Skipped: 0`);
    // The validation can fail: a misspelt probe field and a bad rule field are rejected.
    const broken = r.out.replace('livenessProbe:', 'livenesProbe:').replace(/(\n\s+)expr:/, '$1exp:');
    const b = validate(broken);
    expect(b.status).not.toBe(0);
    expect(b.out).toContain("additional properties 'livenesProbe' not allowed");
    expect(b.out).toMatch(/PrometheusRule .* is invalid/);
  });
});
