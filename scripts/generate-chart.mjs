// Writes the Helm chart's generated files (deploy/helm/cqrs-slo): the dashboards (copies of
// dashboards/*.json, for the Grafana sidecar ConfigMaps) and rules/ (`cqrs-slo generate alerts`
// on the chart's default `config` value). Run after `npm run build` (part of `npm run generate`).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = new URL('../', import.meta.url).pathname;
const chart = join(root, 'deploy/helm/cqrs-slo');

mkdirSync(join(chart, 'dashboards'), { recursive: true });
for (const f of readdirSync(join(chart, 'dashboards'))) rmSync(join(chart, 'dashboards', f));
for (const f of readdirSync(join(root, 'dashboards')).filter((f) => f.endsWith('.json')))
  copyFileSync(join(root, 'dashboards', f), join(chart, 'dashboards', f));

const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'cqrs-chart-'));
const config = join(dir, 'cqrs-slo.yaml');
writeFileSync(config, values.config);
const r = spawnSync(process.execPath, [join(root, 'bin/cqrs-slo.js'), 'generate', 'alerts', '--config', config, '--out', join(chart, 'rules')], {
  encoding: 'utf8',
});
rmSync(dir, { recursive: true, force: true });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status ?? 1);
}
console.log('wrote deploy/helm/cqrs-slo/dashboards/*.json, deploy/helm/cqrs-slo/rules/*.yml');
