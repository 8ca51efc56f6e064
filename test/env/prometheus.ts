import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { freePort } from './ports.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpOk, waitUntil } from './wait.js';

export { freePort } from './ports.js';

/**
 * Prometheus, Alertmanager, promtool and amtool from Debian's packages (`prometheus`,
 * `prometheus-alertmanager`), started on free loopback ports in temp directories.
 * When a binary is missing and we run as root (CI images), the package is installed with apt-get.
 */

const PACKAGES: Record<string, { pkg: string; names: string[] }> = {
  prometheus: { pkg: 'prometheus', names: ['prometheus'] },
  promtool: { pkg: 'prometheus', names: ['promtool'] },
  alertmanager: { pkg: 'prometheus-alertmanager', names: ['prometheus-alertmanager', 'alertmanager'] },
  amtool: { pkg: 'prometheus-alertmanager', names: ['amtool'] },
};

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

/** Path of a tool, installing its Debian package when missing and root. Throws with the fix otherwise. */
export function tool(kind: keyof typeof PACKAGES): string {
  const spec = PACKAGES[kind]!;
  const find = () => spec.names.map(which).find((p) => p !== undefined);
  let path = find();
  if (!path && isRoot()) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
    const r = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', spec.pkg], { encoding: 'utf8', env });
    if (r.status !== 0) throw new Error(`apt-get install ${spec.pkg} failed: ${(r.stderr || '').slice(-500)}`);
    path = find();
  }
  if (!path) throw new Error(`${kind} not found: install the Debian package "${spec.pkg}"`);
  return path;
}

/** Whether every tool is available (or installable); the reason otherwise. */
export function toolsAvailable(
  kinds: (keyof typeof PACKAGES)[] = ['prometheus', 'promtool', 'alertmanager', 'amtool'],
): { ok: true } | { ok: false; reason: string } {
  try {
    for (const k of kinds) tool(k);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

/** Output of a CLI run. */
export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(bin: string, args: string[], cwd?: string): RunResult {
  const r = spawnSync(bin, args, { encoding: 'utf8', cwd, timeout: 300_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** `promtool check rules FILE...` */
export const promtoolCheckRules = (files: string[]): RunResult => run(tool('promtool'), ['check', 'rules', ...files]);
/** `promtool test rules FILE...` (rule_files are resolved relative to each test file). */
export const promtoolTestRules = (files: string[]): RunResult => run(tool('promtool'), ['test', 'rules', ...files]);
/** `promtool check config FILE` */
export const promtoolCheckConfig = (file: string): RunResult => run(tool('promtool'), ['check', 'config', file]);
/** `amtool check-config FILE` */
export const amtoolCheckConfig = (file: string): RunResult => run(tool('amtool'), ['check-config', file]);
/** `amtool config routes test --config.file=FILE label=value...`: prints the receivers. */
export const amtoolRoutesTest = (file: string, labels: Record<string, string>): RunResult =>
  run(tool('amtool'), ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);

async function waitReady(url: string, child: ChildProcess, log: () => string, timeoutMs: number): Promise<void> {
  await waitUntil(url, () => httpOk(url), {
    timeoutMs,
    everyMs: 200,
    stopIf: () => child.exitCode !== null && `exited with ${child.exitCode}`,
    detail: () => log().slice(-2000),
  });
}

async function stopChild(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** A running server with its base URL. */
export interface ServerHandle {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** Everything the process wrote to stdout/stderr so far. */
  log(): string;
  /** Stop (SIGTERM, then SIGKILL) and remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

function spawnLogged(bin: string, args: string[]): { child: ChildProcess; log: () => string } {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, log: () => out };
}

export interface StartPrometheusOptions {
  /** Targets to scrape, `host:port` (job `cqrs-slo`, path /metrics). */
  scrapeTargets?: string[];
  scrapeInterval?: string;
  evaluationInterval?: string;
  /** Rule file contents by file name; written next to prometheus.yml. */
  ruleFiles?: Record<string, string>;
  /** Alertmanager base URLs (`http://127.0.0.1:port`). */
  alertmanagers?: string[];
  readyTimeoutMs?: number;
  /**
   * Past samples, as OpenMetrics text (ending in `# EOF`), written into the TSDB with
   * `promtool tsdb create-blocks-from openmetrics` before Prometheus starts. Retention is then
   * 90 days, so that a backfilled 28-day period is kept.
   */
  backfill?: string;
}

/** Starts Prometheus with a generated prometheus.yml on a free loopback port. */
export async function startPrometheus(opts: StartPrometheusOptions = {}): Promise<ServerHandle> {
  const bin = tool('prometheus');
  const dir = await mkdtemp(join(tmpdir(), 'cqrs-prom-'));
  const port = await freePort();
  const ruleNames = Object.keys(opts.ruleFiles ?? {});
  for (const [name, text] of Object.entries(opts.ruleFiles ?? {})) await writeFile(join(dir, name), text);
  const am = (opts.alertmanagers ?? []).map((u) => new URL(u).host);
  const config = {
    global: { scrape_interval: opts.scrapeInterval ?? '1s', evaluation_interval: opts.evaluationInterval ?? '1s' },
    rule_files: ruleNames,
    scrape_configs: [{ job_name: 'cqrs-slo', static_configs: [{ targets: opts.scrapeTargets ?? [] }] }],
    ...(am.length > 0 ? { alerting: { alertmanagers: [{ static_configs: [{ targets: am }] }] } } : {}),
  };
  await writeFile(join(dir, 'prometheus.yml'), JSON.stringify(config, null, 2));
  if (opts.backfill !== undefined) {
    await writeFile(join(dir, 'backfill.om'), opts.backfill);
    const r = run(tool('promtool'), ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', join(dir, 'backfill.om'), join(dir, 'data')]);
    if (r.status !== 0) {
      await rm(dir, { recursive: true, force: true });
      throw new Error(`promtool tsdb create-blocks-from openmetrics failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
    }
  }
  const { child, log } = spawnLogged(bin, [
    ...(opts.backfill !== undefined ? ['--storage.tsdb.retention.time=90d'] : []),
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-lifecycle',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopChild(child).then(() => rm(dir, { recursive: true, force: true })));
  try {
    await waitReady(`${url}/-/ready`, child, log, opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw new Error(`Prometheus ${(err as Error).message}`, { cause: err });
  }
  return { url, port, dir, log, stop };
}

/** Starts Alertmanager with the given alertmanager.yml text on free loopback ports (no clustering). */
export async function startAlertmanager(configText: string, opts: { readyTimeoutMs?: number } = {}): Promise<ServerHandle> {
  const bin = tool('alertmanager');
  const dir = await mkdtemp(join(tmpdir(), 'cqrs-am-'));
  const port = await freePort();
  await writeFile(join(dir, 'alertmanager.yml'), configText);
  const { child, log } = spawnLogged(bin, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
  const url = `http://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopChild(child).then(() => rm(dir, { recursive: true, force: true })));
  try {
    await waitReady(`${url}/-/ready`, child, log, opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw new Error(`Alertmanager ${(err as Error).message}`, { cause: err });
  }
  return { url, port, dir, log, stop };
}

/** Instant query through the Prometheus HTTP API. */
export async function promQuery(prometheusUrl: string, query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.json()) as { status: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] }; error?: string };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${body.error ?? res.status}`);
  return body.data!.result;
}

/** Polls `check` until it returns a value (not undefined) or the time runs out. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string, everyMs = 500): Promise<T> {
  // Boxed: a check may settle on `false`, which waitUntil would take for "not yet".
  const box = await waitUntil(
    what,
    async () => {
      const v = await check();
      return v === undefined ? undefined : { v };
    },
    { timeoutMs, everyMs },
  );
  return box.v;
}
