/**
 * Memory of `npm start`: runs the built service with config/default.yaml (the embedded demo) as
 * a child process on a free loopback port, samples its VmRSS and VmHWM from /proc once a second
 * and reports, per run, the peak (VmHWM at the end) and the steady RSS (median of the last
 * minute), then the medians over runs.
 *
 *   npx vite-node bench/demo-rss.ts                   # 3 runs of 180 s
 *   RUNS=1 SECONDS=90 BUILD=0 npx vite-node bench/demo-rss.ts
 *
 * Targets (the brief of the demo): peak < 300 MB, steady < 200 MB.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedNodeArgs } from './shipped-node-args.js';

const RUNS = Number(process.env.RUNS ?? 3);
const DURATION_S = Number(process.env.SECONDS ?? 180);
const STEADY_S = Math.min(60, Math.floor(DURATION_S / 3));
const MB = 1024 * 1024;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** VmRSS and VmHWM of a process in bytes, or undefined once it is gone. */
function procMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function oneRun(config: string): Promise<{ peak: number; steady: number; healthyAfterS: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'demo-rss-'));
  const file = join(dir, 'default.yaml');
  // The shipped config, on a free port: the only change.
  writeFileSync(file, config.replace(/^(\s*)port:\s*\d+/m, `$1port: ${port}`));
  const child = spawn(process.execPath, [...shippedNodeArgs(), 'bin/cqrs-slo.js', 'run', '--config', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const started = Date.now();
  const samples: { t: number; rss: number; hwm: number }[] = [];
  let healthyAfterS = NaN;
  try {
    while (Date.now() - started < DURATION_S * 1000) {
      const m = procMemory(child.pid!);
      if (!m) throw new Error(`service exited early (code ${child.exitCode})`);
      samples.push({ t: (Date.now() - started) / 1000, ...m });
      if (Number.isNaN(healthyAfterS)) {
        const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) healthyAfterS = (Date.now() - started) / 1000;
      }
      await sleep(1000);
    }
    const end = procMemory(child.pid!);
    const last = samples.filter((s) => s.t >= DURATION_S - STEADY_S).map((s) => s.rss);
    return { peak: end?.hwm ?? Math.max(...samples.map((s) => s.hwm)), steady: median(last), healthyAfterS };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

if (process.env.BUILD !== '0') {
  const b = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const config = readFileSync(process.env.CONFIG ?? 'config/default.yaml', 'utf8');
const runs: { peak: number; steady: number; healthyAfterS: number }[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = await oneRun(config);
  runs.push(r);
  console.log(
    `run ${i + 1}: peak ${(r.peak / MB).toFixed(0)} MB, steady ${(r.steady / MB).toFixed(0)} MB (median of the last ${STEADY_S} s of ${DURATION_S} s), /healthz after ${r.healthyAfterS.toFixed(1)} s`,
  );
}
const peak = median(runs.map((r) => r.peak)) / MB;
const steady = median(runs.map((r) => r.steady)) / MB;
console.log(`median of ${RUNS}: peak ${peak.toFixed(0)} MB (target < 300), steady ${steady.toFixed(0)} MB (target < 200)`);
