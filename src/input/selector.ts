/** A PromQL vector selector split into metric name and label matchers (without braces). */
export interface Selector {
  readonly metric: string;
  readonly matchers: readonly { name: string; op: string; value: string; text: string }[];
}

const SELECTOR = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?\s*$/s;
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/** Parses `name{a="b",c=~"d"}`; undefined when the text is any other PromQL. */
export function parseSelector(promql: string): Selector | undefined {
  const m = SELECTOR.exec(promql);
  if (!m) return undefined;
  const body = (m[2] ?? '').trim();
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && quoted) {
      cur += c + (body[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) parts.push(cur);
  const matchers = [];
  for (const p of parts) {
    const x = MATCHER.exec(p);
    if (!x) return undefined;
    matchers.push({ name: x[1]!, op: x[2]!, value: x[3]!, text: `${x[1]}${x[2]}"${x[3]}"` });
  }
  return { metric: m[1]!, matchers };
}

/**
 * Our `latency` SLI from a bucket selector with an `le` matcher and (optionally) the `_count`
 * selector of the same histogram: undefined when they do not describe one histogram and one
 * bound, or when the bound is not written the way the generator writes it back (`le="1"`, not
 * `le="1.0"`: the bucket series would not match).
 */
export function latencyFromBucket(bucket: string, count?: string): { histogram: string; selector: string; threshold: string } | undefined {
  const b = parseSelector(bucket);
  if (!b?.metric.endsWith('_bucket')) return undefined;
  const histogram = b.metric.slice(0, -'_bucket'.length);
  const le = b.matchers.filter((m) => m.name === 'le');
  if (le.length !== 1 || le[0]!.op !== '=') return undefined;
  const bound = Number(le[0]!.value);
  if (!(bound > 0) || String(bound) !== le[0]!.value) return undefined;
  const rest = b.matchers.filter((m) => m.name !== 'le').map((m) => m.text);
  if (count !== undefined) {
    const c = parseSelector(count);
    if (!c || c.metric !== `${histogram}_count`) return undefined;
    const same = c.matchers.map((m) => m.text);
    if (same.length !== rest.length || same.some((t) => !rest.includes(t))) return undefined;
  }
  return { histogram, selector: rest.join(','), threshold: `${bound}s` };
}
