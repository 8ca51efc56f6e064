import { APPLY_LATENCY_BUCKETS } from '../../../src/metrics/metric-def.js';

/**
 * Ground truth for apply latency: a projector whose every checkpoint write is logged, so the
 * true latency of each event (first write covering it minus its own time) is known exactly.
 * Times are milliseconds from the scenario's start; everything is deterministic (seeded).
 */
export interface Timeline {
  /** Event k (position k + 1) is written at events[k]. */
  readonly events: readonly number[];
  /** The projector's checkpoint writes, in order: position applied up to, and write time. */
  readonly writes: readonly { position: number; at: number }[];
}

/** Deterministic pseudo-random numbers in [0, 1) (an LCG). */
export function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/**
 * Events arrive 0-1 s apart; the projector polls every `pollMs` (a range; by default 2-5 s, so
 * a 5 s reading interval sees one or two writes, sometimes none) and applies, each time, the
 * events at least `delayMs` old, then writes its checkpoint (only when it moved, as Marten's
 * daemon and Emmett do).
 */
export function projectorTimeline(seed: number, durationMs: number, delayMs: number, pollMs: readonly [number, number] = [2000, 5000]): Timeline {
  const rnd = lcg(seed);
  const events: number[] = [];
  for (let t = 0; t < durationMs; t += 1 + Math.floor(rnd() * 1000)) events.push(t);
  const writes: { position: number; at: number }[] = [];
  let applied = 0;
  const gap = () => pollMs[0] + Math.floor(rnd() * (pollMs[1] - pollMs[0]));
  for (let w = gap(); w < durationMs; w += gap()) {
    let p = applied;
    while (p < events.length && events[p]! <= w - delayMs) p++;
    if (p > applied) writes.push({ position: p, at: w });
    applied = p;
  }
  return { events, writes };
}

/** True latency (seconds) of every event the first `upTo` positions hold: first covering write - event time. */
export function trueLatencies(t: Timeline, upTo: number): number[] {
  const out: number[] = [];
  let w = 0;
  for (let k = 0; k < upTo; k++) {
    while (t.writes[w]!.position < k + 1) w++;
    out.push((t.writes[w]!.at - t.events[k]!) / 1000);
  }
  return out;
}

/** Cumulative bucket counts by `le`, as the exported histogram holds them. */
export function bucketCounts(values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const le of APPLY_LATENCY_BUCKETS) out[String(le)] = values.filter((v) => v <= le).length;
  out['+Inf'] = values.length;
  return out;
}

/** PromQL's histogram_quantile over cumulative buckets (linear within the bucket). */
export function histogramQuantile(q: number, buckets: Record<string, number>): number {
  const total = buckets['+Inf'] ?? 0;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const le of APPLY_LATENCY_BUCKETS) {
    const c = buckets[String(le)] ?? 0;
    if (c >= rank) return prevLe + ((le - prevLe) * (rank - prevCount)) / Math.max(1e-9, c - prevCount);
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}
