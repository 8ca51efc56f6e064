// What TableGauge's slot index costs against the Map it replaced (docs/performance.md, "The peak
// at 200 x 50, as shipped"): 3 indexes of 25 000 label texts shaped like the partition gauges'
// (500 groups, 200 topics, 50 partitions), heap + ArrayBuffer bytes per index after full
// collections, CPU of building them and of 300 000 lookups. Needs `npm run build` first.
//   node --expose-gc bench/slot-index.mjs map|slot
import { SlotIndex } from '../dist/metrics/slot-index.js';

const N = 25_000;
const kind = process.argv[2] ?? 'slot';
const keys = Array.from({ length: N }, (_, i) => {
  const group = String(i % 500).padStart(4, '0');
  const topic = String(Math.floor(i / 125)).padStart(4, '0');
  return ['{cluster="bench",group="bench-g', group, '",topic="bench-', topic, '",partition="', i % 50, '"}'].join('');
});
const mem = () => {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const cpuMs = (u) => (u.user + u.system) / 1000;
mem();
const m0 = mem();
const held = [];
const c0 = process.cpuUsage();
for (let g = 0; g < 3; g++) {
  if (kind === 'map') {
    const m = new Map();
    for (let i = 0; i < N; i++) m.set(keys[i], i);
    held.push(m);
  } else {
    const ix = new SlotIndex((s) => keys[s]);
    for (let i = 0; i < N; i++) ix.add(keys[i], i);
    held.push(ix);
  }
}
const build = cpuMs(process.cpuUsage(c0));
const bytes = (mem() - m0) / 3;
const c1 = process.cpuUsage();
let hits = 0;
for (let r = 0; r < 4; r++) for (const h of held) for (let i = 0; i < N; i++) if (h.get(keys[i]) === i) hits++;
const look = cpuMs(process.cpuUsage(c1));
if (hits !== 12 * N) throw new Error(`lookups found ${hits} of ${12 * N}`);
console.log(
  `${kind}: ${(bytes / 1048576).toFixed(3)} MB per index of ${N}; build 3 indexes ${build.toFixed(1)} CPU-ms; ${12 * N} lookups ${look.toFixed(1)} CPU-ms`,
);
