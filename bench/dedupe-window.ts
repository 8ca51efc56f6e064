/**
 * Dedupe window micro-benchmark: insert+lookup rate and memory of a 10M-id window.
 * Run: npx vite-node bench/dedupe-window.ts   (BENCH_IDS=10000000 BENCH_RUNS=5 by default)
 * Prints one JSON line per run; docs/performance.md records medians.
 *
 * Four rates on the full window (90% new ids, 10% recent duplicates), per CPU-second:
 * - `check`: string ids, one `check(id)` each (hash of the string + window);
 * - `fingerprintCheck`: precomputed fingerprints, one `checkFingerprint` each (window only);
 * - `tailPath`: what the tail does per event: the id's bytes in a record buffer hashed in place
 *   (`hash64BytesInto`, no string), then the window in groups of 32 (`checkGroup`);
 * - `groupCheck`: precomputed fingerprints through `checkGroup` (window only, grouped).
 */
import { DedupeWindow } from '../src/core/events/dedupe-window.js';
import { hash64BytesInto, hash64Into } from '../src/core/events/hash64.js';
import { PROCESS_GROUP } from '../src/core/events/stream-processor.js';

const N = Number(process.env.BENCH_IDS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Ids are built up front so the timing is the window, not string formatting.
const ids: string[] = Array.from({ length: 2_000_000 }, (_, i) => `0b9f3c1e-4d2a-4c1b-9e7f-${String(i).padStart(12, '0')}`);

const G = PROCESS_GROUP;
const gHi = new Uint32Array(G);
const gLo = new Uint32Array(G);
const gNow = new Float64Array(G);
const gDup = new Uint8Array(G);

/** The tail's path for M ids (every 10th a recent duplicate): hash the bytes in place, check a group at a time. */
function tailPath(w: DedupeWindow, idBytes: Buffer, idLen: number, M: number, t: number): number {
  const h = { hi: 0, lo: 0 };
  gNow.fill(t);
  let dups = 0;
  for (let g = 0; g < M; g += G) {
    const n = Math.min(G, M - g);
    for (let k = 0; k < n; k++) {
      const i = g + k;
      const at = (i % 10 === 9 ? i - 5 : i) * idLen;
      hash64BytesInto(idBytes, at, at + idLen, h);
      gHi[k] = h.hi;
      gLo[k] = h.lo;
    }
    w.checkGroup(gHi, gLo, gNow, n, gDup);
    for (let k = 0; k < n; k++) dups += gDup[k]!;
  }
  return dups;
}

/** Precomputed fingerprints through `checkGroup`. */
function groupCheck(w: DedupeWindow, his: Uint32Array, los: Uint32Array, M: number, t: number): number {
  gNow.fill(t);
  let dups = 0;
  for (let g = 0; g < M; g += G) {
    const n = Math.min(G, M - g);
    for (let k = 0; k < n; k++) {
      const i = g + k;
      const j = i % 10 === 9 ? i - 5 : i;
      gHi[k] = his[j]!;
      gLo[k] = los[j]!;
    }
    w.checkGroup(gHi, gLo, gNow, n, gDup);
    for (let k = 0; k < n; k++) dups += gDup[k]!;
  }
  return dups;
}

const rates: number[] = [];
let fresh: string[] = [];
const cpuRates: number[] = [];
const fpRates: number[] = [];
const tailRates: number[] = [];
const groupRates: number[] = [];
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
  // the tail's path: id bytes in record buffers (one buffer of 40-byte ids, as record values
  // are slices of a fetch response) hashed in place, then checked a group at a time
  const idBytes = Buffer.from(fresh.map((id) => `${id}:tp`).join(''), 'latin1');
  const idLen = fresh[0]!.length + 3;
  const c3 = process.cpuUsage();
  dups += tailPath(w, idBytes, idLen, M, t);
  const cu3 = process.cpuUsage(c3);
  tailRates.push(M / ((cu3.user + cu3.system) / 1e6));
  // precomputed fingerprints, grouped (new ones: the earlier ones are all in the window now)
  for (let i = 0; i < M; i++) {
    hash64Into(`${fresh[i]!}:gc`, h);
    his[i] = h.hi;
    los[i] = h.lo;
  }
  const c4 = process.cpuUsage();
  dups += groupCheck(w, his, los, M, t);
  const cu4 = process.cpuUsage(c4);
  groupRates.push(M / ((cu4.user + cu4.system) / 1e6));
  const s = w.stats();
  rates.push(M / sec);
  mems.push(s.bytes);
  console.log(
    JSON.stringify({
      run: r,
      ids: s.ids,
      fill: s.fill,
      bytes: s.bytes,
      arrayBuffersDelta: process.memoryUsage().arrayBuffers - rss0,
      fillPerSec: Math.round(N / fillSec),
      checkPerSec: Math.round(M / sec),
      checkPerCpuSec: Math.round(M / cpuSec),
      fingerprintCheckPerCpuSec: Math.round(fpRates[r]!),
      tailPathPerCpuSec: Math.round(tailRates[r]!),
      groupCheckPerCpuSec: Math.round(groupRates[r]!),
      dups,
      sweeps: w.sweeps,
    }),
  );
}
console.log(
  JSON.stringify({
    medianCheckPerSec: Math.round(median(rates)),
    medianCheckPerCpuSec: Math.round(median(cpuRates)),
    medianFingerprintCheckPerCpuSec: Math.round(median(fpRates)),
    medianTailPathPerCpuSec: Math.round(median(tailRates)),
    medianGroupCheckPerCpuSec: Math.round(median(groupRates)),
    windowBytes: median(mems),
    windowMiB: +(median(mems) / 2 ** 20).toFixed(1),
    loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(1)),
  }),
);
