import { describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// These run the built CLI (bin/cqrs-slo.js -> dist/), as a user would: `npm test` builds first.
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });

function tmpConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-slo-cli-'));
  const f = join(dir, 'c.yaml');
  writeFileSync(f, text);
  return f;
}

describe('cqrs-slo CLI', () => {
  test('validate accepts the shipped default config', () => {
    const r = cli('validate', '--config', 'config/default.yaml');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('config/default.yaml: ok');
  });

  test('validate exits 2 naming file and field path', () => {
    const f = tmpConfig('slos: [{name: a, objective: 150, sli: {kind: duplicates, stream: s}}]\n');
    const r = cli('validate', '--config', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}: slos[0].objective: must be between 0 and 100, got 150`);
  });

  test('validate exits 2 when an SLO points at a source that is not configured', () => {
    const f = tmpConfig('slos: [{name: a, objective: 99, sli: {kind: freshness, store: orders, projection: p, threshold: 30s}}]\n');
    const r = cli('validate', '--config', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}: slos[0].sli.store: no store named "orders" in stores`);
  });

  test('validate: a 1h SLO at the default 1m scrape interval is ok, with a note per tier that cannot fit', () => {
    const f = tmpConfig('stores: [{name: s, preset: marten, connection: {host: h}}]\nslos: [{name: hourly, objective: 99, period: 1h, sli: {kind: freshness, store: s, projection: p, threshold: 10s}}]\n');
    const r = cli('validate', '--config', f);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok (');
    expect(r.stderr).toContain('note: slos[0] (hourly): burn tier page_fast is off: its 5s long window (1h scaled to the 1h period) is not longer than 4 scrape intervals (4m)');
  });

  test('validate and generate exit 2 for a burn window under 4 scrape intervals, naming the SLO, the tier and the fix', () => {
    const f = tmpConfig('slos: [{name: fast, objective: 99, period: 1h, alerting: {tiers: {page_fast: {longWindow: 20s, shortWindow: 5s}}}, sli: {kind: ratio, bad: a_total, total: b_total}}]\n');
    const fix = 'set alerting.tiers.page_fast.longWindow to at least 2m';
    const v = cli('validate', '--config', f, '--scrape-interval', '30s');
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('slos[0] (fast): burn tier page_fast: longWindow 20s is under 4 scrape intervals (4 × 30s = 2m)');
    expect(v.stderr).toContain(fix);
    const g = cli('generate', 'alerts', '--config', f, '--out', join(dirname(f), 'out'), '--scrape-interval', '30s', '--runbook-base-url', 'https://r.example', '--grafana-base-url', 'https://g.example');
    expect(g.status).toBe(2);
    expect(g.stderr).toContain(fix);
    // Where Prometheus scrapes every second, the same windows are fine.
    expect(cli('generate', 'alerts', '--config', f, '--out', join(dirname(f), 'out'), '--scrape-interval', '1s', '--runbook-base-url', 'https://r.example', '--grafana-base-url', 'https://g.example').status).toBe(0);
  });

  test('generate exits 2 without absolute link bases, saying what to set', () => {
    const f = tmpConfig('slos: [{name: a, objective: 99, sli: {kind: duplicates, stream: x}}]\n');
    const r = cli('generate', 'alerts', '--config', f, '--out', join(dirname(f), 'out'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('set alerting.runbookBaseUrl in the config or --runbook-base-url');
    expect(r.stderr).toContain('set alerting.grafanaBaseUrl in the config or --grafana-base-url');
  });

  test('run exits 2 on a bad config without starting', () => {
    const r = cli('run', '--config', tmpConfig('server: {port: nope}\n'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('server.port: must be a number');
  });

  test('--help for each command; unknown command exits 2', () => {
    for (const cmd of ['run', 'validate', 'generate']) {
      const r = cli(cmd, '--help');
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: cqrs-slo ${cmd}`);
    }
    expect(cli('frobnicate').status).toBe(2);
  });

  test('run serves /metrics and exits 0 on SIGTERM', async () => {
    const f = tmpConfig('server: {port: 0}\ntelemetry: {logLevel: info}\n');
    const child = spawn(process.execPath, [BIN, 'run', '--config', f], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no start: ${out}`)), 15_000);
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1]!);
        }
      });
    });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('cqrs_build_info');
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(out).toContain('cqrs-slo stopped');
  }, 30_000);
});
