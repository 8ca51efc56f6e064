import { afterAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { eventually, freePort, tool } from '../../env/prometheus.js';
import { mapContainerPaths, readCompose, toRepoPath } from '../../helpers/compose.js';
import { requireTools } from '../alerting/tools.js';

/**
 * The real Prometheus started with the compose stack's prometheus.yml (container paths mapped
 * to the repo, as the compose file mounts them) loads every generated rule.
 */
const tools = requireTools();
const compose = readCompose();

function rulesIn(file: string): number {
  const doc = parse(readFileSync(file, 'utf8')) as { groups: { rules: unknown[] }[] };
  return doc.groups.reduce((n, g) => n + g.rules.length, 0);
}

describe.runIf(tools)('compose prometheus.yml on the real Prometheus', () => {
  let child: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-deploy-prom-'));
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('loads the rules generated from deploy/cqrs-slo.yaml (counted through /api/v1/rules)', async () => {
    const config = toRepoPath(compose, 'prometheus', '/etc/prometheus/prometheus.yml')!;
    const mapped = join(dir, 'prometheus.yml');
    writeFileSync(mapped, mapContainerPaths(compose, 'prometheus', readFileSync(config, 'utf8')));
    const ruleFiles = (parse(readFileSync(config, 'utf8')) as { rule_files: string[] }).rule_files.map((f) => toRepoPath(compose, 'prometheus', f)!);
    const expected = ruleFiles.reduce((n, f) => n + rulesIn(f), 0);
    expect(expected).toBeGreaterThan(100);

    const port = await freePort();
    let log = '';
    child = spawn(
      tool('prometheus'),
      [`--config.file=${mapped}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (log += b.toString()));
    const body = await eventually(
      async () => {
        if (child!.exitCode !== null) throw new Error(`prometheus exited: ${log.slice(-1000)}`);
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/rules`);
        return res.ok ? ((await res.json()) as { data: { groups: { file: string; rules: { type: string }[] }[] } }) : undefined;
      },
      30_000,
      'Prometheus rules API',
    );
    const loaded = body.data.groups.reduce((n, g) => n + g.rules.length, 0);
    expect(loaded, log).toBe(expected);
    expect(new Set(body.data.groups.map((g) => g.file))).toEqual(new Set(ruleFiles));
    const types = body.data.groups.flatMap((g) => g.rules.map((r) => r.type));
    expect(types).toContain('recording');
    expect(types).toContain('alerting');
  });
});
