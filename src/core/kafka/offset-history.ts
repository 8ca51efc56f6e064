import type { EpochMillis, Position } from '../units.js';

/** One sample of a partition's high watermark. */
export interface HistoryPoint {
  readonly t: EpochMillis;
  readonly high: Position;
}

/** The array of a history with no point yet (shared: never written, `add` grows first). */
const EMPTY: number[] = [];

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
  // Points interleaved in one number array (t0, high0, t1, high1, ...) of a capacity managed here,
  // `#n` numbers used: an idle partition keeps 2 points, and two arrays grown by push (V8 gives a
  // pushed-to array room for 17 numbers) took ~400 bytes per partition instead of ~130 (10 000
  // partitions: 2.8 MB of the service's steady old space, docs/performance.md). Never a point
  // object per sample: 10k partitions x 120 points would be 1.2M objects (~60 MB).
  #p: number[] = EMPTY;
  #n = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 4) throw new RangeError(`capacity: must be an integer >= 4, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Points, oldest first (a copy). */
  points(): HistoryPoint[] {
    const out: HistoryPoint[] = [];
    for (let i = 0; i < this.#n; i += 2) out.push({ t: this.#p[i]!, high: this.#p[i + 1]! });
    return out;
  }

  get size(): number {
    return this.#n >> 1;
  }

  /**
   * Adds a sample. A high watermark below the last one means the partition was re-created (or
   * truncated): the old history describes another log and is discarded.
   */
  add(t: EpochMillis, high: Position): void {
    const p = this.#p;
    const n = this.#n;
    if (n > 0 && t <= p[n - 2]!) return;
    if (n > 0 && high < p[n - 1]!) this.#n = 0;
    const m = this.#n;
    if (m >= 4 && p[m - 3] === high && p[m - 1] === high) {
      // Extend a flat run: keep its first and (moved) last point only.
      p[m - 2] = t;
      return;
    }
    if (m === p.length) this.#grow();
    this.#p[m] = t;
    this.#p[m + 1] = high;
    this.#n = m + 2;
    if (this.#n > 2 * this.#capacity) this.#thin();
  }

  /** Doubles the room (4 numbers, 2 points, at first): a new array of exactly that capacity. */
  #grow(): void {
    const next = new Array<number>(Math.max(4, this.#p.length * 2));
    for (let i = 0; i < this.#n; i++) next[i] = this.#p[i]!;
    this.#p = next;
  }

  #thin(): void {
    const p = this.#p;
    const points = this.#n >> 1;
    const half = Math.floor(points / 2);
    // Keep every second point of the older half, all of the newer half.
    let w = 0;
    for (let i = 0; i < points; i++) {
      if (i < half && i % 2 !== 0) continue;
      p[2 * w] = p[2 * i]!;
      p[2 * w + 1] = p[2 * i + 1]!;
      w++;
    }
    this.#n = 2 * w;
  }

  /**
   * Estimated append time of the message at `offset`, by linear interpolation between the two
   * samples that bracket the moment the high watermark passed it. Undefined when the history
   * does not bracket it: the message is older than the history (the monitor started later, or
   * the consumer was reset to old offsets) or not produced yet.
   */
  appendTime(offset: Position): EpochMillis | undefined {
    const target = offset + 1;
    const p = this.#p;
    const points = this.#n >> 1;
    if (points < 2 || target <= p[1]!) return undefined;
    // Binary search for the first point with high >= target.
    let lo = 1;
    let hi = points - 1;
    if (p[2 * hi + 1]! < target) return undefined;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p[2 * mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    const t0 = p[2 * lo - 2]!;
    const h0 = p[2 * lo - 1]!;
    return t0 + ((target - h0) / (p[2 * lo + 1]! - h0)) * (p[2 * lo]! - t0);
  }
}
