import type { Position } from '../units.js';
import type { PartitionPoint } from './types.js';

/**
 * A partition's recent samples for one group as the status rules read them, oldest first
 * (index `length - 1` is this cycle).
 */
export interface SampleWindow {
  readonly length: number;
  /** Committed offset at sample `i`; undefined when the group had no commit there. */
  committed(i: number): Position | undefined;
  low(i: number): Position;
  high(i: number): Position;
}

/** No commit (offsets are never negative). */
const NONE = -1;

/**
 * A fixed-size ring of (committed, low, high) samples in one flat number array: the collector
 * keeps one per group and partition (25 000 on the benchmark cluster), so no object per sample
 * and no allocation per cycle once full. ~3 x 8 bytes per sample.
 */
export class SampleRing implements SampleWindow {
  readonly #data: number[];
  readonly #capacity: number;
  #start = 0;
  #length = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity: must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    this.#data = new Array<number>(capacity * 3).fill(0);
  }

  get length(): number {
    return this.#length;
  }

  /** Appends this cycle's sample, dropping the oldest when full. */
  push(committed: Position | undefined, low: Position, high: Position): void {
    let slot: number;
    if (this.#length < this.#capacity) slot = (this.#start + this.#length++) % this.#capacity;
    else {
      slot = this.#start;
      this.#start = (this.#start + 1) % this.#capacity;
    }
    const d = this.#data;
    d[slot * 3] = committed ?? NONE;
    d[slot * 3 + 1] = low;
    d[slot * 3 + 2] = high;
  }

  committed(i: number): Position | undefined {
    const v = this.#data[this.#at(i)]!;
    return v === NONE ? undefined : v;
  }

  low(i: number): Position {
    return this.#data[this.#at(i) + 1]!;
  }

  high(i: number): Position {
    return this.#data[this.#at(i) + 2]!;
  }

  #at(i: number): number {
    if (i < 0 || i >= this.#length) throw new RangeError(`sample ${i} out of range 0..${this.#length - 1}`);
    return ((this.#start + i) % this.#capacity) * 3;
  }
}

/** A window holding exactly these points (tests, and callers with a list at hand). */
export function windowOf(points: readonly Omit<PartitionPoint, 't'>[]): SampleRing {
  const w = new SampleRing(Math.max(1, points.length));
  for (const p of points) w.push(p.committed, p.low, p.high);
  return w;
}
