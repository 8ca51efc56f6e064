/**
 * The longest synchronous stretches of a `node --cpu-prof` profile (as left by
 * `PROFILE_DIR=... bench/kafka-lag.ts`): maximal runs of samples that are not `(idle)`, i.e. the
 * time the event loop did not get back, with the functions that took most of each.
 * Sampling makes a stretch's length exact to one sampling interval (~1 ms); a stretch may hold
 * several back-to-back tasks (an I/O callback then its microtasks), which is what the event loop
 * sees as one pause anyway.
 *
 *   node bench/long-tasks.mjs <file.cpuprofile> [MIN_MS=20] [TOP=8]
 *
 * Since a `setImmediate` turn is not idle either, sliced work shows here as one long stretch.
 * With PAUSES=<file> (written by bench/pause-probe.mjs in the profiled process) it reports the
 * measured pauses instead: each gap of the probe's timer, with the samples taken within it.
 */
import { readFileSync } from 'node:fs';

const [file, minArg, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/long-tasks.mjs <file.cpuprofile> [min ms] [top]');
  process.exit(2);
}
const MIN_MS = Number(minArg ?? 20);
const TOP = Number(topArg ?? 8);
const profile = JSON.parse(readFileSync(file, 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|dist|src)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};

// A sample lasts until the next one.
const { samples, timeDeltas } = profile;
const at = [];
for (let i = 0, t = profile.startTime; i < samples.length; i++) at.push((t += timeDeltas[i]));
const pauses = process.env.PAUSES
  ? readFileSync(process.env.PAUSES, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').map(Number))
      .filter(([a, b]) => b > profile.startTime && a < profile.endTime)
  : undefined;
const stretches = [];
let cur;
let p = 0;
for (let i = 0; i < samples.length; i++) {
  const dur = (timeDeltas[i + 1] ?? 0) / 1000;
  const node = byId.get(samples[i]);
  if (pauses) {
    while (p < pauses.length && pauses[p][1] <= at[i]) p++;
    if (p === pauses.length) break;
    if (at[i] < pauses[p][0]) continue;
    if (!cur || cur.pause !== p) {
      cur = { ms: (pauses[p][1] - pauses[p][0]) / 1000, cpu: pauses[p][2] / 1000, pause: p, self: new Map(), frames: new Map() };
      stretches.push(cur);
    }
  } else if (node.callFrame.functionName === '(idle)') {
    if (cur && !pauses) stretches.push(cur);
    cur = undefined;
    continue;
  } else {
    cur ??= { ms: 0, self: new Map(), frames: new Map() };
    cur.ms += dur;
  }
  const self = label(node);
  cur.self.set(self, (cur.self.get(self) ?? 0) + dur);
  // Inclusive time per frame (each frame once per sample).
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const l = label(byId.get(id));
    if (seen.has(l)) continue;
    seen.add(l);
    cur.frames.set(l, (cur.frames.get(l) ?? 0) + dur);
  }
}
if (cur && !pauses) stretches.push(cur);

const total = (profile.endTime - profile.startTime) / 1e6;
// SORT=cpu: by the main thread's CPU time within each pause (the probe's third column), which a
// loaded box does not lengthen; else by wall time.
const key = process.env.SORT === 'cpu' ? (s) => s.cpu ?? s.ms : (s) => s.ms;
const long = stretches.filter((s) => s.ms >= MIN_MS).sort((a, b) => key(b) - key(a));
const busy = stretches.reduce((a, s) => a + s.ms, 0);
const what = pauses ? 'measured pauses' : 'stretches';
console.log(`${file}: ${total.toFixed(1)} s profiled, ${(busy / 1000).toFixed(2)} s in ${stretches.length} ${what}, ${long.length} >= ${MIN_MS} ms`);
const cpuOf = (s) => (s.cpu === undefined || Number.isNaN(s.cpu) ? '' : ` (${s.cpu.toFixed(1)} ms CPU)`);
console.log(`longest: ${long.map((s) => s.ms.toFixed(1)).join(' ')}`);
for (const s of long.slice(0, TOP)) {
  console.log(`\n== ${s.ms.toFixed(1)} ms${cpuOf(s)}, from ${((pauses?.[s.pause]?.[0] ?? profile.startTime) - profile.startTime) / 1e6} s`);
  const top = (m, n) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log('  self:');
  for (const [l, ms] of top(s.self, 6)) console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${l}`);
  console.log('  inclusive (our code and kafkajs):');
  for (const [l, ms] of top(
    [...s.frames].filter(([l]) => /src\/|dist\/|kafkajs|prom-client/.test(l)),
    8,
  ))
    console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${l}`);
}
