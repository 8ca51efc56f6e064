import type { EpochMillis, Position } from '../units.js';

/** One sample of a partition's high watermark. */
export interface HistoryPoint {
  readonly t: EpochMillis;
  readonly high: Position;
}

/**
 * A bounded per-partition history of (high watermark, time) samples, used to estimate when a
 * message was appended: message `o` was appended when the high watermark went past `o`, i.e.
 * somewhere between the last sample with `high <= o` and the first with `high > o`.
 *
 * Memory is bounded two ways:
 * - flat runs (idle topic) keep only their first and last point: the last point of a flat run
 *   is what pins the time of the next message on an idle topic (kafka-lag-exporter #37/#111
 *   lost it and extrapolated from a stale slope);
 * - past `capacity`, the older half is thinned by dropping every second point, so old history
 *   gets coarser instead of vanishing (recent points keep full resolution).
 */
export class OffsetHistory {
  readonly #capacity: number;
  // Two flat number arrays rather than a point object per sample: 10k partitions x 120 points
  // would otherwise be 1.2M objects (~60 MB) on a busy cluster; this is 16 bytes per point.
  #t: number[] = [];
  #high: number[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 4) throw new RangeError(`capacity: must be an integer >= 4, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Points, oldest first (a copy). */
  points(): HistoryPoint[] {
    return this.#t.map((t, i) => ({ t, high: this.#high[i]! }));
  }

  get size(): number {
    return this.#t.length;
  }

  /**
   * Adds a sample. A high watermark below the last one means the partition was re-created (or
   * truncated): the old history describes another log and is discarded.
   */
  add(t: EpochMillis, high: Position): void {
    const ts = this.#t;
    const hs = this.#high;
    const n = ts.length;
    if (n > 0 && t <= ts[n - 1]!) return;
    if (n > 0 && high < hs[n - 1]!) {
      ts.length = 0;
      hs.length = 0;
    }
    const m = ts.length;
    if (m >= 2 && hs[m - 2] === high && hs[m - 1] === high) {
      // Extend a flat run: keep its first and (moved) last point only.
      ts[m - 1] = t;
    } else {
      ts.push(t);
      hs.push(high);
    }
    if (ts.length > this.#capacity) this.#thin();
  }

  #thin(): void {
    const half = Math.floor(this.#t.length / 2);
    // Keep every second point of the older half, all of the newer half.
    let w = 0;
    for (let i = 0; i < this.#t.length; i++) {
      if (i < half && i % 2 !== 0) continue;
      this.#t[w] = this.#t[i]!;
      this.#high[w] = this.#high[i]!;
      w++;
    }
    this.#t.length = w;
    this.#high.length = w;
  }

  /**
   * Estimated append time of the message at `offset`, by linear interpolation between the two
   * samples that bracket the moment the high watermark passed it. Undefined when the history
   * does not bracket it: the message is older than the history (the monitor started later, or
   * the consumer was reset to old offsets) or not produced yet.
   */
  appendTime(offset: Position): EpochMillis | undefined {
    const target = offset + 1;
    const ts = this.#t;
    const hs = this.#high;
    if (ts.length < 2 || target <= hs[0]!) return undefined;
    // Binary search for the first point with high >= target.
    let lo = 1;
    let hi = hs.length - 1;
    if (hs[hi]! < target) return undefined;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hs[mid]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return ts[lo - 1]! + ((target - hs[lo - 1]!) / (hs[lo]! - hs[lo - 1]!)) * (ts[lo]! - ts[lo - 1]!);
  }
}
