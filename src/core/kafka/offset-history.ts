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
  #points: HistoryPoint[] = [];

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 4) throw new RangeError(`capacity: must be an integer >= 4, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Points, oldest first (a copy). */
  points(): HistoryPoint[] {
    return [...this.#points];
  }

  get size(): number {
    return this.#points.length;
  }

  /**
   * Adds a sample. A high watermark below the last one means the partition was re-created (or
   * truncated): the old history describes another log and is discarded.
   */
  add(t: EpochMillis, high: Position): void {
    const pts = this.#points;
    const last = pts[pts.length - 1];
    if (last && t <= last.t) return;
    if (last && high < last.high) pts.length = 0;
    const prev = pts[pts.length - 2];
    if (last && prev && prev.high === high && last.high === high) pts[pts.length - 1] = { t, high };
    else pts.push({ t, high });
    if (pts.length > this.#capacity) this.#thin();
  }

  #thin(): void {
    const pts = this.#points;
    const half = Math.floor(pts.length / 2);
    const kept: HistoryPoint[] = [];
    for (let i = 0; i < half; i++) if (i % 2 === 0) kept.push(pts[i]!);
    this.#points = [...kept, ...pts.slice(half)];
  }

  /**
   * Estimated append time of the message at `offset`, by linear interpolation between the two
   * samples that bracket the moment the high watermark passed it. Undefined when the history
   * does not bracket it: the message is older than the history (the monitor started later, or
   * the consumer was reset to old offsets) or not produced yet.
   */
  appendTime(offset: Position): EpochMillis | undefined {
    const target = offset + 1;
    const pts = this.#points;
    if (pts.length < 2 || target <= pts[0]!.high) return undefined;
    // Binary search for the first point with high >= target.
    let lo = 1;
    let hi = pts.length - 1;
    if (pts[hi]!.high < target) return undefined;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pts[mid]!.high >= target) hi = mid;
      else lo = mid + 1;
    }
    const b = pts[lo]!;
    const a = pts[lo - 1]!;
    return a.t + ((target - a.high) / (b.high - a.high)) * (b.t - a.t);
  }
}
