import type { EpochMillis } from '../units.js';

/** One sample of a monotonic counter. */
export interface CounterSample {
  readonly at: EpochMillis;
  readonly value: number;
}

/**
 * Increase of a counter over a series of samples, handling resets the way Prometheus does:
 * when a value drops, the counter restarted from 0, so the new value itself is the increase
 * since the reset (https://prometheus.io/docs/prometheus/latest/querying/functions/#increase).
 * No extrapolation: the result is exactly the observed increase between the first and last
 * sample. Samples must be in time order.
 */
export function counterIncrease(samples: readonly CounterSample[]): number {
  let total = 0;
  for (let i = 1; i < samples.length; i++) {
    const prev = samples[i - 1]!;
    const cur = samples[i]!;
    if (cur.at < prev.at) throw new RangeError(`samples out of order at index ${i}`);
    total += cur.value >= prev.value ? cur.value - prev.value : cur.value;
  }
  return total;
}

/** The samples inside the window `(end - windowMs, end]`, plus the last one before it as a base. */
export function samplesInWindow(samples: readonly CounterSample[], end: EpochMillis, windowMs: number): CounterSample[] {
  const start = end - windowMs;
  const out: CounterSample[] = [];
  let base: CounterSample | undefined;
  for (const s of samples) {
    if (s.at <= start) base = s;
    else if (s.at <= end) out.push(s);
  }
  return base ? [base, ...out] : out;
}

/** Good/total counter samples of one SLO. */
export interface SloCounterSamples {
  readonly good: readonly CounterSample[];
  readonly total: readonly CounterSample[];
}

/** Good and total increase of an SLO over the window ending at `end`. */
export function windowCounts(samples: SloCounterSamples, end: EpochMillis, windowMs: number): { good: number; total: number } {
  const total = counterIncrease(samplesInWindow(samples.total, end, windowMs));
  const good = counterIncrease(samplesInWindow(samples.good, end, windowMs));
  // Independent resets can leave good marginally above total; never report more good than total.
  return { good: Math.min(good, total), total };
}
