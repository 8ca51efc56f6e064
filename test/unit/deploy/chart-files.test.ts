import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../helpers/compose.js';

// The Helm chart's generated files (scripts/generate-chart.mjs, part of `npm run generate`):
// its dashboards are the committed dashboards, its rules what `generate alerts` makes from its
// default `config` value. Helm itself runs in test/integration/deploy/helm.test.ts.
const CHART = join(ROOT, 'deploy/helm/cqrs-slo');

describe('Helm chart generated files', () => {
  test('dashboards/ equals the committed dashboards/*.json (uids kept)', () => {
    const files = readdirSync(join(ROOT, 'dashboards'))
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(readdirSync(join(CHART, 'dashboards')).sort()).toEqual(files);
    for (const f of files) {
      const text = readFileSync(join(CHART, 'dashboards', f), 'utf8');
      expect(text, `${f}: run npm run generate`).toBe(readFileSync(join(ROOT, 'dashboards', f), 'utf8'));
      expect((JSON.parse(text) as { uid: string }).uid).toBe(f.replace(/\.json$/, ''));
    }
  });

  test.runIf(existsSync(join(ROOT, 'dist/cli.js')))('rules/ equals generate alerts on the default config value, which validates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cqrs-chart-files-'));
    const config = join(dir, 'config.yaml');
    writeFileSync(config, (parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as { config: string }).config);
    const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/cqrs-slo.js'), ...args], { encoding: 'utf8', timeout: 30_000 });
    const v = cli('validate', '--config', config);
    expect(v.status, v.stderr).toBe(0);
    const g = cli('generate', 'alerts', '--config', config, '--out', join(dir, 'rules'));
    expect(g.status, g.stderr).toBe(0);
    expect(readdirSync(join(CHART, 'rules')).sort()).toEqual(['operational-rules.yml', 'slo-rules.yml']);
    for (const f of ['slo-rules.yml', 'operational-rules.yml'])
      expect(readFileSync(join(CHART, 'rules', f), 'utf8'), `${f}: run npm run generate`).toBe(readFileSync(join(dir, 'rules', f), 'utf8'));
    const p = spawnSync('promtool', ['check', 'rules', join(CHART, 'rules/slo-rules.yml'), join(CHART, 'rules/operational-rules.yml')], { encoding: 'utf8' });
    if (p.error) throw new Error(`promtool could not run (${p.error.message}): run scripts/ensure-test-deps.sh, which installs it`);
    expect(p.status, p.stdout + p.stderr).toBe(0);
  });
});
