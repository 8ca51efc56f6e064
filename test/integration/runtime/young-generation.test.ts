import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { watchService } from '../../helpers/service-output.js';

// The service's default young generation (bin/cqrs-slo.js's shebang: --max-semi-space-size=2)
// checked on the running service, started the ways docs/deployment.md lists. A preloaded module
// (test/fixtures/runtime/fill-young.mjs, through the user's NODE_OPTIONS) grows the young
// generation to its maximum; /metrics then reports the size V8 allows.
const ROOT = new URL('../../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/cqrs-slo.js');
const FILL = `--import=${join(ROOT, 'test/fixtures/runtime/fill-young.mjs')}`;
const MiB = 1024 * 1024;

// No external part: a store nobody listens on (its source is down), /metrics is served.
const dir = mkdtempSync(join(tmpdir(), 'cqrs-young-'));
const CONFIG = join(dir, 'config.yaml');
writeFileSync(
  CONFIG,
  'server: {port: 0, address: 127.0.0.1}\ntelemetry: {logLevel: info}\nstores: [{name: s, preset: marten, connection: {host: 127.0.0.1, port: 1}}]\n',
);

/** Starts `argv run --config CONFIG`, reads the young generation's size from /metrics, stops it (SIGTERM, exit 0). */
async function youngGeneration(argv: string[], nodeOptions: string, cwd = ROOT): Promise<number> {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  const child = spawn(argv[0]!, [...argv.slice(1), 'run', '--config', CONFIG], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = watchService(child, 30_000);
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  try {
    const url = await output.url;
    const text = await (await fetch(`${url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith('nodejs_heap_space_size_total_bytes{space="new"}'));
    expect(line, 'the young generation on /metrics').toBeDefined();
    return Number(line!.slice(line!.lastIndexOf(' ') + 1));
  } finally {
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }
}

describe('the young generation of the shipped entry points', () => {
  test('bin/cqrs-slo.js run as a command (npx, npm start, ./bin/cqrs-slo.js): 2 x 2 MiB by default', async () => {
    const size = await youngGeneration([BIN], FILL);
    expect(size).toBeGreaterThan(1 * MiB);
    expect(size).toBeLessThanOrEqual(4 * MiB);
  }, 60_000);

  test('through a symlink in node_modules/.bin, as npm installs the command', async () => {
    const bin = join(dir, 'node_modules/.bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(BIN, join(bin, 'cqrs-slo'));
    const size = await youngGeneration([join(bin, 'cqrs-slo')], FILL, dir);
    expect(size).toBeGreaterThan(1 * MiB);
    expect(size).toBeLessThanOrEqual(4 * MiB);
  }, 60_000);

  test("the Dockerfile's ENTRYPOINT (container paths mapped to the repo): 2 x 2 MiB by default", async () => {
    const entry = /^ENTRYPOINT (\[.*\])$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    expect(entry, 'exec-form ENTRYPOINT').not.toBeNull();
    const argv = (JSON.parse(entry![1]!) as string[]).map((a) => a.replace(/^\/app\//, ROOT));
    const size = await youngGeneration(argv, FILL);
    expect(size).toBeGreaterThan(1 * MiB);
    expect(size).toBeLessThanOrEqual(4 * MiB);
  }, 60_000);

  test("the user's NODE_OPTIONS wins: --max-semi-space-size=16 gives 2 x 16 MiB", async () => {
    expect(await youngGeneration([BIN], `${FILL} --max-semi-space-size=16`)).toBe(32 * MiB);
  }, 60_000);

  test("node's command line wins, and `node bin/cqrs-slo.js` (the shebang skipped) has V8's default", async () => {
    expect(await youngGeneration([process.execPath, '--max-semi-space-size=8', BIN], `${FILL} --max-semi-space-size=1`)).toBe(16 * MiB);
    expect(await youngGeneration([process.execPath, BIN], FILL)).toBe(32 * MiB);
  }, 60_000);
});
