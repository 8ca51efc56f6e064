import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built CLI (bin/cqrs-slo.js -> dist/), as a user runs it: `npm test` builds first.
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;
const ROOT = new URL('../../../', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000, cwd: ROOT });
const tmp = () => mkdtempSync(join(tmpdir(), 'cqrs-slo-dash-'));
const FILES = ['cqrs-slo-debug.json', 'cqrs-slo-executive.json', 'cqrs-slo-oncall.json'];

// Each test spawns the CLI once or twice (about 1-2 s each on an idle machine, more under load).
describe('cqrs-slo generate dashboards', { timeout: 60_000 }, () => {
  test('writes the three dashboards of the config; the committed ones are config/example.yaml in prometheus format', () => {
    const out = tmp();
    const r = cli('generate', 'dashboards', '--config', 'config/example.yaml', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(FILES);
    for (const f of FILES) expect(readFileSync(join(out, f), 'utf8')).toBe(readFileSync(join(ROOT, 'dashboards', f), 'utf8'));
  });

  test('--format sloth: the SLO panels read Sloth recording names', () => {
    const out = tmp();
    expect(cli('generate', 'dashboards', '--config', 'config/example.yaml', '--out', out, '--format', 'sloth').status).toBe(0);
    const text = readFileSync(join(out, 'cqrs-slo-oncall.json'), 'utf8');
    expect(text).toContain('slo:period_error_budget_remaining:ratio');
    expect(text).not.toContain('cqrs_slo:');
  });

  test('generate all writes the dashboards under <out>/dashboards, or --dashboards-out', () => {
    const out = tmp();
    expect(cli('generate', 'all', '--config', 'config/example.yaml', '--out', out).status).toBe(0);
    expect(readdirSync(join(out, 'dashboards')).sort()).toEqual(FILES);
    expect(existsSync(join(out, 'slo-rules.yml'))).toBe(true);
    const out2 = tmp();
    const dash = tmp();
    expect(cli('generate', 'all', '--config', 'config/example.yaml', '--out', out2, '--dashboards-out', dash).status).toBe(0);
    expect(readdirSync(dash).sort()).toEqual(FILES);
    expect(existsSync(join(out2, 'dashboards'))).toBe(false);
  });

  test('a bad config exits 2 naming the field path', () => {
    const dir = tmp();
    const f = join(dir, 'c.yaml');
    writeFileSync(f, 'clusters: [{ name: main, brokers: ["k:9092"], granularity: partitions }]\n');
    const r = cli('generate', 'dashboards', '--config', f, '--out', dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('clusters[0].granularity');
  });
});
