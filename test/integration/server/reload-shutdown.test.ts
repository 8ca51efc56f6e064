import { afterAll, describe, expect, test } from 'vitest';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The built CLI (`npm run build` first) as a real child process: SIGHUP reloads the
// configuration (valid, then invalid), and SIGTERM during a connect that never completes
// exits 0 within server.shutdownTimeout.
const BIN = new URL('../../../bin/cqrs-slo.js', import.meta.url).pathname;

/** A TCP server that accepts connections and never answers: a database that hangs in connect. */
async function hangingServer(): Promise<{ port: number; sockets: Set<Socket>; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, sockets, server };
}

function config(hungPort: number, extra = ''): string {
  return `server: {port: 0, shutdownTimeout: 3s}
telemetry: {logLevel: info}
stores:
  - {name: hung, preset: marten, connection: {host: 127.0.0.1, port: ${hungPort}, user: u, database: d}, statementTimeout: 60s, timeout: 60s, interval: 1s}
  - {name: refused, preset: marten, connection: {host: 127.0.0.1, port: 1, user: u, database: d}, interval: 1s}
${extra}`;
}

class Child {
  out = '';
  readonly exited: Promise<{ code: number | null; at: number }>;
  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on('data', (c: Buffer) => (this.out += c.toString()));
    proc.stderr.on('data', (c: Buffer) => (this.out += c.toString()));
    this.exited = new Promise((r) => proc.on('exit', (code) => r({ code, at: Date.now() })));
  }
  /** Resolves with the first log line (JSON) whose msg is `msg`, after `from` characters of output. */
  async line(msg: string, from = 0, timeoutMs = 20_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const l of this.out.slice(from).split('\n')) {
        if (!l.includes(`"msg":"${msg}"`)) continue;
        return JSON.parse(l) as Record<string, unknown>;
      }
      if (Date.now() > deadline) throw new Error(`no "${msg}" in:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

const metricValue = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

/** /metrics once `series` has `value` (the exposition is shared for up to 1 s after a change). */
async function metricsWith(url: string, series: string, value: number): Promise<string> {
  for (let i = 0; ; i++) {
    const text = await (await fetch(`${url}/metrics`)).text();
    if (metricValue(text, series) === value || i > 50) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
}

let child: Child | undefined;
let hang: Awaited<ReturnType<typeof hangingServer>> | undefined;
afterAll(async () => {
  if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
  for (const s of hang?.sockets ?? []) s.destroy();
  hang?.server.close();
});

describe('cqrs-slo run: SIGHUP reload and SIGTERM shutdown', () => {
  test('valid reload keeps unchanged sources, invalid reload keeps the running config, SIGTERM in a hung connect exits 0 within shutdownTimeout', async () => {
    hang = await hangingServer();
    const dir = mkdtempSync(join(tmpdir(), 'cqrs-slo-reload-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, config(hang.port));
    child = new Child(spawn(process.execPath, [BIN, 'run', '--config', file], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const started = await child.line('cqrs-slo started');
    const url = started.url as string;

    // The hung store's first cycle is now waiting in connect on the hanging server.
    for (let i = 0; i < 100 && hang.sockets.size === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(hang.sockets.size).toBeGreaterThan(0);
    let metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metricValue(metrics, 'cqrs_config_last_reload_successful')).toBe(1);
    const startTime = metricValue(metrics, 'cqrs_config_last_reload_success_timestamp_seconds')!;
    expect(startTime).toBeGreaterThan(Date.now() / 1000 - 60);
    const cyclesBefore = ((await (await fetch(`${url}/api/status`)).json()) as { sources: { name: string; cycles: number }[] }).sources.find(
      (s) => s.name === 'store:refused',
    )!.cycles;

    // A valid change: one store added, the two others unchanged and kept.
    writeFileSync(file, config(hang.port, '  - {name: added, preset: marten, connection: {host: 127.0.0.1, port: 2, user: u, database: d}, interval: 1s}\n'));
    let mark = child.out.length;
    child.proc.kill('SIGHUP');
    const reloaded = await child.line('configuration reloaded', mark);
    expect(reloaded).toMatchObject({ added: ['store:added'], removed: [], kept: 2 });
    metrics = await metricsWith(url, 'cqrs_config_reloads_total{result="success"}', 1);
    expect(metricValue(metrics, 'cqrs_config_last_reload_successful')).toBe(1);
    expect(metricValue(metrics, 'cqrs_config_reloads_total{result="success"}')).toBe(1);
    expect(metricValue(metrics, 'cqrs_config_last_reload_success_timestamp_seconds')).toBeGreaterThanOrEqual(startTime);
    const status = (await (await fetch(`${url}/api/status`)).json()) as { sources: { name: string; cycles: number }[] };
    expect(status.sources.map((s) => s.name).sort()).toEqual(['store:added', 'store:hung', 'store:refused']);
    // The kept source is the same object: its cycle count went on.
    expect(status.sources.find((s) => s.name === 'store:refused')!.cycles).toBeGreaterThanOrEqual(cyclesBefore);

    // An invalid file: logged, counted, the running configuration stays.
    writeFileSync(file, 'stores: [{name: x, preset: nope, connection: {host: h}}]\n');
    mark = child.out.length;
    child.proc.kill('SIGHUP');
    const failed = await child.line('configuration reload failed: keeping the running configuration', mark);
    expect(failed.issues).toEqual(['stores[0].preset: must be one of "marten", "eventuous", "emmett", "axon", "generic", got "nope"']);
    metrics = await metricsWith(url, 'cqrs_config_last_reload_successful', 0);
    expect(metricValue(metrics, 'cqrs_config_last_reload_successful')).toBe(0);
    expect(metricValue(metrics, 'cqrs_config_reloads_total{result="failure"}')).toBe(1);
    const after = (await (await fetch(`${url}/api/status`)).json()) as { sources: { name: string }[] };
    expect(after.sources).toHaveLength(3);
    expect(child.proc.exitCode).toBeNull();

    // SIGTERM while store:hung still waits in connect (statementTimeout 60s): exit 0 within 3 s.
    expect(hang.sockets.size).toBeGreaterThan(0);
    const t0 = Date.now();
    child.proc.kill('SIGTERM');
    const exit = await child.exited;
    expect(exit.code).toBe(0);
    expect(exit.at - t0).toBeLessThan(3000);
    // The clean path, not the deadline: the abort reached pool.connect and the pool closed.
    expect(child.out).toContain('cqrs-slo stopped');
    expect(child.out).not.toContain('shutdown timeout reached');
  }, 90_000);
});
