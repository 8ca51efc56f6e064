/**
 * Which event-loop pauses were garbage collections: joins a PAUSE_LOG of bench/pause-probe.mjs
 * with the same process's `node --trace-gc` lines (the service's stdout: `VERBOSE=1
 * NODE_ARGS="--trace-gc --import=…/bench/pause-probe.mjs"` on bench/kafka-lag.ts, one run).
 *
 *   node bench/gc-in-pauses.mjs <pause log> <stdout with --trace-gc> [MIN_MS=40]
 *
 * Per gap of MIN_MS or more: its wall time, the main thread's CPU time within it, the time it
 * waited for a core (other processes; NaN with a probe log without that column), and the GC
 * pauses V8 logged within it (kind, heap before -> after, pause ms); then per run the largest
 * gap by wall and by CPU, and by CPU less GC (what our code and the libraries held the loop for),
 * and the GC pauses by kind (count, p50, p95, max); and the gaps over 50 ms by what filled at least
 * half of each: waiting for a core, a GC pause, the main thread's CPU, else mixed. FROM_MS=<ms> leaves out what started before
 * that time of the process (start-up and the first cycle: 8000 at 200 x 50).
 * trace-gc's `N ms:` is the collection's start on the isolate's clock, within a few ms of
 * performance.now(): a GC is counted in a gap it starts within (2 ms slack each side).
 */
import { readFileSync } from 'node:fs';

const [pauseFile, gcFile, minArg] = process.argv.slice(2);
if (!pauseFile || !gcFile) {
  console.error('usage: node bench/gc-in-pauses.mjs <pause log> <trace-gc output> [min ms]');
  process.exit(2);
}
const MIN_MS = Number(minArg ?? 40);
const FROM_MS = Number(process.env.FROM_MS ?? 0);
const gaps = readFileSync(pauseFile, 'utf8')
  .trim()
  .split('\n')
  .filter(Boolean)
  .map((l) => {
    const [a, b, cpu, startMs, wait] = l.split(' ').map(Number);
    return { wall: (b - a) / 1000, cpu: cpu / 1000, wait: wait / 1000, startMs, gcs: [] };
  })
  .filter((g) => g.wall >= MIN_MS && g.startMs >= FROM_MS);
// [pid:0x...:0]   12345 ms: Scavenge 50.1 (60.2) -> 45.3 (60.2) MB, 1.2 / 0.0 ms  (...) reason
const re =
  /^\[\d+:0x[0-9a-f]+(?::\d+)?\]\s+(\d+) ms: (Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Compact|Mark-Compact \(reduce\)|Mark-Sweep-Compact)?\s*([^,]*?),\s*([\d.]+) \/ ([\d.]+) ms\s+(?:\(.*?\))?\s*(.*)$/;
const gcs = [];
for (const line of readFileSync(gcFile, 'utf8').split('\n')) {
  const m = re.exec(line);
  if (!m) continue;
  if (Number(m[1]) < FROM_MS) continue;
  gcs.push({ at: Number(m[1]), kind: m[2] ?? 'GC', heap: m[3].trim(), ms: Number(m[4]), why: m[6].trim().replace(/;\s*$/, '') });
}
for (const g of gaps) for (const c of gcs) if (c.at >= g.startMs - 2 && c.at <= g.startMs + g.wall + 2) g.gcs.push(c);
const gcMs = (g) => g.gcs.reduce((a, c) => a + c.ms, 0);
console.log(`${gaps.length} gaps >= ${MIN_MS} ms; ${gcs.length} GC lines`);
console.log('wall ms  cpu ms  wait ms  gc ms  at ms      GC pauses within');
for (const g of [...gaps].sort((a, b) => b.wall - a.wall)) {
  const list = g.gcs.map((c) => `${c.kind} ${c.ms} ms (${c.heap}; ${c.why})`).join('; ');
  console.log(
    `${g.wall.toFixed(1).padStart(7)} ${g.cpu.toFixed(1).padStart(7)} ${g.wait.toFixed(1).padStart(8)} ${gcMs(g).toFixed(1).padStart(6)}  ${g.startMs.toFixed(0).padStart(8)}  ${list}`,
  );
}
const max = (f) => gaps.reduce((a, g) => Math.max(a, f(g)), 0).toFixed(1);
console.log(
  `largest: wall ${max((g) => g.wall)} ms, wall less waiting for a core ${max((g) => g.wall - (g.wait || 0))} ms, cpu ${max((g) => g.cpu)} ms, cpu less GC ${max((g) => g.cpu - gcMs(g))} ms, single GC ${max((g) => Math.max(0, ...g.gcs.map((c) => c.ms)))} ms`,
);
const byKind = new Map();
for (const c of gcs) byKind.set(c.kind, [...(byKind.get(c.kind) ?? []), c.ms]);
for (const [kind, ms] of byKind) {
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  const sum = ms.reduce((a, b) => a + b, 0);
  console.log(`${kind}: ${ms.length}, p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${ms.at(-1)} ms, total ${sum.toFixed(0)} ms`);
}
const classOf = (g) => (g.wait >= g.wall / 2 ? 'waiting for a core' : gcMs(g) >= g.wall / 2 ? 'GC' : g.cpu >= g.wall / 2 ? 'CPU' : 'mixed');
const over = gaps.filter((g) => g.wall > 50);
const classes = new Map();
for (const g of over) classes.set(classOf(g), [...(classes.get(classOf(g)) ?? []), g.wall.toFixed(0)]);
console.log(`over 50 ms: ${over.length}; ${[...classes].map(([c, w]) => `${c} ${w.length} (${w.join(', ')} ms)`).join('; ')}`);
