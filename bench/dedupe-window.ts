/**
 * Dedupe window micro-benchmark: insert+lookup rate and memory of a 10M-id window.
 * Run: npx vite-node bench/dedupe-window.ts   (BENCH_IDS=10000000 BENCH_RUNS=5 by default)
 * Prints one JSON line per run; docs/performance.md records medians.
 */
import { DedupeWindow } from '../src/core/events/dedupe-window.js';
import { hash64Into } from '../src/core/events/hash64.js';

const N = Number(process.env.BENCH_IDS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Ids are built up front so the timing is the window, not string formatting.
const ids: string[] = Array.from({ length: 2_000_000 }, (_, i) => `0b9f3c1e-4d2a-4c1b-9e7f-${String(i).padStart(12, '0')}`);

const rates: number[] = [];
let fresh: string[] = [];
const cpuRates: number[] = [];
const fpRates: number[] = [];
const mems: number[] = [];
for (let r = 0; r < RUNS; r++) {
  global.gc?.();
  const rss0 = process.memoryUsage().arrayBuffers;
  const w = new DedupeWindow({ maxIds: N, windowMs: 3_600_000 });
  // fill to N ids (10M): the steady state the window lives in
  let t = 0;
  const t0 = process.hrtime.bigint();
  let dups = 0;
  fresh = Array.from({ length: 2_000_000 }, (_, i) => `7c1d2e3f-0000-4aaa-8bbb-r${r}-${String(i).padStart(12, '0')}`);
  for (let i = 0; i < N; i++) {
    if (w.check(ids[i % ids.length]! + (i >= ids.length ? `:${Math.floor(i / ids.length)}` : ''), t)) dups++;
    if ((i & 1023) === 0) t++;
  }
  const fillSec = Number(process.hrtime.bigint() - t0) / 1e9;
  // steady state on the full window: 9 new ids then 1 recent duplicate, precomputed strings
  const M = fresh.length;
  const c1 = process.cpuUsage();
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < M; i++) {
    if (w.check(i % 10 === 9 ? fresh[i - 5]! : fresh[i]!, t)) dups++;
    if ((i & 1023) === 0) t++;
  }
  const sec = Number(process.hrtime.bigint() - t1) / 1e9;
  const cu = process.cpuUsage(c1);
  // CPU time, not wall time, is what the shared 2-core build box measures reliably.
  const cpuSec = (cu.user + cu.system) / 1e6;
  cpuRates.push(M / cpuSec);
  // the same on precomputed fingerprints: the window alone, without hashing the id text
  const his = new Uint32Array(M);
  const los = new Uint32Array(M);
  const h = { hi: 0, lo: 0 };
  for (let i = 0; i < M; i++) {
    hash64Into(`${fresh[i]!}:fp`, h);
    his[i] = h.hi;
    los[i] = h.lo;
  }
  const c2 = process.cpuUsage();
  for (let i = 0; i < M; i++) {
    const k = i % 10 === 9 ? i - 5 : i;
    if (w.checkFingerprint(his[k]!, los[k]!, t)) dups++;
  }
  const cu2 = process.cpuUsage(c2);
  fpRates.push(M / ((cu2.user + cu2.system) / 1e6));
  const s = w.stats();
  rates.push(M / sec);
  mems.push(s.bytes);
  console.log(JSON.stringify({ run: r, ids: s.ids, fill: s.fill, bytes: s.bytes, arrayBuffersDelta: process.memoryUsage().arrayBuffers - rss0, fillPerSec: Math.round(N / fillSec), checkPerSec: Math.round(M / sec), checkPerCpuSec: Math.round(M / cpuSec), fingerprintCheckPerCpuSec: Math.round(fpRates[r]!), dups, sweeps: w.sweeps }));
}
console.log(JSON.stringify({ medianCheckPerSec: Math.round(median(rates)), medianCheckPerCpuSec: Math.round(median(cpuRates)), medianFingerprintCheckPerCpuSec: Math.round(median(fpRates)), windowBytes: median(mems), windowMiB: +(median(mems) / 2 ** 20).toFixed(1) }));
