/**
 * Runs the built service (`node bin/cqrs-slo.js run`, with the command's own node options: see
 * shipped-node-args.ts) on one Kafka cluster and samples it after
 * every cycle through /api/status and /metrics: cycle duration, requests, CPU, RSS, heap,
 * event-loop delay and the /metrics render; VmHWM at the end. Same measurements as
 * bench/kafka-lag.ts, usable from other benches.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/env/kafka.js';
import { shippedNodeArgs } from './shipped-node-args.js';

export type Granularity = 'partition' | 'topic' | 'group';

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const round = (x: number, d = 1): number => +x.toFixed(d);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The body of a GET, tried again once: on a loaded box a kept-alive connection may be closed by the server as it is reused (ECONNRESET, UND_ERR_SOCKET). */
async function fetchText(url: string): Promise<string> {
  try {
    return await (await fetch(url)).text();
  } catch {
    await sleep(50);
    return (await fetch(url)).text();
  }
}

/** Sum of the samples of one metric in the Prometheus text format (all label sets). */
export function metric(text: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : NaN;
}

export interface Sample {
  cycleMs: number;
  requests: number;
  cpuMs: number;
  rssMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  eldP99Ms: number;
  eldMaxMs: number;
  scrapeMs: number;
  scrapeBytes: number;
  report: unknown;
}

export interface RunResult {
  first: Sample;
  samples: Sample[];
  startRssMB: number;
  vmHWM: number;
  series: number;
  idle?: IdleResult;
}

export function summarise(s: RunResult) {
  const xs = s.samples;
  const f = (k: keyof Sample) => xs.map((x) => x[k] as number);
  return {
    cycles: xs.length,
    firstCycleMs: round(s.first.cycleMs),
    firstCycleRequests: s.first.requests,
    cycleMs: { p50: round(pct(f('cycleMs'), 50)), p95: round(pct(f('cycleMs'), 95)), max: round(Math.max(...f('cycleMs'))) },
    requestsPerCycle: pct(f('requests'), 50),
    cpuMsPerCycle: { p50: round(pct(f('cpuMs'), 50)), p95: round(pct(f('cpuMs'), 95)) },
    rssMB: { peakSample: round(Math.max(s.first.rssMB, ...f('rssMB'))), vmHWM: round(s.vmHWM), start: round(s.startRssMB) },
    heapMB: { usedMax: round(Math.max(...f('heapUsedMB'))), totalMax: round(Math.max(...f('heapTotalMB'))) },
    eventLoopLagMs: { p99: round(pct(f('eldP99Ms'), 50)), p99Max: round(Math.max(...f('eldP99Ms'))), max: round(Math.max(...f('eldMaxMs'))) },
    scrape: { ms: round(pct(f('scrapeMs'), 50)), bytes: pct(f('scrapeBytes'), 50), series: s.series },
    ...(s.idle ? { idle: s.idle } : {}),
    report: xs.at(-1)?.report,
  };
}

export interface ServiceRunOptions {
  brokers: string[];
  granularity: Granularity;
  /** Seconds between cycles; default INTERVAL or 10. */
  interval?: number;
  /** Cycles measured after the first; default CYCLES or 5. */
  cycles?: number;
  /** Lines (already indented) added under the cluster entry. */
  extraClusterYaml?: string[];
  nodeArgs?: string[];
  /**
   * After the sampled cycles, seconds of CPU measurement with no /metrics scrape: the CPU between
   * cycles (windows from the end of a cycle to just before the next grid point, summed until they
   * reach this many seconds) and the CPU of the whole process over this many seconds, cycles
   * included, with no request at all. 0 or absent: not measured.
   */
  idleSeconds?: number;
}

/** CPU time of a process (all threads, dead ones included) from /proc/<pid>/stat, in ms (clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the file, 12 and 13 after the command name.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface IdleResult {
  /** CPU between cycles, % of one core, over `betweenSeconds` of windows. */
  betweenPct: number;
  betweenSeconds: number;
  windows: number;
  /** CPU of the whole process over `wholeSeconds` (cycles included, no requests), % of one core. */
  wholePct: number;
  wholeSeconds: number;
}

export async function serviceRun(o: ServiceRunOptions): Promise<RunResult> {
  const interval = o.interval ?? Number(process.env.INTERVAL ?? 10);
  const cycles = o.cycles ?? Number(process.env.CYCLES ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'cqrs-bench-'));
  const port = await freePort();
  const cfg = join(dir, 'bench.yaml');
  writeFileSync(
    cfg,
    [
      'server:',
      `  port: ${port}`,
      '  address: 127.0.0.1',
      'telemetry:',
      '  logLevel: warn',
      ...(process.env.HEAP_GROWTH !== undefined ? ['runtime:', `  heapGrowthPercent: ${Number(process.env.HEAP_GROWTH)}`] : []),
      'clusters:',
      '  - name: bench',
      `    brokers: [${o.brokers.map((b) => JSON.stringify(b)).join(', ')}]`,
      `    interval: ${interval}s`,
      `    granularity: ${o.granularity}`,
      ...(o.extraClusterYaml ?? []),
      '',
    ].join('\n'),
  );
  // As shipped (the command's own node options), then NODE_ARGS: a later flag wins.
  const nodeArgs = [...shippedNodeArgs(), ...(process.env.NODE_ARGS ?? '').split(' ').filter(Boolean), ...(o.nodeArgs ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, 'bin/cqrs-slo.js', 'run', '--config', cfg], { stdio: ['ignore', 'pipe', 'inherit'] });
  let url = `http://127.0.0.1:${port}`;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const m = /"url":"(http:\/\/[^"]+)"/.exec(chunk);
    if (m) url = m[1]!;
    if (process.env.VERBOSE) process.stdout.write(chunk);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = () => child.kill('SIGTERM');
  process.once('exit', kill);
  try {
    let startRss = NaN;
    for (let i = 0; ; i++) {
      try {
        const text = await fetchText(`${url}/metrics`);
        startRss = metric(text, 'process_resident_memory_bytes') / 1048576;
        break;
      } catch (err) {
        if (i > 300 || child.exitCode !== null) throw err;
        await sleep(100);
      }
    }
    const status = async () => {
      const st = JSON.parse(await fetchText(`${url}/api/status`)) as {
        sources: (CycleStatus & { name: string; errors: number; lastDuration?: number; lastReport?: unknown; lastError?: unknown })[];
      };
      return st.sources.find((x) => x.name.includes('bench'))!;
    };
    let seen = 0;
    let prev = { requests: 0, cpu: 0 };
    let first: Sample | undefined;
    const samples: Sample[] = [];
    let series = 0;
    while (samples.length < cycles) {
      if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
      const src = await status();
      if (src.cycles === seen) {
        // Polled 20 times a second only near the next grid point: every /api/status answer costs
        // the service CPU that a Prometheus scrape does not, and a 50 ms poll all interval long
        // showed in the profiles as a large part of the measured CPU per interval.
        const next = src.lastStart ? Date.parse(src.lastStart) + interval * 1000 - Date.now() : 0;
        await sleep(next > 1000 ? next - 500 : 50);
        continue;
      }
      if (src.cycles > seen + 1) console.warn(`missed ${src.cycles - seen - 1} cycle(s)`);
      if (src.errors) throw new Error(`cycle failed: ${JSON.stringify(src.lastError)}`);
      seen = src.cycles;
      const s0 = performance.now();
      const text = await fetchText(`${url}/metrics`);
      const scrapeMs = performance.now() - s0;
      const requests = metric(text, 'cqrs_kafka_requests_total');
      const cpu = metric(text, 'process_cpu_seconds_total');
      const sample: Sample = {
        cycleMs: (src.lastDuration ?? NaN) * 1000,
        requests: requests - prev.requests,
        cpuMs: (cpu - prev.cpu) * 1000,
        rssMB: metric(text, 'process_resident_memory_bytes') / 1048576,
        heapUsedMB: metric(text, 'nodejs_heap_size_used_bytes') / 1048576,
        heapTotalMB: metric(text, 'nodejs_heap_size_total_bytes') / 1048576,
        eldP99Ms: metric(text, 'nodejs_eventloop_lag_p99_seconds') * 1000,
        eldMaxMs: metric(text, 'nodejs_eventloop_lag_max_seconds') * 1000,
        scrapeMs,
        scrapeBytes: text.length,
        report: src.lastReport,
      };
      prev = { requests, cpu };
      series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
      if (process.env.VERBOSE) console.log(`${o.granularity} cycle ${seen}: ${JSON.stringify(sample)}`);
      if (!first) first = sample;
      else samples.push(sample);
    }
    const idle = o.idleSeconds ? await measureIdle(child.pid!, status, interval, o.idleSeconds) : undefined;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    return { first: first!, samples, startRssMB: startRss, vmHWM: hwm ? Number(hwm[1]) / 1024 : NaN, series, ...(idle ? { idle } : {}) };
  } finally {
    kill();
    await exited;
    process.off('exit', kill);
  }
}

interface CycleStatus {
  cycles: number;
  running?: boolean;
  lastStart?: string;
}

/**
 * The CPU of the service while no cycle runs and nothing is asked of it: windows from the end of a
 * cycle (seen through /api/status, polled only while a cycle runs) to 200 ms before the next grid
 * point, dropped if a cycle started inside; then the whole process over `seconds` with no request.
 */
async function measureIdle(pid: number, status: () => Promise<CycleStatus>, interval: number, seconds: number): Promise<IdleResult> {
  let windowMs = 0;
  let cpuMs = 0;
  let windows = 0;
  let st = await status();
  while (windowMs < seconds * 1000) {
    const seen = st.cycles;
    while (st.cycles === seen || st.running) {
      await sleep(50);
      st = await status();
    }
    const t0 = Date.now();
    const c0 = processCpuMs(pid);
    const end = Date.parse(st.lastStart!) + interval * 1000 - 200;
    if (end - t0 < 1000) continue;
    await sleep(end - t0);
    const c1 = processCpuMs(pid);
    const t1 = Date.now();
    const after = await status();
    if (after.cycles === st.cycles && after.lastStart === st.lastStart) {
      windowMs += t1 - t0;
      cpuMs += c1 - c0;
      windows++;
    }
    st = after;
  }
  const w0 = Date.now();
  const wc0 = processCpuMs(pid);
  await sleep(seconds * 1000);
  const wc1 = processCpuMs(pid);
  const wholeMs = Date.now() - w0;
  return {
    betweenPct: round((100 * cpuMs) / windowMs, 2),
    betweenSeconds: round(windowMs / 1000),
    windows,
    wholePct: round((100 * (wc1 - wc0)) / wholeMs, 2),
    wholeSeconds: round(wholeMs / 1000),
  };
}
