// Attributes a V8 heap snapshot's bytes to their owners, for the per-group-partition breakdown
// in docs/performance.md ("Memory per group-partition"): each JS object (by constructor; plain
// objects by their first property names) is counted with the arrays, backing stores and hidden
// parts that only it retains (up to 4 levels); strings by shape (label text, other); whatever
// is left under its V8 type. Prints bytes per group-partition, largest first.
//   node --max-old-space-size=4000 bench/heap-owners.mjs FILE.heapsnapshot GROUP_PARTITIONS [TOP]
import { readFileSync } from 'node:fs';
const [file, gpArg, topArg] = process.argv.slice(2);
const gp = Number(gpArg),
  top = Number(topArg ?? 40);
const snap = JSON.parse(readFileSync(file, 'utf8'));
const m = snap.snapshot.meta,
  S = snap.strings;
const nf = m.node_fields.length,
  ef = m.edge_fields.length;
const T = m.node_types[0],
  ET = m.edge_types[0];
const iT = m.node_fields.indexOf('type'),
  iN = m.node_fields.indexOf('name'),
  iS = m.node_fields.indexOf('self_size'),
  iE = m.node_fields.indexOf('edge_count');
const eT = m.edge_fields.indexOf('type'),
  eN = m.edge_fields.indexOf('name_or_index'),
  eTo = m.edge_fields.indexOf('to_node');
const N = snap.nodes,
  E = snap.edges,
  count = N.length / nf;
const first = new Uint32Array(count + 1);
for (let i = 0, e = 0; i < count; i++) {
  first[i] = e;
  e += N[i * nf + iE] * ef;
}
first[count] = E.length;
const retainers = new Uint32Array(count);
for (let e = 0; e < E.length; e += ef) {
  if (ET[E[e + eT]] !== 'weak') retainers[E[e + eTo] / nf]++;
}
const type = (i) => T[N[i * nf + iT]],
  name = (i) => S[N[i * nf + iN]],
  size = (i) => N[i * nf + iS];
const ownedKinds = new Set(['array', 'hidden', 'native', 'number', 'object shape']);
const claimed = new Uint8Array(count);
function owned(i, depth) {
  let b = size(i);
  claimed[i] = 1;
  if (depth > 3) return b;
  for (let e = first[i]; e < first[i + 1]; e += ef) {
    const et = ET[E[e + eT]];
    if (et === 'weak' || et === 'shortcut') continue;
    const c = E[e + eTo] / nf;
    if (claimed[c] || retainers[c] !== 1) continue;
    const ct = type(c);
    if (ownedKinds.has(ct) || (ct === 'object' && name(c) === 'Array') || (ct === 'object' && name(c) === 'system / Context')) b += owned(c, depth + 1);
  }
  return b;
}
function label(i) {
  const t = type(i),
    n = name(i);
  if (t === 'string' || t === 'concatenated string' || t === 'sliced string') {
    if (n.startsWith('{') || n.startsWith('cluster=')) return 'string: label text';
    if (/^[^\0]+\0\d+$/.test(n)) return 'string: topic/partition key';
    return 'string: other';
  }
  if (t !== 'object') return null;
  if (n === 'Object') {
    const props = [];
    for (let e = first[i]; e < first[i + 1] && props.length < 4; e += ef) if (ET[E[e + eT]] === 'property') props.push(S[E[e + eN]]);
    return `Object {${props.join(',')}}`;
  }
  return `object ${n}`;
}
const agg = new Map();
let total = 0;
const order = [];
for (let i = 0; i < count; i++) {
  total += size(i);
  const l = label(i);
  if (l && !l.startsWith('object Array') && !l.startsWith('object system')) order.push(i);
}
for (const i of order) {
  if (claimed[i]) continue;
  const l = label(i);
  const b = owned(i, 0);
  const a = agg.get(l) ?? { b: 0, n: 0 };
  a.b += b;
  a.n++;
  agg.set(l, a);
}
// Maps and arrays owned by nobody above (e.g. arrays held by a class field), by name.
for (let i = 0; i < count; i++)
  if (!claimed[i]) {
    const l = `rest: ${type(i)} ${name(i).slice(0, 40)}`;
    const a = agg.get(l) ?? { b: 0, n: 0 };
    a.b += size(i);
    a.n++;
    agg.set(l, a);
  }
console.log(`total ${(total / 1048576).toFixed(1)} MB = ${(total / gp).toFixed(0)} B per group-partition (${gp})`);
for (const [k, a] of [...agg].sort((x, y) => y[1].b - x[1].b).slice(0, top))
  console.log(`${(a.b / gp).toFixed(1).padStart(8)} B/gp ${(a.b / 1048576).toFixed(1).padStart(7)} MB ${String(a.n).padStart(8)}  ${k}`);
