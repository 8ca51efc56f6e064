import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { exec, freshDatabase } from '../sql/helpers.js';
import { readReport, runCli } from './cli-run.js';
import { APP_SCHEMA, appConfig, CHECKSUM_SQL, PgApp } from './pg-app.js';

const env = inject('postgres');
const ENV_REF = `CQRS_TEST_VERIFY_PG_${process.pid}`;

describe.skipIf(!!env.unavailable)('cqrs-slo verify on PostgreSQL (built CLI)', () => {
  let dir: string;
  let configFile: string;
  let url: string;
  let app: PgApp | undefined;
  const cliEnv = () => ({ [ENV_REF]: url });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cqrs-verify-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  /** A fresh database with the application, its first events applied, and the config file. */
  async function start(name: string): Promise<{ app: PgApp; base: string; reports: string }> {
    url = await freshDatabase(env.connectionString);
    await exec(url, APP_SCHEMA);
    configFile = join(dir, `${name}.yaml`);
    writeFileSync(configFile, appConfig(ENV_REF));
    app = new PgApp(url);
    await app.write(5);
    await app.step();
    return { app, base: '', reports: join(dir, name) };
  }

  const drainArgs = (reports: string, base: string, extra: string[]) => [
    'verify',
    'drain',
    '--config',
    configFile,
    '--store',
    'app',
    '--projection',
    'orders',
    '--stream',
    'events',
    '--interval',
    '500ms',
    '--pause-url',
    `${base}/pause`,
    '--resume-url',
    `${base}/resume`,
    '--report-dir',
    reports,
    '--settle',
    '3s',
    ...extra,
  ];

  it('drain passes: paused 3 s, the backlog drains well within the 10 s limit, nothing lost or duplicated', async () => {
    const { app: a, reports } = await start('pass');
    const base = await a.serve();
    a.startProjector();
    a.startWriter(2); // 20 events/s; the projector applies up to 2 000/s
    const r = await runCli(drainArgs(reports, base, ['--pause', '3s', '--limit', '10s']), cliEnv());
    expect(r.stderr).toMatch(/\[pause +00:0\d\/00:03\] backlog \d+/);
    expect(r.stderr).toMatch(/\[drain +00:0\d\/00:10\] backlog \d+/);
    expect(r.stdout).toContain('PASS: verify drain');
    expect(r.code, r.stderr).toBe(0);
    expect(a.calls).toEqual(['POST /pause', 'POST /resume']);
    const { json, md } = readReport(reports, 'drain');
    expect(json.verdict).toBe('pass');
    expect(json.reasons).toEqual([]);
    // 3 s at 20 events/s: the backlog peaked near 60 (the first reading of the pause is at 0.5 s)
    expect(json.fields['peak backlog']).toBeGreaterThanOrEqual(40);
    expect(json.fields['drain time (s)']).toBeLessThanOrEqual(10);
    expect(json.fields['lost events']).toBe(0);
    expect(json.fields['duplicated events']).toBe(0);
    expect(json.fields['events observed on the stream']).toBeGreaterThanOrEqual(60);
    expect(md).toContain('# cqrs-slo verify drain: PASS');
    // the connection string (with its password) is never printed or reported
    const password = new URL(url).password;
    for (const text of [r.stdout, r.stderr, JSON.stringify(json), md]) expect(text).not.toContain(password);
  });

  it('drain fails when the backlog does not drain within the limit (projector slower than the writer)', async () => {
    const { app: a, reports } = await start('slow');
    const base = await a.serve();
    a.batch = 1; // 10 events/s against 20 written
    a.startProjector();
    a.startWriter(2);
    const r = await runCli(drainArgs(reports, base, ['--pause', '2s', '--limit', '3s']), cliEnv());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('FAIL: verify drain');
    expect(r.stderr).toMatch(/ETA unknown|growing/);
    const { json } = readReport(reports, 'drain');
    expect(json.verdict).toBe('fail');
    expect(json.reasons).toEqual(['backlog not drained within 3 s of the resume']);
    expect(json.fields['drain time (s)']).toBeNull();
    expect(a.calls).toEqual(['POST /pause', 'POST /resume']);
  });

  it('drain fails with injected lost and duplicated events counted exactly (3 lost, 2 duplicated)', async () => {
    const { app: a, reports } = await start('inject');
    const base = await a.serve(async () => {
      // While paused: two events written after the tail started, then their ids written again
      // (2 duplicates); a0 then skips 3 versions (3 lost).
      await a.write(2);
      await a.duplicateLast(2);
      a.skipVersions(3);
    });
    a.startProjector();
    a.startWriter(2);
    const r = await runCli(drainArgs(reports, base, ['--pause', '2s', '--limit', '10s']), cliEnv());
    expect(r.code, r.stderr).toBe(1);
    const { json, md } = readReport(reports, 'drain');
    expect(json.reasons).toEqual(['3 lost events (missing aggregate versions)', '2 duplicated events']);
    expect(json.fields['lost events']).toBe(3);
    expect(json.fields['duplicated events']).toBe(2);
    expect(json.fields['drain time (s)']).toBeLessThanOrEqual(10);
    expect(md).toContain('- 3 lost events (missing aggregate versions)');
  });

  /** `verify rebuild` of the orders projection, started through the app's /rebuild endpoint, within 20 s. */
  const verifyRebuild = (base: string, reports: string) =>
    runCli(
      [
        'verify',
        'rebuild',
        '--config',
        configFile,
        '--store',
        'app',
        '--projection',
        'orders',
        '--checksum-sql',
        CHECKSUM_SQL,
        '--window',
        '20s',
        '--interval',
        '200ms',
        '--start-url',
        `${base}/rebuild`,
        '--report-dir',
        reports,
      ],
      cliEnv(),
    );

  it('rebuild passes: the read model after a full replay has the same checksum', async () => {
    const { app: a, reports } = await start('rebuild-pass');
    for (let i = 0; i < 50; i++) await a.write(4);
    const base = await a.serve();
    a.batch = 20; // 200 events/s: the 205 events replay in about a second
    a.startProjector();
    await a.caughtUp();
    const r = await verifyRebuild(base, reports);
    expect(r.stderr).toMatch(/\[rebuild 00:0\d\/00:20\] checkpoint \d+ of 205/);
    expect(r.code, r.stderr).toBe(0);
    const { json } = readReport(reports, 'rebuild');
    expect(json.verdict).toBe('pass');
    expect(json.fields['head before (target)']).toBe(205);
    expect(json.fields['checksum before']).toMatch(/^[0-9a-f]{32}$/);
    expect(json.fields['checksum after']).toBe(json.fields['checksum before']);
    expect(json.fields['rebuild time (s)']).toBeGreaterThan(0);
    expect(json.fields['rebuild time (s)']).toBeLessThanOrEqual(20);
    expect(a.calls).toEqual(['POST /rebuild']);
  });

  it('rebuild fails when the replayed read model differs (a replay that skips events)', async () => {
    const { app: a, reports } = await start('rebuild-fail');
    for (let i = 0; i < 50; i++) await a.write(4);
    const base = await a.serve();
    a.batch = 20;
    a.startProjector();
    await a.caughtUp();
    a.buggyRebuild = true;
    const r = await verifyRebuild(base, reports);
    expect(r.code, r.stderr).toBe(1);
    const { json } = readReport(reports, 'rebuild');
    expect(json.verdict).toBe('fail');
    expect(json.reasons).toHaveLength(1);
    expect(json.reasons[0]).toMatch(/^read model changed: checksum [0-9a-f]{32} before, [0-9a-f]{32} after$/);
    expect(json.fields['checksum after']).not.toBe(json.fields['checksum before']);
  });

  it('an unreadable projection fails before anything is paused; an interrupt during the pause resumes the consumer', async () => {
    const { app: a, reports } = await start('unreadable');
    const base = await a.serve();
    const args = (projection: string) => [
      'verify',
      'drain',
      '--config',
      configFile,
      '--store',
      'app',
      '--projection',
      projection,
      '--pause',
      '20s',
      '--limit',
      '5s',
      '--interval',
      '500ms',
      '--pause-url',
      `${base}/pause`,
      '--resume-url',
      `${base}/resume`,
      '--report-dir',
      reports,
    ];
    const r = await runCli(args('nope'), cliEnv());
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain('backlog unreadable: store "app" reports no projection "nope"');
    expect(readReport(reports, 'drain').json.reasons).toEqual(['backlog unreadable before the pause']);
    expect(a.calls).toEqual([]);

    const t0 = Date.now();
    const i = await runCli(args('orders'), cliEnv(), (child) => {
      const poll = setInterval(() => {
        if (a.calls.length > 0) {
          clearInterval(poll);
          child.kill('SIGINT');
        }
      }, 50);
    });
    expect(i.code).toBe(130);
    expect(a.calls).toEqual(['POST /pause', 'POST /resume']);
    expect(a.paused).toBe(false);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });

  it('bad usage exits 2 naming the flag or field; nothing is paused', async () => {
    const { app: a, reports } = await start('usage');
    const base = await a.serve();
    const cases: [string[], RegExp][] = [
      [['--store', 'nope', '--projection', 'orders'], /--store: no stores\[\]\.name "nope" in the config \(stores: "app"\)/],
      [['--store', 'app', '--projection', 'orders', '--stream', 'nope'], /--stream: no streams\[\]\.name "nope"/],
      [['--store', 'app', '--projection', 'orders', '--pause', 'ten'], /--pause must be a duration/],
      [['--store', 'app', '--projection', 'orders', '--pause-url', `${base}/pause`], /give both a pause and a resume hook, or neither/],
      [['--cluster', 'c'], /--cluster and --group go together/],
    ];
    for (const [args, msg] of cases) {
      const r = await runCli(['verify', 'drain', '--config', configFile, '--report-dir', reports, ...args], cliEnv());
      expect(r.stderr).toMatch(msg);
      expect(r.code).toBe(2);
    }
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `stores:\n  - name: app\n    preset: nope\n    connection: { host: localhost }\n`);
    const r = await runCli(['verify', 'drain', '--config', bad, '--store', 'app', '--projection', 'orders'], cliEnv());
    expect(r.stderr).toMatch(/stores\[0\]\.preset/);
    expect(r.code).toBe(2);
    expect(a.calls).toEqual([]);
  });
});
