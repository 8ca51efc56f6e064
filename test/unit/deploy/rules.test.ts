import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, readCompose, toRepoPath } from '../../helpers/compose.js';

// The rules and alertmanager.yml the compose stack mounts are exactly what `cqrs-slo generate`
// makes from the config the stack mounts, with the flags `npm run generate` uses.
const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.generate!;
const deployStep = script
  .split('&&')
  .map((s) => s.trim())
  .find((s) => s.includes('--config deploy/cqrs-slo.yaml'));

describe.runIf(existsSync(join(ROOT, 'dist/cli.js')))('deploy/rules', () => {
  test('npm run generate writes deploy/rules from deploy/cqrs-slo.yaml', () => {
    expect(deployStep).toMatch(/^node bin\/cqrs-slo\.js generate all --config deploy\/cqrs-slo\.yaml --out deploy\/rules /);
  });

  test('equal what generate makes from the mounted config (regenerated in a temp dir)', () => {
    const compose = readCompose();
    const rulesDir = toRepoPath(compose, 'prometheus', '/etc/prometheus/rules')!;
    const amFile = toRepoPath(compose, 'alertmanager', '/etc/alertmanager/alertmanager.yml')!;
    const config = toRepoPath(compose, 'cqrs-slo', '/etc/cqrs-slo/config.yaml')!;
    expect(rulesDir).toBe(join(ROOT, 'deploy/rules'));
    const out = mkdtempSync(join(tmpdir(), 'cqrs-deploy-rules-'));
    const args = deployStep!
      .split(/\s+/)
      .slice(2)
      .map((a) => (a === 'deploy/rules' ? out : a === 'deploy/cqrs-slo.yaml' ? config : a));
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/cqrs-slo.js'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    const made = readdirSync(out).sort();
    expect(made).toEqual(readdirSync(rulesDir).sort());
    expect(made).toEqual(['alertmanager.yml', 'dashboards', 'operational-rules.yml', 'slo-rules.yml']);
    for (const f of readdirSync(join(out, 'dashboards'))) {
      expect(readFileSync(join(rulesDir, 'dashboards', f), 'utf8'), `deploy/rules/dashboards/${f}: run npm run generate`).toBe(
        readFileSync(join(out, 'dashboards', f), 'utf8'),
      );
    }
    for (const f of made.filter((f) => f !== 'dashboards'))
      expect(readFileSync(join(rulesDir, f), 'utf8'), `deploy/rules/${f}: run npm run generate`).toBe(readFileSync(join(out, f), 'utf8'));
    expect(readFileSync(amFile, 'utf8')).toBe(readFileSync(join(out, 'alertmanager.yml'), 'utf8'));
    // Every SLO of the config has its recording rules in the mounted file.
    const text = readFileSync(join(rulesDir, 'slo-rules.yml'), 'utf8');
    for (const slo of [
      'order-view-freshness',
      'customer-stats-freshness',
      'customer-stats-apply-latency',
      'orders-no-duplicates',
      'orders-completeness',
      'orders-delivery',
    ]) {
      expect(text, slo).toContain(`slo: ${slo}`);
    }
  });
});
