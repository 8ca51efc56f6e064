import { describe, expect, test } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { watchService } from '../../helpers/service-output.js';

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
    const f = tmpConfig(
      'stores: [{name: s, preset: marten, connection: {host: h}}]\nslos: [{name: hourly, objective: 99, period: 1h, sli: {kind: freshness, store: s, projection: p, threshold: 10s}}]\n',
    );
    const r = cli('validate', '--config', f);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(': ok (');
    expect(r.stderr).toContain(
      'note: slos[0] (hourly): burn tier page_fast is off: its 5s long window (1h scaled to the 1h period) is not longer than 4 scrape intervals (4m)',
    );
  });

  test('validate and generate exit 2 for a burn window under 4 scrape intervals, naming the SLO, the tier and the fix', () => {
    const f = tmpConfig(
      'stores: [{name: s, preset: marten, connection: {host: h}}]\nslos: [{name: fast, objective: 99, period: 1h, alerting: {tiers: {page_fast: {longWindow: 20s, shortWindow: 5s}}}, sli: {kind: ratio, bad: a_total, total: b_total}}]\n',
    );
    const fix = 'set alerting.tiers.page_fast.longWindow to at least 2m';
    const v = cli('validate', '--config', f, '--scrape-interval', '30s');
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('slos[0] (fast): burn tier page_fast: longWindow 20s is under 4 scrape intervals (4 × 30s = 2m)');
    expect(v.stderr).toContain(fix);
    const g = cli(
      'generate',
      'alerts',
      '--config',
      f,
      '--out',
      join(dirname(f), 'out'),
      '--scrape-interval',
      '30s',
      '--runbook-base-url',
      'https://r.example',
      '--grafana-base-url',
      'https://g.example',
    );
    expect(g.status).toBe(2);
    expect(g.stderr).toContain(fix);
    // Where Prometheus scrapes every second, the same windows are fine.
    expect(
      cli(
        'generate',
        'alerts',
        '--config',
        f,
        '--out',
        join(dirname(f), 'out'),
        '--scrape-interval',
        '1s',
        '--runbook-base-url',
        'https://r.example',
        '--grafana-base-url',
        'https://g.example',
      ).status,
    ).toBe(0);
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

  test('run and validate exit 2 on a config with nothing to watch', () => {
    for (const cmd of ['run', 'validate']) {
      const f = tmpConfig('server: {port: 0}\n');
      const r = cli(cmd, '--config', f);
      expect(r.status, cmd).toBe(2);
      expect(r.stderr).toContain(`${f}: nothing to watch: configure clusters, stores, streams, dlqs, rabbitmq or probes`);
    }
  });

  test('run -p abc exits 2 with a clear message', () => {
    const r = cli('run', '--config', 'config/default.yaml', '-p', 'abc');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("option '-p, --port <port>' argument 'abc' is invalid. must be a port number 0-65535.");
  });

  test('an alias bomb and a FIFO exit 2 naming the file', () => {
    const bomb = tmpConfig(
      [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
        'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
        'd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
      ].join('\n'),
    );
    const r = cli('validate', '--config', bomb);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bomb}: invalid YAML: Excessive alias count`);
    const fifo = join(mkdtempSync(join(tmpdir(), 'cqrs-slo-cli-')), 'fifo');
    spawnSync('mkfifo', [fifo]);
    const f = cli('validate', '--config', fifo);
    expect(f.status).toBe(2);
    expect(f.stderr).toContain(`${fifo}: cannot read file (it is a FIFO, not a regular file)`);
  });

  test('--help for each command; unknown command exits 2', () => {
    for (const cmd of ['run', 'validate', 'generate']) {
      const r = cli(cmd, '--help');
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: cqrs-slo ${cmd}`);
    }
    expect(cli('frobnicate').status).toBe(2);
  }, 30_000);

  test('run serves /metrics and exits 0 on SIGTERM', async () => {
    // A store nobody listens on: the monitor runs (its source is down) and serves /metrics.
    const f = tmpConfig('server: {port: 0}\ntelemetry: {logLevel: info}\nstores: [{name: s, preset: marten, connection: {host: 127.0.0.1, port: 1}}]\n');
    const child = spawn(process.execPath, [BIN, 'run', '--config', f], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = watchService(child, 15_000);
    const url = await output.url;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('cqrs_build_info');
    const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(output.text()).toContain('cqrs-slo stopped');
  }, 30_000);
});
